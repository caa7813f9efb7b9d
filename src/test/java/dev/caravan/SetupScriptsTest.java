package dev.caravan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up that {@code scripts/run.sh} and {@code scripts/test.sh} do first, as a user without root would meet it
 * on a machine that lacks packages or whose broker is down: one line naming the command that fixes it, exit 1, and
 * nothing changed. Run as uid 65534 through {@code setpriv}, so the suite must run as root (as it must anyway for
 * the sandbox); packages are hidden by a PATH that leaves their commands out, so nothing is uninstalled.
 */
class SetupScriptsTest {

    private static final int NOBODY = 65534;

    private record Outcome(int exitCode, String output) {
    }

    @TempDir
    static Path commands;

    @BeforeAll
    static void requireRoot() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "switching to uid 65534 needs root");
        Files.setPosixFilePermissions(commands, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A folder of links to every command in /usr/bin but the hidden ones: a PATH for a machine without them. */
    private static Path pathWithout(String... hidden) throws IOException {
        Path folder = Files.createTempDirectory(commands, "bin");
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        Set<String> left = Set.of(hidden);
        try (Stream<Path> all = Files.list(Path.of("/usr/bin"))) {
            for (Path command : (Iterable<Path>) all::iterator) {
                if (!left.contains(command.getFileName().toString())) {
                    Files.createSymbolicLink(folder.resolve(command.getFileName()), command);
                }
            }
        }
        return folder;
    }

    private static Outcome runAsNobody(Path path, Map<String, String> environment, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                "env", "-i", "PATH=" + path, "HOME=/tmp"));
        environment.forEach((name, value) -> line.add(name + "=" + value));
        line.add("bash");
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running after 60 s: " + line);
        }
        return new Outcome(process.exitValue(), output);
    }

    private static int portNobodyListensOn() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void missingPackagesAreNamedInOneLineWithTheAptGetCommand() throws Exception {
        Outcome outcome = runAsNobody(pathWithout("bwrap", "supervisord", "wrk"), Map.of(),
                "scripts/install-prerequisites.sh", "test");

        assertEquals(new Outcome(1, "Missing packages: bubblewrap supervisor. Install them with: "
                + "sudo apt-get update && sudo apt-get install -y bubblewrap supervisor\n"), outcome);
    }

    @Test
    void runningAsksOnlyForWhatRunningNeeds() throws Exception {
        Outcome outcome = runAsNobody(pathWithout("supervisord", "wrk"), Map.of(), "scripts/install-prerequisites.sh", "run");

        assertEquals(new Outcome(0, ""), outcome);
    }

    @Test
    void aWorkerWithoutRootIsRefusedInOneLineBeforeAnythingIsBuiltOrStarted() throws Exception {
        Outcome outcome = runAsNobody(pathWithout("supervisord", "wrk"), Map.of(), "scripts/run.sh");

        assertEquals(new Outcome(1, "Run as root: the worker switches each program to an unprivileged sandbox user "
                + "itself (CARAVAN_ROLE=api runs an API-only node without root).\n"), outcome);
    }

    @Test
    void aStoppedLocalBrokerIsNamedInOneLineWithTheCommandThatStartsIt() throws Exception {
        int port = portNobodyListensOn();
        Outcome outcome = runAsNobody(Path.of("/usr/bin"), Map.of("CARAVAN_BROKER_PORT", String.valueOf(port)),
                "scripts/ensure-rabbitmq.sh");

        assertEquals(new Outcome(1, "RabbitMQ is not running on localhost:" + port + ". Start it with: "
                + "sudo env RABBITMQ_NODE_PORT=" + port + " rabbitmq-server -detached\n"), outcome);
    }
}
