"""Small DSL that writes an nbgrader source notebook (cell metadata, solutions, item specs).

Used by ``build_assignments.py``; see ``grading/README.md`` ("Adding a question") for usage.
Every autograded item becomes: a read-only markdown prompt, an answer cell (solution region) and a
test cell. The test cell's visible part records the answer values as plain data and checks only
their *form* (for the student); its hidden part (``### BEGIN HIDDEN TESTS``) is the item declared
as data (one ``# course-item: {json}`` line) that the trusted grader reads in the grader process
(``course.instructor.trusted``), never in the student's kernel. Written items are manually graded
markdown answer cells; their model answer and rubric sit inside the solution region, so the
release strips them, and they are also written to ``grading/rubrics/<assignment>.md`` for graders.
"""

from __future__ import annotations

import ast
import builtins
import json
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

LETTERS = "ABCDEFGH"
ITEM_PREFIX = "# course-item: "
# Names a check may use without the student defining them: the trusted grader provides them
# (``variants`` is the grader's, drawing the patient of the collected path's student; any
# ``course`` module name is the grader's own import of it).
TRUSTED_NAMES = {"calculators", "variants", "answers", "math"}


def _course_modules() -> set[str]:
    import pkgutil

    import course

    return {m.name for m in pkgutil.iter_modules(course.__path__)}


def _dedent(s: str) -> str:
    return textwrap.dedent(s).strip("\n")


def student_names(code: str) -> list[str]:
    """The names a check reads but does not define: what the student's answer cells must define."""
    tree = ast.parse(code)
    stored, loaded = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                loaded.append((node.lineno, node.col_offset, node.id))
            else:
                stored.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            stored.add(node.name)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            stored.add(node.name)
        elif isinstance(node, ast.alias):
            stored.add(node.asname or node.name.split(".")[0])
    skip = stored | TRUSTED_NAMES | _course_modules() | set(dir(builtins))
    return list(dict.fromkeys(n for *_, n in sorted(loaded) if n not in skip))


def trusted_modules(code: str) -> list[str]:
    """The ``course`` modules a check reads by name (imported by the grader for it)."""
    names = {n.id for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Name)}
    return sorted(names & (_course_modules() - {"instructor"}))


@dataclass
class Item:
    """One graded item: bookkeeping (README tables, leak check) and ``spec``, the item as data that
    the trusted grader reads (kind, points, the answer names, the key)."""

    id: str
    kind: str
    points: float
    objective: str
    answer: Any = None
    spec: dict = field(default_factory=dict)
    level: str = ""        # recall | application | reasoning (see LEVELS below)
    assesses: str = ""     # clinical | code: what the points measure (tests/test_assessment_balance.py)


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
            The check under each answer only tests the *form* of your answer (for instance that you
            gave one letter); the autograder grades the value after you submit.
            You may use `course.calculators` and your notes. Before submitting, run
            *Kernel → Restart & Run All* and check that every cell runs.

            *Educational use only — not for clinical decisions.*
            """).format(num=self.name[1:].split("_")[0], title=self.title, intro=self.intro, objectives=objectives)
        self._readonly_md(text, "header")
        self._readonly_code("""
            from course import calculators
            from course.instructor import answers, variants
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
    # Every autograded item is declared as data (``Item.spec``). Its test cell holds, visibly, one
    # call that records the answer values as plain data (and tells the student whether their answer
    # has the right *form*) and, in the hidden region, the item's spec. The trusted grader
    # (``course.instructor.trusted``, run by nbgrader in the grader process) takes the spec out of
    # the cell before the student's kernel starts, reads the recorded values after it ran, and
    # scores them: nothing in the kernel decides a grade.
    def _graded(self, n: int, kind: str, points: float, objective: str, names: list[str], spec: dict,
                check: str, *, visible: str = "", answer: Any = None) -> None:
        full = {"id": f"q{n}", "kind": kind, "points": points, "names": names, **spec}
        src = check + (("\n" + _dedent(visible)) if visible.strip() else "")
        hidden = ITEM_PREFIX + json.dumps(full, sort_keys=True, ensure_ascii=False)
        self._test(src, hidden, f"q{n}_test", points)
        self.items.append(Item(f"q{n}", kind, points, objective, answer, full))

    @staticmethod
    def _check(n: int | str, names: list[str], **form: Any) -> str:
        args = "".join(f", {k}={v!r}" for k, v in form.items())
        return f"answers.check(\"q{n}\", globals(), {names!r}{args})"

    def single(self, prompt: str, options: list[str], answer: str, *, objective: str,
               points: float = 1) -> None:
        n = self._num()
        var = f"answer_q{n}"
        letters = LETTERS[: len(options)]
        assert answer in letters, f"q{n}: answer {answer!r} is not one of {letters}"
        opts = "\n".join(f"- **{LETTERS[i]}** {o}" for i, o in enumerate(options))
        self._readonly_md(f"**Question {n}** ({points:g} point{'s' if points != 1 else ''}, {objective}). "
                          f"{_dedent(prompt)}\n\n{opts}\n\nSet `{var}` to one letter.", f"q{n}_prompt")
        self._answer_code(f"""
            ### BEGIN SOLUTION
            {var} = "{answer}"
            ### END SOLUTION
            """, f"q{n}_answer")
        self._graded(n, "single", points, objective, [var], {"letters": letters, "answer": answer},
                     self._check(n, [var], form="letter", letters=letters), answer=answer)

    def multiple(self, prompt: str, options: list[str], answer: set[str], *, objective: str,
                 points: float = 2) -> None:
        n = self._num()
        var = f"answer_q{n}"
        letters = LETTERS[: len(options)]
        key = "".join(sorted(answer))
        assert set(key) <= set(letters), f"q{n}: answer {key!r} not within {letters}"
        opts = "\n".join(f"- **{LETTERS[i]}** {o}" for i, o in enumerate(options))
        self._readonly_md(f"**Question {n}** ({points:g} points, {objective}). {_dedent(prompt)} "
                          f"*Select all that apply* (all or nothing).\n\n{opts}\n\n"
                          f"Set `{var}` to the set of letters, e.g. `{{\"A\", \"B\"}}`.", f"q{n}_prompt")
        self._answer_code(f"""
            ### BEGIN SOLUTION
            {var} = {{{", ".join(repr(x) for x in sorted(answer))}}}
            ### END SOLUTION
            """, f"q{n}_answer")
        self._graded(n, "multiple", points, objective, [var], {"letters": letters, "answer": key},
                     self._check(n, [var], form="letters", letters=letters), answer=key)

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
        self._graded(n, "numeric", points, objective, [var], {"answer": answer, "tolerance": tolerance},
                     self._check(n, [var], form="number"), answer=answer)

    def code(self, prompt: str, solution: str, visible: str, hidden: str, *, objective: str,
             points: float = 3, stub_header: str = "") -> None:
        """A code item: ``visible`` and ``hidden`` are Python checks (assertions) on the names the
        student defines. They run in the trusted grader: data names get the values recorded in the
        kernel, and a function is called in a fresh sandbox that returns only plain data or the name
        of the exception raised. ``visible`` is also shown (and run) in the student's notebook."""
        n = self._num()
        self._readonly_md(f"**Question {n}** ({points:g} points, {objective}). {_dedent(prompt)}",
                          f"q{n}_prompt")
        head = _dedent(stub_header) + "\n" if stub_header else ""
        self._answer_code(f"{head}### BEGIN SOLUTION\n{_dedent(solution)}\n### END SOLUTION", f"q{n}_answer")
        names = student_names(_dedent(visible) + "\n" + _dedent(hidden))
        modules = trusted_modules(_dedent(visible) + "\n" + _dedent(hidden))
        self._graded(n, "code", points, objective, names,
                     {"visible": _dedent(visible), "hidden": _dedent(hidden), "modules": modules},
                     self._check(n, names), visible=visible)

    def case(self, template: str, spec: dict, describe: str, prompt: str, expected: str,
             solution: str, tolerance: float, *, objective: str, unit: str = "", points: float = 3) -> None:
        """A numeric item on the student's own patient.

        ``spec``: the template's parameter ranges; ``describe``: an f-string body printed for the
        student (names of ``patient``); ``expected``: an expression in ``_p`` (the grading patient)
        giving the expected answer — the trusted grader evaluates it with the patient it draws
        from the secret and the student id of the collected path.
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
        self._graded(n, "case", points, objective, [var],
                     {"assignment": self.name, "template": template, "spec": spec, "expected": expected,
                      "tolerance": tolerance}, self._check(n, [var], form="number"))

    def key_feature(self, case: str, features: list[dict], *, objective: str,
                    points: float | None = None) -> None:
        """A key-feature item: a short case, then the few critical decisions, with partial credit.

        ``features``: one dict per decision, ``{"prompt": str, "options": [str, …], "answer": "B"}``
        (one letter) or ``{"prompt", "options", "answer": {"A", "C"}, "max_choices": 2}`` (choose up
        to ``max_choices`` letters; default: the size of the key). Each feature is worth
        ``points / len(features)`` (default 1 point per feature): a one-letter feature all or
        nothing; a multi-letter feature the fraction of its key chosen, and nothing when more than
        ``max_choices`` letters are chosen. The student sets ``answer_q<N>a``, ``answer_q<N>b``, …
        """
        n = self._num()
        if not features:
            raise ValueError(f"q{n}: key_feature needs at least one feature")
        points = float(len(features)) if points is None else points
        parts, sol, specs, names = [], [], [], []
        for j, f in enumerate(features):
            var = f"answer_q{n}{'abcdefgh'[j]}"
            letters = LETTERS[: len(f["options"])]
            ans = f["answer"]
            multi = not isinstance(ans, str)
            key = "".join(sorted(ans)) if multi else ans
            if not key or not set(key) <= set(letters):
                raise ValueError(f"q{n}{'abcdefgh'[j]}: answer {ans!r} is not within {letters}")
            limit = int(f.get("max_choices") or len(key)) if multi else 1
            opts = "\n".join(f"- **{LETTERS[i]}** {o}" for i, o in enumerate(f["options"]))
            how = (f"Set `{var}` to a set of at most {limit} letter{'s' if limit != 1 else ''} "
                   f"(choosing more than {limit} scores nothing for this part)." if multi
                   else f"Set `{var}` to one letter.")
            parts.append(f"**({'abcdefgh'[j]})** {_dedent(f['prompt'])}\n\n{opts}\n\n{how}")
            sol.append(f"{var} = " + ("{" + ", ".join(repr(x) for x in key) + "}" if multi else repr(key)))
            specs.append({"name": var, "letters": letters, "answer": key, "multiple": multi,
                          "max_choices": limit})
            names.append(var)
        self._readonly_md(f"**Question {n}** ({points:g} points, {objective}, partial credit) — "
                          f"*key features.* {_dedent(case)}\n\n" + "\n\n".join(parts), f"q{n}_prompt")
        self._answer_code("### BEGIN SOLUTION\n" + "\n".join(sol) + "\n### END SOLUTION", f"q{n}_answer")
        self._graded(n, "key_feature", points, objective, names, {"features": specs},
                     self._check(n, names, form="key_features"), answer=[s["answer"] for s in specs])

    def script_concordance(self, case: str, judgements: list[dict], *, objective: str,
                           points: float | None = None) -> None:
        """A script-concordance item: a case, then judgements "if you were thinking of X and then
        find Y, X becomes …" on the scale −2…+2, scored against a panel (aggregate scoring).

        ``judgements``: ``[{"hypothesis": str, "new_information": str, "panel": {-2: 0, -1: 1, 0: 2,
        1: 7, 2: 5}}, …]`` — ``panel`` maps each answer to the number of panel members who gave it.
        Credit per judgement: votes for the student's answer ÷ votes for the modal answer, times
        ``points / len(judgements)`` (default 1 point per judgement). The student sets
        ``answer_q<N>a``, ``answer_q<N>b``, … to a whole number from −2 to 2.
        """
        n = self._num()
        if not judgements:
            raise ValueError(f"q{n}: script_concordance needs at least one judgement")
        points = float(len(judgements)) if points is None else points
        parts, sol, specs, names = [], [], [], []
        for j, judgement in enumerate(judgements):
            var = f"answer_q{n}{'abcdefgh'[j]}"
            panel = {int(k): int(v) for k, v in judgement["panel"].items()}
            if not set(panel) <= {-2, -1, 0, 1, 2} or min(panel.values()) < 0 or max(panel.values()) <= 0:
                raise ValueError(f"q{n}{'abcdefgh'[j]}: panel must map -2…2 to vote counts, with some votes")
            parts.append(f"**({'abcdefgh'[j]})** If you were thinking of *{_dedent(judgement['hypothesis'])}* "
                         f"and then you find *{_dedent(judgement['new_information'])}*, this hypothesis "
                         f"becomes … Set `{var}` to a whole number from −2 to 2.")
            sol.append(f"{var} = {max(panel, key=lambda k: (panel[k], -abs(k)))}")
            specs.append({"name": var, "panel": {str(k): v for k, v in sorted(panel.items())}})
            names.append(var)
        scale = ("−2 much less likely · −1 less likely · 0 neither more nor less likely · "
                 "+1 more likely · +2 much more likely")
        self._readonly_md(f"**Question {n}** ({points:g} points, {objective}, partial credit) — "
                          f"*judgement under uncertainty.* {_dedent(case)}\n\nScale: {scale}. Credit follows "
                          "the answers of a panel of experienced clinicians: an answer some of them gave "
                          "earns part of the credit.\n\n" + "\n\n".join(parts), f"q{n}_prompt")
        self._answer_code("### BEGIN SOLUTION\n" + "\n".join(sol) + "\n### END SOLUTION", f"q{n}_answer")
        self._graded(n, "script_concordance", points, objective, names, {"judgements": specs},
                     self._check(n, names, form="likert"))

    def written(self, prompt: str, model_answer: str, rubric: list[tuple[float, str]], *,
                objective: str) -> None:
        """A written item graded by hand: ``rubric`` is ``[(points, "what earns them"), …]``."""
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
        self.items.append(Item(f"q{n}", "written", points, objective, None,
                               {"id": f"q{n}", "kind": "written", "points": points,
                                "rubric": [[p, t] for p, t in rubric]}))

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


# ---- assessment metadata: every item carries a level and what it assesses ------------------------------
#: Cognitive level of a graded item, as for the self-checks (docs/CONVENTIONS.md): ``recall`` (a fact),
#: ``application`` (one rule or calculation), ``reasoning`` (a case and a decision).
LEVELS = ("recall", "application", "reasoning")
#: The level an item kind has unless the builder call says otherwise (``level=...``).
DEFAULT_LEVEL = {"single": "recall", "multiple": "recall", "numeric": "application", "case": "application",
                 "code": "application", "key_feature": "reasoning", "script_concordance": "reasoning",
                 "written": "reasoning"}
#: What an item kind assesses unless the call says otherwise (``assesses=...``): a code item counts as
#: programming unless its answer is a clinical value read off a case (``assesses="clinical"``).
DEFAULT_ASSESSES = {kind: ("code" if kind == "code" else "clinical") for kind in DEFAULT_LEVEL}


def _with_metadata(method):
    import functools

    @functools.wraps(method)
    def wrapper(self, *args, level: str | None = None, assesses: str | None = None, **kwargs):
        before = len(self.items)
        method(self, *args, **kwargs)
        item = self.items[-1]
        assert len(self.items) == before + 1, f"{method.__name__} added no item"
        item.level = level or DEFAULT_LEVEL[item.kind]
        item.assesses = assesses or DEFAULT_ASSESSES[item.kind]
        if item.level not in LEVELS:
            raise ValueError(f"{item.id}: level {item.level!r}; accepted: {LEVELS}")
        if item.assesses not in ("clinical", "code"):
            raise ValueError(f"{item.id}: assesses {item.assesses!r}; accepted: 'clinical', 'code'")

    return wrapper


for _name in ("single", "multiple", "numeric", "code", "case", "key_feature", "script_concordance", "written"):
    setattr(Assignment, _name, _with_metadata(getattr(Assignment, _name)))
