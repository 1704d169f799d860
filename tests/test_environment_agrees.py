"""pyproject.toml (pip) and environment.yml (conda-forge, Binder) must pin the same ranges."""

from __future__ import annotations

import re
import tomllib

import yaml

from conftest import ROOT

# pip name → conda-forge name, where they differ.
CONDA_NAME = {"pyyaml": "pyyaml"}


def _split(spec: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    assert m, spec
    return m.group(1).lower(), m.group(2).replace(" ", "")


def pip_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return dict(_split(s) for s in project["dependencies"])


def conda_requirements() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    out = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str):
            name, spec = _split(dep)
            out[name] = spec
    return out


def test_same_packages_and_ranges():
    pip = {CONDA_NAME.get(k, k): v for k, v in pip_requirements().items()}
    conda = {k: v for k, v in conda_requirements().items() if k not in {"python", "pip"}}
    assert pip == conda


def test_python_version_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    conda_python = conda_requirements()["python"]
    m = re.match(r"^=(\d+)\.(\d+)", conda_python)
    assert m, "pin python=3.X in environment.yml"
    low = re.search(r">=(\d+)\.(\d+)", project["requires-python"])
    high = re.search(r"<(\d+)\.(\d+)", project["requires-python"])
    version = (int(m.group(1)), int(m.group(2)))
    assert (int(low.group(1)), int(low.group(2))) <= version < (int(high.group(1)), int(high.group(2)))
