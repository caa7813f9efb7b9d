package dev.caravan.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A RabbitMQ cluster of its own on this machine, made and removed by {@code scripts/rabbitmq-cluster.sh}, for tests
 * that kill and restart broker nodes without touching the machine's own broker. Its names, ports and folder come
 * from the {@code CARAVAN_CLUSTER_*} variables of the test's environment when set (so parallel runs on one machine
 * stay apart), else from the defaults below; node i (1-based) listens for AMQP on the first port + i - 1.
 */
public final class RabbitCluster implements AutoCloseable {

    private static final Path SCRIPT = Path.of("scripts", "rabbitmq-cluster.sh");
    private static final long COMMAND_TIMEOUT_S = 180;

    private final Map<String, String> environment;
    private final String bind;
    private final int nodes;

    private RabbitCluster(int nodes, String bind) {
        this.nodes = nodes;
        this.bind = bind;
        this.environment = Map.of(
                "CARAVAN_CLUSTER_DIR", setting("CARAVAN_CLUSTER_DIR", "target/rabbitmq-cluster-it"),
                "CARAVAN_CLUSTER_NAME", setting("CARAVAN_CLUSTER_NAME", "caravan-it"),
                "CARAVAN_CLUSTER_AMQP_PORT", String.valueOf(firstAmqpPort()),
                "CARAVAN_CLUSTER_DIST_PORT", setting("CARAVAN_CLUSTER_DIST_PORT", "25681"),
                "CARAVAN_CLUSTER_BIND", bind,
                // The tests need no web UI, and each node starts faster without it.
                "CARAVAN_CLUSTER_MANAGEMENT", "no");
    }

    private static String setting(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static int firstAmqpPort() {
        return Integer.parseInt(setting("CARAVAN_CLUSTER_AMQP_PORT", "5681"));
    }

    /**
     * Starts {@code nodes} nodes listening on {@code bind} and joins them; a cluster left by an earlier run that
     * died is removed first. Stops what it started if the start fails.
     */
    public static RabbitCluster start(int nodes, String bind) {
        RabbitCluster cluster = new RabbitCluster(nodes, bind);
        cluster.run("stop");
        try {
            cluster.run("start", String.valueOf(nodes));
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** {@code host:port} of every node, for {@code caravan.broker.addresses}. */
    public String addresses() {
        List<String> addresses = new ArrayList<>();
        String host = bind.equals("0.0.0.0") ? "127.0.0.1" : bind;
        for (int i = 0; i < nodes; i++) {
            addresses.add(host + ":" + (firstAmqpPort() + i));
        }
        return String.join(",", addresses);
    }

    public int size() {
        return nodes;
    }

    /** SIGKILL of node {@code node}'s Erlang VM, as a machine losing power would. */
    public void kill(int node) {
        run("kill", String.valueOf(node));
    }

    public void stopNode(int node) {
        run("stop-node", String.valueOf(node));
    }

    /** Starts node {@code node} again and returns once it runs (it rejoins the cluster by itself). */
    public void startNode(int node) {
        run("start-node", String.valueOf(node));
    }

    /** The node (1-based) leading quorum queue {@code queue}, as a running node reports it. */
    public int leaderOf(String queue) {
        return Integer.parseInt(run("leader", queue).trim());
    }

    /** Returns once node {@code node} holds no quorum queue's last majority: it may be stopped safely. */
    public void awaitQuorumWithout(int node) {
        run("await-quorum", String.valueOf(node));
    }

    private String run(String... arguments) {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(arguments));
        try {
            // Into a file, not a pipe: a node started in the background must not hold the test's pipe open.
            Path output = Files.createTempFile("rabbitmq-cluster-", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " took over " + COMMAND_TIMEOUT_S + " s");
            }
            String printed = Files.readString(output);
            Files.delete(output);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + printed);
            }
            return printed;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + SCRIPT + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops every node and deletes the cluster's folder. */
    @Override
    public void close() {
        run("stop");
    }
}
