"""The course glossary: every abbreviation, what it stands for, and where each module first uses it.

The entries live in ``course/data/glossary.yaml``. Two things are generated from them by
``python tools/link_glossary.py`` and checked by ``tests/test_glossary.py``:

* ``notebooks/glossary.ipynb``, one short heading per term (the heading text is the term, so that
  JupyterLab and the course site both give it the anchor ``#TERM``);
* in every module, the **first use** of each term in running text becomes a link to that anchor,
  with the expansion as its tooltip: ``[MSCC](glossary.ipynb#MSCC "metastatic spinal cord
  compression")``. Headings, code, existing links and HTML are left alone, so a term first met in a
  heading is linked at its first use in the prose below it.

Pure: no widgets, no plotting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Iterable, Iterator

import yaml

KINDS = ("abbreviation", "trial", "guideline", "score", "standard")
GLOSSARY_NOTEBOOK = "glossary.ipynb"

#: What counts as an abbreviation when scanning text: a word with at least two capitals
#: (``MSCC``, ``NG234``, ``PTHrP``, ``HyTEC``), optionally with a trial number (``SC.24``, ``SCORE-2``).
CANDIDATE = re.compile(r"(?<![\w./#-])([A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*(?:[.-]\d+)?)(?![\w])")


@dataclass(frozen=True)
class Entry:
    """One glossary entry."""

    term: str
    stands_for: str
    meaning: str
    kind: str = "abbreviation"
    forms: tuple[str, ...] = ()
    sources: tuple[str, ...] = field(default=())

    @property
    def anchor(self) -> str:
        """The anchor of its heading in the glossary notebook (JupyterLab and nbconvert agree on it)."""
        return self.term

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.term, *self.forms)


@dataclass(frozen=True)
class Glossary:
    entries: tuple[Entry, ...]
    not_abbreviations: frozenset[str]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_spelling", {s: e for e in self.entries for s in e.spellings})

    def lookup(self, word: str) -> Entry | None:
        """The entry a spelling belongs to, or None."""
        return self._by_spelling.get(word)  # type: ignore[attr-defined]

    def __getitem__(self, term: str) -> Entry:
        entry = self.lookup(term)
        if entry is None:
            raise KeyError(term)
        return entry

    @property
    def pattern(self) -> re.Pattern:
        """Any spelling of any term, as a whole word (``SC`` does not match inside ``SC.24``)."""
        spellings = sorted(self._by_spelling, key=len, reverse=True)  # type: ignore[attr-defined]
        alternatives = "|".join(re.escape(s) for s in spellings)
        # not an author of an author–year citation ("NICE, 2023", "GIRFT, 2023a"): a citation is a name
        return re.compile(rf"(?<![\w./#-])({alternatives})(?![\w]|[.-]\d|,\s*(?:\d{{4}}|n\.d\.))")


def _load(text: str) -> Glossary:
    raw = yaml.safe_load(text)
    if not isinstance(raw, dict) or not isinstance(raw.get("entries"), list):
        raise ValueError("glossary: expected a mapping with an 'entries' list")
    entries, seen = [], set()
    for i, item in enumerate(raw["entries"]):
        where = f"entries[{i}]"
        if not isinstance(item, dict):
            raise ValueError(f"{where}: expected a mapping with term, stands_for and meaning")
        unknown = sorted(set(item) - {"term", "stands_for", "meaning", "kind", "forms", "sources"})
        if unknown:
            raise ValueError(f"{where}.{unknown[0]}: unknown field; accepted: term, stands_for, meaning, kind, forms, sources")
        for name in ("term", "stands_for", "meaning"):
            if not isinstance(item.get(name), str) or not item[name].strip():
                raise ValueError(f"{where}.{name}: missing or empty")
        term = item["term"].strip()
        where = f"glossary entry {term}"
        kind = item.get("kind", "abbreviation")
        if kind not in KINDS:
            raise ValueError(f"{where}.kind: {kind!r}; accepted: {list(KINDS)}")
        forms = tuple(item.get("forms") or ())
        for spelling in (term, *forms):
            if spelling in seen:
                raise ValueError(f"{where}: {spelling!r} is spelled by two entries")
            seen.add(spelling)
        entries.append(Entry(term, item["stands_for"].strip(), item["meaning"].strip(), kind, forms,
                             tuple(item.get("sources") or ())))
    terms = [e.term for e in entries]
    if terms != sorted(terms, key=str.casefold):
        raise ValueError("glossary: entries must be in alphabetical order of term (case-insensitive)")
    nots = frozenset(raw.get("not_abbreviations") or ())
    clash = sorted(nots & seen)
    if clash:
        raise ValueError(f"not_abbreviations: {clash[0]!r} is also a glossary term")
    return Glossary(tuple(entries), nots)


@lru_cache(maxsize=1)
def glossary() -> Glossary:
    """The course glossary (``course/data/glossary.yaml``), validated.

    Raises:
        ValueError: for a malformed entry, naming it and the field.
    """
    return _load((resources.files("course") / "data" / "glossary.yaml").read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------------------------
# Where text may be linked
# ------------------------------------------------------------------------------------------------
_PROTECTED = re.compile(
    r"```.*?```"                                  # fenced code
    r"|`[^`\n]*`"                                 # inline code
    r"|\$\$.*?\$\$|\$[^$\n]+\$"                   # maths
    r'|!?\[(?:[^\]\\]|\\.)*\]\((?:[^()\s]+(?:\s+"[^"]*")?|[^)]*)\)'  # links and images (a "title" may hold brackets)
    r"|<[^>\n]+>"                                 # HTML tags (their attributes)
    r"|^[ \t]{0,3}#{1,6}[ \t][^\n]*$",          # headings
    re.S | re.M,
)
_GLOSSARY_LINK = re.compile(r"\[([^\]]+)\]\(" + re.escape(GLOSSARY_NOTEBOOK) + r"#([^)\s]+)(?:\s+\"[^\"]*\")?\)")


@dataclass(frozen=True)
class Use:
    """One occurrence of a term in a markdown text."""

    start: int
    end: int
    entry: Entry
    linked: bool  # already a glossary link to its own entry


def uses(text: str, g: Glossary | None = None) -> Iterator[Use]:
    """Every occurrence of a glossary term in ``text`` that is prose or a glossary link, in order.

    Occurrences in headings, code, maths, HTML tags and other links are skipped: they can be
    neither the linked first use nor a missed one.
    """
    g = g or glossary()
    pattern = g.pattern
    pos = 0
    for m in _PROTECTED.finditer(text):
        yield from _plain_uses(text, pos, m.start(), pattern, g)
        link = _GLOSSARY_LINK.fullmatch(m.group(0))
        if link:
            entry = g.lookup(link.group(2))
            if entry is not None and g.lookup(link.group(1).strip("*_")) is entry:
                yield Use(m.start(), m.end(), entry, True)
        pos = m.end()
    yield from _plain_uses(text, pos, len(text), pattern, g)


def _plain_uses(text: str, start: int, end: int, pattern: re.Pattern, g: Glossary) -> Iterator[Use]:
    for m in pattern.finditer(text, start, end):
        yield Use(m.start(1), m.end(1), g.lookup(m.group(1)), False)  # type: ignore[arg-type]


def link(entry: Entry, shown: str) -> str:
    """The Markdown link of a first use: the word as written, the anchor, the expansion as tooltip."""
    title = entry.stands_for.replace('"', "'")
    return f'[{shown}]({GLOSSARY_NOTEBOOK}#{entry.anchor} "{title}")'


def link_first_uses(texts: Iterable[str], g: Glossary | None = None) -> list[str]:
    """Link the first use of every term across ``texts`` (one module's markdown cells, in order).

    Idempotent: a term whose first use is already its glossary link is left as it is; glossary
    links to a term after its first use are turned back into plain words.
    """
    g = g or glossary()
    seen: set[str] = set()
    out = []
    for text in texts:
        pieces, pos = [], 0
        for use in uses(text, g):
            word = text[use.start:use.end]
            if use.linked:
                shown = _GLOSSARY_LINK.fullmatch(word).group(1)  # type: ignore[union-attr]
                replacement = word if use.entry.term not in seen else shown
            else:
                replacement = link(use.entry, word) if use.entry.term not in seen else word
            seen.add(use.entry.term)
            pieces += [text[pos:use.start], replacement]
            pos = use.end
        pieces.append(text[pos:])
        out.append("".join(pieces))
    return out


def unknown_abbreviations(text: str, g: Glossary | None = None) -> list[str]:
    """Words of ``text`` that look like abbreviations and are neither glossary terms nor listed names."""
    g = g or glossary()
    found = []
    for m in CANDIDATE.finditer(text):
        word = m.group(1)
        base = re.sub(r"[.-]\d+$", "", word)
        if g.lookup(word) or word in g.not_abbreviations:
            continue
        if g.lookup(base) or base in g.not_abbreviations:
            continue
        found.append(word)
    return found


# ------------------------------------------------------------------------------------------------
# The glossary notebook
# ------------------------------------------------------------------------------------------------
def notebook_cells(g: Glossary | None = None) -> list[str]:
    """The markdown cells of ``notebooks/glossary.ipynb``: an introduction, then one cell per letter."""
    from course.references import author_year

    g = g or glossary()
    intro = (
        "# Glossary\n\n"
        "Every abbreviation the course uses, with what it stands for. In each module the first use of an "
        "abbreviation links here; hover over the link to see the expansion without leaving the page.\n\n"
        "*Educational use only: not a substitute for clinical judgement or local guidelines.*"
    )
    cells = [intro]
    letters: dict[str, list[Entry]] = {}
    for e in g.entries:
        letters.setdefault(e.term[0].upper(), []).append(e)
    kind_words = {"trial": "Trial. ", "guideline": "Guideline. ", "score": "Score or scale. ", "standard": "Standard. "}
    for letter, entries in letters.items():
        parts = [f"## {letter}"]
        for e in entries:
            cite = ""
            if e.sources:
                cite = " (" + "; ".join(author_year(k) for k in e.sources) + ")"
            parts.append(f"### {e.term}\n\n**{e.stands_for}.** {kind_words.get(e.kind, '')}{e.meaning}{cite}")
        cells.append("\n\n".join(parts))
    from course.references import bibliography

    keys = [k for e in g.entries for k in e.sources]
    if keys:
        cells.append("## References\n\n" + bibliography(keys))
    return cells
