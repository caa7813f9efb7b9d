#!/usr/bin/env python3
"""The job checks of scripts/container-smoke.sh, against the compose stack's API.

    container-smoke-jobs.py PORT languages    A+B in every language: each ACCEPTED
    container-smoke-jobs.py PORT fork-bombs   6 Python fork bombs among 24 A+B jobs, one batch: every A+B ACCEPTED,
                                              every bomb TIME_LIMIT_EXCEEDED, and A+B jobs of one worker finished
                                              while a bomb of the other ran
    container-smoke-jobs.py PORT memory       the hostile memory program of every language, memory_mb 64
    container-smoke-jobs.py PORT a-plus-b N   N A+B jobs: each ACCEPTED; prints the workers that ran them

Jobs go through POST /jobs/batch and are polled with GET /jobs?ids=..., not /execute: a job's record names the worker
that ran it and when, and a loaded machine cannot turn a slow answer into a 504. Exit 1 with the reason on failure.
"""
import json
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

HOSTILE = Path(__file__).resolve().parent.parent / "src/test/resources/hostile"
A_PLUS_B = {
    "python": "a, b = map(int, input().split())\nprint(a + b)\n",
    "c": '#include <stdio.h>\nint main(void) { long a, b; scanf("%ld %ld", &a, &b); printf("%ld\\n", a + b); return 0; }\n',
    "cpp": '#include <iostream>\nint main() { long a, b; std::cin >> a >> b; std::cout << a + b << "\\n"; }\n',
    "java": "import java.util.Scanner;\npublic class Main { public static void main(String[] args) {\n"
            "  Scanner in = new Scanner(System.in); System.out.println(in.nextLong() + in.nextLong()); } }\n",
    "javascript": 'const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\\s+/).map(Number);\nconsole.log(a + b);\n',
}
MEMORY_BOMB = {"python": "memory_bomb.py", "c": "memory_bomb.c", "cpp": "memory_bomb.cpp", "java": "MemoryBomb.java",
               "javascript": "memory_bomb.js"}
ENDED = {"DONE", "DEAD_LETTERED", "EXPIRED", "CANCELLED"}


def a_plus_b(language):
    return {"language": language, "code": A_PLUS_B[language], "tests": [{"input": "1 2\n", "expected_output": "3\n"}]}


def run(port, jobs, timeout_s=300):
    """Submits the jobs as one batch and waits until every record has ended; returns the records in order."""
    base = f"http://127.0.0.1:{port}"
    request = urllib.request.Request(base + "/jobs/batch", data=json.dumps({"jobs": jobs}).encode(),
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        accepted = json.load(answer)
    if any("id" not in job for job in accepted):
        fail(f"a job was refused: {accepted}")
    ids = [job["id"] for job in accepted]
    deadline = time.monotonic() + timeout_s
    all_ended_at = None
    while True:
        with urllib.request.urlopen(f"{base}/jobs?ids={','.join(ids)}", timeout=30) as answer:
            records = json.load(answer)
        ended = all(record and record["status"] in ENDED for record in records)
        if ended and all_ended_at is None:
            all_ended_at = time.monotonic()
        # A record's started event may be applied a moment after its result: wait for the worker and times too, but
        # not long (seen: a DONE record that never got them; such a job counts for no worker).
        complete = ended and all(record["status"] != "DONE" or record.get("started_at") for record in records)
        if complete or (ended and time.monotonic() - all_ended_at > 10):
            return records
        if time.monotonic() > deadline:
            fail(f"jobs not ended within {timeout_s} s: {[r and r['status'] for r in records]}")
        time.sleep(1)


def verdict(record):
    return record["result"]["status"] if record["status"] == "DONE" else record["status"]


def host(record):
    """The container a job ran in: the worker is named caravan-worker@PID@HOSTNAME, the hostname the container's."""
    return (record.get("worker") or "?").rsplit("@", 1)[-1]


def interval(record):
    """When the job ran, or None where its record does not say."""
    if not (record.get("started_at") and record.get("finished_at")):
        return None
    return tuple(datetime.fromisoformat(record[key].replace("Z", "+00:00")) for key in ("started_at", "finished_at"))


def overlap(first, second):
    a, b = interval(first), interval(second)
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def fail(reason):
    print(f"container-smoke: FAILED: {reason}", file=sys.stderr)
    sys.exit(1)


def languages(port):
    records = run(port, [a_plus_b(language) for language in A_PLUS_B])
    for language, record in zip(A_PLUS_B, records):
        print(f"  {language}: {verdict(record)}")
    if any(verdict(record) != "ACCEPTED" for record in records):
        fail("A+B was not ACCEPTED in every language")


def fork_bombs(port):
    bomb = {"language": "python", "code": (HOSTILE / "fork_bomb.py").read_text(), "limits": {"wall_time_ms": 3000}}
    # No cgroup shares the CPU out in a container: a bomb's processes and a neighbour's A+B compete for it as equals,
    # so the A+B jobs get the longest wall time there is. What is checked is that they can start and run at all.
    neighbour = dict(a_plus_b("python"), limits={"wall_time_ms": 10000})
    jobs = [bomb if i % 5 == 0 else neighbour for i in range(30)]
    records = run(port, jobs)
    bombs = [r for job, r in zip(jobs, records) if job is bomb]
    sums = [r for job, r in zip(jobs, records) if job is neighbour]
    for name in sorted({host(r) for r in records}):
        print(f"  worker {name}: {sum(host(r) == name for r in sums)} A+B jobs, {sum(host(r) == name for r in bombs)} fork bombs")
    print(f"  verdicts: fork bombs {sorted(verdict(r) for r in bombs)}")
    wrong = [verdict(r) for r in sums if verdict(r) != "ACCEPTED"]
    if wrong:
        fail(f"{len(wrong)} of {len(sums)} A+B jobs beside the fork bombs were not ACCEPTED: {wrong}")
    if any(verdict(r) != "TIME_LIMIT_EXCEEDED" for r in bombs):
        fail("a fork bomb was not TIME_LIMIT_EXCEEDED")
    beside = sum(1 for s in sums if any(host(s) != host(b) and overlap(s, b) for b in bombs))
    print(f"  A+B jobs that ran while the other worker ran a fork bomb: {beside}")
    if beside == 0:
        fail("no A+B job ran on one worker while the other ran a fork bomb: nothing was proven")


def memory(port):
    jobs = [{"language": language, "code": (HOSTILE / MEMORY_BOMB[language]).read_text(), "limits": {"memory_mb": 64}}
            for language in MEMORY_BOMB]
    for language, record in zip(MEMORY_BOMB, run(port, jobs)):
        answer = verdict(record)
        print(f"  {language}: {answer}")
        # Without a writable cgroup C and C++ are held by RLIMIT_AS: malloc fails and the program ends in its own error.
        if answer != "MEMORY_LIMIT_EXCEEDED" and not (language in ("c", "cpp") and answer == "RUNTIME_ERROR"):
            fail(f"the memory bomb in {language} answered {answer}")


def a_plus_b_jobs(port, count):
    records = run(port, [a_plus_b("python") for _ in range(count)])
    if any(verdict(r) != "ACCEPTED" for r in records):
        fail(f"A+B answered {[verdict(r) for r in records]}")
    print(" ".join(sorted({host(r) for r in records})))


if __name__ == "__main__":
    port, check = sys.argv[1], sys.argv[2]
    {"languages": languages, "fork-bombs": fork_bombs, "memory": memory}.get(check, lambda p: a_plus_b_jobs(p, int(sys.argv[3])))(port)
