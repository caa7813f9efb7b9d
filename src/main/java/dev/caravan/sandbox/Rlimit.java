package dev.caravan.sandbox;

/** One resource limit of a run, in the kernel's units (seconds, bytes or a count). */
record Rlimit(Resource resource, long soft, long hard) {

    static Rlimit of(Resource resource, long value) {
        return new Rlimit(resource, value, value);
    }

    /** The Linux resources the sandbox limits, with their x86-64/aarch64 numbers and dash's ulimit flag and unit. */
    enum Resource {
        CPU(0, 't', 1),
        FSIZE(1, 'f', 512),
        STACK(3, 's', 1024),
        CORE(4, 'c', 512),
        NPROC(6, 'p', 1),
        NOFILE(7, 'n', 1),
        AS(9, 'v', 1024);

        final int number;
        final char ulimitFlag;
        final long ulimitUnit;

        Resource(int number, char ulimitFlag, long ulimitUnit) {
            this.number = number;
            this.ulimitFlag = ulimitFlag;
            this.ulimitUnit = ulimitUnit;
        }
    }

    /** The dash commands that set this limit; the soft limit first, since a hard limit below the current soft one is refused. */
    String asUlimit() {
        if (soft == hard) {
            return "ulimit -" + resource.ulimitFlag + " " + soft / resource.ulimitUnit;
        }
        return "ulimit -S -" + resource.ulimitFlag + " " + soft / resource.ulimitUnit
                + " && ulimit -H -" + resource.ulimitFlag + " " + hard / resource.ulimitUnit;
    }
}
