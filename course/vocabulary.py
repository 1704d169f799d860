"""Closed vocabularies for primary sites and histologies: one normaliser, one table per score.

**Educational use only — not for clinical decisions.**

Clinicians type "renal cell carcinoma", "RCC", "NSCLC", "Non-small-cell lung cancer", "multiple myeloma",
"HCC" or "unknown primary"; a score's table names "kidney", "lung", "liver", "unidentified". This module
turns the first into the second, and refuses what it cannot map:

* :func:`normalise` — lower case, punctuation to spaces, whitespace collapsed, American spellings to
  British (esophagus → oesophagus, tumor → tumour, leukemia → leukaemia).
* :func:`lookup` — ``lookup("revised_tokuhashi", "RCC")`` → a :class:`Term` whose ``category`` is the
  score's row ("kidney"). A name the score's table sends to its "others" row comes back with
  ``others=True`` and a ``note`` saying so (colon and melanoma in Tokuhashi, for example). An unknown
  or ambiguous name raises :class:`ValueError` naming the field, the value and the accepted values.

The tables are in ``course/data/vocabularies.yaml`` (one shared alias table ``names``, then one table per
score under ``scores``), following the clinical-reference addendum, sections H.1–H.4. Scores that group
by growth or treatability (Tomita, Katagiri) have no organ table on purpose: they take the group as input.

This module imports neither ipywidgets nor matplotlib (``tests/test_pure_logic.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from course import datasets

__all__ = ["Term", "normalise", "lookup", "clinical_name", "scores", "categories", "aliases", "accepted_text"]

#: American → British spellings, applied to whole-word prefixes after lower-casing.
_SPELLINGS: tuple[tuple[str, str], ...] = (
    ("esophag", "oesophag"), ("tumor", "tumour"), ("leukemi", "leukaemi"), ("hematolog", "haematolog"),
    ("cecum", "caecum"), ("cecal", "caecal"), ("gastroesophag", "gastrooesophag"),
)
#: Generic words dropped on a second look-up ("breast cancer" → "breast", "colon adenocarcinoma" → "colon").
_GENERIC: frozenset[str] = frozenset({"cancer", "cancers", "carcinoma", "carcinomas", "adenocarcinoma",
                                      "tumour", "tumours", "neoplasm", "malignancy", "primary", "the", "of"})


def normalise(text: object) -> str:
    """The comparable form of a typed name: lower case, punctuation → space, single spaces, British spelling.

    >>> normalise("  Non-Small-Cell  Lung_Cancer ")
    'non small cell lung cancer'
    >>> normalise("Esophageal")
    'oesophageal'
    """
    if not isinstance(text, str):
        raise TypeError(f"expected a string, got {type(text).__name__}")
    s = re.sub(r"[\W_]+", " ", text.lower())
    s = " ".join(s.split())
    for american, british in _SPELLINGS:
        s = re.sub(rf"\b{american}", british, s)
    return s


@dataclass(frozen=True)
class Term:
    """What a score makes of a typed name.

    ``category`` is the value the score's table uses ("kidney", "others", "nsclc"…); ``name`` is the
    clinical name it was read as ("kidney" for "RCC"); ``others`` is true when the name was sent to the
    table's "others" row; ``info_only`` (NOMS) when no radiosensitivity list classifies the histology;
    ``note`` explains any of these.
    """

    score: str
    field: str
    given: str
    name: str
    category: str | None
    others: bool = False
    info_only: bool = False
    note: str | None = None


@dataclass(frozen=True)
class _Table:
    score: str
    field: str
    label: str
    categories: tuple[str, ...]
    map: dict[str, str]
    others: dict[str, str]
    notes: dict[str, str]
    info_only: frozenset[str]
    ambiguous: dict[str, str]


@lru_cache(maxsize=None)
def _alias_index() -> dict[str, str]:
    """normalised alias → clinical name (``names`` table). Duplicate aliases are a data error."""
    index: dict[str, str] = {}
    for name, spellings in datasets.load("vocabularies")["names"].items():
        for spelling in [name.replace("_", " "), *spellings]:
            key = normalise(str(spelling))
            if index.get(key, name) != name:
                raise ValueError(f"vocabularies.yaml: alias {spelling!r} belongs to both {index[key]!r} and {name!r}")
            index[key] = name
    return index


@lru_cache(maxsize=None)
def _table(score: str) -> _Table:
    all_scores = datasets.load("vocabularies")["scores"]
    if score not in all_scores:
        raise ValueError(f"score={score!r} has no vocabulary; accepted values: {', '.join(map(repr, all_scores))}")
    raw: dict[str, Any] = all_scores[score]
    mapping = dict(raw.get("map", {}))
    categories = tuple(dict.fromkeys(mapping.values()))
    if raw.get("others"):
        others_row = "others" if "others" in categories else "other"
        categories = tuple(dict.fromkeys([*categories, others_row]))
    return _Table(score=score, field=str(raw["field"]), label=str(raw["label"]), categories=categories,
                  map=mapping, others=dict(raw.get("others") or {}), notes=dict(raw.get("notes") or {}),
                  info_only=frozenset(raw.get("info_only") or ()), ambiguous=dict(raw.get("ambiguous") or {}))


def scores() -> tuple[str, ...]:
    """The scores that have a vocabulary ("revised_tokuhashi", "bauer", "noms")."""
    return tuple(datasets.load("vocabularies")["scores"])


def categories(score: str) -> tuple[str, ...]:
    """The score's own categories, in table order (what :attr:`Term.category` can be)."""
    return _table(score).categories


def aliases(score: str) -> dict[str, str]:
    """Every normalised name the score accepts → the category it is scored as (info-only names → "")."""
    table = _table(score)
    out: dict[str, str] = {}
    for alias, name in _alias_index().items():
        if name in table.map:
            out[alias] = table.map[name]
        elif name in table.others:
            out[alias] = "others" if "others" in table.categories else "other"
        elif name in table.info_only:
            out[alias] = ""
    return out


def accepted_text(score: str) -> str:
    """The 'accepted values' part of an error message for ``score``."""
    table = _table(score)
    examples = {"revised_tokuhashi": "'NSCLC', 'renal cell carcinoma', 'RCC', 'HCC', 'unknown primary', 'colon'",
                "bauer": "'renal cell carcinoma', 'multiple myeloma', 'NSCLC', 'prostate'",
                "noms": "'multiple myeloma', 'renal cell carcinoma', 'RCC', 'NSCLC', 'HCC', 'breast cancer'"}
    return (f"one of {', '.join(map(repr, table.categories))}, or a clinical name for one of them such as "
            f"{examples.get(score, '')} (case and punctuation do not matter; full list: "
            f"course.vocabulary.aliases({score!r}))")


def _resolve(text: str) -> str | None:
    """Clinical name for a normalised text, trying once more without the generic words."""
    index = _alias_index()
    if text in index:
        return index[text]
    stripped = " ".join(w for w in text.split() if w not in _GENERIC)
    return index.get(stripped) if stripped and stripped != text else None


def clinical_name(value: object) -> str | None:
    """The clinical name (key of the shared ``names`` table) that ``value`` reads as, or None.

    Used by scores that take a *group* (Tomita, Katagiri) to recognise an organ typed by mistake and say
    why it is refused — never to guess the group.
    """
    return _resolve(normalise(value)) if isinstance(value, str) else None


def lookup(score: str, value: object, *, field: str | None = None) -> Term:
    """Read ``value`` with the score's table; refuse unknown or ambiguous names.

    >>> lookup("revised_tokuhashi", "Renal cell carcinoma").category
    'kidney'
    >>> t = lookup("revised_tokuhashi", "colon"); (t.category, t.others)
    ('others', True)

    Raises:
        ValueError: naming the field, the value received and the accepted values.
    """
    table = _table(score)
    field = field or table.field
    accepted = accepted_text(score)
    if not isinstance(value, str) or not value.strip():
        problem = f"{field} is missing" if value is None else f"{field}={value!r} is not accepted"
        raise ValueError(f"{problem}; accepted values: {accepted}")
    name = _resolve(normalise(value))
    if name is None or not (name in table.map or name in table.others or name in table.info_only
                            or name in table.ambiguous):
        raise ValueError(f"{field}={value!r} is not a name the {table.label} knows; accepted values: {accepted}")
    if name in table.ambiguous:
        raise ValueError(f"{field}={value!r} is ambiguous: {table.ambiguous[name]}; accepted values: {accepted}")
    if name in table.map:
        return Term(score, field, value, name, table.map[name], note=table.notes.get(name))
    if name in table.others:
        row = "others" if "others" in table.categories else "other"
        return Term(score, field, value, name, row, others=True, note=table.others[name])
    return Term(score, field, value, name, None, info_only=True,
                note=f"no radiosensitivity list in the course classifies {name.replace('_', ' ')}")
