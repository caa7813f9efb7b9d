# Keeps distinct megabyte strings alive until something stops it.
blocks = []
while True:
    blocks.append(bytearray(1 << 20))
