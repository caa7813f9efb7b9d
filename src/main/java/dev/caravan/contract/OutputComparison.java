package dev.caravan.contract;

/**
 * How a program's output is compared with the expected one: carriage returns, spaces and tabs at line ends
 * and blank lines at the end do not count, so that a correct answer is not failed for invisible differences.
 */
public final class OutputComparison {

    private OutputComparison() {
    }

    public static boolean matches(String expected, String actual) {
        return normalize(expected).equals(normalize(actual));
    }

    static String normalize(String text) {
        String[] lines = text.replace("\r", "").split("\n", -1);
        int end = lines.length;
        while (end > 0 && stripTrailing(lines[end - 1]).isEmpty()) {
            end--;
        }
        StringBuilder normalized = new StringBuilder(text.length());
        for (int i = 0; i < end; i++) {
            normalized.append(stripTrailing(lines[i])).append('\n');
        }
        return normalized.toString();
    }

    private static String stripTrailing(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        return line.substring(0, end);
    }
}
