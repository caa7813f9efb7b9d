# Uses no CPU and never ends: only the wall-clock limit stops it.
import time

time.sleep(10 ** 6)
