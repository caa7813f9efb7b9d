# Tries the broker's port on loopback, a port the test listens on, and an outside address (TEST-NET-1,
# routed nowhere). In the sandbox's empty network namespace every attempt must fail.
import socket
import sys

worker_port = int(sys.stdin.readline())
targets = [("broker", "127.0.0.1", 5672), ("worker", "127.0.0.1", worker_port), ("outside", "192.0.2.1", 80)]
for name, host, port in targets:
    try:
        socket.create_connection((host, port), timeout=1).close()
        print(name, "CONNECTED")
    except OSError:
        print(name, "blocked")
