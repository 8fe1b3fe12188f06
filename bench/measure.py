"""Run one command and report its wall time and its own peak RSS.

    python -I -S bench/measure.py RESULT STDOUT STDERR COMMAND [ARG...]

Writes ``exit_code seconds max_rss_kib cpu_seconds`` to RESULT. Why a separate small process: Linux counts
in a child's ``ru_maxrss`` the resident size of the process that spawned it (the memory it had
at ``exec``), so measuring from the benchmark runner itself would add the runner's own memory to
every command. This wrapper imports nothing but ``os`` and ``time`` (about 8 MB resident), far
below any command measured, so the peak it reports is the command's own.
"""

import os
import sys
import time


def main() -> None:
    result, stdout, stderr, *argv = sys.argv[1:]
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, stdout, flags, 0o644),
        (os.POSIX_SPAWN_OPEN, 2, stderr, flags, 0o644),
    ]
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    with open(result, "w") as fh:
        code = os.waitstatus_to_exitcode(status)
        cpu = usage.ru_utime + usage.ru_stime
        fh.write(f"{code} {seconds:.6f} {usage.ru_maxrss} {cpu:.6f}\n")


if __name__ == "__main__":
    main()
