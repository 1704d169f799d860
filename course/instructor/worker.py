"""Autograding workers: ``python -m course.instructor.worker COURSE_DIR [CELL_TIMEOUT] [--zygote SOCKET]``.

Importing nbgrader costs about 2.6 s of CPU, more than grading a short notebook, so the workers of
a batch share one import. The **zygote** (``--zygote SOCKET``) imports nbgrader, reads
``nbgrader_config.py`` once, applies the speed-ups, and then forks one worker per request; each
worker connects back to the grader's Unix socket SOCKET and grades one student per request with
nbgrader's own API (``NbGraderAPI.autograde``, the call the formgrader uses: the same
``Autograde`` converter and the same config as ``nbgrader autograde``). Nothing has started when
it forks (no thread, no event loop, no database connection, no ZeroMQ context), so each worker
starts clean. Without ``--zygote`` the process is one worker speaking on its stdin/stdout.

Protocol: one JSON object per line. The zygote reads ``{"spawn": N, "stderr": PATH}`` on stdin
and replies ``{"ready": true}`` once at start. A worker first sends ``{"worker": N, "pid": PID}``
(zygote mode) or ``{"ready": true}``, then reads ``{"assignment": …, "student": …}`` and answers
``{"student", "success", "log", "error"}``. Everything else nbgrader prints goes to stderr.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
from typing import IO, Any


def _load(timeout: int | None) -> Any:
    """nbgrader's API class and the course config (imported once, before any fork)."""
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.apps.nbgraderapp import NbGraderApp

    from course.instructor import speedups

    speedups.concurrent_sqlite()        # workers share the gradebook: no "database is locked"
    app = NbGraderApp()
    app.initialize([])                  # loads nbgrader_config.py from the course directory
    config = app.config
    if timeout:
        config.Execute.timeout = timeout
    if os.environ.get("COURSE_AUTOGRADE_SPEEDUPS", "1") != "0":
        speedups.apply(config)          # nbgrader's own overhead per submission, cut (same scores)
    return NbGraderAPI, config


def serve(api_class: Any, config: Any, requests: IO[str], reply: IO[str]) -> None:
    """Grade one student per request line until the requests end."""
    api = api_class(config=config)
    for line in requests:
        if not line.strip():
            continue
        request = json.loads(line)
        result = api.autograde(request["assignment"], request["student"], force=True, create=True)
        result["student"] = request["student"]
        reply.write(json.dumps(result) + "\n")
        reply.flush()


def _worker_child(api_class: Any, config: Any, address: str, number: int, stderr_path: str) -> None:
    """In the forked child: own session and stderr, connect back, grade until the grader hangs up."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)   # the zygote ignores it; kernels must be waitable
    os.setsid()                                     # its own process group, killed as one tree
    err = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(err, 2)
    os.close(err)
    sys.stdin.close()
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(address)
    stream = conn.makefile("rw", encoding="utf-8", newline="\n", buffering=1)
    stream.write(json.dumps({"worker": number, "pid": os.getpid()}) + "\n")
    stream.flush()
    serve(api_class, config, stream, stream)


def zygote(address: str, timeout: int | None) -> None:
    control = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    api_class, config = _load(timeout)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)   # forked workers are reaped by the kernel
    control.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                control.close()
                _worker_child(api_class, config, address, int(request["spawn"]), str(request["stderr"]))
            except BaseException:  # noqa: BLE001 - the grader sees the socket close and reports it
                import traceback

                traceback.print_exc()
                code = 1
            finally:
                sys.stderr.flush()
                os._exit(code)


def main() -> None:
    args = sys.argv[1:]
    address = None
    if "--zygote" in args:
        i = args.index("--zygote")
        address = args[i + 1]
        del args[i:i + 2]
    root = args[0]
    timeout = int(args[1]) if len(args) > 1 and args[1] != "-" else None
    os.chdir(root)
    if address:
        zygote(address, timeout)
        return
    reply = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)                       # stray prints must not corrupt the protocol
    sys.stdout = sys.stderr
    api_class, config = _load(timeout)
    reply.write(json.dumps({"ready": True}) + "\n")
    serve(api_class, config, sys.stdin, reply)


if __name__ == "__main__":
    main()
