package dev.caravan.sandbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The long-lived javac that runs inside its own sandbox (see {@link WarmJavac}). It depends on the JDK only: its
 * class file is all of Caravan the sandbox sees.
 *
 * <p>Protocol on stdin/stdout, one compile at a time: the worker writes a job directory's path relative to the
 * directory given as first argument ({@code slot-N}) and a newline; the server compiles {@code Main.java} there into the same
 * directory and answers {@code STATUS OVERFLOWED LENGTH\n} followed by LENGTH bytes of UTF-8 diagnostics, where
 * STATUS is OK, FAILED, OUT_OF_MEMORY or BROKEN (javac crashed with an Error). After the last two it exits, because a
 * JVM that ran out of heap or threw an Error is not trusted to compile again; the worker starts a new one.
 */
public final class WarmJavacServer {

    static final String READY = "READY";
    /** Quiet time after a compile before the server collects its garbage and gives the freed heap back to the host. */
    private static final long IDLE_COLLECT_MS = 2000;

    private WarmJavacServer() {
    }

    public static void main(String[] args) throws IOException {
        Path jobs = Path.of(args[0]);
        int outputCap = Integer.parseInt(args[1]);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        // one file manager for every compile: it keeps the JDK's class index warm, which is most of javac's start-up
        StandardJavaFileManager files = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
        warmUp(javac, files);
        System.gc();   // the warm-up's garbage, given back to the host (-XX:MaxHeapFreeRatio) before the server idles
        OutputStream out = System.out;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.write((READY + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ScheduledExecutorService idle = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "idle-collector");
            thread.setDaemon(true);
            return thread;
        });
        ScheduledFuture<?> collect = null;
        String name;
        while ((name = in.readLine()) != null) {
            if (collect != null) {
                collect.cancel(false);
            }
            CappedWriter diagnostics = new CappedWriter(outputCap);
            String status;
            // a slot's folder (slot-N), its job directory, never a way out of the work root
            if (!name.matches("[A-Za-z0-9_-][A-Za-z0-9_.-]*")) {
                status = "FAILED";
                diagnostics.write("invalid job directory name");
            } else {
                status = compile(javac, files, jobs.resolve(name), diagnostics);
            }
            byte[] text = diagnostics.text().getBytes(StandardCharsets.UTF_8);
            out.write((status + " " + diagnostics.overflowed + " " + text.length + "\n").getBytes(StandardCharsets.US_ASCII));
            out.write(text);
            out.flush();
            if (status.equals("OUT_OF_MEMORY") || status.equals("BROKEN")) {
                System.exit(3);
            }
            // an idle worker's memory is mostly this server's heap: collect once it is quiet, off every compile's path
            collect = idle.schedule(System::gc, IDLE_COLLECT_MS, TimeUnit.MILLISECONDS);
        }
    }

    private static String compile(JavaCompiler javac, StandardJavaFileManager files, Path dir, Writer diagnostics) {
        String where = dir.toString();
        List<String> options = List.of("-encoding", "UTF-8", "-proc:none", "-implicit:none", "-Xmaxerrs", "100",
                "-d", where, "-cp", where, "-sourcepath", where);
        try {
            boolean ok = javac.getTask(diagnostics, files, null, options, null,
                    files.getJavaFileObjects(dir.resolve("Main.java"))).call();
            return ok ? "OK" : "FAILED";
        } catch (OutOfMemoryError e) {
            return "OUT_OF_MEMORY";
        } catch (StackOverflowError e) {
            // nesting too deep for javac (the CLI javac fails the same way); the stack is unwound, the server is fine
            note(diagnostics, "javac ran out of stack: the program nests too deeply");
            return "FAILED";
        } catch (RuntimeException | Error e) {
            // a javac crash on this input: still the input's fault, but a JVM after an Error is not trusted further
            note(diagnostics, "javac failed: " + e);
            return e instanceof Error ? "BROKEN" : "FAILED";
        }
    }

    private static void note(Writer diagnostics, String message) {
        try {
            diagnostics.write(message + "\n");
        } catch (IOException ignored) {
            // a CappedWriter does not throw
        }
    }

    /** One throw-away compile at start-up, so that the first job does not pay for loading and JIT-compiling javac. */
    private static void warmUp(JavaCompiler javac, StandardJavaFileManager files) throws IOException {
        Path dir = Files.createTempDirectory("warm-up");
        Files.writeString(dir.resolve("Main.java"), "import java.util.*; public class Main { public static void main(String[] a) {"
                + " List<Integer> l = new ArrayList<>(); l.add(1); System.out.println(l.stream().mapToInt(i -> i).sum()); } }");
        for (int i = 0; i < 3; i++) {
            compile(javac, files, dir, new CappedWriter(65536));
        }
    }

    /** Keeps at most {@code cap} characters of diagnostics and notes that there were more. */
    static final class CappedWriter extends Writer {

        private final StringBuilder kept = new StringBuilder();
        private final int cap;
        private boolean overflowed;

        CappedWriter(int cap) {
            this.cap = cap;
        }

        @Override
        public void write(char[] buffer, int offset, int length) {
            int room = Math.min(length, cap - kept.length());
            kept.append(buffer, offset, Math.max(room, 0));
            overflowed |= room < length;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        String text() {
            return kept.toString();
        }
    }
}
