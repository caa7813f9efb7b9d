# Looks for the worker's environment and configuration: its own environment, pid 1's, and every file on the
# visible file system whose name looks like configuration or credentials, or is the test's canary.
import os
import sys

canary = sys.stdin.readline().strip()
print("env:", ",".join(sorted(os.environ)))
try:
    with open("/proc/1/environ", "rb") as f:
        names = sorted(entry.split(b"=")[0].decode() for entry in f.read().split(b"\0") if entry)
    print("pid1 env:", ",".join(names))
except OSError:
    print("pid1 env: unreadable")
# names of the worker's configuration and of credential stores; /usr's own package files named after
# "credentials" or "rabbitmq" are public and not what this looks for
suspicious = {"application.properties", "application.yaml", "application.yml", ".erlang.cookie", "rabbitmq.conf",
              "settings.xml", ".m2", ".git-credentials", ".netrc", "id_rsa", "id_ed25519", canary}
found = []
for root, dirs, files in os.walk("/"):
    if root in ("/proc", "/sys", "/dev"):
        dirs[:] = []
        continue
    for name in dirs + files:
        if name in suspicious or name.endswith(".env") or name.startswith("caravan-canary"):
            found.append(os.path.join(root, name))
for path in ("/work", "/root", "/home", "/etc/passwd", "/etc/shadow", "/var", "/run", "/etc/rabbitmq"):
    if os.path.exists(path):
        found.append(path)
print("found:", ",".join(found) if found else "nothing")
