# Takes every inotify instance its host uid may have (fs.inotify.max_user_instances, 128 by default): four
# processes, as RLIMIT_NOFILE caps each, until the kernel says EMFILE or ENFILE. Then it holds them a while.
import ctypes
import os
import time

libc = ctypes.CDLL(None, use_errno=True)


def take(most):
    taken = []
    while len(taken) < most:
        fd = libc.inotify_init1(0)
        if fd < 0:
            return taken, True
        taken.append(fd)
    return taken, False


children = []
for _ in range(4):
    pid = os.fork()
    if pid == 0:
        taken, refused = take(40)
        os.write(1, f"{len(taken)} {'refused' if refused else 'more'}\n".encode())
        time.sleep(8)
        os._exit(0)
    children.append(pid)
for pid in children:
    os.waitpid(pid, 0)
