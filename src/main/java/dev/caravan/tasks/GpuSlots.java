package dev.caravan.tasks;

import dev.caravan.config.TaskSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GPUs a worker offers as slots ({@code caravan.worker.gpus}): those declared, none, or with {@code auto} the ones
 * {@code nvidia-smi -L} lists ({@code GPU 0: NVIDIA H200 (UUID: GPU-...)}), none when it is absent or fails.
 */
public final class GpuSlots {

    private static final Logger LOG = LoggerFactory.getLogger(GpuSlots.class);
    private static final Pattern LISTED = Pattern.compile("^GPU (\\d+):", Pattern.MULTILINE);

    private GpuSlots() {
    }

    /** The GPU indexes, in order; one slot each. */
    public static List<Integer> resolve(TaskSettings settings) {
        return switch (settings.gpus()) {
            case "none" -> List.of();
            case "auto" -> detect();
            default -> settings.declaredGpus();
        };
    }

    private static List<Integer> detect() {
        try {
            Process process = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).start();
            String listed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                LOG.warn("caravan.worker.gpus=auto: nvidia-smi -L failed, so no GPU slots: {}", listed.strip());
                return List.of();
            }
            return parse(listed);
        } catch (IOException e) {
            LOG.info("caravan.worker.gpus=auto: no nvidia-smi on this host, so no GPU slots");
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** The indexes of {@code nvidia-smi -L}'s lines. */
    static List<Integer> parse(String listed) {
        Matcher matcher = LISTED.matcher(listed);
        return matcher.results().map(result -> Integer.valueOf(result.group(1))).toList();
    }
}
