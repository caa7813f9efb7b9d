// Starts thousands of (daemon) threads; the process limit stops the JVM from creating them.
public class Main {
    public static void main(String[] args) {
        for (int i = 0; i < 10_000; i++) {
            Thread thread = new Thread(() -> {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException ignored) {
                    // exit quietly
                }
            });
            thread.setDaemon(true);
            thread.start();
        }
        System.out.println("started them all");
    }
}
