# The next job of the same slot: looks for what leave_traces.py left, and lists what it finds.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
KEY = 0x43415241
found = []
if os.listdir("/tmp"):
    found.append("/tmp: " + ",".join(os.listdir("/tmp")))
others = [name for name in os.listdir(".") if name != "main.py"]
if others:
    found.append("job directory: " + ",".join(others))
if libc.shmget(KEY, 0, 0) >= 0:
    found.append("shared memory")
if libc.msgget(KEY, 0) >= 0:
    found.append("message queue")
if libc.semget(KEY, 0, 0) >= 0:
    found.append("semaphores")
if libc.mq_open(b"/caravan-left", os.O_RDWR, 0, None) >= 0:
    found.append("POSIX message queue")
for table in ("shm", "msg", "sem"):
    with open("/proc/sysvipc/" + table) as f:
        if len(f.readlines()) > 1:
            found.append("/proc/sysvipc/" + table)
if "LEFT_BY_THE_LAST_JOB" in os.environ:
    found.append("environment")
processes = [entry for entry in os.listdir("/proc") if entry.isdigit() and int(entry) != os.getpid()]
if processes:
    found.append("processes: " + ",".join(processes))
print("found:", "; ".join(found) if found else "nothing")
