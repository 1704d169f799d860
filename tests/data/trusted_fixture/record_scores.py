"""Write ``batch.json`` and record ``scores.json`` with the *old* in-kernel nbgrader grading.

Run once, on main at commit 901ea15 (2026-12-01), before issue 14 changed how grading works:

    PATH=$PWD/.venv/bin:$PATH .venv/bin/python tests/data/trusted_fixture/record_scores.py

``old_nbgrader/`` holds the source notebooks and the ``nbgrader_config.py`` (as ``.orig``) of that day. The batch
is a set of *honest* students (right, wrong, unanswered, answers in other accepted forms, case
answers computed in code or worked out by hand); each student is listed by the source of the
answer cells they changed from the released stub (a grade id not listed keeps the stub).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT / "tests"))

SECRET = "test-secret-not-for-real-use"      # the secret of tests/grading_support.py


def _solutions(assignment: str) -> dict[str, str]:
    import nbformat

    nb = nbformat.read(HERE / "old_nbgrader" / f"{assignment}.ipynb", as_version=4)
    out = {}
    for c in nb.cells:
        meta = c.metadata.get("nbgrader", {})
        if meta.get("solution") and c.cell_type == "code":
            out[meta["grade_id"]] = "\n".join(line for line in c.source.splitlines() if "### " not in line)
    return out


def _case_a05(student: str) -> int:
    from course import calculators
    from course.instructor import variants

    spec = json.loads(_case_spec("a05_scoring"))
    p = variants.draw(spec, key=variants.release_key("a05_scoring", SECRET.encode()), assignment="a05_scoring",
                      template="sins_lesion", student=student)
    return calculators.sins(level=p.level, pain=p.pain, bone_lesion=p.bone_lesion, alignment=p.alignment,
                            collapse=p.collapse, posterolateral=p.posterolateral).total


def _case_a06(student: str, alpha_beta: float | None = None) -> float:
    from course.instructor import variants

    spec = json.loads(_case_spec("a06_treatment"))
    p = variants.draw(spec, key=variants.release_key("a06_treatment", SECRET.encode()), assignment="a06_treatment",
                      template="eqd2_schedule", student=student)
    D, n = p.schedule
    ab = alpha_beta or p.alpha_beta
    return round(D * (D / n + ab) / (2 + ab), 2)


def _case_spec(assignment: str) -> str:
    import nbformat

    nb = nbformat.read(HERE / "old_nbgrader" / f"{assignment}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q6_case")
    return cell.source.split(" = ", 1)[1].split("\n")[0]


def batch() -> dict[str, dict[str, dict[str, str]]]:
    s05, s06 = _solutions("a05_scoring"), _solutions("a06_treatment")
    a05 = {
        "honest": dict(s05),
        "wrong_two": {**s05, "q1_answer": 'answer_q1 = "A"', "q4_answer": "answer_q4 = 12"},
        "other_forms": {**s05, "q1_answer": 'answer_q1 = " b "', "q2_answer": "answer_q2 = 'b'",
                        "q3_answer": 'answer_q3 = ["a", "c", "e", "g"]', "q4_answer": 'answer_q4 = "11"'},
        "string_set": {**s05, "q3_answer": 'answer_q3 = "ACEG"', "q4_answer": "answer_q4 = 11.0"},
        "numpy": {**s05, "q4_answer": "import numpy as np\nanswer_q4 = np.float64(11)",
                  "q6_answer": "import numpy as np\nanswer_q6 = np.int64(%d)" % _case_a05("numpy")},
        "unanswered": {},
        "half": {k: v for k, v in s05.items() if k not in {"q1_answer", "q2_answer", "q3_answer"}},
        "wrong_code_case": {**s05, "q5_answer": "sins_c7 = 9\nconsult_c7 = True", "q6_answer": "answer_q6 = -1"},
        "wrong_types": {**s05, "q1_answer": "answer_q1 = 2", "q3_answer": 'answer_q3 = {"A", "Z"}',
                        "q4_answer": "answer_q4 = True", "q5_answer": 'sins_c7 = "10"\nconsult_c7 = 1'},
        "by_hand": {**s05, "q6_answer": "answer_q6 = %d" % _case_a05("by_hand"),
                    "q5_answer": "sins_c7 = 10\nconsult_c7 = True"},
        "superset": {**s05, "q3_answer": 'answer_q3 = {"A", "C", "E", "G", "B"}'},
        "errors": {**s05, "q2_answer": "answer_q2 = undefined_name", "q6_answer": "answer_q6 = 1 / 0"},
    }
    bad_eqd2 = {
        "no_check": "def eqd2(D, n, ab):\n    return D * (D / n + ab) / (2 + ab)",
        "rounded": "def eqd2(D, n, ab):\n    if D <= 0 or n <= 0 or ab <= 0:\n        raise ValueError('no')\n"
                   "    return round(D * (D / n + ab) / (2 + ab), 1)",
        "typeerror": "def eqd2(D, n, ab):\n    if D <= 0 or n <= 0 or ab <= 0:\n        raise TypeError('no')\n"
                     "    return D * (D / n + ab) / (2 + ab)",
        "via_calculators": "def eqd2(D, n, ab):\n    r = calculators.bed_eqd2(total_dose_gy=D, fractions=n, alpha_beta_gy=ab)\n"
                           "    return r.by_alpha_beta[ab].EQD2",
    }
    a06 = {
        "honest": dict(s06),
        "wrong_two": {**s06, "q2_answer": 'answer_q2 = "A"', "q3_answer": 'answer_q3 = {"A", "B", "E"}'},
        "tolerance_in": {**s06, "q4_answer": "answer_q4 = 44.04", "q6_answer": "answer_q6 = %r" % _case_a06("tolerance_in")},
        "tolerance_out": {**s06, "q4_answer": "answer_q4 = 44.1",
                          "q6_answer": "answer_q6 = %r" % (_case_a06("tolerance_out") + 0.2)},
        "wrong_ab": {**s06, "q6_answer": "answer_q6 = %r" % _case_a06("wrong_ab", alpha_beta=100)},
        "unanswered": {},
        "half": {k: v for k, v in s06.items() if k in {"q4_answer", "q5_answer"}},
        **{f"eqd2_{name}": {**s06, "q5_answer": src} for name, src in bad_eqd2.items()},
        "eqd2_numpy": {**s06, "q5_answer": "import numpy as np\n" + s06["q5_answer"].replace(
            "return D * (d + ab) / (2 + ab)", "return np.float64(D * (d + ab) / (2 + ab))")},
        "other_forms": {**s06, "q1_answer": 'answer_q1 = "b "', "q3_answer": 'answer_q3 = ("b", "a")',
                        "q4_answer": "answer_q4 = 44"},
    }
    return {"a05_scoring": a05, "a06_treatment": a06}


def fill(release_nb: Path, answers: dict[str, str]):
    """The released notebook with the answer cells named in ``answers`` replaced."""
    import nbformat

    nb = nbformat.read(release_nb, as_version=4)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    return nb


def main() -> None:
    import os

    from grading_support import run_cli, submit

    data = batch()
    (HERE / "batch.json").write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    env = dict(os.environ, COURSE_GRADING_SECRET=SECRET)
    env.pop("COURSE_GRADING_SECRET_FILE", None)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        course = Path(tmp) / "grading"
        (course / "source").mkdir(parents=True)
        shutil.copy(HERE / "old_nbgrader" / "nbgrader_config.py.orig", course / "nbgrader_config.py")
        for a in data:
            (course / "source" / a).mkdir()
            shutil.copy(HERE / "old_nbgrader" / f"{a}.ipynb", course / "source" / a)
            run_cli(course, "generate", a, env=env)
            for student, answers in data[a].items():
                submit(course, student, a, fill(course / "release" / a / f"{a}.ipynb", answers))
            subprocess.run([sys.executable, "-m", "nbgrader", "autograde", a, "--force"], cwd=course, env=env,
                           check=True, capture_output=True)
            from course.instructor.parallel import Course, scores
            out[a] = {s: v[0] for s, v in sorted(scores(Course(course), a).items())}
    (HERE / "scores.json").write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
