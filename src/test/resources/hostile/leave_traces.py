# The first job of a slot: leaves everything it can for the next job of the same slot to find — files in /tmp and
# in its job directory, SysV shared memory, a message queue and a semaphore set under a known key, a POSIX message
# queue, an environment variable, and a process that tries to outlive the run.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
IPC_CREAT = 0o1000
KEY = 0x43415241
open("/tmp/left-by-the-last-job", "w").write("secret of the last job")
open("left-by-the-last-job", "w").write("secret of the last job")
made = [libc.shmget(KEY, 4096, IPC_CREAT | 0o666) >= 0,
        libc.msgget(KEY, IPC_CREAT | 0o666) >= 0,
        libc.semget(KEY, 1, IPC_CREAT | 0o666) >= 0,
        libc.mq_open(b"/caravan-left", os.O_CREAT | os.O_RDWR, 0o666, None) >= 0]
os.environ["LEFT_BY_THE_LAST_JOB"] = "1"
os.putenv("LEFT_BY_THE_LAST_JOB", "1")
if os.fork() == 0:
    os.setsid()
    os.execvp("sleep", ["sleep", "600"])
print("left:", made.count(True), "of", len(made))
