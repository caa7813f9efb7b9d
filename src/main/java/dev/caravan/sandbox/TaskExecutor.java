package dev.caravan.sandbox;

import dev.caravan.contract.TaskResult;
import dev.caravan.contract.TaskResult.OutputFile;
import dev.caravan.contract.TaskResult.TaskVerdict;
import dev.caravan.contract.TaskRun;
import dev.caravan.engine.EngineFailure;
import dev.caravan.engine.TaskNotInstalledException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs operator-defined tasks ({@code config/tasks.yaml}): each in a sandbox made for the run (bwrap, its own uid, no
 * network, the seccomp filter, a cgroup for its memory and processes), or with {@code sandbox: false} outside bwrap but
 * still under its limits and accounting. A task slot's uid is its own ({@link EngineSettings#taskUser}); a GPU slot's
 * task sees its GPU alone: {@code CUDA_VISIBLE_DEVICES} and {@code NVIDIA_VISIBLE_DEVICES} name it, and of the host's
 * NVIDIA device nodes only its {@code /dev/nvidia<N>} and the shared control nodes are bound in.
 *
 * <p>The task's working folder is {@code /box}; what it writes to {@code /box/out} comes back in its result, at most
 * {@code caravan.tasks.outputs-kb} in all. Its stdout and stderr come back as their last {@code output-tail-kb}.
 */
public final class TaskExecutor {

    /** The NVIDIA nodes every CUDA process needs besides its GPU's own (those a host lacks are skipped). */
    static final List<String> NVIDIA_CONTROL_NODES = List.of("/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools",
            "/dev/nvidia-modeset");
    static final String OUTPUT_FOLDER = "out";

    private final EngineSettings settings;
    private final SandboxRunner sandboxed;
    private final SandboxRunner unsandboxed;
    private final Path root;
    private final long tailBytes;
    private final long outputsBytes;

    TaskExecutor(EngineSettings settings, SandboxRunner sandboxed, SandboxRunner unsandboxed, Path root, long tailBytes,
                 long outputsBytes) {
        this.settings = settings;
        this.sandboxed = sandboxed;
        this.unsandboxed = unsandboxed;
        this.root = root;
        this.tailBytes = tailBytes;
        this.outputsBytes = outputsBytes;
    }

    /** The environment and device nodes of a task on GPU {@code gpu}, or none for a CPU slot (null). */
    static RunRequest.TaskExtras extras(Integer gpu) {
        if (gpu == null) {
            return new RunRequest.TaskExtras(Map.of(), List.of(), true);
        }
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("CUDA_VISIBLE_DEVICES", gpu.toString());
        environment.put("NVIDIA_VISIBLE_DEVICES", gpu.toString());
        List<String> devices = new ArrayList<>();
        devices.add("/dev/nvidia" + gpu);
        devices.addAll(NVIDIA_CONTROL_NODES);
        return new RunRequest.TaskExtras(environment, devices, true);
    }

    /**
     * Runs the task once in task slot {@code slot}, on GPU {@code gpu} (null: a CPU slot), and cleans up after it.
     *
     * @throws TaskNotInstalledException when its command or a path to bind is not on this host
     * @throws EngineFailure             when the sandbox, not the task, failed
     */
    public TaskResult run(String jobId, TaskRun task, int slot, Integer gpu, String worker) {
        requireInstalled(task);
        SandboxUser user = settings.taskUser(slot);
        JobDirectory dir = JobDirectory.create(root, user, user.gid());
        try {
            Path out = Files.createDirectory(dir.path().resolve(OUTPUT_FOLDER));
            Files.setAttribute(out, "unix:uid", user.uid(), LinkOption.NOFOLLOW_LINKS);
            long memoryBytes = task.memoryMb() * 1024L * 1024L;
            // RLIMIT_CPU is per process: a task may keep every core busy for its whole timeout
            long cpuMs = task.timeoutMs() * Runtime.getRuntime().availableProcessors();
            RunRequest request = new RunRequest(task.command(), dir.path(), new byte[0], cpuMs, task.timeoutMs(), memoryBytes,
                    tailBytes, task.maxProcesses(), false, task.readOnlyBinds(), user, extras(gpu));
            RunObservation run = (task.sandbox() ? sandboxed : unsandboxed).run(request);
            TaskVerdict verdict = run.wallKilled() ? TaskVerdict.TIMEOUT : run.exitedCleanly() ? TaskVerdict.DONE : TaskVerdict.FAILED;
            return new TaskResult(jobId, task.type(), verdict, run.exitCode(), run.signal(), run.stdout().text(),
                    run.stderr().text(), run.wallTimeMs(), run.peakMemoryKb(), gpu, worker, outputs(out), 1);
        } catch (IOException e) {
            throw new EngineFailure("task " + jobId + ": cannot prepare or read its folder: " + e.getMessage(), e);
        } finally {
            UserProcesses.killAll(user.uid());
            dir.remove();
        }
    }

    /**
     * Kills every process of the task running in slot {@code slot} (sandboxed tasks: they run as the slot's uid), so
     * that its run ends now; a task run with {@code sandbox: false} runs as the worker's user and is not reached.
     */
    public void stop(int slot) {
        UserProcesses.killAll(settings.taskUser(slot).uid());
    }

    /** The worker checks what the sandbox would only report as the task's own exit status 1. */
    private static void requireInstalled(TaskRun task) {
        Path program = Path.of(task.command().get(0));
        if (!Files.isExecutable(program)) {
            throw new TaskNotInstalledException("task '" + task.type() + "': its command " + program
                    + " is not an executable file on this worker");
        }
        for (String bind : task.readOnlyBinds()) {
            if (!Files.exists(Path.of(bind))) {
                throw new TaskNotInstalledException("task '" + task.type() + "': " + bind
                        + " (read_only_binds) is not on this worker");
            }
        }
    }

    /** The regular files under {@code out/}, by path, their content while the cap lasts; links are not followed. */
    private List<OutputFile> outputs(Path out) throws IOException {
        List<OutputFile> files = new ArrayList<>();
        long left = outputsBytes;
        List<Path> found;
        try (Stream<Path> walk = Files.walk(out)) {
            found = walk.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
        for (Path file : found) {
            long size = Files.size(file);
            int take = (int) Math.min(size, left);
            byte[] content = new byte[take];
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                take = in.readNBytes(content, 0, take);
            }
            left -= take;
            boolean truncated = take < size;
            files.add(new OutputFile(out.relativize(file).toString(), size,
                    take == 0 && size > 0 ? null : new String(content, 0, take, StandardCharsets.UTF_8), truncated));
        }
        return files;
    }
}
