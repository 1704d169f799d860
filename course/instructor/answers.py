"""Record a graded answer and check its form — the only grading code that runs in a student's kernel.

Each test cell of a graded notebook calls :func:`check`. It

1. records the values of the answer names as plain data (:mod:`course.instructor.plaindata`), as
   a display output of the cell, which the trusted grader reads after the notebook ran;
2. tells the student whether the answer has the expected *form* (one letter, a set of letters, a
   number, a whole number from −2 to 2) and raises ``AssertionError`` with a hint if not.

Nothing here knows an answer or decides a grade: the grader process scores the recorded values
(:mod:`course.instructor.trusted`). Changing this module, or the interpreter, can only change what
is reported — the same as writing a different answer.
"""

from __future__ import annotations

from typing import Any

from course.instructor import plaindata

_MISSING = object()


def _display(payload: str) -> None:
    try:
        from IPython.display import display
    except ImportError:  # plain Python (tests): nothing to record into
        return
    display({plaindata.MIME: payload, "text/plain": "(answer recorded for grading)"}, raw=True)


def _form_problem(value: Any, form: str | None, letters: str) -> str | None:
    if value is _MISSING:
        return "this answer is not defined yet: run your answer cell above"
    if form == "letter":
        if not (isinstance(value, str) and len(value.strip()) == 1 and value.strip().upper() in letters):
            return f'give one letter out of {", ".join(letters)}, e.g. "{letters[0]}"'
    elif form == "letters":
        try:
            chosen = {str(x).strip().upper() for x in value}
        except TypeError:
            chosen = set()
        if not chosen or not chosen <= set(letters):
            return f'give a set of letters out of {", ".join(letters)}, e.g. {{"{letters[0]}", "{letters[-1]}"}}'
    elif form == "number":
        try:
            ok = not isinstance(value, bool) and float(value) == float(value)
        except (TypeError, ValueError):
            ok = False
        if not ok:
            return "give a number"
    elif form == "likert":
        if isinstance(value, bool) or not isinstance(value, int) or not -2 <= value <= 2:
            return "give a whole number from -2 to 2"
    return None


def check(item: str, namespace: dict, names: list[str], *, form: str | None = None, letters: str = "") -> None:
    """Record ``names`` from ``namespace`` for grading and check the form of each value."""
    values = {name: namespace.get(name, _MISSING) for name in names}
    record = {}
    for name, value in values.items():
        record[name] = {"$missing": True} if value is _MISSING else plaindata.encode(value)
    import json

    _display(json.dumps(record, allow_nan=False))
    problems = []
    for name, value in values.items():
        kind = form
        if form == "key_features":
            kind = "letters" if isinstance(value, (set, frozenset, list, tuple)) else "letter"
            letters = letters or "ABCDEFGH"
        problem = _form_problem(value, kind, letters) if (form or value is _MISSING) else None
        if problem:
            problems.append(f"{name}: {problem}")
    if problems:
        raise AssertionError("; ".join(problems))
    print(f"Question {item[1:]}: answer recorded; it is graded after you submit.")
