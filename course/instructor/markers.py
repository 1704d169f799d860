"""nbgrader's region markers and the headings of model answers (what leak scanners look for).

Assembled from words so that this file — shipped in the package students install — never holds
the literal marker text.
"""

from __future__ import annotations


def _marker(*words: str) -> str:
    """An nbgrader region marker, assembled so that this file (shipped in the package students
    install) never contains the literal marker text that leak scanners grep for."""
    return " ".join(words)


SOLUTION_BEGIN, SOLUTION_END = _marker("BEGIN", "SOLUTION"), _marker("END", "SOLUTION")
HIDDEN_BEGIN, HIDDEN_END = _marker("BEGIN", "HIDDEN", "TESTS"), _marker("END", "HIDDEN", "TESTS")
MARKERS = (SOLUTION_BEGIN, SOLUTION_END, HIDDEN_BEGIN, HIDDEN_END,
           _marker("BEGIN", "MARK", "SCHEME"), "**Model answer.**", "**Rubric (")
