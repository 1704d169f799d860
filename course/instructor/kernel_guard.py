"""IPython extension that keeps an autograded notebook inside its submission directory.

``grading/nbgrader_config.py`` starts every autograding kernel with
``--IPKernelApp.extensions=['course.instructor.kernel_guard']``, so plain ``nbgrader autograde``
and ``course-instructor autograde`` behave the same. When loaded, the extension installs a
Python audit hook (which cannot be removed) that

* refuses to open a file for writing, create, delete, rename or change anything outside the
  kernel's working directory (the student's ``autograded/<student>/<assignment>/``) and a private
  temporary directory, raising :class:`SandboxViolation` (a ``PermissionError``);
* refuses to start programs (``subprocess``, ``os.system``, ``os.exec*``, ``os.spawn*``), which
  would run without the hook.

The violation appears as an error in the cell output, so the item fails and the instructor's
report names it. This is a tripwire for honest mistakes and casual attempts, not a security
boundary (``ctypes`` can get around any audit hook): run untrusted code in containers (e.g. the
course JupyterHub) as well.
"""

from __future__ import annotations

import os
import sys
import tempfile

MARKER = "SandboxViolation"

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_PATH_EVENTS = {
    # event: indices of the path arguments that are written
    "os.remove": (0,), "os.rmdir": (0,), "os.mkdir": (0,), "os.rename": (0, 1),
    "os.replace": (0, 1), "os.symlink": (1,), "os.link": (1,), "os.chmod": (0,), "os.chown": (0,),
    "os.truncate": (0,), "os.utime": (0,), "os.mkfifo": (0,), "os.mknod": (0,),
    "shutil.copyfile": (1,), "shutil.copytree": (1,), "shutil.rmtree": (0,), "shutil.move": (1,),
    "shutil.make_archive": (0,), "shutil.unpack_archive": (1,),
}
_PROCESS_EVENTS = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
                   "os.startfile", "pty.spawn"}


class SandboxViolation(PermissionError):
    """Raised when autograded code tries to leave its submission directory."""


class _Guard:
    def __init__(self, root: str, scratch: str) -> None:
        self.allowed = [os.path.realpath(root), os.path.realpath(scratch)]
        self.active = True

    def inside(self, path: object) -> bool:
        if isinstance(path, int):          # a file descriptor: already open
            return True
        try:
            p = os.fsdecode(os.fspath(path))  # type: ignore[arg-type]
        except TypeError:
            return True
        if p in ("/dev/null", "/dev/stdout", "/dev/stderr"):
            return True
        full = os.path.realpath(os.path.join(os.getcwd(), p))
        return any(full == a or full.startswith(a + os.sep) for a in self.allowed)

    def deny(self, what: str, path: object = None) -> None:
        where = f" {os.fsdecode(os.fspath(path))!r}" if path is not None and not isinstance(path, int) else ""
        raise SandboxViolation(
            f"{MARKER}: {what}{where} is not allowed while autograding — code may only write inside "
            "the submission directory."
        )

    def __call__(self, event: str, args: tuple) -> None:
        if not self.active:
            return
        if event == "open":
            path, mode, flags = (tuple(args) + (None, None, None))[:3]
            writing = False
            if isinstance(mode, str):
                writing = any(ch in mode for ch in "wax+")
            elif isinstance(flags, int):
                writing = bool(flags & _WRITE_FLAGS)
            if writing and path is not None and not self.inside(path):
                self.deny("writing to", path)
        elif event in _PATH_EVENTS:
            for i in _PATH_EVENTS[event]:
                if i < len(args) and args[i] is not None and not self.inside(args[i]):
                    self.deny(f"{event} on", args[i])
        elif event in _PROCESS_EVENTS:
            self.deny(f"starting a program ({event})")


_installed: _Guard | None = None


def install(root: str | None = None) -> _Guard:
    """Install the guard for ``root`` (default: the current directory). Idempotent."""
    global _installed
    if _installed is not None:
        return _installed
    root = root or os.getcwd()
    scratch = tempfile.mkdtemp(prefix="autograde-")
    os.environ["TMPDIR"] = scratch
    tempfile.tempdir = scratch
    sys.dont_write_bytecode = True
    guard = _Guard(root, scratch)
    sys.addaudithook(guard)
    _installed = guard
    return guard


def load_ipython_extension(ipython: object) -> None:  # pragma: no cover - exercised via nbgrader
    install()
