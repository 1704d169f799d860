"""Answer values as plain data: the only thing that leaves a student's kernel while autograding.

:func:`encode` turns a value into JSON-compatible data with explicit tags for the types JSON lacks
(tuples, sets, dicts with non-string keys, non-finite floats); :func:`decode` turns it back,
accepting *only* ``None``, ``bool``, ``int``, ``float``, ``str``, ``list``, ``tuple``, ``set``,
``frozenset`` and ``dict`` of those, with limits on size and depth. Anything else (an object, a
module) is recorded as :class:`Opaque`, which equals nothing. Functions are recorded as
:class:`Callable` markers: the trusted grader calls them in a fresh sandbox, never in its own
process.

The encoder runs in the student's kernel and can be replaced by the student; that is harmless,
because it can only report values, and the decoder in the grader process rebuilds them from
JSON text into plain Python types, so no object of the student's (with a clever ``__eq__``)
reaches a comparison.
"""

from __future__ import annotations

import json
import math
from typing import Any

MIME = "application/vnd.spine-course.answers+json"
MAX_BYTES = 200_000
MAX_DEPTH = 12
MAX_ITEMS = 20_000


class Opaque:
    """A value that was not plain data (its type name is kept for the feedback)."""

    def __init__(self, type_name: str) -> None:
        self.type_name = str(type_name)[:80]

    def __eq__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"<a {self.type_name} object>"


class Missing(Opaque):
    """The name was not defined in the notebook."""

    def __init__(self) -> None:
        super().__init__("missing")

    def __repr__(self) -> str:
        return "<not defined>"


class Callable(Opaque):
    """A function defined by the student (called only in a sandbox)."""

    def __init__(self) -> None:
        super().__init__("function")


# ------------------------------------------------------------------------------- encode (kernel)
def encode(value: Any, depth: int = 0) -> Any:
    """Plain, JSON-compatible data for ``value`` (numpy scalars and arrays become numbers/lists)."""
    if depth > MAX_DEPTH:
        return {"$opaque": "too deeply nested"}
    if value is None or isinstance(value, (bool, str)):
        return value if not isinstance(value, str) else str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        value = float(value)
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v, depth + 1) for v in value]}
    if isinstance(value, list):
        return [encode(v, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        return {"$set": [encode(v, depth + 1) for v in value]}
    if isinstance(value, dict):
        return {"$dict": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    module = type(value).__module__
    if module == "numpy":                     # numpy scalars and arrays, without importing numpy
        try:
            return encode(value.tolist(), depth + 1)
        except Exception:  # noqa: BLE001
            pass
    if callable(value) and not isinstance(value, type):
        return {"$callable": True}
    return {"$opaque": type(value).__name__}


def dumps(values: dict[str, Any]) -> str:
    return json.dumps({str(k): encode(v) for k, v in values.items()}, allow_nan=False)


# ------------------------------------------------------------------------------- decode (grader)
class _Budget:
    def __init__(self) -> None:
        self.items = 0

    def tick(self) -> None:
        self.items += 1
        if self.items > MAX_ITEMS:
            raise ValueError("answer too large")


def _hashable(value: Any) -> Any:
    try:
        hash(value)
        return value
    except TypeError:
        return Opaque(type(value).__name__)


def decode(data: Any, depth: int = 0, budget: _Budget | None = None) -> Any:
    """Rebuild plain Python data from :func:`encode`'s output (strict; raises ``ValueError``)."""
    budget = budget or _Budget()
    budget.tick()
    if depth > MAX_DEPTH:
        raise ValueError("answer too deeply nested")
    if data is None or type(data) in (bool, int, str):
        return data
    if type(data) is float:
        return data
    if type(data) is list:
        return [decode(v, depth + 1, budget) for v in data]
    if type(data) is dict and len(data) == 1:
        (tag, inner), = data.items()
        if tag == "$tuple" and type(inner) is list:
            return tuple(decode(v, depth + 1, budget) for v in inner)
        if tag == "$set" and type(inner) is list:
            return {_hashable(decode(v, depth + 1, budget)) for v in inner}
        if tag == "$dict" and type(inner) is list:
            out = {}
            for pair in inner:
                if type(pair) is not list or len(pair) != 2:
                    raise ValueError("malformed dict in answer")
                out[_hashable(decode(pair[0], depth + 1, budget))] = decode(pair[1], depth + 1, budget)
            return out
        if tag == "$float" and inner in ("nan", "inf", "-inf"):
            return float(inner)
        if tag == "$callable":
            return Callable()
        if tag == "$missing":
            return Missing()
        if tag == "$opaque":
            return Opaque(str(inner))
    raise ValueError("answer is not plain data")


def loads(text: str) -> dict[str, Any]:
    """The recorded values of one test cell (``{name: value}``); ``ValueError`` if malformed."""
    if not isinstance(text, str) or len(text) > MAX_BYTES:
        raise ValueError("answer record missing or too large")
    raw = json.loads(text)
    if type(raw) is not dict:
        raise ValueError("answer record is not a mapping")
    budget = _Budget()
    return {str(k): decode(v, 0, budget) for k, v in raw.items()}
