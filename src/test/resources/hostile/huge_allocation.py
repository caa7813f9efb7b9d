# Asks for a terabyte at once: the allocator refuses before the kernel's OOM killer is involved, and Python
# raises MemoryError. Over the limit is over the limit, whoever notices first.
block = bytearray(10 ** 12)
print(len(block))
