"""Build the read-only course site: every notebook executed and exported to HTML, plus an index.

    python -m course.site                 # → _site/ (index.html + one page per notebook)
    python -m course.site --out /tmp/s    # elsewhere
    python -m course.site binder-badge    # the README's Binder badge, derived from pyproject.toml

The site is for reading without a kernel. Each notebook is executed once (nbclient, in parallel on
``--jobs`` processes), then exported with nbconvert's ``lab`` template. Interactives become **static
snapshots**: the widget state saved during execution is rendered to plain HTML (the figure as an
``<img alt=…>``, the controls as disabled inputs showing their values) with a note that moving them
needs a kernel (Binder or a local install). No JavaScript widget manager is loaded, and nothing comes
from a CDN: MathJax (for formulas) is copied into the site from its npm package at build time
(installed once into a cache folder, :func:`npm_package`; never committed). Without node/npm the site is
built without MathJax (formulas stay as TeX source) and still makes no outside request. Self-check
answers and explanations can be revealed on the pages ("Show the answer"): self-checks are formative.

The Binder link has one source of truth: ``[project.urls] Repository`` in ``pyproject.toml``.
:func:`binder_link` derives the link (opening JupyterLab on the start page) from it; the README's
badge and the site's links are checked against it by ``tests/test_binder.py``.

Educational use only — not for clinical decisions.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import sys
import time
import tomllib
import urllib.parse
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import nbformat

ROOT = Path(__file__).resolve().parent.parent
#: The notebook the Binder link opens.
START_NOTEBOOK = "notebooks/00_start_here.ipynb"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
STATIC_NOTE = ("Static snapshot of an interactive: run the notebook (Binder or a local install) to move "
               "the controls and check your answers.")


# ----------------------------------------------------------------------------------------------
# Binder link: derived from one place (pyproject.toml [project.urls] Repository)
# ----------------------------------------------------------------------------------------------
def repository_url(root: Path = ROOT) -> str | None:
    """The public repository URL from ``pyproject.toml`` ``[project.urls] Repository`` (None if unset)."""
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        urls = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {}).get("urls", {})
        url = urls.get("Repository") or urls.get("repository")
        return str(url).rstrip("/") if url else None
    try:  # an installed package: the same value travels as a Project-URL
        from importlib.metadata import metadata

        for entry in metadata("spine-metastases-course").get_all("Project-URL") or []:
            label, _, url = entry.partition(",")
            if label.strip().lower() == "repository":
                return url.strip().rstrip("/")
    except Exception:  # noqa: BLE001 - metadata is optional
        pass
    return None


def binder_link(repo_url: str, notebook: str = START_NOTEBOOK, ref: str = "HEAD") -> str:
    """The mybinder.org link that builds ``repo_url`` and opens JupyterLab on ``notebook``.

    GitHub and GitLab URLs use their short providers; any other git URL uses the generic one.

    Raises:
        ValueError: if ``repo_url`` is not an http(s) URL.
    """
    parsed = urllib.parse.urlparse(repo_url)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise ValueError(f"repo_url: expected an https URL such as https://github.com/owner/repo, got {repo_url!r}")
    path = parsed.path.strip("/").removesuffix(".git")
    query = "?urlpath=" + urllib.parse.quote(f"lab/tree/{notebook}", safe="/")
    if parsed.netloc == "github.com":
        return f"https://mybinder.org/v2/gh/{path}/{ref}{query}"
    if parsed.netloc == "gitlab.com":
        return f"https://mybinder.org/v2/gl/{urllib.parse.quote(path, safe='')}/{ref}{query}"
    return f"https://mybinder.org/v2/git/{urllib.parse.quote(repo_url, safe='')}/{ref}{query}"


def binder_badge(repo_url: str) -> str:
    """The README's Markdown badge for :func:`binder_link`."""
    return f"[![Binder](https://mybinder.org/badge_logo.svg)]({binder_link(repo_url)})"


# ----------------------------------------------------------------------------------------------
# Execution
# ----------------------------------------------------------------------------------------------
def execute(path: Path, timeout: int = 120) -> tuple[nbformat.NotebookNode, float]:
    """Execute the notebook at ``path`` on a fresh kernel (in its folder); return it and the seconds taken.

    Raises:
        nbclient.exceptions.CellExecutionError: when a cell fails (the message names the cell).
    """
    from nbclient import NotebookClient

    os.environ.setdefault("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return nb, time.perf_counter() - start


def _execute_to_json(path: str, timeout: int) -> tuple[str, float]:
    nb, seconds = execute(Path(path), timeout)
    return nbformat.writes(nb), seconds


def execute_all(paths: Iterable[Path], jobs: int = 2, timeout: int = 120) -> dict[Path, tuple[nbformat.NotebookNode, float]]:
    """Execute several notebooks, ``jobs`` at a time (one kernel each)."""
    paths = list(paths)
    if jobs <= 1 or len(paths) <= 1:
        return {p: execute(p, timeout) for p in paths}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {p: pool.submit(_execute_to_json, str(p), timeout) for p in paths}
        out = {}
        for p, fut in futures.items():
            text, seconds = fut.result()
            out[p] = (nbformat.reads(text, as_version=4), seconds)
        return out


# ----------------------------------------------------------------------------------------------
# Widgets → static HTML
# ----------------------------------------------------------------------------------------------
def _ref(value: Any) -> str | None:
    return value[len("IPY_MODEL_"):] if isinstance(value, str) and value.startswith("IPY_MODEL_") else None


class _StaticWidgets:
    """Renders saved widget state (``metadata.widgets``) as plain HTML."""

    def __init__(self, state: dict[str, Any]):
        self.state = state

    def hidden(self, s: dict[str, Any]) -> bool:
        layout = self.state.get(_ref(s.get("layout")) or "", {}).get("state", {})
        return layout.get("display") == "none" or layout.get("visibility") == "hidden"

    def render(self, model_id: str) -> str:
        model = self.state.get(model_id)
        if not model:
            return ""
        name, s = model.get("model_name", ""), model.get("state", {})
        if "spine-answer" in (s.get("_dom_classes") or ()):
            # A self-check's answer and explanations: hidden in the notebook until Check is pressed;
            # on the static site (no kernel to check with) the reader may reveal them — self-checks are formative.
            return (f'<details class="sw-answer"><summary>Show the answer and explanations</summary>'
                    f'{s.get("value", "")}</details>')
        if self.hidden(s):
            return ""
        esc = html.escape
        desc = esc(str(s.get("description", "") or ""))
        label = f'<span class="sw-desc">{desc}</span> ' if desc else ""

        def kids() -> str:
            return "".join(self.render(r) for r in map(_ref, s.get("children", [])) if r)

        if name in {"VBoxModel", "BoxModel", "GridBoxModel"}:
            return f'<div class="sw-vbox">{kids()}</div>'
        if name == "HBoxModel":
            return f'<div class="sw-hbox">{kids()}</div>'
        if name in {"TabModel", "AccordionModel", "StackModel"}:
            titles = list(s.get("titles") or [])
            parts = []
            for i, r in enumerate(map(_ref, s.get("children", []))):
                title = esc(str(titles[i])) if i < len(titles) and titles[i] else f"Part {i + 1}"
                parts.append(f"<details open><summary>{title}</summary>{self.render(r or '')}</details>")
            return "".join(parts)
        if name in {"HTMLModel", "HTMLMathModel"}:
            return f'<div class="sw-html">{label}{s.get("value", "")}</div>'
        if name == "LabelModel":
            return f'<span class="sw-label">{esc(str(s.get("value", "")))}</span>'
        if name in {"IntSliderModel", "FloatSliderModel", "FloatLogSliderModel"}:
            value = s.get("value")
            bounds = f'min="{s.get("min", "")}" max="{s.get("max", "")}" step="{s.get("step", "")}"'
            if name == "FloatLogSliderModel":
                bounds = ""
            return (f'<label class="sw-slider">{label}<input type="range" {bounds} value="{value}" disabled>'
                    f' <output>{esc(str(value))}</output></label>')
        if name in {"IntRangeSliderModel", "FloatRangeSliderModel"}:
            lo, hi = (s.get("value") or [None, None])[:2]
            return f'<span class="sw-slider">{label}<output>{lo} – {hi}</output></span>'
        if name in {"SelectionSliderModel", "SelectionRangeSliderModel"}:
            labels, index = s.get("_options_labels", []), s.get("index")
            idx = index if isinstance(index, list) else [index]
            chosen = " – ".join(esc(str(labels[i])) for i in idx if isinstance(i, int) and i < len(labels))
            return f'<span class="sw-slider">{label}<output>{chosen}</output></span>'
        if name in {"RadioButtonsModel", "ToggleButtonsModel", "DropdownModel", "SelectModel", "SelectMultipleModel"}:
            labels, index = s.get("_options_labels", []), s.get("index")
            chosen = set(index) if isinstance(index, list) else {index}
            kind = "checkbox" if name == "SelectMultipleModel" else "radio"
            items = "".join(
                f'<li><label><input type="{kind}" disabled{" checked" if i in chosen else ""}> {esc(str(t))}</label></li>'
                for i, t in enumerate(labels))
            return f'<div class="sw-choice">{label}<ul>{items}</ul></div>'
        if name in {"CheckboxModel", "ToggleButtonModel"}:
            checked = " checked" if s.get("value") else ""
            return f'<label class="sw-check"><input type="checkbox" disabled{checked}> {desc}</label>'
        if name == "ButtonModel":
            return f'<button class="sw-button" disabled>{desc}</button>'
        if name.endswith("TextModel") or name in {"TextareaModel", "ComboboxModel", "PasswordModel"}:
            value = esc(str(s.get("value", "") or ""))
            ph = esc(str(s.get("placeholder", "") or ""))
            return f'<label class="sw-text">{label}<input type="text" disabled value="{value}" placeholder="{ph}"></label>'
        if name == "OutputModel":
            return "".join(_output_html(o) for o in s.get("outputs", []))
        if name in {"ImageModel"}:
            return ""  # binary buffers are not kept in the saved state
        return ""

    def snapshot(self, model_id: str) -> str:
        body = self.render(model_id)
        if not body.strip():
            return ""
        return (f'<div class="sw-static" data-model-id="{html.escape(model_id)}">{body}'
                f'<p class="sw-note">{html.escape(STATIC_NOTE)}</p></div>')


def _output_html(output: dict[str, Any]) -> str:
    data = output.get("data", {}) if output.get("output_type") in {"display_data", "execute_result"} else {}
    if "text/html" in data:
        return "".join(data["text/html"]) if isinstance(data["text/html"], list) else data["text/html"]
    if "image/png" in data:
        return f'<img alt="" src="data:image/png;base64,{data["image/png"]}"/>'
    if output.get("output_type") == "stream":
        return f"<pre>{html.escape(''.join(output.get('text', '')))}</pre>"
    if "text/plain" in data:
        return f"<pre>{html.escape(''.join(data['text/plain']))}</pre>"
    return ""


def static_widgets(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Replace every widget view in ``nb``'s outputs by a static HTML snapshot; drop the widget state.

    Works in place and returns ``nb``. A widget whose state was not saved keeps its text fallback.
    """
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    renderer = _StaticWidgets(state)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                snapshot = renderer.snapshot(data[WIDGET_VIEW].get("model_id", ""))
                del data[WIDGET_VIEW]
                if snapshot:
                    data["text/html"] = snapshot
                    data.pop("text/plain", None)
    nb.metadata.pop("widgets", None)
    return nb


# ----------------------------------------------------------------------------------------------
# HTML
# ----------------------------------------------------------------------------------------------
CSS = """
.sw-static{border:1px dashed #999;padding:6px 10px;margin:6px 0;border-radius:4px}
.sw-hbox{display:flex;flex-wrap:wrap;gap:4px 16px;align-items:center}
.sw-note{font-size:85%;color:#555;margin:4px 0 0}
.sw-choice ul{list-style:none!important;padding-left:0!important;margin:2px 0}
.sw-check{display:block}
.sw-desc{font-weight:600}
.sw-answer{margin:6px 0;padding:4px 8px;border-left:4px solid #0072B2;background:#f4f8fb}
.sw-answer summary{cursor:pointer;font-weight:600}
.course-bar{font-family:system-ui,sans-serif;background:#f4f4f4;border-bottom:1px solid #ccc;padding:8px 16px;
  display:flex;gap:16px;flex-wrap:wrap;align-items:center}
.course-notice{font-family:system-ui,sans-serif;background:#fff6e0;border-left:4px solid #E69F00;padding:6px 12px;
  margin:8px 16px}
/* WCAG AA on the site (tests/test_site.py audits every page with axe-core): links are underlined in text,
   and the code colours that fall below 4.5:1 on the cell background are darkened. */
.jp-RenderedHTMLCommon a,.course-bar a{text-decoration:underline!important}
.highlight .c,.highlight .c1,.highlight .cm,.highlight .ch,.highlight .cs,.highlight .cpf{color:#3b6363!important}
.highlight .m,.highlight .mi,.highlight .mf,.highlight .mh,.highlight .mo,.highlight .il{color:#006400!important}
.highlight .ow{color:#6a1b9a!important}
.ansi-red-fg{color:#b22b31!important}.ansi-green-fg{color:#007427!important}.ansi-yellow-fg{color:#7a5200!important}
.ansi-blue-fg{color:#0050a0!important}.ansi-magenta-fg{color:#8b2a84!important}.ansi-cyan-fg{color:#006b78!important}
[data-mime-type="application/vnd.jupyter.stderr"] pre span{color:inherit!important;background:none!important}
"""

_PAGE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- if resources.course_mathjax -%}{{ super() }}{%- endif -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block extra_css %}<style type="text/css">{{ resources.course_css }}</style>{% endblock extra_css %}
{%- block body_header -%}
{{ super() }}
{{ resources.course_header }}
{%- endblock body_header -%}
"""

_HREF_IPYNB = re.compile(r'href="(?![a-z]+://)(?:\./)?(?:\.\./)?(?:notebooks/)?([\w.\-]+)\.ipynb(#[^"]*)?"')


def _bar(links: list[tuple[str, str]]) -> str:
    items = "".join(f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a>' for text, href in links)
    return f'<nav class="course-bar" aria-label="Course">{items}</nav>'


def _notice() -> str:
    from course import NOTICE

    return f'<div class="course-notice" role="note"><b>{html.escape(NOTICE.split(".")[0])}.</b>{html.escape(NOTICE[len(NOTICE.split(".")[0]) + 1:])}</div>'


#: The npm package the site's formulas are typeset with (MathJax 2: nbconvert's template configures it).
MATHJAX = ("mathjax", "2.7.9")
#: The parts of MathJax the pages use (TeX input, CommonHTML output, its web fonts).
_MATHJAX_PARTS = ("MathJax.js", "config/TeX-AMS_CHTML-full.js", "config/Safe.js", "extensions", "jax/input/TeX", "jax/element",
                  "jax/output/CommonHTML", "fonts/HTML-CSS/TeX/woff", "localization/en", "LICENSE")
NPM_CACHE_ENV = "SPINE_NPM_CACHE"


def npm_cache() -> Path:
    """Where npm packages used at build/test time are installed (``$SPINE_NPM_CACHE`` overrides)."""
    return Path(os.environ.get(NPM_CACHE_ENV) or Path.home() / ".cache" / "spinal-course" / "npm")


def npm_package(name: str, version: str, timeout: int = 300) -> tuple[Path | None, str]:
    """The folder of npm package ``name@version``, installed into :func:`npm_cache` on first use.

    Returns ``(folder, "")``, or ``(None, reason)`` when node/npm are missing or the install fails.
    """
    import subprocess

    prefix = npm_cache() / f"{name.replace('/', '+')}-{version}"
    folder = prefix / "node_modules" / name
    if (folder / "package.json").is_file():
        return folder, ""
    npm = shutil.which("npm")
    if not npm:
        return None, "npm is not installed"
    prefix.mkdir(parents=True, exist_ok=True)
    try:
        proc = subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(prefix),
                               f"{name}@{version}"], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"npm install {name}@{version} timed out"
    if proc.returncode or not (folder / "package.json").is_file():
        return None, f"npm install {name}@{version} failed: {proc.stderr.strip()[-300:]}"
    return folder, ""


def vendor_mathjax(out: Path) -> str | None:
    """Copy MathJax into ``out/mathjax`` from its npm package; return the pages' script URL (relative),
    or None (with a warning) when it cannot be had — the pages then load no MathJax at all."""
    folder, reason = npm_package(*MATHJAX)
    if folder is None:
        print(f"course.site: MathJax not vendored ({reason}); formulas stay as TeX", file=sys.stderr)
        return None
    target = out / "mathjax"
    for part in _MATHJAX_PARTS:
        src = folder / part
        if src.is_dir():
            shutil.copytree(src, target / part, dirs_exist_ok=True)
        elif src.is_file():
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target / part)
    return "mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"


def export_page(nb: nbformat.NotebookNode, stem: str, header: str, resources_path: Path,
                mathjax_url: str | None = None) -> str:
    """Export an executed notebook (widgets already made static) to a standalone HTML page.

    ``mathjax_url`` is the (local) MathJax script; None loads no MathJax.
    """
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", template_file="course_page.html.j2",
                            extra_loaders=[DictLoader({"course_page.html.j2": _PAGE_TEMPLATE})],
                            embed_images=True, mathjax_url=mathjax_url or "",
                            # "In [3]:" prompts mean nothing on a read-only page (and are faint grey text)
                            exclude_input_prompt=True, exclude_output_prompt=True)
    resources = {"metadata": {"name": stem, "path": str(resources_path)},
                 "course_css": CSS, "course_header": header, "course_mathjax": bool(mathjax_url)}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return _HREF_IPYNB.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)


def _title(nb: nbformat.NotebookNode, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, flags=re.M)
            if m:
                return m.group(1).strip()
    return fallback


@dataclass(frozen=True)
class Page:
    """One built page."""

    stem: str
    title: str
    file: str
    seconds: float


def index_html(pages: list[Page], repo_url: str | None) -> str:
    """The site's index: the educational-use notice and the modules in course order."""
    from course import __version__
    from course.catalogue import MODULES

    built = {p.stem: p for p in pages}
    rows = []
    for m in MODULES:
        page = built.get(m.stem)
        title = (f'<a href="{page.file}">{html.escape(m.title)}</a>' if page
                 else f"{html.escape(m.title)} <em>(not available yet)</em>")
        rows.append(f"<tr><td>{m.number}</td><td>{title}</td><td>{html.escape(m.summary)}</td>"
                    f"<td>{m.minutes} min</td></tr>")
    listed = {m.stem for m in MODULES}
    for p in pages:
        if p.stem not in listed:
            rows.append(f'<tr><td></td><td><a href="{p.file}">{html.escape(p.title)}</a></td><td></td><td></td></tr>')
    binder = (f'<p><a href="{html.escape(binder_link(repo_url), quote=True)}">Open the course on Binder</a> '
              "to run the notebooks and use the interactives (nothing to install).</p>") if repo_url else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Spinal metastases — an interactive course</title>
<style>
body{{font-family:system-ui,sans-serif;max-width:62rem;margin:0 auto;padding:1rem;line-height:1.45}}
table{{border-collapse:collapse}} td,th{{border-bottom:1px solid #ddd;padding:6px 8px;vertical-align:top;text-align:left}}
{CSS}
</style></head>
<body>
<main>
<h1>Spinal metastases — an interactive course</h1>
{_notice()}
<p>An open course for medical students on cancer that has spread to the spine. These pages are a
read-only copy of the notebooks, executed when the site was built: figures are shown, and each
interactive appears as a static snapshot. To move the controls and check your answers, run the
notebooks yourself (see the README).</p>
{binder}
<h2>Modules</h2>
<table>
<thead><tr><th>#</th><th>Module</th><th>What you learn</th><th>Time</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
<p><small>Built {time.strftime("%Y-%m-%d")} from version {__version__}. All patients in the course are synthetic.</small></p>
</main>
</body></html>
"""


def build(out: Path, notebooks: Path | None = None, jobs: int = 2, timeout: int = 120,
          executed: dict[Path, tuple[nbformat.NotebookNode, float]] | None = None) -> list[Page]:
    """Build the site into ``out`` (created; existing pages replaced); return the pages built.

    ``executed`` lets a caller pass notebooks it has already executed (path → (notebook, seconds)).
    """
    from course.catalogue import MODULES

    notebooks = Path(notebooks or ROOT / "notebooks")
    paths = sorted(notebooks.glob("*.ipynb"))
    if not paths:
        raise ValueError(f"notebooks: no *.ipynb in {notebooks}")
    executed = dict(executed or {})
    todo = [p for p in paths if p not in executed]
    executed.update(execute_all(todo, jobs=jobs, timeout=timeout))
    out.mkdir(parents=True, exist_ok=True)
    mathjax_url = vendor_mathjax(out)
    repo_url = repository_url()
    order = [m.stem for m in MODULES]
    stems = [p.stem for p in paths]
    pages = []
    for i, path in enumerate(paths):
        nb, seconds = executed[path]
        nb = static_widgets(nbformat.from_dict(nb))
        links = [("Course index", "index.html")]
        if i > 0:
            links.append((f"← {stems[i - 1].split('_', 1)[0]}", f"{stems[i - 1]}.html"))
        if i + 1 < len(paths):
            links.append((f"{stems[i + 1].split('_', 1)[0]} →", f"{stems[i + 1]}.html"))
        if repo_url:
            links.append(("Run this notebook on Binder", binder_link(repo_url, f"notebooks/{path.name}")))
        header = _bar(links) + _notice()
        (out / f"{path.stem}.html").write_text(export_page(nb, path.stem, header, path.parent, mathjax_url), encoding="utf-8")
        pages.append(Page(path.stem, _title(nb, path.stem), f"{path.stem}.html", seconds))
    pages.sort(key=lambda p: (order.index(p.stem) if p.stem in order else len(order), p.stem))
    (out / "index.html").write_text(index_html(pages, repo_url), encoding="utf-8")
    (out / ".nojekyll").write_text("", encoding="utf-8")
    if (ROOT / "assets").is_dir() and any((ROOT / "assets").iterdir()):
        shutil.copytree(ROOT / "assets", out / "assets", dirs_exist_ok=True)
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.site", description=__doc__.split("\n\n")[0])
    parser.add_argument("what", nargs="?", choices=["build", "binder-badge", "binder-link"], default="build")
    parser.add_argument("--out", type=Path, default=ROOT / "_site", help="output folder (default: _site/)")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="notebooks executed at once")
    parser.add_argument("--timeout", type=int, default=120, help="seconds per cell")
    args = parser.parse_args(argv)
    if args.what != "build":
        url = repository_url()
        if not url:
            print("pyproject.toml has no [project.urls] Repository yet.", file=sys.stderr)
            return 1
        print(binder_badge(url) if args.what == "binder-badge" else binder_link(url))
        return 0
    start = time.perf_counter()
    pages = build(args.out, args.notebooks, jobs=args.jobs, timeout=args.timeout)
    for p in pages:
        print(f"{p.file:45s} executed in {p.seconds:5.1f} s")
    print(f"{len(pages)} pages + index.html in {args.out} ({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
