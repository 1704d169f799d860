"""Binder (repo2docker) files: postBuild, the JupyterLab overrides, the start page and the README link.

environment.yml versus pyproject.toml is checked in tests/test_environment_agrees.py. Here:

* the root holds what repo2docker reads (no ``binder/`` folder that would hide it);
* postBuild is executable, installs the package with ``--no-deps`` and deletes the answer material;
* postBuild is *run* on a copy of the repository (with ``python -m pip`` stubbed out) into which
  canary answer files were planted; a leak scan of what remains must find nothing, and the scan
  must have found the canaries before (so it can fail);
* postBuild's own leak guard fails the build when answer material sits somewhere it does not delete;
* the overrides validate against the installed JupyterLab's settings schemas;
* the README's Binder link is the one derived from ``[project.urls] Repository``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import ROOT

POSTBUILD = ROOT / "postBuild"
OVERRIDES = ROOT / "jupyterlab-overrides.json"
START = "notebooks/00_start_here.ipynb"
#: Paths a student must never receive (postBuild deletes them).
MUST_REMOVE = ["grading/source", "grading/tools", "grading/rubrics", "tests/fixtures", "tests"]
# nbgrader's region markers and the rubrics' headings, spelled in pieces so this file never matches
# its own scan.
_B, _S, _H, _M = "BEGIN", "SOLUTION", "HIDDEN TESTS", "MARK SCHEME"
MARKER = re.compile(r"^\s*(#+\s*(%s|END)\s+(%s|%s|%s)\b|\*\*(Model %s|Rubric)\b)" % (_B, _S, _H, _M, "answer"))
TEXT_SUFFIXES = {".py", ".ipynb", ".md", ".txt", ".yaml", ".yml", ".json", ".cfg", ".toml", ".sh"}


def leak_scan(root: Path) -> list[str]:
    """Every solution / hidden-test marker line under ``root`` (notebooks read cell by cell)."""
    leaks = []
    for path in sorted(root.rglob("*")):
        if ".git" in path.parts or not path.is_file() or path.suffix not in TEXT_SUFFIXES:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        lines = text.splitlines()
        if path.suffix == ".ipynb":
            try:
                cells = json.loads(text).get("cells", [])
                lines = [line for c in cells for line in "".join(c.get("source", "")).splitlines()]
            except ValueError:
                pass
        leaks += [f"{path.relative_to(root)}: {line.strip()}" for line in lines if MARKER.match(line)]
    # Answer keys by name, wherever they are.
    leaks += [str(p.relative_to(root)) for p in root.rglob("*answer_key*")]
    return leaks


def instructor_leak_scan(root: Path) -> list[str]:
    """The instructor tooling's scan: no line of any solution or hidden test of grading/source, and
    no graded numeric answer, anywhere under ``root`` (markers are left to :func:`leak_scan`)."""
    try:
        from course.instructor.leakcheck import scan, secrets_of
    except ImportError:
        return []
    snippets: list[str] = []
    numbers: list[str] = []
    for source in sorted((ROOT / "grading" / "source").glob("*/*.ipynb")):
        s, n = secrets_of(source)
        snippets += s
        numbers += n
    return [p.replace(str(root) + os.sep, "") for p in scan([root], snippets, numbers, markers=False)]


def repo_files() -> list[str]:
    """What a git clone (what Binder builds) would contain, including files not committed yet."""
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [f for f in out.split("\0") if f]


def _notebook(*sources: str) -> str:
    cells = [{"cell_type": "code", "id": f"cell{i}", "metadata": {}, "execution_count": None, "outputs": [],
              "source": s} for i, s in enumerate(sources)]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def plant_canaries(repo: Path) -> list[Path]:
    """Answer material of the kinds postBuild must delete."""
    canaries = {
        "grading/source/m01/m01.ipynb": _notebook(f"x = 1\n### {_B} {_S}\nx = 33\n### END {_S}",
                                                  f"### {_B} {_H}\nassert x == 33\n### END {_H}"),
        "grading/tools/make_answers.py": f"# {_B} {_S}\nprint(33)\n# END {_S}\n",
        "tests/fixtures/submissions/s1/m01/m01.ipynb": _notebook(f"### {_B} {_H}\nassert True\n### END {_H}"),
        "grading/answer_key.yaml": "q1: 33\n",
        "grading/rubrics/a99.md": "# Rubrics\n\n**Model " + "answer.** The cord ends at L1.\n",
        "grading/new_instructor_notes.md": f"## {_B} {_M}\n",
    }
    paths = []
    for rel, text in canaries.items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture()
def repo_copy(tmp_path: Path) -> Path:
    """A copy of the repository as Binder would clone it."""
    repo = tmp_path / "repo"
    for rel in repo_files():
        src = ROOT / rel
        if src.is_file():
            dst = repo / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    return repo


def run_postbuild(repo: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, Path, Path]:
    """Run postBuild in ``repo`` with ``python -m pip`` stubbed (logged) and a temporary prefix."""
    bin_dir, prefix, log = tmp_path / "bin", tmp_path / "prefix", tmp_path / "pip.log"
    bin_dir.mkdir()
    shim = bin_dir / "python"
    shim.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then echo "$@" >> "$PIP_LOG"; exit 0; fi\n'
        f'exec "{sys.executable}" "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
           "NB_PYTHON_PREFIX": str(prefix), "PIP_LOG": str(log)}
    result = subprocess.run(["bash", str(repo / "postBuild")], cwd=repo, env=env,
                            capture_output=True, text=True, timeout=120)
    return result, prefix, log


# ----------------------------------------------------------------------------------------------
def test_root_layout_is_what_repo2docker_reads():
    assert (ROOT / "environment.yml").is_file()
    for hidden in ("binder", ".binder"):
        assert not (ROOT / hidden).exists(), f"a {hidden}/ folder makes repo2docker ignore the root environment.yml"
    # Other dependency files would be installed on top of the conda environment.
    for other in ("requirements.txt", "setup.py", "Pipfile", "runtime.txt", "install.R", "apt.txt"):
        assert not (ROOT / other).exists(), other


def test_postbuild_is_executable_and_installs_without_dependencies():
    assert os.access(POSTBUILD, os.X_OK), "chmod +x postBuild"
    mode = subprocess.run(["git", "ls-files", "-s", "postBuild"], cwd=ROOT, capture_output=True, text=True).stdout
    if mode:  # committed: git must record it as executable too (Binder builds from git)
        assert mode.startswith("100755"), mode
    text = POSTBUILD.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in text
    assert re.search(r"^\s*python -m pip install --no-deps (--no-cache-dir )?\.$", text, flags=re.M)
    for path in MUST_REMOVE:
        assert re.search(rf"^\s+{re.escape(path)}$", text, flags=re.M), f"postBuild must remove {path}"


def test_postbuild_leaves_no_answer_material(repo_copy: Path, tmp_path: Path):
    canaries = plant_canaries(repo_copy)
    before = leak_scan(repo_copy)
    for canary in canaries:  # the scan can see each kind of leak
        assert any(line.startswith(str(canary.relative_to(repo_copy))) for line in before), canary

    if list((ROOT / "grading" / "source").glob("*/*.ipynb")):  # the instructor scan sees the sources
        assert any(p.startswith("grading") for p in instructor_leak_scan(repo_copy))

    result, prefix, log = run_postbuild(repo_copy, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "leak guard passed" in result.stdout

    assert leak_scan(repo_copy) == []
    assert instructor_leak_scan(repo_copy) == []
    for path in MUST_REMOVE:
        assert not (repo_copy / path).exists(), path
    # What students need is still there.
    assert (repo_copy / START).is_file()
    assert (repo_copy / "course" / "__init__.py").is_file()
    assert (repo_copy / "environment.yml").is_file()
    # The package was installed, without dependencies, from the repository root.
    assert log.read_text(encoding="utf-8").split("\n")[0].split() == [
        "-m", "pip", "install", "--no-deps", "--no-cache-dir", "."]
    # JupyterLab overrides and the start page.
    installed = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert json.loads(installed.read_text()) == json.loads(OVERRIDES.read_text())
    server = json.loads((prefix / "etc" / "jupyter" / "jupyter_server_config.d" / "spine-course.json").read_text())
    assert server["ServerApp"]["default_url"] == f"/lab/tree/{START}"
    page_config = json.loads((prefix / "etc" / "jupyter" / "labconfig" / "page_config.json").read_text())
    assert page_config["disabledExtensions"]["@jupyter/nbgrader:formgrader"] is True
    assert "@jupyter/nbgrader:validate-assignment" not in page_config["disabledExtensions"]


def test_postbuild_guard_fails_the_build_on_a_leak_it_does_not_delete(repo_copy: Path, tmp_path: Path):
    leak = repo_copy / "notebooks" / "zz_leak.ipynb"
    leak.write_text(_notebook(f"### {_B} {_S}\nanswer = 33\n### END {_S}"), encoding="utf-8")
    result, _, _ = run_postbuild(repo_copy, tmp_path)
    assert result.returncode != 0
    assert "zz_leak.ipynb" in result.stderr


def test_overrides_validate_against_jupyterlab_schemas():
    jsonschema = pytest.importorskip("jsonschema")
    schemas = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"
    overrides = json.loads(OVERRIDES.read_text(encoding="utf-8"))
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    for plugin, settings in overrides.items():
        package, _, name = plugin.partition(":")
        schema_path = schemas / package / f"{name}.json"
        assert schema_path.is_file(), f"{plugin}: no such settings schema in this JupyterLab"
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        for key, value in settings.items():
            assert key in schema["properties"], f"{plugin}: unknown setting {key}"
            jsonschema.validate(value, schema["properties"][key])


def test_readme_binder_link_derives_from_pyproject():
    from course.site import binder_link

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"https://mybinder\.org/v2/[^)\s\"]+", readme)
    for link in links:
        assert link.endswith("?urlpath=lab/tree/" + START), link
    assert (ROOT / START).is_file()
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"].get("urls", {})
    if "Repository" not in urls:
        pytest.skip("pyproject.toml has no [project.urls] Repository yet: the Binder link cannot be derived")
    expected = binder_link(urls["Repository"])
    assert expected in links, f"README's Binder link should be {expected} (python -m course.site binder-badge)"


def test_binder_link_template():
    from course.site import binder_link

    assert binder_link("https://github.com/acme/spine-course") == (
        "https://mybinder.org/v2/gh/acme/spine-course/HEAD?urlpath=lab/tree/notebooks/00_start_here.ipynb")
    assert binder_link("https://gitlab.com/acme/spine-course.git").startswith(
        "https://mybinder.org/v2/gl/acme%2Fspine-course/HEAD?urlpath=")
    with pytest.raises(ValueError, match="repo_url"):
        binder_link("acme/spine-course")
