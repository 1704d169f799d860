"""Human labels for the internal codes the course computes with.

The calculators, triage rules and data files use stable codes (``separation_surgery_then_SRS``,
``gt50``, ``mscc_neuro``); students see only the labels of ``course/data/labels.yaml``::

    >>> label("noms_decision", "separation_surgery_then_SRS")
    'Separation surgery, then stereotactic radiosurgery'
    >>> label("sins_collapse", "gt50")
    '>50% collapse'

Widgets take ``options(kind, codes)``: ``(label, code)`` pairs, so the widget's value stays the code.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any, Iterable

import yaml


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, str]]:
    raw = yaml.safe_load((resources.files("course") / "data" / "labels.yaml").read_text(encoding="utf-8"))
    out: dict[str, dict[str, str]] = {}
    for kind, entries in raw.items():
        if not isinstance(entries, dict) or not entries:
            raise ValueError(f"labels.yaml: kind {kind!r} must map codes to labels")
        out[kind] = {str(code): str(text) for code, text in entries.items()}
    return out


def kinds() -> list[str]:
    """Every kind of code that has labels."""
    return sorted(_table())


def labels(kind: str) -> dict[str, str]:
    """The whole map ``code → label`` of one kind (a copy).

    Raises:
        ValueError: for an unknown kind, listing the accepted kinds.
    """
    table = _table()
    if kind not in table:
        raise ValueError(f"kind: unknown label kind {kind!r}; accepted: {sorted(table)}")
    return dict(table[kind])


def label(kind: str, code: Any) -> str:
    """The human label of ``code`` in vocabulary ``kind``.

    Raises:
        ValueError: naming the kind and its accepted codes, for an unknown kind or code.
    """
    entries = labels(kind)
    key = str(code)
    if key not in entries:
        raise ValueError(f"{kind}: no label for {code!r}; accepted codes: {list(entries)}")
    return entries[key]


def options(kind: str, codes: Iterable[Any] | None = None) -> list[tuple[str, Any]]:
    """``(label, code)`` pairs for an ipywidgets selection control (all codes of ``kind`` by default)."""
    if codes is None:
        codes = list(labels(kind))
    return [(label(kind, c), c) for c in codes]
