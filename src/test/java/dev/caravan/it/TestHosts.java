package dev.caravan.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Hosts on this machine, each a network namespace with one interface: a veth pair whose other end is on a bridge,
 * so every host reaches the others and the bridge's own address (where this machine's processes listen) only over
 * its own link, and a test can cut that link with {@code ip link set down}. Needs root and iproute2. Names start
 * with {@code CARAVAN_NETNS_PREFIX} (default {@code cvit}) and addresses are {@code CARAVAN_NETNS_SUBNET.0.0/24}
 * (default {@code 10.215}), so that parallel runs on one machine stay apart; anything a crashed run left under the
 * same names is removed first, and {@link #close()} removes everything, killing what still runs in the namespaces.
 */
public final class TestHosts implements AutoCloseable {

    private static final String PREFIX = setting("CARAVAN_NETNS_PREFIX", "cvit");
    private static final String SUBNET = setting("CARAVAN_NETNS_SUBNET", "10.215");
    private static final int FIRST_HOST = 10;

    private final String bridge = PREFIX + "-br";
    private final Map<String, String> hosts = new LinkedHashMap<>();

    private TestHosts() {
    }

    private static String setting(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** The bridge, with {@link #bridgeAddress()} on this machine's side. */
    public static TestHosts create() {
        TestHosts hosts = new TestHosts();
        ip(false, "link", "del", hosts.bridge);
        try {
            ip(true, "link", "add", hosts.bridge, "type", "bridge");
            ip(true, "addr", "add", hosts.bridgeAddress() + "/24", "dev", hosts.bridge);
            ip(true, "link", "set", hosts.bridge, "up");
        } catch (RuntimeException e) {
            hosts.close();
            throw e;
        }
        return hosts;
    }

    /** This machine's address on the bridge: what the hosts reach it by. */
    public String bridgeAddress() {
        return SUBNET + ".0.1";
    }

    /** Makes host {@code name} (a few letters) and returns its address. */
    public String add(String name) {
        String namespace = namespace(name);
        String outside = PREFIX + "-" + name;
        String inside = PREFIX + "-" + name + "i";
        String address = SUBNET + ".0." + (FIRST_HOST + hosts.size());
        ip(false, "netns", "del", namespace);
        ip(true, "netns", "add", namespace);
        hosts.put(name, address);
        ip(true, "link", "add", outside, "type", "veth", "peer", "name", inside, "netns", namespace);
        ip(true, "link", "set", outside, "master", bridge);
        ip(true, "link", "set", outside, "up");
        ip(true, "-n", namespace, "addr", "add", address + "/24", "dev", inside);
        ip(true, "-n", namespace, "link", "set", inside, "up");
        ip(true, "-n", namespace, "link", "set", "lo", "up");
        return address;
    }

    /** The command that runs the rest of a command line on host {@code name}. */
    public List<String> launcher(String name) {
        return List.of("ip", "netns", "exec", namespace(name));
    }

    /** Cuts host {@code name}'s link, as a pulled cable would: nothing reaches it or leaves it, and nothing is told. */
    public void cut(String name) {
        ip(true, "link", "set", PREFIX + "-" + name, "down");
    }

    public void restore(String name) {
        ip(true, "link", "set", PREFIX + "-" + name, "up");
    }

    private static String namespace(String name) {
        return PREFIX + "-" + name;
    }

    @Override
    public void close() {
        for (String name : hosts.keySet()) {
            // A process left in a namespace keeps nothing of it alive, but it is this test's: it goes too.
            for (String pid : ip(false, "netns", "pids", namespace(name)).split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            // Deleting the namespace deletes its end of the veth pair, and with it the other end.
            ip(false, "netns", "del", namespace(name));
        }
        ip(false, "link", "del", bridge);
    }

    /** Runs {@code ip} with these arguments; when {@code required}, a failure throws. Returns what it printed. */
    private static String ip(boolean required, String... arguments) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            if (required && process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (the test needs root and iproute2): " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ip (iproute2): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
