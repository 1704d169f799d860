"""`python3 dev.py course`: the command and settings it would use, built without launching anything."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def dev():
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["dev_script"] = module
    spec.loader.exec_module(module)
    return module


def _opt(args: list[str], name: str) -> str:
    return next(a.split("=", 1)[1] for a in args if a.startswith(f"--{name}="))


def test_course_opens_module_00_with_the_browser_rooted_at_notebooks(dev):
    args, url = dev.lab_command(8899, "abc", instructor=False)
    assert Path(_opt(args, "ServerApp.root_dir")) == ROOT / "notebooks"
    assert _opt(args, "ServerApp.default_url") == "/lab/tree/00_start_here.ipynb"
    assert (ROOT / "notebooks" / "00_start_here.ipynb").is_file()
    assert url == "http://127.0.0.1:8899/lab/tree/00_start_here.ipynb?token=abc"
    assert _opt(args, "IdentityProvider.token") == "abc" and _opt(args, "ServerApp.port") == "8899"


def test_instructor_course_is_rooted_at_the_repository(dev):
    args, url = dev.lab_command(8899, "abc", instructor=True)
    assert Path(_opt(args, "ServerApp.root_dir")) == ROOT
    assert url.endswith("/lab/tree/notebooks/00_start_here.ipynb?token=abc")


def test_settings_hide_news_and_instructor_panels_unless_instructor(dev, tmp_path):
    files = dev.write_lab_settings(tmp_path, instructor=False)
    overrides = json.loads(files["overrides"].read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    disabled = json.loads(files["page_config"].read_text())["disabledExtensions"]
    for plugin in ("formgrader", "create-assignment", "course-list", "assignment-list", "menu"):
        assert disabled[f"@jupyter/nbgrader:{plugin}"] is True
    assert "@jupyter/nbgrader:validate-assignment" not in disabled
    # Another extension's entry survives; --instructor shows the instructor tools again.
    page = files["page_config"]
    page.write_text(json.dumps({"disabledExtensions": {**disabled, "other:plugin": True}}))
    dev.write_lab_settings(tmp_path, instructor=True)
    disabled = json.loads(page.read_text())["disabledExtensions"]
    assert disabled == {"other:plugin": True}


def test_binder_hides_the_same_plugins(dev):
    text = (ROOT / "postBuild").read_text(encoding="utf-8")
    listed = re.search(r'for plugin in \(([^)]*)\):', text).group(1)
    names = {f"@jupyter/nbgrader:{n}" for n in re.findall(r'"([\w-]+)"', listed)}
    assert names == set(dev.STUDENT_HIDDEN)


def test_course_refuses_an_unknown_option(dev):
    with pytest.raises(SystemExit, match="accepted: --instructor"):
        dev.main(["course", "--teacher"])
