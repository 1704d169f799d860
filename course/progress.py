"""Learner progress: self-check results kept in a small JSON file the learner owns (no server).

The file is ``~/.local/share/spine-course/progress.json`` (or ``$SPINE_COURSE_PROGRESS``)::

    {"version": 1, "learner": "k3f9…",                      # a random id; it also fixes option order
     "results": {"01_anatomy_and_epidemiology": {"q_conus": {"objective": "O2", "correct": false,
                 "score": null, "out_of": null, "attempts": 2, "at": "2026-12-01T22:10:04Z"}}}}

Every Check press records the learner's latest verdict on that item. :func:`summary` counts, per
module, the items answered and answered correctly and the objectives not yet mastered (an objective
is mastered when every item of it that the learner answered is correct, and at least one was).
:func:`export_text` / :func:`import_text` move the record between machines — a Binder session is
thrown away, so the learner copies the text (or downloads the file) and pastes it next time.

An unwritable home folder never breaks a notebook: the record is then kept in memory only.
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
import os
import secrets
from pathlib import Path
from typing import Any

ENV = "SPINE_COURSE_PROGRESS"
VERSION = 1

_memory: dict[str, Any] | None = None  # used when the file cannot be written


def path() -> Path:
    """Where this learner's progress is kept (``$SPINE_COURSE_PROGRESS`` overrides the default)."""
    override = os.environ.get(ENV)
    if override:
        return Path(override).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "spine-course" / "progress.json"


def _empty() -> dict[str, Any]:
    return {"version": VERSION, "learner": secrets.token_hex(6), "results": {}}


def _valid(data: Any) -> bool:
    return (isinstance(data, dict) and isinstance(data.get("learner"), str) and data["learner"]
            and isinstance(data.get("results"), dict))


def load() -> dict[str, Any]:
    """The progress record (created, with a new learner id, on first use)."""
    p = path()
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        if _valid(data):
            return data
    except (OSError, ValueError):
        pass
    if _memory is not None and _memory.get("_path") == str(p):
        return _memory
    data = _empty()
    save(data)
    return data


def save(data: dict[str, Any]) -> None:
    """Write the record atomically; keep it in memory when the folder is not writable."""
    global _memory
    p = path()
    clean = {k: v for k, v in data.items() if not k.startswith("_")}
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(p.name + ".tmp")
        tmp.write_text(json.dumps(clean, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        tmp.replace(p)
        _memory = None
    except OSError:
        _memory = {**clean, "_path": str(p)}


def learner_id() -> str:
    """This learner's id (random, kept in the progress file); it fixes the order of quiz options."""
    return str(load()["learner"])


def record(module: str, qid: str, objective: str, correct: bool, score: float | None = None,
           out_of: float | None = None) -> dict[str, Any]:
    """Keep the latest verdict on item ``qid`` of ``module``; returns the stored entry."""
    data = load()
    entry = data["results"].setdefault(module, {}).get(qid, {})
    entry = {"objective": objective, "correct": bool(correct), "score": score, "out_of": out_of,
             "attempts": int(entry.get("attempts", 0)) + 1,
             "at": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
    data["results"][module][qid] = entry
    save(data)
    return entry


def results(module: str) -> dict[str, dict[str, Any]]:
    """Item id → latest entry, for one module."""
    return dict(load()["results"].get(module, {}))


def wrong(module: str) -> list[str]:
    """Ids of the items of ``module`` whose latest answer was not (fully) correct, in answer order."""
    return [q for q, e in results(module).items() if not e.get("correct")]


def summary(modules: list[str] | None = None) -> list[dict[str, Any]]:
    """Per module: items in the bank, answered, correct, and the objectives not yet mastered."""
    from course.quiz import bank_names, load_bank

    out = []
    for name in modules or bank_names():
        bank = load_bank(name)
        done = results(name)
        ids = {q.id for q in bank.questions}
        answered = {q: e for q, e in done.items() if q in ids}
        not_mastered = []
        for obj, qids in bank.by_objective().items():
            seen = [answered[q]["correct"] for q in qids if q in answered]
            if not seen or not all(seen):
                not_mastered.append(obj)
        out.append({"module": name, "items": len(ids), "answered": len(answered),
                    "correct": sum(bool(e["correct"]) for e in answered.values()),
                    "not_mastered": not_mastered, "objectives": bank.objectives})
    return out


def export_text() -> str:
    """The whole record as one line of text to copy (base64 of the JSON, prefixed)."""
    data = {k: v for k, v in load().items() if not k.startswith("_")}
    raw = json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return "spine-course-progress:" + base64.b64encode(raw).decode("ascii")


def import_text(text: str) -> int:
    """Merge an exported record (or the plain JSON of a progress file) into this one.

    The imported learner id replaces this one (options keep the order the learner knows); for an
    item recorded on both sides the later answer wins. Returns the number of items taken.

    Raises:
        ValueError: when ``text`` is neither an export nor a progress file.
    """
    text = (text or "").strip()
    try:
        if text.startswith("spine-course-progress:"):
            other = json.loads(base64.b64decode(text.split(":", 1)[1], validate=True).decode("utf-8"))
        else:
            other = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError("progress text: expected the text copied from “Export my progress” "
                         "(it starts with spine-course-progress:) or a progress.json file") from exc
    if not _valid(other):
        raise ValueError("progress text: expected a record with a learner id and results")
    data = load()
    data["learner"] = other["learner"]
    taken = 0
    for module, items in other["results"].items():
        if not isinstance(items, dict):
            continue
        mine = data["results"].setdefault(str(module), {})
        for qid, entry in items.items():
            if not isinstance(entry, dict) or "correct" not in entry:
                continue
            if qid not in mine or str(entry.get("at", "")) >= str(mine[qid].get("at", "")):
                mine[str(qid)] = entry
                taken += 1
    save(data)
    return taken
