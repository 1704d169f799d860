"""The course bibliography: citation keys used by data files, question banks and notebooks."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

import yaml

CONFIDENCE = {
    "V2": "verified in two or more independent sources",
    "V1": "verified in one readable source",
    "M": "background knowledge, not verified against the primary paper",
    "D": "sources disagree — the course teaches the disagreement",
}


@dataclass(frozen=True)
class Reference:
    """One bibliography entry."""

    key: str
    citation: str
    confidence: str


@lru_cache(maxsize=1)
def references() -> dict[str, Reference]:
    """Every reference, by key, from ``course/data/references.yaml``."""
    raw = yaml.safe_load((resources.files("course") / "data" / "references.yaml").read_text(encoding="utf-8"))
    out = {}
    for key, entry in raw.items():
        conf = entry.get("confidence", "M")
        if conf not in CONFIDENCE:
            raise ValueError(f"{key}.confidence: {conf!r}; accepted: {list(CONFIDENCE)}")
        out[key] = Reference(key, entry["citation"], conf)
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


def bibliography(keys: Iterable[str]) -> str:
    """A Markdown numbered list of the given references (duplicates removed, order kept)."""
    seen: list[str] = []
    for k in keys:
        if k not in seen:
            cite(k)
            seen.append(k)
    return "\n".join(f"{i}. {cite(k).citation} *[{cite(k).confidence}]*" for i, k in enumerate(seen, 1))


def show_bibliography(keys: Iterable[str]) -> None:
    """Display :func:`bibliography` in a notebook."""
    from IPython.display import Markdown, display

    display(Markdown(bibliography(keys)))
