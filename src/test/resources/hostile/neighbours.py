# Leaves a marker in its job directory, waits for the other jobs to do the same, then looks for markers
# anywhere it can see. It must find only its own.
import os
import sys
import time

me = sys.stdin.readline().strip()
with open(f"/box/marker-{me}", "w") as f:
    f.write(me)
time.sleep(0.5)
found = []
for root, dirs, files in os.walk("/"):
    if root in ("/proc", "/sys", "/dev", "/usr"):
        dirs[:] = []
        continue
    found += [name for name in files if name.startswith("marker-")]
print("markers:", ",".join(sorted(found)))
