# Lists every process it can see in /proc and what it runs; the worker (a JVM) must not be among them.
import os

seen = []
for entry in os.listdir("/proc"):
    if entry.isdigit():
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                argv0 = f.read().split(b"\0")[0].decode()
            seen.append(os.path.basename(argv0))
        except OSError:
            seen.append("?")
print("processes:", " ".join(sorted(seen)))
