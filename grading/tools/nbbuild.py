"""Small DSL that writes an nbgrader source notebook (cell metadata, solutions, hidden tests).

Used by ``build_assignments.py``; see ``grading/README.md`` ("Adding a question") for usage.
Every item becomes: a read-only markdown prompt, an answer cell (solution region) and an
autograded test cell whose visible part checks only the *form* of the answer and whose hidden
part (``### BEGIN HIDDEN TESTS``) checks the value. Written items are manually graded markdown
answer cells; their model answer and rubric sit inside the solution region, so the release strips
them, and they are also written to ``grading/rubrics/<assignment>.md`` for graders.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

LETTERS = "ABCDEFGH"


def _dedent(s: str) -> str:
    return textwrap.dedent(s).strip("\n")


@dataclass
class Item:
    """Bookkeeping for one graded item (used by the README tables and the leak check)."""

    id: str
    kind: str
    points: float
    objective: str
    answer: Any = None


@dataclass
class Assignment:
    name: str
    title: str
    objectives: dict[str, str]
    minutes: int
    intro: str = ""
    cells: list = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    rubrics: list[str] = field(default_factory=list)
    _n: int = 0
    _has_cases: bool = False

    # ---- cell helpers -------------------------------------------------------------------
    def _meta(self, grade_id: str, *, grade=False, solution=False, locked=False, points=None):
        meta = {"grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id,
                "schema_version": 3}
        if points is not None:
            meta["points"] = points
        return {"nbgrader": meta}

    def _readonly_md(self, text: str, gid: str) -> None:
        self.cells.append(new_markdown_cell(_dedent(text), metadata=self._meta(gid, locked=True)))

    def _readonly_code(self, code: str, gid: str) -> None:
        self.cells.append(new_code_cell(_dedent(code), metadata=self._meta(gid, locked=True)))

    def _answer_code(self, code: str, gid: str) -> None:
        self.cells.append(new_code_cell(_dedent(code), metadata=self._meta(gid, solution=True)))

    def _test(self, visible: str, hidden: str, gid: str, points: float) -> None:
        src = _dedent(visible) + "\n### BEGIN HIDDEN TESTS\n" + _dedent(hidden) + "\n### END HIDDEN TESTS"
        self.cells.append(new_code_cell(src, metadata=self._meta(gid, grade=True, locked=True,
                                                                  points=points)))

    def _num(self) -> int:
        self._n += 1
        return self._n

    # ---- structure ------------------------------------------------------------------------
    def header(self) -> None:
        objectives = "\n".join(f"{i}. **{k}** — {v}" for i, (k, v) in enumerate(self.objectives.items(), 1))
        text = _dedent("""
            # Graded assignment {num}: {title}

            {intro}

            **Learning objectives assessed**

            {objectives}

            **How to work.** Answer in the cells marked `# YOUR CODE HERE` (replace the
            `raise NotImplementedError()` line) and in the text cells marked *YOUR ANSWER HERE*.
            The checks under each answer only test the *form* of your answer (for instance that you
            gave one letter); the autograder checks the value with hidden tests after you submit.
            You may use `course.calculators` and your notes. Before submitting, run
            *Kernel → Restart & Run All* and check that every cell runs.

            *Educational use only — not for clinical decisions.*
            """).format(num=self.name[1:].split("_")[0], title=self.title, intro=self.intro, objectives=objectives)
        self._readonly_md(text, "header")
        self._readonly_code("""
            from course import calculators
            from course.instructor import variants
            """, "setup_imports")

    def case_setup(self) -> None:
        """Cells that identify the student and carry the release key (needed by case items)."""
        self._has_cases = True
        self.cells.append(new_markdown_cell(_dedent("""
            ### Your own patient
            The case questions use a patient drawn for **you**: your neighbours have different
            numbers. On the course JupyterHub your id is filled in automatically; elsewhere type the
            course id your instructor gave you between the quotes below.
            """)))
        self.cells.append(new_code_cell('STUDENT_ID = ""  # e.g. STUDENT_ID = "jdoe"'))
        self.cells.append(new_code_cell(
            "# Filled in by the instructor's release step — do not edit.\nRELEASE_KEY = None",
            metadata={"tags": ["course-release-key"]}))
        self._readonly_code("""
            STUDENT_ID = variants.student_id(STUDENT_ID)
            print(f"Case questions are drawn for student id: {STUDENT_ID}")
            """, "setup_student")

    # ---- items ------------------------------------------------------------------------------
    def single(self, prompt: str, options: list[str], answer: str, *, objective: str,
               points: float = 1) -> None:
        n = self._num()
        var = f"answer_q{n}"
        opts = "\n".join(f"- **{LETTERS[i]}** {o}" for i, o in enumerate(options))
        self._readonly_md(f"**Question {n}** ({points:g} point{'s' if points != 1 else ''}, {objective}). "
                          f"{_dedent(prompt)}\n\n{opts}\n\nSet `{var}` to one letter.", f"q{n}_prompt")
        self._answer_code(f"""
            ### BEGIN SOLUTION
            {var} = "{answer}"
            ### END SOLUTION
            """, f"q{n}_answer")
        letters = LETTERS[: len(options)]
        self._test(f"""
            assert isinstance({var}, str) and {var}.strip().upper() in set("{letters}"), "give one letter, e.g. \\"A\\""
            """, f"""
            assert {var}.strip().upper() == "{answer}"
            """, f"q{n}_test", points)
        self.items.append(Item(f"q{n}", "single", points, objective, answer))

    def multiple(self, prompt: str, options: list[str], answer: set[str], *, objective: str,
                 points: float = 2) -> None:
        n = self._num()
        var = f"answer_q{n}"
        opts = "\n".join(f"- **{LETTERS[i]}** {o}" for i, o in enumerate(options))
        key = "".join(sorted(answer))
        self._readonly_md(f"**Question {n}** ({points:g} points, {objective}). {_dedent(prompt)} "
                          f"*Select all that apply* (all or nothing).\n\n{opts}\n\n"
                          f"Set `{var}` to the set of letters, e.g. `{{\"A\", \"B\"}}`.", f"q{n}_prompt")
        self._answer_code(f"""
            ### BEGIN SOLUTION
            {var} = {{{", ".join(repr(x) for x in sorted(answer))}}}
            ### END SOLUTION
            """, f"q{n}_answer")
        letters = LETTERS[: len(options)]
        self._test(f"""
            _chosen = {{str(x).strip().upper() for x in {var}}}
            assert _chosen and _chosen <= set("{letters}"), "give a set of letters, e.g. {{\\"A\\", \\"B\\"}}"
            """, f"""
            assert "".join(sorted(_chosen)) == "{key}"
            """, f"q{n}_test", points)
        self.items.append(Item(f"q{n}", "multiple", points, objective, key))

    def numeric(self, prompt: str, answer: float, tolerance: float, *, objective: str, unit: str = "",
                solution: str | None = None, points: float = 2) -> None:
        n = self._num()
        var = f"answer_q{n}"
        u = f" (in {unit})" if unit else ""
        self._readonly_md(f"**Question {n}** ({points:g} points, {objective}). {_dedent(prompt)}\n\n"
                          f"Set `{var}` to a number{u}; answers within ±{tolerance:g} are accepted.",
                          f"q{n}_prompt")
        body = solution if solution is not None else f"{var} = {answer!r}"
        self._answer_code(f"### BEGIN SOLUTION\n{_dedent(body)}\n### END SOLUTION", f"q{n}_answer")
        self._test(f"""
            assert not isinstance({var}, bool) and float({var}) == float({var}), "give a number"
            """, f"""
            assert abs(float({var}) - {answer!r}) <= {tolerance!r}
            """, f"q{n}_test", points)
        self.items.append(Item(f"q{n}", "numeric", points, objective, answer))

    def code(self, prompt: str, solution: str, visible: str, hidden: str, *, objective: str,
             points: float = 3, stub_header: str = "") -> None:
        n = self._num()
        self._readonly_md(f"**Question {n}** ({points:g} points, {objective}). {_dedent(prompt)}",
                          f"q{n}_prompt")
        head = _dedent(stub_header) + "\n" if stub_header else ""
        self._answer_code(f"{head}### BEGIN SOLUTION\n{_dedent(solution)}\n### END SOLUTION", f"q{n}_answer")
        self._test(visible, hidden, f"q{n}_test", points)
        self.items.append(Item(f"q{n}", "code", points, objective, None))

    def case(self, template: str, spec: dict, describe: str, prompt: str, expected: str,
             solution: str, tolerance: float, *, objective: str, unit: str = "", points: float = 3) -> None:
        """A numeric item on the student's own patient.

        ``spec``: the template's parameter ranges; ``describe``: an f-string body printed for the
        student (names of ``patient``); ``expected``: an expression in ``_p`` (the grading patient)
        giving the expected answer — it only ever appears in the hidden test.
        """
        assert self._has_cases, "call case_setup() before the first case item"
        n = self._num()
        var = f"answer_q{n}"
        const = f"CASE_{template.upper()}"
        spec_src = json.dumps(spec)
        self._readonly_md(f"**Question {n}** ({points:g} points, {objective}) — *your own patient.* "
                          f"{_dedent(prompt)}\n\nSet `{var}` to a number{f' (in {unit})' if unit else ''}; "
                          f"answers within ±{tolerance:g} are accepted.", f"q{n}_prompt")
        self._readonly_code(f"""
            {const} = {spec_src}
            patient = variants.my_case({const}, assignment="{self.name}", template="{template}",
                                       key=RELEASE_KEY, student=STUDENT_ID)
            print(f"{describe}")
            """, f"q{n}_case")
        self._answer_code(f"### BEGIN SOLUTION\n{_dedent(solution)}\n### END SOLUTION", f"q{n}_answer")
        self._test(f"""
            assert not isinstance({var}, bool) and float({var}) == float({var}), "give a number"
            """, f"""
            _p = variants.grading_case({spec_src}, assignment="{self.name}", template="{template}")
            _expected = {expected}
            assert abs(float({var}) - _expected) <= {tolerance!r}, "not the expected value for this student's patient"
            """, f"q{n}_test", points)
        self.items.append(Item(f"q{n}", "case", points, objective, None))

    def written(self, prompt: str, model_answer: str, rubric: list[tuple[float, str]], *,
                objective: str) -> None:
        n = self._num()
        points = sum(p for p, _ in rubric)
        self._readonly_md(f"**Question {n}** ({points:g} points, {objective}, graded by hand). "
                          f"{_dedent(prompt)}\n\nWrite your answer in the cell below "
                          "(a short paragraph or a few bullet points).", f"q{n}_prompt")
        rubric_md = "\n".join(f"- **{p:g} pt** — {t}" for p, t in rubric)
        text = (f"=== BEGIN SOLUTION ===\n**Model answer.** {_dedent(model_answer)}\n\n"
                f"**Rubric ({points:g} points).**\n{rubric_md}\n=== END SOLUTION ===")
        self.cells.append(new_markdown_cell(text, metadata=self._meta(f"q{n}_written", grade=True,
                                                                      solution=True, points=points)))
        self.rubrics.append(f"## Question {n} ({points:g} points, {objective})\n\n{_dedent(prompt)}\n\n"
                            f"**Model answer.** {_dedent(model_answer)}\n\n**Rubric.**\n{rubric_md}\n")
        self.items.append(Item(f"q{n}", "written", points, objective, None))

    # ---- output -----------------------------------------------------------------------------
    @property
    def max_points(self) -> float:
        return sum(i.points for i in self.items)

    def notebook(self) -> nbformat.NotebookNode:
        nb = new_notebook(cells=self.cells)
        nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                     "name": "python3"}
        nb.metadata["language_info"] = {"name": "python"}
        return nb

    def write(self, grading_dir: Path) -> Path:
        path = grading_dir / "source" / self.name / f"{self.name}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nb = self.notebook()
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"{self.name}-{i:02d}"
        nbformat.validate(nb)
        path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
        rub = grading_dir / "rubrics" / f"{self.name}.md"
        rub.parent.mkdir(parents=True, exist_ok=True)
        rub.write_text(f"# Rubrics — {self.name}: {self.title}\n\nInstructor-only; never released.\n\n"
                       + "\n".join(self.rubrics), encoding="utf-8")
        return path
