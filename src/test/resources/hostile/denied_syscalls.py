# Tries every kind of call the syscall filter denies, and two it must allow; prints "name result" per line.
import ctypes
import errno
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long


def call(number, *args):
    ctypes.set_errno(0)
    result = libc.syscall(ctypes.c_long(number), *[ctypes.c_long(a) for a in args])
    return "ok" if result >= 0 else errno.errorcode.get(ctypes.get_errno(), str(ctypes.get_errno()))


KEY_SPEC_PROCESS_KEYRING = -2
CLONE_NEWUSER = 0x10000000
SIGCHLD = 17
key = ctypes.create_string_buffer(b"user")
desc = ctypes.create_string_buffer(b"a secret of this job")
payload = ctypes.create_string_buffer(b"42")
params = ctypes.create_string_buffer(120)
print("add_key", call(248, ctypes.addressof(key), ctypes.addressof(desc), ctypes.addressof(payload), 2, KEY_SPEC_PROCESS_KEYRING))
print("request_key", call(249, ctypes.addressof(key), ctypes.addressof(desc), 0, 0))
print("keyctl", call(250, 0, -4, 0))                 # KEYCTL_GET_KEYRING_ID of the user keyring
print("io_uring_setup", call(425, 4, ctypes.addressof(params)))
print("unshare", call(272, CLONE_NEWUSER))
print("setns", call(308, 0, 0))
print("clone_newuser", call(56, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0))
print("ptrace", call(101, 16, 1, 0, 0))              # PTRACE_ATTACH to the sandbox's own init
print("perf_event_open", call(298, ctypes.addressof(params), 0, -1, -1, 0))
print("bpf", call(321, 0, ctypes.addressof(params), 48))
print("userfaultfd", call(323, 0))
print("mount", call(165, 0, 0, 0, 0, 0))
print("pivot_root", call(155, 0, 0))
print("personality_change", call(135, 0x0040000))    # ADDR_NO_RANDOMIZE
print("clock_settime", call(227, 0, ctypes.addressof(params)))
print("init_module", call(175, 0, 0, 0))
print("process_vm_readv", call(310, 1, 0, 0, 0, 0, 0))
# allowed: asking for the persona, and an ordinary fork (clone without namespace flags)
print("personality_query", call(135, 0xFFFFFFFF))
pid = os.fork()
if pid == 0:
    os._exit(7)
print("fork", "ok" if os.waitpid(pid, 0)[1] >> 8 == 7 else "failed")
