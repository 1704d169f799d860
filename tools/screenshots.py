#!/usr/bin/env python3
"""Screenshots of every module and the accessibility figures, from the real browser.

    .venv/bin/python tools/screenshots.py                 # docs/screenshots/*.png + docs/accessibility.md
    .venv/bin/python tools/screenshots.py --site _site    # also audit the built course site's pages
    .venv/bin/python tools/screenshots.py --only 00 05    # some modules (the report then lists only those)

JupyterLab is started as ``python3 dev.py course`` starts it (tests/browser_support.py), with notebook
windowing off. For each module: a screenshot of its first screen, Run All, an axe-core audit (WCAG 2.1
A/AA; npm package, cached), and a screenshot of its main interactive (the first figure with controls).
Every request that would leave the machine is aborted and reported. Needs /usr/bin/chromium, the
``playwright`` package and npm.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import browser_support as B  # noqa: E402

SHOTS = ROOT / "docs" / "screenshots"
REPORT = ROOT / "docs" / "accessibility.md"

#: The main interactive: the widget box of a figure app (an image next to controls).
INTERACTIVE = (".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output .widget-vbox:has(> .widget-html img):has(.widget-slider, .widget-dropdown, "
               ".widget-toggle-buttons, .widget-checkbox, .widget-radio-box)")


def _shot_module(page, base: str, token: str, name: str, source: str) -> dict:
    stem = name.split("_", 1)[0]
    B.open_notebook(page, base, token, name)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(SHOTS / f"{stem}_first_screen.png"))
    B.run_all(page)
    page.wait_for_timeout(1000)
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output .jupyter-widgets").first.wait_for(timeout=90_000)
    page.wait_for_timeout(1500)
    audit = B.tally(B.axe_audit(page, source))
    audit["widgets"] = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output .jupyter-widgets").count()
    app = page.locator(INTERACTIVE).first
    if app.count():
        app.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        app.screenshot(path=str(SHOTS / f"{stem}_interactive.png"))
        audit["interactive"] = f"{stem}_interactive.png"
    else:
        quiz = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .spine-quiz").first
        if quiz.count():
            quiz.scroll_into_view_if_needed()
            quiz.screenshot(path=str(SHOTS / f"{stem}_interactive.png"))
            audit["interactive"] = f"{stem}_interactive.png"
    page.evaluate("""async () => { const r = await fetch('/api/kernels' + location.search);
        for (const k of await r.json()) await fetch('/api/kernels/' + k.id + location.search,
        {method: 'DELETE', headers: {'X-XSRFToken': (document.cookie.match(/_xsrf=([^;]+)/)||[])[1]||''}}); }""")
    return audit


def _audit_site(browser, site: Path, source: str) -> dict[str, dict]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out: dict[str, dict] = {}
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    outside = B.OutsideRequests().install(context)
    page = context.new_page()
    try:
        for html_file in sorted(site.glob("*.html")):
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{html_file.name}")
            page.wait_for_timeout(1500)
            result = page.evaluate("() => true") and B.axe_audit(page, source)
            for v in result["violations"]:  # on the site every node is course content
                for n in v["nodes"]:
                    n["course"] = True
            out[html_file.name] = B.tally(result)
        out["_outside_requests"] = {"blocked": outside.blocked}
    finally:
        context.close()
        server.shutdown()
    return out


def _table(rows: dict[str, dict], label: str) -> list[str]:
    lines = [f"| {label} | Serious/critical (course) | Minor/moderate (course) | ipywidgets' controls | "
             "JupyterLab's own | Incomplete (to check by hand) |", "|---|---|---|---|---|---|"]
    for name, r in rows.items():
        if name.startswith("_"):
            continue
        if "_error" in r:
            lines.append(f"| {name} | not audited ({r['_error']}) | | | | |")
            continue
        lines.append(f"| {name} | {len(r['course_serious'])} | {len(r['course_other'])} | "
                     f"{len(r.get('library', []))} | {len(r['host'])} | "
                     f"{len(r['incomplete'])} |")
    return lines


def write_report(modules: dict[str, dict], site: dict[str, dict] | None, seconds: float) -> str:
    lines = ["# Accessibility, measured", "",
             f"Generated by `tools/screenshots.py` on {time.strftime('%Y-%m-%d')} ({seconds:.0f} s): axe-core "
             f"{B.AXE[1]}.x (npm) with the WCAG 2.1 A and AA rules, in Chromium, JupyterLab set up as "
             "`python3 dev.py course` sets it up, notebook windowing off (every cell in the page), after Run All.",
             "A node counts as **course content** when it is inside a cell output or rendered Markdown; the rest "
             "is JupyterLab's own interface; the internals of ipywidgets' controls (the slider handle, which "
             "ipywidgets leaves without an accessible name although its label is shown beside it) are counted apart. *Incomplete* results are what axe could not decide (usually colour "
             "contrast over images or gradients): they need a human look.", "",
             "## Modules in JupyterLab", ""] + _table(modules, "Module")
    details = []
    for name, r in {**modules, **(site or {})}.items():
        if name.startswith("_"):
            continue
        for kind in ("course_serious", "course_other", "library", "host", "incomplete") if "_error" not in r else ():
            if r.get(kind):
                uniq = sorted(set(x.split(":")[0] for x in r[kind]))
                details.append(f"- **{name}**, {kind.replace('_', ' ')}: {', '.join(uniq)}")
    if site is not None:
        lines += ["", "## Pages of the course site", ""] + _table(site, "Page")
        blocked = site.get("_outside_requests", {}).get("blocked", [])
        lines += ["", f"Requests that would have left the machine: {len(blocked)}."]
    lines += ["", "## Rules seen", ""] + (details or ["- none"]) + [""]
    text = "\n".join(lines)
    REPORT.write_text(text, encoding="utf-8")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="module numbers to include (default: all)")
    parser.add_argument("--site", type=Path, help="a built course site to audit as well")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    source, reason = B.axe_source()
    if source is None:
        sys.exit(f"axe-core unavailable: {reason}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    names = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    if args.only:
        names = [n for n in names if n.split("_", 1)[0] in args.only]
    start = time.perf_counter()
    modules: dict[str, dict] = {}
    site = None
    with tempfile.TemporaryDirectory() as tmp, B.course_server(Path(tmp), B.AUDIT_SETTINGS) as (base, token, _log), \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(B.CHROMIUM), args=B.CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        outside = B.OutsideRequests().install(context)
        page = context.new_page()
        try:
            for name in names:
                try:
                    modules[name] = _shot_module(page, base, token, name, source)
                except Exception as exc:  # noqa: BLE001 - a module that times out is reported, the rest go on
                    print(f"{name}: not audited ({type(exc).__name__})", flush=True)
                    modules[name] = {"_error": type(exc).__name__}
                    continue
                print(f"{name}: {len(modules[name]['course_serious'])} serious in course content, "
                      f"{modules[name]['widgets']} widget views, interactive: {modules[name].get('interactive')}",
                      flush=True)
            if args.site:
                site = _audit_site(browser, args.site, source)
        finally:
            browser.close()
    if outside.blocked:
        print(f"requests blocked: {outside.blocked[:5]}", file=sys.stderr)
    print(write_report(modules, site, time.perf_counter() - start))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
