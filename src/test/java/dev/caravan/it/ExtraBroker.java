package dev.caravan.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A RabbitMQ node of a test's own, beside the machine's broker (which is never touched): its own node name, ports and
 * data folder under /tmp, its own rabbitmq.conf, no plugins, and channels that check consumer timeouts every second. Started as the rabbitmq user, as Debian's wrapper would,
 * with the environment kept (the wrapper's su would drop it); stopped and removed on close.
 */
final class ExtraBroker implements AutoCloseable {

    private final String node;
    private final Path folder;

    private ExtraBroker(String node, Path folder) {
        this.node = node;
        this.folder = folder;
    }

    /**
     * @param name      the node's name before {@code @localhost}, and its folder's under /tmp
     * @param port      its AMQP port; its distribution port is {@code port + 20000}
     * @param config    lines of its rabbitmq.conf besides the listener
     */
    static ExtraBroker start(String name, int port, List<String> config) throws IOException, InterruptedException {
        Path folder = Path.of("/tmp", name);
        run(List.of("rm", "-rf", folder.toString()));
        Files.createDirectories(folder);
        List<String> lines = new ArrayList<>(List.of("listeners.tcp.default = " + port, "loopback_users = none"));
        lines.addAll(config);
        Files.write(folder.resolve("rabbitmq.conf"), lines);
        Files.writeString(folder.resolve("enabled_plugins"), "[].\n");
        // a channel checks its consumers' timeouts once per tick, a minute as shipped: once a second, a short
        // consumer_timeout bites when it says (RabbitMQ's own consumer timeout suite sets this too)
        Files.writeString(folder.resolve("advanced.config"), "[{rabbit, [{channel_tick_interval, 1000}]}].\n");
        run(List.of("chown", "-R", "rabbitmq:rabbitmq", folder.toString()));
        String node = name + "@localhost";
        ExtraBroker broker = new ExtraBroker(node, folder);
        run(List.of("runuser", "-u", "rabbitmq", "--", "env", "HOME=/var/lib/rabbitmq", "RABBITMQ_NODENAME=" + node,
                "RABBITMQ_NODE_PORT=" + port, "RABBITMQ_DIST_PORT=" + (port + 20000),
                "RABBITMQ_MNESIA_BASE=" + folder.resolve("mnesia"), "RABBITMQ_LOG_BASE=" + folder.resolve("log"),
                "RABBITMQ_CONFIG_FILE=" + folder.resolve("rabbitmq.conf"),
                "RABBITMQ_ADVANCED_CONFIG_FILE=" + folder.resolve("advanced.config"),
                "RABBITMQ_ENABLED_PLUGINS_FILE=" + folder.resolve("enabled_plugins"),
                "RABBITMQ_PID_FILE=" + folder.resolve("pid"),
                "/usr/lib/rabbitmq/bin/rabbitmq-server", "-detached"));
        try {
            // 'wait' first waits for the pid file: await_startup alone fails while the node has not registered yet
            run(List.of("rabbitmqctl", "-n", node, "wait", folder.resolve("pid").toString(), "--timeout", "90"));
        } catch (IllegalStateException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).directory(new java.io.File("/var/lib/rabbitmq")).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    @Override
    public void close() {
        try {
            run(List.of("rabbitmqctl", "-n", node, "stop"));
        } catch (IOException | InterruptedException | IllegalStateException e) {
            System.err.println("could not stop " + node + ": " + e.getMessage());
        }
        try {
            run(List.of("rm", "-rf", folder.toString()));
        } catch (IOException | InterruptedException | IllegalStateException ignored) {
            // /tmp is cleared in time; the next start removes it first
        }
    }
}
