"""Exec a command under resource limits: ``python -m course.instructor._limits AS_MB FSIZE_MB -- cmd …``.

Used by the parallel autograder instead of ``preexec_fn`` (which is unsafe with threads). The limits
are inherited by everything the command starts, including the notebook's kernel.
"""

import os
import resource
import sys


def main() -> None:
    as_mb, fsize_mb = int(sys.argv[1]), int(sys.argv[2])
    cmd = sys.argv[sys.argv.index("--") + 1:]
    if as_mb > 0:
        resource.setrlimit(resource.RLIMIT_AS, (as_mb * 1024 * 1024,) * 2)
    if fsize_mb > 0:
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize_mb * 1024 * 1024,) * 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    main()
