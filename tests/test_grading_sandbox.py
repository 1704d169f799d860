"""Issue 13 §1: each property of the grading sandbox, checked from inside a sandbox.

Skipped where bubblewrap cannot start, unless ``REQUIRE_SANDBOX=1`` (CI) — then it fails.
"""

from __future__ import annotations

import os
import sys

import pytest

from course.instructor import sandbox


def _need_sandbox() -> None:
    reason = sandbox.probe()
    if reason:
        if os.environ.get("REQUIRE_SANDBOX") == "1":
            pytest.fail(f"REQUIRE_SANDBOX=1 but {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def inside():
    """What a sandboxed process sees and can do (one sandbox for all the checks)."""
    _need_sandbox()
    r = sandbox.run_untrusted(r'''
import ctypes, os, socket, sys
out = {"uid": os.getuid(), "euid": os.geteuid(), "pid": os.getpid(), "env": dict(os.environ),
       "root": sorted(os.listdir("/")), "safe_path": sys.flags.safe_path, "cwd": os.getcwd(),
       "sys_path": sys.path, "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit())}
def can_write(path):
    try:
        with open(path, "w") as fh:
            fh.write("x")
        return True
    except OSError:
        return False
out["writable"] = {p: can_write(p) for p in ["/x", "/tmp/x", "/usr/x", os.environ["TMPDIR"] + "/x", payload["prefix"] + "/x"]}
out["exists"] = {p: os.path.exists(p) for p in payload["hidden"]}
out["skeleton"] = {d: sorted(os.listdir(d)) for d in payload["skeleton"] if os.path.isdir(d)}
libc = ctypes.CDLL(None, use_errno=True)
out["unshare_user"] = libc.unshare(0x10000000)            # CLONE_NEWUSER
try:
    socket.create_connection(("127.0.0.1", 22), timeout=1)
    out["net"] = "connected"
except OSError as err:
    out["net"] = type(err).__name__
import resource
out["limits"] = {n: resource.getrlimit(getattr(resource, n))[1] for n in ("RLIMIT_AS", "RLIMIT_NPROC", "RLIMIT_FSIZE", "RLIMIT_CPU", "RLIMIT_CORE")}
try:
    open(os.environ["TMPDIR"] + "/big", "wb").write(b"x" * (40 * 1024 * 1024))
    out["tmpfs_full"] = False
except OSError:
    out["tmpfs_full"] = True
emit(out)
''', {"prefix": sys.prefix, "hidden": _hidden_paths(), "skeleton": _skeleton()}, timeout=30,
        config=sandbox.SandboxConfig(memory_mb=1024, tmpfs_mb=32, file_mb=64, processes=32))
    assert r.ok, (r.error, r.stderr)
    return r.value


def _hidden_paths() -> list[str]:
    from grading_support import GRADING, ROOT

    paths = [str(ROOT / "grading"), str(GRADING / "nbgrader_config.py"), str(ROOT / "README.md"),
             str(ROOT / "tests"), os.path.expanduser("~/.config"), "/root/.bashrc", "/etc/passwd", "/home",
             "/work/shared"]
    return [p for p in paths if os.path.exists(p) and not p.startswith(os.path.realpath(sys.prefix))]


def _skeleton() -> dict:
    """Folders above the Python environment: inside, each may show only the next path part."""
    out: dict[str, set] = {}
    for root in sandbox._python_roots():
        parts = root.split("/")[1:]
        for i in range(1, len(parts)):
            out.setdefault("/" + "/".join(parts[:i]), set()).add(parts[i])
    return {k: sorted(v) for k, v in out.items()}


def test_environment_is_an_allow_list(inside):
    env = inside["env"]
    assert "JPY_PARENT_PID" not in env
    assert not [k for k in env if "SECRET" in k or "TOKEN" in k or k.startswith("COURSE_GRADING")]
    assert env["HOME"].startswith(sandbox.WORK)


def test_sees_only_usr_python_and_course(inside):
    assert not any(inside["exists"].values()), inside["exists"]
    assert inside["skeleton"] == _skeleton()       # e.g. the repository shows only course/ and .venv/
    assert set(inside["root"]) <= {"usr", "bin", "lib", "lib64", "lib32", "libx32", "sbin", "dev", "proc", "tmp",
                                   "sandbox", *[p.split("/")[1] for p in sandbox._python_roots()]}


def test_only_the_tmpfs_is_writable_and_it_is_small(inside):
    w = inside["writable"]
    assert w == {"/x": False, "/tmp/x": False, "/usr/x": False, inside["env"]["TMPDIR"] + "/x": True,
                 sys.prefix + "/x": False}
    assert inside["tmpfs_full"]


def test_no_network_own_pid_namespace_no_user_namespaces(inside):
    assert inside["net"] in {"OSError", "ConnectionRefusedError"} or "Error" in inside["net"]
    assert inside["pid"] <= 3 and max(inside["pids"]) < 10
    assert inside["unshare_user"] == -1


def test_python_runs_with_safe_path(inside):
    assert inside["safe_path"] is True
    assert "" not in inside["sys_path"] and inside["cwd"] not in inside["sys_path"]


def test_unprivileged_uid_and_limits(inside):
    if os.geteuid() == 0:
        assert inside["uid"] != 0 and inside["euid"] != 0
    lim = inside["limits"]
    assert lim["RLIMIT_AS"] == 1024 * 1024 * 1024 and lim["RLIMIT_NPROC"] == 32
    assert lim["RLIMIT_FSIZE"] == 64 * 1024 * 1024 and lim["RLIMIT_CORE"] == 0 and lim["RLIMIT_CPU"] > 0


def test_call_function_returns_values_or_exception_names():
    _need_sandbox()
    r = sandbox.call_function("import numpy as np\ndef f(x):\n    return {'s': {x, 1}, 'v': np.float64(x) / 2}",
                              "f", [{"args": [3]}, {"args": ["a"]}], timeout=20)
    assert r.ok, (r.error, r.stderr)
    assert r.value == [{"value": {"s": {"__set__": [1, 3]}, "v": 1.5}}, {"error": "ValueError"}]


@pytest.mark.parametrize("source, words", [("import os\nos._exit(3)", "exit 3"),
                                           ("while True:\n    pass", "timeout"),
                                           ("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)", "signal 9")])
def test_untrusted_call_failures_have_a_reason(source, words):
    _need_sandbox()
    r = sandbox.run_untrusted(source, timeout=3)
    assert not r.ok and words in r.error


def test_refuses_without_a_sandbox_unless_the_unsafe_option(monkeypatch):
    monkeypatch.setattr(sandbox, "BWRAP", "/nonexistent/bwrap")
    sandbox.probe.cache_clear()
    try:
        monkeypatch.delenv(sandbox.UNSAFE_ENV, raising=False)
        with pytest.raises(sandbox.SandboxUnavailable, match="bubblewrap"):
            sandbox.require_sandbox()
        monkeypatch.setenv(sandbox.UNSAFE_ENV, "1")            # not the loud value: still refused
        with pytest.raises(sandbox.SandboxUnavailable):
            sandbox.require_sandbox()
        monkeypatch.setenv(sandbox.UNSAFE_ENV, sandbox.UNSAFE_VALUE)
        assert sandbox.require_sandbox() is False
    finally:
        sandbox.probe.cache_clear()


def test_nbgrader_config_uses_the_sandbox_kernel_manager():
    from grading_support import GRADING

    text = (GRADING / "nbgrader_config.py").read_text()
    assert 'c.Execute.kernel_manager_class = "course.instructor.sandbox.SandboxKernelManager"' in text
    assert "kernel_guard" not in text


def test_sanitiser_makes_student_html_inert_and_caps_outputs():
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

    from course.instructor.sanitize import SanitizeNotebook

    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    code = new_code_cell("x", outputs=[
        new_output("display_data", data={"text/html": "<script>alert(1)</script>",
                                         "application/javascript": "alert(1)"}),
        new_output("display_data", data={"image/svg+xml": "<svg onload='alert(1)'/>", "text/plain": "fig"}),
        new_output("display_data", data={"image/png": png}, metadata={"image/png": {"width": '1" onerror="x'}}),
        new_output("display_data", data={"image/png": 'AAAA" onerror="alert(1)'}),
        new_output("stream", name="stdout", text="y" * 3_000_000),
    ])
    md = new_markdown_cell('<img src=x onerror=alert(1)> [a](javascript:alert(1)) <script>x</script>')
    md.attachments = {"a.svg": {"image/svg+xml": "<svg onload='x'/>"}}
    locked = new_markdown_cell("<b>instructor</b>", metadata={"nbgrader": {"locked": True, "solution": False,
                                                                             "grade_id": "p", "grade": False}})
    raw = new_raw_cell("<script>alert(1)</script>", metadata={"raw_mimetype": "text/html"})
    nb = new_notebook(cells=[code, md, locked, raw])
    nb, _ = SanitizeNotebook().preprocess(nb, {})
    text = nbformat.writes(nb)
    for bad in ("<script", "<img", "<svg", 'onerror=\\"', "javascript:"):
        assert bad not in text, bad
    assert {m for o in nb.cells[0].outputs for m in o.get("data", {})} <= {"text/plain", "image/png"}
    assert nb.cells[2].source == "<b>instructor</b>"           # the instructor's own cell is kept
    outs = nb.cells[0].outputs
    assert outs[2].data["image/png"] == png and outs[2].metadata == {}
    assert "removed by the course autograder" in outs[0].data["text/plain"]
    assert len(text) < 2_500_000 and "truncated" in outs[-1].text


def test_instructor_package_has_no_import_cycles():
    """Every module of course/instructor imports its siblings without cycles (each file one job)."""
    import ast
    from pathlib import Path

    import course.instructor as pkg

    folder = Path(pkg.__file__).parent
    graph: dict[str, set[str]] = {}
    for path in folder.glob("*.py"):
        deps = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "course.instructor":
                    deps |= {a.name for a in node.names}
                elif node.module.startswith("course.instructor."):
                    deps.add(node.module.split(".")[2])
        graph[path.stem] = {d for d in deps if (folder / f"{d}.py").exists() and d != path.stem}

    def visit(node, stack):
        for dep in graph.get(node, ()):
            assert dep not in stack, f"import cycle: {' -> '.join(stack + [dep])}"
            visit(dep, stack + [dep])
    for module in graph:
        visit(module, [module])


def test_feedback_redaction_hides_the_hidden_part_of_test_cells():
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from course.instructor.markers import HIDDEN_BEGIN, HIDDEN_END
    from course.instructor.sanitize import RedactFeedback

    meta = {"nbgrader": {"grade": True, "solution": False, "locked": True, "grade_id": "q1_test", "points": 1}}
    cell = new_code_cell(f"assert isinstance(x, int)\n### {HIDDEN_BEGIN}\nassert x == 42\n### {HIDDEN_END}",
                         metadata=meta, outputs=[new_output("error", ename="AssertionError", evalue="",
                                                            traceback=["----> 3 assert x == 42"])])
    nb, _ = RedactFeedback().preprocess(new_notebook(cells=[cell]), {})
    assert "42" not in nb.cells[0].source and "42" not in "".join(nb.cells[0].outputs[0].traceback)
    assert nb.cells[0].source.startswith("assert isinstance(x, int)")
