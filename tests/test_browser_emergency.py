"""The "time is spine" interactive in a real browser, driven by the keyboard only.

JupyterLab + Debian's Chromium (the ``lab`` fixture of ``tests/test_browser.py``): open module 03a, run all
cells, then use Tab-reachable native controls exactly as a keyboard user would — arrow keys on the "First
call" dropdown, Space on a check box — and check that the kernel redrew the figure with new alt text and
that the explanation names the consequence. Last, the module's first "MSCC" links to the glossary: the
link's tooltip spells it out and a click opens the glossary, which holds that entry. Skipped without /usr/bin/chromium (unless REQUIRE_BROWSER=1).
"""

from __future__ import annotations

import re
import shutil
import time

import pytest

import test_browser
from test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _wait_kernel_idle

#: The JupyterLab server fixture of tests/test_browser.py, shared.
lab = test_browser.lab

pytestmark = pytest.mark.browser

NOTEBOOK = "03a_mscc_emergency.ipynb"
ALT_START = "Teaching-model chart"


def _changed(page, locator, before: str, timeout_s: float = 20.0) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        now = locator.get_attribute("alt") or ""
        if now != before:
            return now
        page.wait_for_timeout(200)
    return before


def test_time_is_spine_by_keyboard(lab, request):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect, sync_playwright

    base, token, log_path = lab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        try:
            page.goto(f"{base}/lab/tree/{NOTEBOOK}?token={token}")
            page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=60_000)
            call = page.locator(".widget-dropdown", has=page.locator(".widget-label", has_text="First call"))
            for attempt in (1, 2):
                _wait_kernel_idle(page)
                page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
                page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
                try:
                    call.first.wait_for(state="attached", timeout=40_000 * attempt)
                    break
                except PlaywrightTimeout:
                    if attempt == 2:
                        raise
            img = page.locator(f".widget-html img[alt^='{ALT_START}']").first
            expect(img).to_have_attribute("alt", re.compile("3 of 3 pathway clocks met"), timeout=30_000)
            _wait_kernel_idle(page)  # "Run All" ends by focusing the last cell: let it finish first
            before = img.get_attribute("alt") or ""

            # The dropdown, keyboard only: focus it, open the list with Alt+Down, move with the arrow, confirm
            # with Enter. (A bare ArrowDown on a closed dropdown is taken by JupyterLab's command mode, which
            # moves the cell selection; the notebook tells learners to open the list first.)
            select = call.first.locator("select")
            select.scroll_into_view_if_needed()
            select.focus()
            page.keyboard.press("Alt+ArrowDown")
            page.keyboard.press("ArrowDown")
            page.keyboard.press("Enter")
            expect(select).to_have_value(re.compile("on-call spinal team"), timeout=10_000)
            after = _changed(page, img, before)
            assert after != before, "the figure's alt text did not change after the keyboard choice"
            assert after.startswith(ALT_START)

            # A check box: focus it and press Space; the explanation must name the missed step.
            # (the self-checks' options are check boxes too: take the interactive's, by its exact label)
            box = page.get_by_role("checkbox", name="Bladder scan; catheter if in retention", exact=True)
            box.focus()
            box.press("Space")
            expect(box).not_to_be_checked(timeout=10_000)
            explanation = img.locator("xpath=ancestor::div[contains(concat(' ', normalize-space(@class), ' '),"
                                      " ' widget-vbox ')][1]")
            expect(explanation).to_contain_text("✘ missed", timeout=20_000)
            expect(explanation).to_contain_text("Teaching model", timeout=5_000)

            # The first use of an abbreviation links to the glossary: its tooltip spells it out, and a
            # click opens the glossary, which holds the entry. (JupyterLab 4.6 opens it at the top: it tries
            # the "#MSCC" fragment before the Markdown cells have rendered. The course site jumps to it.)
            first = page.locator(".jp-RenderedMarkdown a[title='metastatic spinal cord compression']").first
            expect(first).to_have_text("MSCC", timeout=10_000)
            first.scroll_into_view_if_needed()
            first.click()
            expect(page.locator(".lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel",
                                has_text="glossary.ipynb").first).to_be_visible(timeout=30_000)
            entry = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedMarkdown h3[data-jupyter-id='MSCC']")
            expect(entry).to_have_count(1, timeout=15_000)
            expect(entry.locator("xpath=following::p[1]")).to_contain_text("metastatic spinal cord compression")
        except BaseException:
            ARTIFACTS.mkdir(exist_ok=True)
            stem = re.sub(r"\W+", "_", request.node.name)
            page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=False)
            shutil.copy(log_path, ARTIFACTS / f"{stem}.jupyterlab.log")
            raise
        finally:
            browser.close()
