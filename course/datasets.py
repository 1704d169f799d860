"""The one module that loads the course's sourced data files (``course/data/*.yaml``).

Every record carries ``source`` keys resolved in :mod:`course.references`; :func:`check_sources`
verifies them (a unit test runs it). Notebooks call the accessors below rather than typing numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator

import yaml

from course.references import cite

#: Data files shipped with the course (without the .yaml suffix).
def names() -> list[str]:
    """Names of the data files under ``course/data`` (``references`` included)."""
    root = resources.files("course") / "data"
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".yaml"))


@lru_cache(maxsize=None)
def load(name: str) -> Any:
    """Parsed content of ``course/data/<name>.yaml``.

    Raises:
        ValueError: for an unknown name, listing the accepted names.
    """
    accepted = names()
    if name not in accepted:
        raise ValueError(f"name: no data file {name!r}; accepted: {accepted}")
    text = (resources.files("course") / "data" / f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _walk_sources(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "source":
                for k in [value] if isinstance(value, str) else value:
                    yield path, k
            else:
                yield from _walk_sources(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk_sources(value, f"{path}[{i}]")


def check_sources() -> list[tuple[str, str]]:
    """Every ``(record path, source key)`` pair in the data files, after checking each key resolves.

    Raises:
        ValueError: naming the record whose source key is unknown.
    """
    pairs = []
    for name in names():
        if name == "references":
            continue
        for path, key in _walk_sources(load(name), name):
            try:
                cite(key)
            except ValueError as exc:
                raise ValueError(f"{path}.source: {exc}") from None
            pairs.append((path, key))
    return pairs


# ----------------------------------------------------------------------------------------------
# The vertebral column
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Level:
    """One vertebral level."""

    name: str
    region: str
    index: int  # 0 = occiput, increasing caudally
    sins_location: str | None  # None for the coccyx (outside SINS)
    sins_points: int | None


@lru_cache(maxsize=1)
def levels() -> tuple[Level, ...]:
    """All levels from the occiput (``Oc``) to ``Co4``, with region and SINS location class."""
    spine = load("spine")
    sins = spine["sins_location"]
    by_level = {lvl: cls for cls in ("junctional", "mobile", "semirigid", "rigid") for lvl in sins[cls]}
    out = [Level("Oc", "occiput", 0, "junctional", sins["points"]["junctional"])]
    for region in spine["regions"]:
        prefix = region["first"].rstrip("0123456789")
        for i in range(1, region["count"] + 1):
            name = f"{prefix}{i}"
            cls = by_level.get(name)
            out.append(Level(name, region["name"], len(out), cls, None if cls is None else sins["points"][cls]))
    return tuple(out)


def level(name: str) -> Level:
    """Look up a level by name (``"T12"``; case-insensitive).

    Raises:
        ValueError: naming the field and listing the accepted levels.
    """
    for lv in levels():
        if lv.name.lower() == str(name).strip().lower():
            return lv
    raise ValueError(f"level: {name!r} is not a vertebral level; accepted: {[lv.name for lv in levels()]}")


def region_note(name: str) -> str:
    """The teaching note for the stretch of spine that contains level ``name``."""
    lv = level(name)
    notes = load("spine")["region_notes"]
    i = lv.index
    idx = {x.name: x.index for x in levels()}
    if i <= idx["C2"]:
        return notes["occiput_upper_cervical"]
    if i <= idx["C6"]:
        return notes["cervical"]
    if i <= idx["T2"]:
        return notes["cervicothoracic"]
    if i <= idx["T10"]:
        return notes["thoracic"]
    if i <= idx["L1"]:
        return notes["thoracolumbar"]
    if i <= idx["L4"]:
        return notes["lumbar"]
    if i <= idx["S1"]:
        return notes["lumbosacral"]
    if i <= idx["S5"]:
        return notes["sacral"]
    return notes["coccygeal"]


# ----------------------------------------------------------------------------------------------
# Epidemiology, neurology and radiosensitivity
# ----------------------------------------------------------------------------------------------
def epidemiology() -> dict[str, Any]:
    """The epidemiology file (prevalence, primary and regional distributions, compartments…)."""
    return load("epidemiology")


def distribution(kind: str) -> list[dict[str, Any]]:
    """Datasets of ``kind`` ∈ {primary, regional}, each with ``id``, ``label``, ``values``, ``source``.

    Raises:
        ValueError: for another kind.
    """
    accepted = ("primary", "regional")
    if kind not in accepted:
        raise ValueError(f"kind: {kind!r}; accepted: {list(accepted)}")
    return list(epidemiology()[f"{kind}_distribution"]["datasets"])


def dermatomes() -> list[dict[str, Any]]:
    """Dermatome landmarks, cranial to caudal."""
    return list(load("neuro")["dermatomes"])


def myotomes() -> list[dict[str, Any]]:
    """Key muscles (ASIA) by root."""
    return list(load("neuro")["myotomes"])


def reflexes() -> list[dict[str, Any]]:
    """Reflexes with their roots (and the alternative assignments some sources give)."""
    return list(load("neuro")["reflexes"])


def radiosensitivity_lists() -> dict[str, dict[str, Any]]:
    """The published radiosensitivity lists by name (``noms``, ``ao``) — the choices for the O of NOMS."""
    return dict(load("radiosensitivity")["lists"])


def trial_strata() -> dict[str, dict[str, Any]]:
    """Trial randomisation strata that are *not* radiosensitivity lists (``sc24``), for teaching the difference."""
    return dict(load("radiosensitivity")["trial_strata"])


def radiosensitivity(histology: str, list_name: str = "noms") -> str:
    """Classify ``histology`` by the named list: radiosensitive, radioresistant or intermediate.

    Raises:
        ValueError: for an unknown list or histology, listing the accepted values.
    """
    lists = radiosensitivity_lists()
    if list_name not in lists:
        raise ValueError(f"list_name: {list_name!r}; accepted: {sorted(lists)}")
    chosen = lists[list_name]
    for cls in ("radiosensitive", "radioresistant", "intermediate"):
        if histology in chosen.get(cls, []):
            return cls
    known = sorted(load("radiosensitivity")["labels"])
    raise ValueError(f"histology: {histology!r} is not in the {list_name} list; accepted: {known}")
