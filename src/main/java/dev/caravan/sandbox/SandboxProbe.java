package dev.caravan.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Proves at start-up that the sandbox works on this host, so that a worker that cannot contain programs refuses
 * to start instead of failing (or worse, not isolating) on its first job.
 */
final class SandboxProbe {

    private SandboxProbe() {
    }

    static void verify(EngineSettings settings, SandboxRunner runner, Path workRoot) {
        if (settings.mode() == SandboxMode.BWRAP) {
            for (String tool : List.of("/bin/sh", "/usr/bin/setpriv", "/usr/bin/bwrap")) {   // sh, setpriv: the fallback launch
                if (!Files.isExecutable(Path.of(tool))) {
                    throw new IllegalStateException("sandbox unavailable: " + tool + " is missing (Debian packages:"
                            + " bubblewrap, util-linux); set caravan.sandbox=none only for development");
                }
            }
        }
        SandboxUser user = settings.slotUser(0);
        try (JobDirectory dir = JobDirectory.create(workRoot, user, settings.compilerUser().gid())) {
            RunObservation run = runner.run(new RunRequest(List.of("/usr/bin/id", "-u"),
                    dir.path(), new byte[0], 5000, 10_000, 64L * 1024 * 1024, 4096, 8, true, List.of(), user));
            String[] lines = run.stdout().text().strip().split("\n");
            if (!run.exitedCleanly() || lines.length < 1) {
                throw new IllegalStateException("sandbox unavailable: a trivial program failed in it (exit "
                        + run.exitCode() + ", signal " + run.signal() + "): " + run.stderr().text().strip()
                        + "; set caravan.sandbox=none only for development");
            }
            if (settings.mode() == SandboxMode.BWRAP && !lines[0].equals(Integer.toString(user.uid()))) {
                throw new IllegalStateException("sandbox unavailable: programs ran as uid " + lines[0] + ", expected "
                        + user.uid() + " (caravan.sandbox.uid-base)");
            }
        } catch (RuntimeException e) {
            if (e instanceof IllegalStateException) {
                throw e;
            }
            throw new IllegalStateException("sandbox unavailable: " + e.getMessage(), e);
        }
    }
}
