"""The course as a learner meets it, in a real browser (JupyterLab set up as ``python3 dev.py course``).

* First screen: module 00 opens, the file browser is rooted at notebooks/ (no tests/, grading/),
  no news pop-up, no nbgrader instructor panel or Assignments tab.
* Keyboard, as module 00 promises: Tab reaches each option, Space ticks it (and clears the other
  option of a choose-one question), Enter on the focused Check button gives feedback; Check on an
  empty answer prompts ("Choose an answer first") and gives no verdict. Long option labels wrap
  (nothing cut).
* Offline: every request that would leave the machine is aborted and fails the test.
* Accessibility (``test_accessibility_of_every_module``): axe-core (npm, cached) audits every
  module after Run All (notebook windowing off, so every cell is in the page). Serious or critical
  violations in course content (cell outputs, rendered Markdown) fail the test; JupyterLab's own and
  axe's "incomplete" results are counted separately and written to
  ``test-artifacts/accessibility.json`` (``tools/screenshots.py --accessibility`` writes docs/accessibility.md).

Skipped without /usr/bin/chromium unless ``REQUIRE_BROWSER=1``; the audit is skipped without npm
unless ``REQUIRE_NODE=1``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

import browser_support as B
from conftest import ROOT

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"
FEEDBACK = re.compile("✔ Correct|✘ Not quite|◐ Partly right")


def _require_browser() -> None:
    if B.CHROMIUM.exists():
        pytest.importorskip("playwright.sync_api")
        return
    reason = f"{B.CHROMIUM} not found (apt-get install chromium)"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def _save_failure(page, log_path: Path, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"\W+", "_", name)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{stem}.png"))
    except Exception:  # noqa: BLE001 - best effort
        pass
    shutil.copy(log_path, ARTIFACTS / f"{stem}.jupyterlab.log")


def test_first_screen_keyboard_and_no_outside_request(tmp_path, request):
    _require_browser()
    from playwright.sync_api import expect, sync_playwright

    with B.course_server(tmp_path) as (base, token, log_path), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(B.CHROMIUM), args=B.CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        outside = B.OutsideRequests().install(context)
        page = context.new_page()
        try:
            # The URL dev.py prints (the server's default URL) opens module 00.
            page.goto(f"{base}/?token={token}")
            page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=90_000)
            expect(page.locator(".lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel",
                                has_text="00_start_here.ipynb").first).to_be_visible(timeout=30_000)
            # The file browser is rooted at notebooks/: modules listed, no repository folders.
            listing = page.locator(".jp-DirListing-itemText")
            expect(listing.filter(has_text="01_anatomy_and_epidemiology.ipynb")).to_have_count(1, timeout=30_000)
            names = set(listing.all_inner_texts())
            assert not names & {"tests", "grading", "course", "dev.py"}, names
            # No news toast; no nbgrader instructor panel, menu or Assignments tab.
            page.wait_for_timeout(1500)
            assert page.locator(".Toastify__toast", has_text=re.compile("news", re.I)).count() == 0
            menus = set(page.locator("#jp-MainMenu .lm-MenuBar-itemLabel").all_inner_texts())
            assert "Nbgrader" not in menus, menus
            assert page.get_by_text("Create Assignment").count() == 0
            assert page.locator(".lm-TabBar-tab", has_text=re.compile("Assignments|Formgrader")).count() == 0

            B.run_all(page)
            quiz = page.locator(".spine-quiz").filter(has=page.locator(".spine-option")).first
            quiz.wait_for(timeout=60_000)
            quiz.scroll_into_view_if_needed()
            boxes = quiz.locator(".spine-option input[type=checkbox]")
            feedback = quiz.locator(".widget-htmlmath").nth(1)
            check = quiz.locator("button", has_text=re.compile(r"^Check$"))

            # Empty answer: Enter on the focused Check button prompts, no verdict.
            check.focus()
            page.keyboard.press("Enter")
            expect(feedback).to_contain_text("Choose an answer first", timeout=15_000)
            assert not FEEDBACK.search(feedback.inner_text())

            # Tab to the first option, Space ticks it; Tab to the next, Space ticks it and clears the first.
            boxes.nth(0).focus()
            page.keyboard.press("Space")
            expect(boxes.nth(0)).to_be_checked(timeout=10_000)
            page.keyboard.press("Tab")
            assert page.evaluate("() => document.activeElement && document.activeElement.type") == "checkbox"
            page.keyboard.press("Space")
            expect(boxes.nth(1)).to_be_checked(timeout=10_000)
            expect(boxes.nth(0)).not_to_be_checked(timeout=10_000)
            # Tab on to the Check button and press Enter: a verdict.
            for _ in range(12):
                page.keyboard.press("Tab")
                if page.evaluate("() => document.activeElement && document.activeElement.textContent") == "Check":
                    break
            page.keyboard.press("Enter")
            expect(feedback).to_have_text(FEEDBACK, timeout=15_000)

            # Long option labels wrap: none is cut (its text fits its box).
            cut = page.evaluate("""() => [...document.querySelectorAll('.spine-option label, .spine-option span')]
                .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible')
                .map(e => e.textContent)""")
            assert not cut, f"option labels cut: {cut[:3]}"
            # The progress panel saw nothing yet… and records what was just checked after a refresh.
            assert page.get_by_text("Your progress:").count() >= 1
            assert not outside.blocked, f"requests left the machine: {outside.blocked[:5]}"
        except BaseException:
            _save_failure(page, log_path, request.node.name)
            raise
        finally:
            browser.close()


#: Audited in every run in JupyterLab, with live widgets: the start page, the emergency module and the
#: treatment module (the most interactives). Each opens in a fresh workspace after the previous page has
#: left and its kernel has been shut down, so no module inherits another's tabs or dialogs.
#: ``A11Y_ALL_MODULES=1`` audits every module here; every page of the course site, whose content is the
#: same cells executed, is audited in tests/test_site.py.
SAMPLE = ("00_start_here.ipynb", "03a_mscc_emergency.ipynb", "06_treatment.ipynb")


def _modules() -> list[str]:
    names = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb") if p.name != "glossary.ipynb")
    if os.environ.get("A11Y_ALL_MODULES") == "1":
        return names
    return [n for n in names if n in SAMPLE]


@pytest.mark.timeout(1800)
def test_accessibility_of_every_module(tmp_path, request):
    _require_browser()
    source, reason = B.axe_source()
    if source is None:
        if os.environ.get("REQUIRE_NODE") == "1":
            pytest.fail(f"REQUIRE_NODE=1 but axe-core is unavailable: {reason}")
        pytest.skip(f"axe-core unavailable: {reason}")
    from playwright.sync_api import sync_playwright

    report: dict[str, dict] = {}
    with B.course_server(tmp_path, B.AUDIT_SETTINGS) as (base, token, log_path), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(B.CHROMIUM), args=B.CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        outside = B.OutsideRequests().install(context)
        page = context.new_page()
        try:
            for i, name in enumerate(_modules()):
                B.open_notebook(page, base, token, name, workspace=f"audit{i}")
                B.run_all(page)
                # Every module ends with widgets (its self-check): audit once they are drawn.
                page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output .jupyter-widgets").first.wait_for(timeout=90_000)
                page.wait_for_timeout(1500)
                result = B.axe_audit(page, source)
                report[name] = B.tally(result)
                # Leave the page, then shut its kernel down: the next module starts on a quiet machine.
                page.goto("about:blank")
                B.shut_down_sessions(context, base, token)
        except BaseException:
            _save_failure(page, log_path, request.node.name)
            raise
        finally:
            browser.close()
            ARTIFACTS.mkdir(exist_ok=True)
            (ARTIFACTS / "accessibility.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    assert not outside.blocked, f"requests left the machine: {outside.blocked[:5]}"
    serious = {m: r["course_serious"] for m, r in report.items() if r["course_serious"]}
    assert not serious, "serious/critical violations in course content:\n" + json.dumps(serious, indent=1)[:4000]
