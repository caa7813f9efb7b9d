# Signals the parent, pid 1 and every process it may signal (-1), then checks it is still alive to say so.
import os
import signal

for target in (os.getppid(), 1, -1):
    try:
        os.kill(target, signal.SIGKILL)
    except OSError:
        pass
print("still here")
