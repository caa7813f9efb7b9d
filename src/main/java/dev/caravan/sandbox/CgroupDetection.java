package dev.caravan.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds which cgroup interface this worker can use, once at start-up: v2 when the unified hierarchy has a writable
 * memory controller, else v1 when the v1 memory hierarchy is writable (hybrid hosts such as these CI machines),
 * else none, with rlimits standing in.
 */
final class CgroupDetection {

    /** Where the cgroup hierarchies are mounted. */
    static final Path ROOT = Path.of("/sys/fs/cgroup");

    private CgroupDetection() {
    }

    static CgroupSupport detect(String workerName) {
        OwnCgroups own = OwnCgroups.read();
        CgroupSupport v2 = CgroupV2Support.open(own.v2Dir(), workerName);
        if (v2 != null) {
            return v2;
        }
        CgroupSupport v1 = CgroupV1Support.open(own, workerName);
        if (v1 != null) {
            return v1;
        }
        return new NoCgroupSupport("neither a v2 memory controller nor a v1 memory hierarchy is writable");
    }

    /** The worker's own cgroup paths, from /proc/self/cgroup, mapped onto /sys/fs/cgroup. */
    record OwnCgroups(Map<String, Path> v1ByController, Path v2Dir) {

        static OwnCgroups read() {
            Map<String, Path> v1 = new HashMap<>();
            Path v2 = null;
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of("/proc/self/cgroup"));
            } catch (IOException e) {
                return new OwnCgroups(Map.of(), null);
            }
            for (String line : lines) {
                String[] parts = line.split(":", 3);
                if (parts.length != 3) {
                    continue;
                }
                String relative = parts[2].startsWith("/") ? parts[2].substring(1) : parts[2];
                if (parts[1].isEmpty()) {
                    v2 = unifiedMount().map(mount -> mount.resolve(relative)).orElse(null);
                } else {
                    // a co-mounted hierarchy such as "cpu,cpuacct" is one directory named after all its controllers
                    Path dir = ROOT.resolve(parts[1]).resolve(relative);
                    for (String controller : parts[1].split(",")) {
                        v1.put(controller, dir);
                    }
                }
            }
            return new OwnCgroups(v1, v2);
        }

        /** /sys/fs/cgroup on a pure v2 host, /sys/fs/cgroup/unified on a hybrid one. */
        private static java.util.Optional<Path> unifiedMount() {
            for (Path candidate : List.of(ROOT, ROOT.resolve("unified"))) {
                if (Files.exists(candidate.resolve("cgroup.controllers"))) {
                    return java.util.Optional.of(candidate);
                }
            }
            return java.util.Optional.empty();
        }

        Path v1Dir(String controller) {
            Path dir = v1ByController.get(controller);
            return dir != null && Files.isDirectory(dir) ? dir : null;
        }
    }
}
