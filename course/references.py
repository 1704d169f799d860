"""The course bibliography: citation keys used by data files, question banks and notebooks.

Students never see a key. They see one citation style, author–year:

* in text, :func:`author_year` — ``author_year("fisher2010_sins") == "Fisher et al., 2010"``, and
  :func:`cite_text` for a parenthesised group — ``"(Fisher et al., 2010; NICE, 2023)"``;
* at the end of each module, :func:`show_bibliography` — an alphabetical reference list, each entry
  ``**Fisher et al., 2010.** <full citation> — <confidence, in words>``.

Entries without a year render "n.d."; two entries with the same author and year get "a", "b"
suffixes (in the order of the file, so appending an entry never renames older ones), so every
label names exactly one entry.
"""

from __future__ import annotations

import html as _html
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

import yaml

#: Confidence tags, as the internal vocabulary of the clinical reference defines them.
CONFIDENCE = {
    "V2": "verified in two or more independent sources",
    "V1": "verified in one readable source",
    "M": "background knowledge, not verified against the primary paper",
    "D": "sources disagree — the course teaches the disagreement",
}

#: The same tags written for a student, as the reference list shows them.
CONFIDENCE_FOR_STUDENTS = {
    "V2": "checked against two or more independent sources",
    "V1": "checked against one readable source",
    "M": "background knowledge, not checked against the primary paper",
    "D": "sources disagree; the course teaches the disagreement",
}


@dataclass(frozen=True)
class Reference:
    """One bibliography entry."""

    key: str
    citation: str
    confidence: str
    authors: str = ""
    year: int | None = None

    @property
    def label(self) -> str:
        """The author–year label, e.g. ``"Fisher et al., 2010"`` (see :func:`author_year`)."""
        return author_year(self.key)


def _load() -> dict[str, Reference]:
    raw = yaml.safe_load((resources.files("course") / "data" / "references.yaml").read_text(encoding="utf-8"))
    out = {}
    for key, entry in raw.items():
        conf = entry.get("confidence", "M")
        if conf not in CONFIDENCE:
            raise ValueError(f"{key}.confidence: {conf!r}; accepted: {list(CONFIDENCE)}")
        authors = entry.get("authors")
        if not isinstance(authors, str) or not authors.strip():
            raise ValueError(f"{key}.authors: missing; write e.g. authors: \"Fisher et al.\" or \"NICE\"")
        year = entry.get("year")
        if isinstance(year, str) and year.strip().lower() in ("n.d.", "nd", ""):
            year = None
        elif isinstance(year, str) and year.strip().isdigit():
            year = int(year)
        if year is not None and not (isinstance(year, int) and 1800 <= year <= 2100):
            raise ValueError(f"{key}.year: {year!r}; accepted: a four-digit year, or null or 'n.d.' (rendered 'n.d.')")
        out[key] = Reference(key, entry["citation"], conf, authors.strip(), year)
    return out


@lru_cache(maxsize=1)
def references() -> dict[str, Reference]:
    """Every reference, by key, from ``course/data/references.yaml``."""
    return _load()


@lru_cache(maxsize=1)
def _labels() -> dict[str, str]:
    return _make_labels(references())


def _make_labels(refs: dict[str, Reference]) -> dict[str, str]:
    """Author–year labels, with "a", "b"… suffixes where two entries share author and year."""
    groups: dict[tuple[str, int | None], list[str]] = {}
    for key, ref in refs.items():
        groups.setdefault((ref.authors, ref.year), []).append(key)
    out = {}
    for (authors, year), keys in groups.items():
        base = str(year) if year is not None else "n.d."
        if len(keys) == 1:
            out[keys[0]] = f"{authors}, {base}"
        else:
            sep = "" if year is not None else "-"
            for i, key in enumerate(keys):  # file order: a new entry appended never renames older ones
                out[key] = f"{authors}, {base}{sep}{chr(ord('a') + i)}"
    return out


def cite(key: str) -> Reference:
    """Look up one reference.

    Raises:
        ValueError: for an unknown key, listing a few accepted keys.
    """
    refs = references()
    if key not in refs:
        raise ValueError(f"key: unknown reference {key!r}; accepted keys include {sorted(refs)[:8]} … ({len(refs)} in all)")
    return refs[key]


def author_year(key: str) -> str:
    """The author–year label of a reference: ``"Fisher et al., 2010"``, ``"NICE, 2023"``.

    Raises:
        ValueError: for an unknown key.
    """
    cite(key)
    return _labels()[key]


def _unique(keys: Iterable[str]) -> list[str]:
    if isinstance(keys, str):
        keys = [keys]
    seen: list[str] = []
    for k in keys:
        cite(k)
        if k not in seen:
            seen.append(k)
    return seen


def author_years(keys: Iterable[str]) -> str:
    """Several labels joined for running text: ``"Fisher et al., 2010; Fourney et al., 2011"``."""
    return "; ".join(author_year(k) for k in _unique(keys))


def cite_text(keys: Iterable[str] | str) -> str:
    """A parenthetical in-text citation: ``"(Fisher et al., 2010; NICE, 2023)"``."""
    return f"({author_years(keys)})"


def sources_line(keys: Iterable[str] | str, prefix: str = "Sources") -> str:
    """``"Sources: Fisher et al., 2010; NICE, 2023."`` (``"Source: …"`` for one), or ``""`` for none."""
    unique = _unique(keys)
    if not unique:
        return ""
    word = prefix if len(unique) > 1 or not prefix.endswith("s") else prefix[:-1]
    return f"{word}: {author_years(unique)}."


def _sort_key(key: str) -> tuple:
    ref = cite(key)
    return (ref.authors.lower(), ref.year or 0, author_year(key))


def bibliography_entries(keys: Iterable[str]) -> list[tuple[str, str, str]]:
    """``(label, citation, confidence in words)`` of each reference, sorted alphabetically by author."""
    return [(author_year(k), cite(k).citation, CONFIDENCE_FOR_STUDENTS[cite(k).confidence])
            for k in sorted(_unique(keys), key=_sort_key)]


def bibliography(keys: Iterable[str]) -> str:
    """An alphabetical Markdown reference list, author–year (duplicates removed).

    Each entry reads ``- **Fisher et al., 2010.** <full citation> *(checked against …)*``.
    """
    return "\n".join(f"- **{label}.** {citation} *({conf})*" for label, citation, conf in bibliography_entries(keys))


def bibliography_html(keys: Iterable[str]) -> str:
    """The same list as HTML (for widgets and the course site)."""
    items = "".join(f"<li><b>{_html.escape(label)}.</b> {_html.escape(citation)} <i>({_html.escape(conf)})</i></li>"
                    for label, citation, conf in bibliography_entries(keys))
    return f'<ul class="course-references">{items}</ul>'


def show_bibliography(keys: Iterable[str]) -> None:
    """Display :func:`bibliography` in a notebook (the ``## References`` cell of every module)."""
    from IPython.display import Markdown, display

    display(Markdown(bibliography(keys)))
