# Tries to write everywhere but the job directory; prints the places where it succeeded.
import os

written = []
for path in ("/x", "/usr/x", "/usr/bin/x", "/etc/x", "/bin/x", "/lib/x", "/proc/x", "/dev/x", "/dev/shm/x", "/box/../x",
             "/root/x", "/home/x", "/var/tmp/x"):
    try:
        with open(path, "w") as f:
            f.write("pwned")
        written.append(path)
    except OSError:
        pass
with open("/box/inside", "w") as f:
    f.write("allowed")
print("written outside:", ",".join(written) if written else "nowhere")
