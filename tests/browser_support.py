"""A JupyterLab server set up like ``python3 dev.py course`` and helpers to drive it with Playwright.

Used by tests/test_browser_course.py (first screen, keyboard, accessibility, offline) and by
tools/screenshots.py. Debian's Chromium, never ``playwright install``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
AXE = ("axe-core", "4")
#: JupyterLab settings the audits add to the course's own: no notebook windowing, so every cell is
#: in the page (axe audits what is in the DOM).
AUDIT_SETTINGS = {"@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"}}


def dev_module() -> Any:
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("dev_script", module)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_settings(state: Path, extra: dict[str, dict[str, Any]] | None = None, instructor: bool = False) -> None:
    """The course's settings (dev.py's overrides and page config) as this server's user settings."""
    dev = dev_module()
    prefix = state / "prefix"
    files = dev.write_lab_settings(prefix, instructor)
    overrides = json.loads(files["overrides"].read_text(encoding="utf-8"))
    for plugin, values in {**overrides, **(extra or {})}.items():
        package, _, name = plugin.partition(":")
        path = state / "settings" / package / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    labconfig = state / "config" / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    shutil.copy(files["page_config"], labconfig / "page_config.json")


@contextlib.contextmanager
def course_server(tmp: Path, extra_settings: dict[str, dict[str, Any]] | None = None,
                  progress_file: Path | None = None, notebooks: Path | None = None) -> Iterator[tuple[str, str, Path]]:
    """JupyterLab over a copy of ``notebooks`` (default: the course's notebooks/), rooted there, with
    the course's settings and page config and opening module 00 (as ``dev.py course`` does).

    The one place the tests, tools/screenshots.py and benchmarks/browser_latency.py start JupyterLab.
    Yields (base URL, token, log path).
    """
    dev = dev_module()
    work = tmp / "notebooks"
    shutil.copytree(notebooks or ROOT / "notebooks", work, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    state = tmp / "state"
    write_settings(state, extra_settings)
    env = {**os.environ,
           "JUPYTERLAB_SETTINGS_DIR": str(state / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces"),
           "JUPYTER_CONFIG_DIR": str(state / "config"),
           "JUPYTER_RUNTIME_DIR": str(state / "runtime"),
           "IPYTHONDIR": str(state / "ipython"),
           "MPLBACKEND": "Agg",
           "SPINE_COURSE_PROGRESS": str(progress_file or tmp / "progress.json")}
    port, token = free_port(), secrets.token_hex(16)
    args, _url = dev.lab_command(port, token)
    args = [sys.executable, "-m", "jupyterlab", *[a for a in args[2:] if not a.startswith("--ServerApp.root_dir")
                                                  and not a.startswith("--ServerApp.open_browser")],
            f"--ServerApp.root_dir={work}", "--no-browser", "--allow-root"]
    log_path = tmp / "jupyterlab.log"
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=work)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"JupyterLab did not answer in 90 s:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.3)
        yield base, token, log_path
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """A folder (the built course site) over HTTP on localhost, quietly; yields its base URL."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # no access log in the output
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class OutsideRequests:
    """Aborts and records every request that would leave the machine (any host but localhost)."""

    LOCAL = {"127.0.0.1", "localhost", "::1", "[::1]"}

    def __init__(self) -> None:
        self.blocked: list[str] = []

    def install(self, context: Any) -> "OutsideRequests":
        context.route("**/*", self._handle)
        return self

    def _handle(self, route: Any) -> None:
        url = route.request.url
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme in {"data", "blob", "about"} or (parsed.hostname or "") in self.LOCAL \
                or parsed.scheme == "file":
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


def wait_kernel_idle(page: Any, timeout: float = 120.0) -> None:
    """Accept any dialog, then wait until the kernel has reported idle for about half a second."""
    idle = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator[data-status="idle"]')
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    deadline, calm = time.monotonic() + timeout, 0
    while time.monotonic() < deadline:
        if accept.count() and accept.first.is_visible():
            accept.first.click()
            calm = 0
        elif idle.count():
            calm += 1
            if calm >= 3:
                return
        else:
            calm = 0
        page.wait_for_timeout(200)
    raise AssertionError(f"the kernel did not become idle within {timeout:.0f} s")


def run_all(page: Any) -> None:
    """Run → Run All Cells, then wait until the kernel is idle again."""
    wait_kernel_idle(page)
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_timeout(1500)
    wait_kernel_idle(page, timeout=240)


def open_notebook(page: Any, base: str, token: str, name: str, workspace: str | None = None) -> None:
    """Open one notebook; with ``workspace``, in a new, reset JupyterLab workspace holding only it."""
    where = f"lab/workspaces/{workspace}/tree/{name}?reset&token={token}" if workspace else f"lab/tree/{name}?token={token}"
    page.goto(f"{base}/{where}")
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first.wait_for(timeout=90_000)


def shut_down_sessions(context: Any, base: str, token: str) -> int:
    """Shut every kernel session of the server down through its REST API (the page already left)."""
    headers = {"Authorization": f"token {token}"}
    sessions = context.request.get(f"{base}/api/sessions", headers=headers).json()
    for session in sessions:
        context.request.delete(f"{base}/api/sessions/{session['id']}", headers=headers)
    return len(sessions)


def axe_source() -> tuple[str | None, str]:
    """axe-core's browser script from its npm package (installed into the npm cache on first use)."""
    sys.path.insert(0, str(ROOT))
    from course.site import npm_package

    folder, reason = npm_package(*AXE)
    if folder is None:
        return None, reason
    return (folder / "axe.min.js").read_text(encoding="utf-8"), ""


#: Where a node counts as course content: cell outputs and rendered Markdown.
COURSE_SELECTOR = ".jp-OutputArea-output, .jp-RenderedMarkdown, .jp-RenderedHTMLCommon"
#: Inside course content, the internals of an ipywidgets control (the slider's noUiSlider handle,
#: whose accessible name ipywidgets does not set) belong to the widget library, counted apart.
LIBRARY_SELECTOR = ".noUi-target"

_AXE_RUN = """async (args) => {
  const [contextSel, courseSel, librarySel] = args;
  const ctx = contextSel ? document.querySelector(contextSel) : document;
  const res = await axe.run(ctx, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                                  resultTypes: ['violations', 'incomplete'], elementRef: true});
  const pack = (items) => items.map(v => ({id: v.id, impact: v.impact, help: v.help,
     nodes: v.nodes.map(n => {
        const el = n.element;
        const inCourse = !!(el && el.closest && el.closest(courseSel));
        return {target: n.target.join(' '), html: n.html.slice(0, 200), impact: n.impact,
                course: inCourse && !el.closest(librarySel), library: inCourse && !!el.closest(librarySel)};
     })}));
  return {violations: pack(res.violations), incomplete: pack(res.incomplete)};
}"""


def axe_audit(page: Any, source: str, context: str | None = None) -> dict[str, Any]:
    """Run axe-core (WCAG 2.1 A/AA rules) in the page; split nodes into course content and the rest."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)
    return page.evaluate(_AXE_RUN, [context, COURSE_SELECTOR, LIBRARY_SELECTOR])


def tally(result: dict[str, Any]) -> dict[str, Any]:
    """Counts of an audit: serious/critical violations caused by course content, JupyterLab's own, incomplete."""
    out = {"course_serious": [], "course_other": [], "library": [], "host": [], "incomplete": []}
    for v in result["violations"]:
        for n in v["nodes"]:
            impact = n.get("impact") or v.get("impact")
            entry = f"{v['id']} ({impact}): {n['target']}"
            if n.get("library"):
                out["library"].append(entry)
            elif n["course"]:
                (out["course_serious"] if impact in {"serious", "critical"} else out["course_other"]).append(entry)
            else:
                out["host"].append(entry)
    for v in result["incomplete"]:
        out["incomplete"].append(f"{v['id']}: {len(v['nodes'])} node(s)")
    return out
