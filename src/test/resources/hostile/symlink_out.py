# Plants symbolic links from the job directory to a host file (the test's canary) and to system files, and
# tries to read through them. The worker must neither let it read them nor follow them when it cleans up.
import os
import sys

canary = sys.stdin.readline().strip()
read = []
for name, target in (("canary", canary), ("shadow", "/etc/shadow"), ("root", "/root"), ("up", "/box/..")):
    os.symlink(target, name)
    try:
        with open(name) as f:
            f.read()
        read.append(name)
    except OSError:
        pass
print("read through links:", ",".join(read) if read else "nothing")
