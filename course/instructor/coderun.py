"""Call a student's function in a fresh sandbox and get back only plain data.

The grader (:mod:`course.instructor.trusted`) never imports or runs student code in its own
process. For a code item it starts :func:`main` in a *fresh* untrusted process (one per item),
sends it the student's code cells, then asks for calls one at a time; each reply is the return
value as plain data (:mod:`course.instructor.plaindata`) or the name of the exception raised. The
hidden checks then run in the grader on those values.

The untrusted process is started by a *launcher*: ``launch(argv, workdir) -> subprocess.Popen``
with ``stdin``/``stdout`` pipes. The sandbox (``course.instructor.sandbox``, issue 13) provides
``popen_untrusted``; :func:`get_launcher` uses it when it is there. :func:`plain_launcher` — a
plain subprocess with a cleared environment and resource limits, *no isolation* — is the stand-in
for tests and for machines where the instructor explicitly accepts grading without a sandbox.

Protocol (one JSON object per line): grader → ``{"cells": [source, …]}``, then
``{"call": name, "args": [...], "kwargs": {...}}`` (plain data) …; runner → ``{"ready": true,
"failed": [cell numbers that raised]}``, then ``{"value": data}`` or ``{"error": "ValueError"}``.
"""

from __future__ import annotations

import builtins
import importlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from course.instructor import plaindata

LAUNCHER_ENV = "COURSE_UNTRUSTED_LAUNCHER"
CALL_TIMEOUT = 10.0
START_TIMEOUT = 60.0
_ALLOWED_ENV = ("PATH", "LANG", "LC_ALL", "PYTHONHASHSEED", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                "MKL_NUM_THREADS")


class StudentCodeError(Exception):
    """The student's function raised an exception that is not a built-in one (its name is kept)."""


class SandboxFailure(Exception):
    """The untrusted process died, timed out or broke the protocol."""


# ------------------------------------------------------------------------------ launchers (grader)
def plain_launcher(argv: list[str], workdir: Path) -> subprocess.Popen:
    """NOT a sandbox: a subprocess with a cleared environment and rlimits (tests, explicit opt-in)."""
    env = {k: os.environ[k] for k in _ALLOWED_ENV if k in os.environ}
    env.update(HOME=str(workdir), MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")
    cmd = [sys.executable, "-m", "course.instructor._limits", "2048", "64", "--", *argv]
    return subprocess.Popen(cmd, cwd=workdir, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def get_launcher(spec: str | None = None) -> Callable[[list[str], Path], subprocess.Popen]:
    """The launcher named by ``spec`` (``"module:function"``, or ``$COURSE_UNTRUSTED_LAUNCHER``),
    else the sandbox's ``popen_untrusted`` when installed, else :func:`plain_launcher`."""
    spec = spec or os.environ.get(LAUNCHER_ENV, "")
    if spec:
        module, _, name = spec.partition(":")
        return getattr(importlib.import_module(module), name)
    try:
        from course.instructor import sandbox  # issue 13
    except ImportError:
        return plain_launcher
    return getattr(sandbox, "popen_untrusted", plain_launcher)


# ------------------------------------------------------------------------------ client (grader)
class Runner:
    """One fresh untrusted process holding one student's code; call its functions with plain data."""

    def __init__(self, cells: list[str], launcher: Callable | None = None, *,
                 call_timeout: float = CALL_TIMEOUT, cell_timeout: float = CALL_TIMEOUT) -> None:
        self.call_timeout = call_timeout
        self._dir = tempfile.TemporaryDirectory(prefix="coderun-")
        self.proc = (launcher or get_launcher())([sys.executable, "-P", "-m", "course.instructor.coderun"],
                                                 Path(self._dir.name))
        self._buf = b""
        self.failed_cells: list[int] = []
        self._send({"cells": cells, "cell_timeout": cell_timeout})
        reply = self._reply(START_TIMEOUT + cell_timeout * len(cells))
        if not reply.get("ready"):
            raise SandboxFailure("the sandbox did not start")
        self.failed_cells = [int(i) for i in reply.get("failed", []) if isinstance(i, int)]

    def _send(self, obj: dict) -> None:
        try:
            self.proc.stdin.write((json.dumps(obj) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            raise SandboxFailure("the student's code stopped the sandbox") from None

    def _reply(self, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                self.close()
                raise SandboxFailure(f"no reply within {timeout:g} s (endless loop?)")
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    self.close()
                    raise SandboxFailure("the sandbox exited (os._exit, a crash or a limit)")
                self._buf += chunk
                if len(self._buf) > plaindata.MAX_BYTES * 2:
                    self.close()
                    raise SandboxFailure("reply too large")
        line, self._buf = self._buf.split(b"\n", 1)
        try:
            reply = json.loads(line)
        except ValueError:
            raise SandboxFailure("malformed reply from the sandbox") from None
        if type(reply) is not dict:
            raise SandboxFailure("malformed reply from the sandbox")
        return reply

    def call(self, name: str, args: tuple, kwargs: dict) -> Any:
        if self.proc.poll() is not None:
            raise SandboxFailure("the sandbox is gone")
        self._send({"call": name, "args": plaindata.encode(list(args)), "kwargs": plaindata.encode(kwargs)})
        reply = self._reply(self.call_timeout)
        if "error" in reply:
            ename = str(reply["error"])[:80]
            exc = getattr(builtins, ename, None)
            if isinstance(exc, type) and issubclass(exc, Exception) and exc.__module__ == "builtins":
                raise exc(f"raised by the student's {name}()")
            raise StudentCodeError(ename)
        try:
            return plaindata.decode(reply.get("value"))
        except ValueError:
            return plaindata.Opaque("unreadable value")

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, 9)
            except OSError:
                self.proc.kill()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except Exception:  # noqa: BLE001
                pass
        self._dir.cleanup()

    def __enter__(self) -> "Runner":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Proxy:
    """Stands for a student's function inside the trusted checks: each call goes to the sandbox."""

    def __init__(self, runner_factory: Callable[[], Runner], name: str) -> None:
        self._factory, self._name = runner_factory, name

    def __call__(self, *args, **kwargs):
        return self._factory().call(self._name, args, kwargs)

    def __repr__(self) -> str:
        return f"<student function {self._name}>"


# ------------------------------------------------------------------------------ runner (sandbox)
def _compile(source: str, number: int):
    try:
        return compile(source, f"<cell {number}>", "exec")
    except SyntaxError:
        from IPython.core.inputtransformer2 import TransformerManager  # magics, shell escapes

        return compile(TransformerManager().transform_cell(source), f"<cell {number}>", "exec")


def main() -> None:
    proto = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.stdout = sys.stderr = open(os.devnull, "w")
    requests = sys.stdin
    job = json.loads(requests.readline())
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
    failed = []
    limit = float(job.get("cell_timeout") or CALL_TIMEOUT)

    def _timeout(signum, frame):
        raise TimeoutError("cell timed out")

    signal.signal(signal.SIGALRM, _timeout)
    for i, source in enumerate(job.get("cells", [])):
        try:
            signal.setitimer(signal.ITIMER_REAL, limit)
            exec(_compile(source, i), namespace)
        except BaseException:  # noqa: BLE001 - a failing cell is the student's; carry on like nbgrader
            failed.append(i)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    proto.write(json.dumps({"ready": True, "failed": failed}) + "\n")
    for line in requests:
        request = json.loads(line)
        try:
            func = namespace[request["call"]]
            args = plaindata.decode(request.get("args", []))
            kwargs = plaindata.decode(request.get("kwargs", {}))
            value = func(*args, **{str(k): v for k, v in kwargs.items()})
            reply = {"value": plaindata.encode(value)}
            text = json.dumps(reply, allow_nan=False)
        except BaseException as err:  # noqa: BLE001
            text = json.dumps({"error": type(err).__name__})
        proto.write(text + "\n")


if __name__ == "__main__":
    main()
