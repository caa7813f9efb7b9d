package dev.caravan.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * What was read from one output stream of a sandboxed process, at most {@code cap} bytes. RLIMIT_FSIZE does not
 * limit pipes, so this cap is the only thing between an infinite printer and the worker's heap: as soon as the
 * program writes past it, {@code onOverflow} runs (it kills the process) and reading stops.
 */
record CappedOutput(byte[] bytes, boolean overflowed) {

    static CappedOutput read(InputStream stream, long cap, Runnable onOverflow) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream((int) Math.min(cap, 8192));
        byte[] buffer = new byte[16384];
        try (stream) {
            int n;
            while ((n = stream.read(buffer)) >= 0) {
                int room = (int) Math.min(n, cap - kept.size());
                kept.write(buffer, 0, room);
                if (room < n) {
                    onOverflow.run();
                    return new CappedOutput(kept.toByteArray(), true);
                }
            }
        } catch (IOException ignored) {
            // the stream was closed because the process was killed: what was read is the output
        }
        return new CappedOutput(kept.toByteArray(), false);
    }

    /**
     * The last {@code cap} bytes of the stream, read to its end: a long-running task may print more than that over its
     * life, which is its right; only its tail is kept.
     */
    static CappedOutput tail(InputStream stream, long cap) {
        byte[] ring = new byte[(int) cap];
        long total = 0;
        byte[] buffer = new byte[16384];
        try (stream) {
            int n;
            while ((n = stream.read(buffer)) >= 0) {
                for (int i = 0; i < n; i++) {
                    ring[(int) ((total + i) % cap)] = buffer[i];
                }
                total += n;
            }
        } catch (IOException ignored) {
            // the stream was closed because the process was killed: what was read is the output
        }
        int kept = (int) Math.min(total, cap);
        byte[] bytes = new byte[kept];
        long start = total - kept;
        for (int i = 0; i < kept; i++) {
            bytes[i] = ring[(int) ((start + i) % cap)];
        }
        return new CappedOutput(bytes, false);
    }

    /** The output as text; invalid UTF-8 (including a character cut by the cap) becomes U+FFFD. */
    String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
