"""A real browser: JupyterLab + Debian's Chromium driven by Playwright (no browser download).

The test starts JupyterLab on 127.0.0.1 (random port, random token) over a temporary copy of
``notebooks/``, with its own settings/workspaces/runtime folders (no user state leaks in, the
"Jupyter news" toast is switched off with the same overrides Binder installs; tests/browser_support.py
starts it, as for every browser test), opens a module
notebook, runs all cells from the *Run* menu, moves a slider with the keyboard and checks that the
figure (the ``<img>`` inside the figure widget) changed, then answers a self-check question and
checks that feedback appears. On failure it saves a screenshot and the server log to
``test-artifacts/``.

Skipped when ``/usr/bin/chromium`` is missing, unless ``REQUIRE_BROWSER=1`` (CI) — then it fails.
Install the browser with ``apt-get install chromium``; never ``playwright install``.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest

import browser_support as B
from conftest import ROOT

#: The module notebook the test opens, and the description of the slider it moves.
NOTEBOOK = "07_complications_and_rehabilitation.ipynb"
SLIDER = "Albumin (g/L)"
#: Used when NOTEBOOK is not in the checkout (the start page's widget check).
FALLBACK = ("00_start_here.ipynb", "Vertebrae")

CHROMIUM, CHROMIUM_ARGS = B.CHROMIUM, B.CHROMIUM_ARGS
ARTIFACTS = ROOT / "test-artifacts"
FEEDBACK = re.compile("✔ Correct|✘ Not quite")

pytestmark = pytest.mark.browser


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} not found (apt-get install chromium; .ci/run does it)"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture()
def lab(tmp_path: Path):
    """JupyterLab over a copy of notebooks/, set up as ``dev.py course`` does; yields (base URL, token, log path)."""
    _require_browser()
    pytest.importorskip("playwright.sync_api")
    try:
        with B.course_server(tmp_path) as server:
            yield server
    except RuntimeError as err:  # the server did not start: say why, with its log
        pytest.fail(str(err))


def _choose_notebook() -> tuple[str, str]:
    return (NOTEBOOK, SLIDER) if (ROOT / "notebooks" / NOTEBOOK).is_file() else FALLBACK


def _vbox_of(locator):
    """The nearest enclosing ipywidgets VBox (an interactive's or a question's whole UI)."""
    return locator.locator("xpath=ancestor::div[contains(concat(' ', normalize-space(@class), ' '),"
                           " ' widget-vbox ')][1]")


#: Accept any dialog, then wait until the kernel has reported idle for half a second.
_wait_kernel_idle = B.wait_kernel_idle


def _img_state(img) -> tuple[str, str]:
    return img.get_attribute("alt") or "", img.get_attribute("src") or ""


def test_run_notebook_move_slider_answer_question(lab, request):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect, sync_playwright

    base, token, log_path = lab
    notebook, slider_label = _choose_notebook()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        console: list[str] = []
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
        try:
            page.goto(f"{base}/lab/tree/{notebook}?token={token}")
            page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=60_000)

            # Run → Run All Cells, once the kernel is idle. On a loaded machine JupyterLab may restart a
            # kernel that was slow to connect and the queued cells are lost: then run all again, once.
            slider = page.locator(".widget-slider", has=page.locator(".widget-label", has_text=slider_label)).first
            for attempt in (1, 2):
                _wait_kernel_idle(page)
                page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
                page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
                try:
                    # The interactive: its slider, and the figure in the same widget box.
                    slider.wait_for(state="attached", timeout=40_000 * attempt)
                    break
                except PlaywrightTimeout:
                    if attempt == 2:
                        raise
            slider.scroll_into_view_if_needed()
            app = _vbox_of(slider)
            img = app.locator(".widget-html img").first
            expect(img).to_have_attribute("alt", re.compile(".+"), timeout=30_000)
            before = _img_state(img)
            readout = slider.locator(".widget-readout")
            value_before = readout.inner_text()

            handle = slider.locator(".noUi-handle").first
            handle.focus()
            handle.press("ArrowRight")
            handle.press("ArrowRight")
            expect(readout).not_to_have_text(value_before, timeout=10_000)
            deadline = time.monotonic() + 20
            while _img_state(img) == before and time.monotonic() < deadline:
                page.wait_for_timeout(200)
            after = _img_state(img)
            assert after != before, "the figure did not change after moving the slider"
            assert after[0], "the new figure has no alt text"

            # A self-check question: choose an option, press Check, read the feedback.
            question = page.locator(".spine-quiz").filter(has=page.locator(".spine-option")).first
            question.wait_for(state="attached", timeout=30_000)
            question.scroll_into_view_if_needed()
            feedback = question.locator(".widget-htmlmath").nth(1)
            assert not FEEDBACK.search(feedback.inner_text())
            question.locator(".spine-option input[type=checkbox]").first.check()
            question.locator("button", has_text=re.compile(r"^Check$")).click()
            expect(feedback).to_have_text(FEEDBACK, timeout=15_000)

            # The Binder overrides switched off the news toast.
            assert page.locator(".Toastify__toast", has_text=re.compile("news", re.I)).count() == 0
        except BaseException:
            ARTIFACTS.mkdir(exist_ok=True)
            stem = re.sub(r"\W+", "_", request.node.name)
            page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=False)
            shutil.copy(log_path, ARTIFACTS / f"{stem}.jupyterlab.log")
            (ARTIFACTS / f"{stem}.console.log").write_text("\n".join(console), encoding="utf-8")
            raise
        finally:
            browser.close()
