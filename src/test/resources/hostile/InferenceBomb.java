// A compile bomb for javac: every level of generic calls nested in conditionals doubles javac's type-inference work
// (measured: 9 levels ~8 s of CPU, 10 levels ~16 s); 20 levels would keep it busy for days. Contained means: this
// job gets a COMPILATION_ERROR naming the time limit, and no other job waits for the compiler meanwhile.
public class Main {
    static boolean b;

    static <T> T id(T t) {
        return t;
    }

    public static void main(String[] args) {
        System.out.println(
            id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? id(b ? 1 : null) : null) : null) : null) : null) : null) : null) : null) : null) : null) : null) : null) : null) : null) : null) : null) : null) : null) : null) : null));
    }
}
