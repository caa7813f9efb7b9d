# Fills the private /tmp, a tmpfs whose pages are memory, a megabyte at a time: the memory limit must stop it, and
# the memory figure must show what it took.
chunk = b"x" * (1 << 20)
with open("/tmp/fill", "wb") as out:
    for _ in range(1024):
        out.write(chunk)
        out.flush()
print("the limit never came")
