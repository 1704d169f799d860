"""The read-only course site (course/site.py): built into a temporary folder from freshly executed notebooks.

Each notebook is executed once per test run (two at a time, the ``executed_notebooks`` fixture of
conftest.py, shared with tests/test_student_view.py) and the same executions feed every check:
the index links every notebook and carries the educational-use notice; every page exists, keeps the
alt text of every figure (including the figures inside interactives, shown as static snapshots),
has no ``<img>`` without alt text, loads no widget JavaScript and links other pages, not notebooks.

With ``COURSE_SITE_OUT=<folder>`` (CI) the site is built there instead of a temporary folder, so
CI publishes the very pages it tested without executing the notebooks a second time.
"""

from __future__ import annotations

import copy
import html
import json
import os
import re
from pathlib import Path

import nbformat
import pytest

from course import NOTICE, site
from course.catalogue import MODULES

from conftest import NOTEBOOKS

#: A resource the browser would fetch from another host (links <a href> are not fetched).
OUTSIDE = re.compile(r'<(?:script|link|img|iframe|source|video|audio)\b[^>]*?\b(?:src|href)="((?:https?:)?//[^"]+)"', re.I)
ALT = re.compile(r'<img\b[^>]*?\balt="([^"]*)"')


def _unescaped(alts: list[str]) -> set[str]:
    """Alt texts compared as text: the exporter may re-encode entities (&#x27; → ')."""
    return {html.unescape(a) for a in alts}


def _alts(nb: nbformat.NotebookNode) -> set[str]:
    """Alt texts of every figure in an executed notebook's outputs and saved widget state."""
    found: set[str] = set()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            value = out.get("data", {}).get("text/html", "")
            found.update(_unescaped(ALT.findall("".join(value) if isinstance(value, list) else value)))
    state = nb.metadata.get("widgets", {}).get(site.WIDGET_STATE, {}).get("state", {})
    for model in state.values():
        value = model.get("state", {}).get("value")
        if isinstance(value, str):
            found.update(_unescaped(ALT.findall(value)))
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory, executed_notebooks) -> tuple[Path, dict[Path, tuple[nbformat.NotebookNode, float]]]:
    target = os.environ.get("COURSE_SITE_OUT")
    out = Path(target) if target else tmp_path_factory.mktemp("site")
    originals = executed_notebooks
    executed = {p: (copy.deepcopy(nb), s) for p, (nb, s) in originals.items()}
    site.build(out, executed=executed)
    return out, originals


def test_index_links_every_notebook_and_shows_the_notice(built):
    out, _ = built
    index = (out / "index.html").read_text(encoding="utf-8")
    assert html.escape(NOTICE.split(".")[0]) in index
    for path in NOTEBOOKS:
        assert f'href="{path.stem}.html"' in index, path.name
        assert (out / f"{path.stem}.html").is_file()
    titles = [m.title for m in MODULES]
    positions = [index.find(html.escape(t)) for t in titles]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), "modules in course order"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_page_keeps_every_figure_and_is_static(built, path: Path):
    out, executed = built
    page = (out / f"{path.stem}.html").read_text(encoding="utf-8")
    nb, _ = executed[path]
    expected = _alts(nb)
    assert expected, f"{path.name}: no figure with alt text in the executed notebook"
    missing = expected - _unescaped(ALT.findall(page))
    assert not missing, f"{path.name}: figures lost in the page: {sorted(missing)[:3]}"
    assert not re.search(r"<img\b(?![^>]*\balt=)[^>]*>", page), "every <img> needs an alt attribute"
    assert "widget-view+json" not in page and "require.js" not in page and "html-manager" not in page
    outside = OUTSIDE.findall(page)
    assert not outside, f"{path.name}: loads from outside the site: {outside[:3]}"
    assert not re.search(r'href="(?![a-z]+://)[^"]*\.ipynb', page), "links to notebooks must point to pages"
    assert 'href="index.html"' in page and html.escape(NOTICE.split(".")[0]) in page
    if nb.metadata.get("widgets"):
        assert html.escape(site.STATIC_NOTE) in page


def test_static_widgets_render_state_without_javascript():
    state = {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_s", "IPY_MODEL_fig", "IPY_MODEL_r",
                                                                  "IPY_MODEL_b", "IPY_MODEL_gone"]}},
        "s": {"model_name": "IntSliderModel", "state": {"description": "Vertebrae", "value": 5, "min": 0, "max": 24}},
        "fig": {"model_name": "HTMLModel", "state": {"value": '<img alt="five shaded" src="data:,"/>'}},
        "r": {"model_name": "RadioButtonsModel", "state": {"_options_labels": ["24", "33"], "index": None}},
        "b": {"model_name": "ButtonModel", "state": {"description": "Check"}},
        "gone": {"model_name": "HTMLModel", "state": {"value": "hidden", "layout": "IPY_MODEL_lay"}},
        "lay": {"model_name": "LayoutModel", "state": {"display": "none"}},
    }
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {site.WIDGET_STATE: {"state": state, "version_major": 2, "version_minor": 0}}
    cell = nbformat.v4.new_code_cell("app")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        "text/plain": "VBox(...)", site.WIDGET_VIEW: {"model_id": "box", "version_major": 2, "version_minor": 0}})]
    nb.cells.append(cell)
    site.static_widgets(nb)
    out = nb.cells[0].outputs[0]["data"]
    assert set(out) == {"text/html"} and "widgets" not in nb.metadata
    snap = out["text/html"]
    assert 'alt="five shaded"' in snap and "Vertebrae" in snap and 'value="5"' in snap
    assert snap.count('type="radio" disabled>') == 2 and "<button" in snap and "hidden" not in snap
    assert site.STATIC_NOTE in snap


def test_static_site_lets_the_reader_reveal_a_self_checks_answer():
    """Self-checks are formative: on the static site (no kernel) the answer can be revealed."""
    state = {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_key"]}},
        "key": {"model_name": "HTMLMathModel", "state": {"value": "<b>Answer and explanations</b> 33",
                                                          "_dom_classes": ["spine-answer"], "layout": "IPY_MODEL_lay"}},
        "lay": {"model_name": "LayoutModel", "state": {"display": "none"}},
    }
    snap = site._StaticWidgets(state).render("box")
    assert "<details" in snap and "Show the answer and explanations" in snap and "33" in snap


def test_mathjax_is_served_from_the_site_itself(tmp_path):
    """MathJax comes from its npm package into the site (no CDN); without npm, no MathJax at all."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# T\n\nBED is $nd(1 + d/(\\alpha/\\beta))$."))
    page = site.export_page(nb, "t", "", tmp_path, None)
    assert "mathjax" not in page.lower() or "cdnjs" not in page
    assert not OUTSIDE.findall(page)
    url = site.vendor_mathjax(tmp_path)
    if url is None:
        if os.environ.get("REQUIRE_NODE") == "1":
            pytest.fail("REQUIRE_NODE=1 but MathJax could not be installed from npm")
        pytest.skip("npm unavailable: MathJax not vendored")
    assert (tmp_path / url.split("?")[0]).is_file()
    assert (tmp_path / "mathjax" / "jax" / "output" / "CommonHTML" / "jax.js").is_file()
    page = site.export_page(nb, "t", "", tmp_path, url)
    assert f'src="{url}"' in page and not OUTSIDE.findall(page) and "cdnjs" not in page


# ---------------------------------------------------------------------------------------------
# Every page of the site, audited in a real browser (axe-core, WCAG 2.1 A/AA)
# ---------------------------------------------------------------------------------------------
@pytest.mark.browser
def test_every_site_page_passes_the_accessibility_audit(built):
    """Serious or critical WCAG violations anywhere on a page fail (the site is all course content:
    header, notice, rendered Markdown, outputs, static widget snapshots). No request leaves the site."""
    import browser_support as B

    if not B.CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {B.CHROMIUM} not found")
        pytest.skip(f"{B.CHROMIUM} not found (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api")
    source, reason = B.axe_source()
    if source is None:
        if os.environ.get("REQUIRE_NODE") == "1":
            pytest.fail(f"REQUIRE_NODE=1 but axe-core is unavailable: {reason}")
        pytest.skip(f"axe-core unavailable: {reason}")
    from playwright.sync_api import sync_playwright

    out, _ = built
    pages = sorted(p.name for p in out.glob("*.html"))
    assert "index.html" in pages and "glossary.html" in pages
    serious: dict[str, list[str]] = {}
    with B.serve_folder(out) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(B.CHROMIUM), args=B.CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        outside = B.OutsideRequests().install(context)
        page = context.new_page()
        try:
            for name in pages:
                page.goto(f"{base}/{name}", wait_until="load")
                result = B.axe_audit(page, source)
                found = [f"{v['id']} ({n.get('impact') or v.get('impact')}): {n['target']} — {v['help']}"
                         for v in result["violations"] for n in v["nodes"]
                         if (n.get("impact") or v.get("impact")) in {"serious", "critical"}]
                if found:
                    serious[name] = found
        finally:
            browser.close()
    assert not outside.blocked, f"requests left the site: {outside.blocked[:5]}"
    assert not serious, "serious/critical violations on the site:\n" + json.dumps(serious, indent=1)[:4000]
