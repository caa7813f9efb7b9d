package dev.caravan.sandbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The syscall filter every sandboxed program and compile runs under: a classic BPF program in the form bwrap's
 * {@code --seccomp FD} reads (an array of {@code struct sock_filter}, as libseccomp's {@code seccomp_export_bpf}
 * writes it), generated here so the worker needs no libseccomp.
 *
 * <p>It is a deny list over what the five runtimes never need and an attacker reaches for: kernel keyrings (shared by
 * every process of a host uid), io_uring, new namespaces ({@code unshare}, {@code setns}, {@code clone} with a
 * {@code CLONE_NEW*} flag), {@code ptrace} and the cross-process memory calls, {@code perf_event_open}, {@code bpf},
 * {@code userfaultfd}, mounts and the new mount API, {@code pivot_root}/{@code chroot}, {@code kexec_*}, kernel
 * modules, setting clocks, {@code personality} changes, handle-based opens and the like. The list follows Docker's
 * default profile (moby/profiles/seccomp/default.json) where the two overlap. A denied call fails with EPERM, never a
 * kill, so a program gets an error it can print. {@code clone3} fails with ENOSYS, because its flags sit in memory a
 * filter cannot read: the C library then falls back to {@code clone}, whose flags it can. Calls of another ABI (i386
 * {@code int 0x80}, x32) all fail with EPERM, so that no syscall number can be reached under a different one.
 *
 * <p>Numbers are the x86_64 ones ({@code asm/unistd_64.h}); on another architecture {@link #forThisMachine()}
 * refuses, and the engine with it, unless the filter is switched off ({@code caravan.sandbox.seccomp=false}).
 */
final class SeccompFilter {

    /** Denied with EPERM, by x86_64 number. */
    static final Map<String, Integer> DENIED = denied();

    private static final int AUDIT_ARCH_X86_64 = 0xC000003E;
    private static final int X32_SYSCALL_BIT = 0x40000000;
    private static final int CLONE = 56;
    private static final int CLONE3 = 435;
    private static final int PERSONALITY = 135;
    /** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET (linux/sched.h). */
    private static final int CLONE_NEW_NAMESPACES = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000
            | 0x20000000 | 0x40000000;
    /** personality(0xffffffff) only asks for the current persona; PER_LINUX (0) is the one every process has. */
    private static final int PERSONALITY_QUERY = 0xFFFFFFFF;

    private static final int RET_ALLOW = 0x7FFF0000;
    private static final int RET_EPERM = 0x00050000 | 1;
    private static final int RET_ENOSYS = 0x00050000 | 38;

    // struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6] (low word first on x86_64)
    private static final int OFFSET_NR = 0;
    private static final int OFFSET_ARCH = 4;
    private static final int OFFSET_ARG0_LOW = 16;

    private static final short LD_W_ABS = 0x20;
    private static final short JEQ_K = 0x15;
    private static final short JGE_K = 0x35;
    private static final short JSET_K = 0x45;
    private static final short RET_K = 0x06;

    private SeccompFilter() {
    }

    private static Map<String, Integer> denied() {
        Map<String, Integer> calls = new LinkedHashMap<>();
        // kernel keyrings belong to the host uid, not to a namespace: one job could read another's keys
        calls.put("add_key", 248);
        calls.put("request_key", 249);
        calls.put("keyctl", 250);
        calls.put("io_uring_setup", 425);
        calls.put("io_uring_enter", 426);
        calls.put("io_uring_register", 427);
        // new namespaces: a nested user namespace grants mount rights (and an uncapped tmpfs) inside the sandbox
        calls.put("unshare", 272);
        calls.put("setns", 308);
        calls.put("ptrace", 101);
        calls.put("process_vm_readv", 310);
        calls.put("process_vm_writev", 311);
        calls.put("kcmp", 312);
        calls.put("pidfd_getfd", 438);
        calls.put("perf_event_open", 298);
        calls.put("bpf", 321);
        calls.put("userfaultfd", 323);
        calls.put("fanotify_init", 300);
        calls.put("mount", 165);
        calls.put("umount2", 166);
        calls.put("mount_setattr", 442);
        calls.put("open_tree", 428);
        calls.put("move_mount", 429);
        calls.put("fsopen", 430);
        calls.put("fsconfig", 431);
        calls.put("fsmount", 432);
        calls.put("fspick", 433);
        calls.put("pivot_root", 155);
        calls.put("chroot", 161);
        calls.put("name_to_handle_at", 303);
        calls.put("open_by_handle_at", 304);
        calls.put("kexec_load", 246);
        calls.put("kexec_file_load", 320);
        calls.put("create_module", 174);
        calls.put("init_module", 175);
        calls.put("finit_module", 313);
        calls.put("delete_module", 176);
        calls.put("get_kernel_syms", 177);
        calls.put("query_module", 178);
        calls.put("settimeofday", 164);
        calls.put("clock_settime", 227);
        calls.put("clock_adjtime", 305);
        calls.put("adjtimex", 159);
        calls.put("syslog", 103);
        calls.put("acct", 163);
        calls.put("quotactl", 179);
        calls.put("nfsservctl", 180);
        calls.put("swapon", 167);
        calls.put("swapoff", 168);
        calls.put("reboot", 169);
        calls.put("sethostname", 170);
        calls.put("setdomainname", 171);
        calls.put("iopl", 172);
        calls.put("ioperm", 173);
        calls.put("modify_ldt", 154);
        calls.put("uselib", 134);
        calls.put("lookup_dcookie", 212);
        calls.put("vhangup", 153);
        calls.put("memfd_secret", 447);
        return Map.copyOf(calls);
    }

    /**
     * The filter for this machine's architecture.
     *
     * @throws IllegalStateException on an architecture other than x86_64 (amd64)
     */
    static byte[] forThisMachine() {
        String arch = System.getProperty("os.arch");
        if (!"amd64".equals(arch) && !"x86_64".equals(arch)) {
            throw new IllegalStateException("the syscall filter knows x86_64 only, not " + arch
                    + " (caravan.sandbox.seccomp=false runs without it)");
        }
        return program();
    }

    /** Writes the filter to {@code file} (mode as created by the caller's directory: the worker's private one). */
    static Path write(Path file) {
        try {
            return Files.write(file, forThisMachine());
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the syscall filter to " + file + ": " + e.getMessage(), e);
        }
    }

    /** The BPF program as the kernel's {@code struct sock_filter[]}, in the machine's (little-endian) byte order. */
    static byte[] program() {
        Program p = new Program();
        p.load(OFFSET_ARCH);
        p.jumpIfEqual(AUDIT_ARCH_X86_64, "native", null);
        p.ret(RET_EPERM);
        p.label("native");
        p.load(OFFSET_NR);
        p.jump(JGE_K, X32_SYSCALL_BIT, "deny", null);
        for (int number : DENIED.values().stream().sorted().toList()) {
            p.jumpIfEqual(number, "deny", null);
        }
        p.jumpIfEqual(CLONE3, "enosys", null);
        p.jumpIfEqual(CLONE, "clone", null);
        p.jumpIfEqual(PERSONALITY, "personality", null);
        p.ret(RET_ALLOW);
        p.label("clone");
        p.load(OFFSET_ARG0_LOW);
        p.jump(JSET_K, CLONE_NEW_NAMESPACES, "deny", null);
        p.ret(RET_ALLOW);
        p.label("personality");
        p.load(OFFSET_ARG0_LOW);
        p.jumpIfEqual(PERSONALITY_QUERY, "allow", null);
        p.jumpIfEqual(0, "allow", null);
        p.label("deny");
        p.ret(RET_EPERM);
        p.label("enosys");
        p.ret(RET_ENOSYS);
        p.label("allow");
        p.ret(RET_ALLOW);
        return p.assemble();
    }

    /** A tiny assembler: forward jumps to labels, resolved to the 8-bit offsets classic BPF has. */
    private static final class Program {

        private record Instruction(short code, String jumpIfTrue, String jumpIfFalse, int k) {
        }

        private final List<Instruction> instructions = new ArrayList<>();
        private final Map<String, Integer> labels = new LinkedHashMap<>();

        void load(int offset) {
            instructions.add(new Instruction(LD_W_ABS, null, null, offset));
        }

        void jumpIfEqual(int value, String whenTrue, String whenFalse) {
            jump(JEQ_K, value, whenTrue, whenFalse);
        }

        /** A conditional jump; a null label means "the next instruction". */
        void jump(short code, int value, String whenTrue, String whenFalse) {
            instructions.add(new Instruction(code, whenTrue, whenFalse, value));
        }

        void ret(int action) {
            instructions.add(new Instruction(RET_K, null, null, action));
        }

        void label(String name) {
            labels.put(name, instructions.size());
        }

        byte[] assemble() {
            ByteBuffer out = ByteBuffer.allocate(instructions.size() * 8).order(ByteOrder.nativeOrder());
            for (int pc = 0; pc < instructions.size(); pc++) {
                Instruction instruction = instructions.get(pc);
                out.putShort(instruction.code());
                out.put(offset(pc, instruction.jumpIfTrue()));
                out.put(offset(pc, instruction.jumpIfFalse()));
                out.putInt(instruction.k());
            }
            return out.array();
        }

        private byte offset(int pc, String label) {
            if (label == null) {
                return 0;
            }
            int distance = labels.get(label) - pc - 1;
            if (distance < 0 || distance > 255) {
                throw new IllegalStateException("BPF jump to " + label + " out of range: " + distance);
            }
            return (byte) distance;
        }
    }
}
