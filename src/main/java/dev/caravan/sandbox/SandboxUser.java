package dev.caravan.sandbox;

/**
 * The unprivileged host user a slot's programs (or the warm compiler) run as, gid equal to uid. Each slot has its
 * own, so that what the kernel counts per host uid — kernel keyrings, inotify instances, RLIMIT_NPROC, message queue
 * bytes — belongs to one slot, and a job can never signal, trace or share a keyring with a neighbour's processes.
 *
 * @param uid host uid, from {@code caravan.sandbox.uid-base} (see {@link EngineSettings#slotUser})
 * @param gid host gid
 */
record SandboxUser(int uid, int gid) {

    @Override
    public String toString() {
        return uid + ":" + gid;
    }
}
