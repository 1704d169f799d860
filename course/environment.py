"""Check that the learner's environment can run the course (used by ``00_start_here``)."""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass
from importlib import import_module, metadata

#: Packages the course needs, with the minimum version it was tested with.
REQUIRED: dict[str, str] = {
    "ipywidgets": "8.1",
    "matplotlib": "3.8",
    "numpy": "1.26",
    "yaml": "6.0",
    "pydicom": "2.4",
}

_DIST = {"yaml": "pyyaml"}


@dataclass(frozen=True)
class Check:
    """One line of the environment report."""

    name: str
    version: str
    ok: bool
    note: str = ""


def _version_tuple(v: str) -> tuple[int, ...]:
    parts = []
    for p in v.split("."):
        digits = "".join(ch for ch in p if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def check() -> list[Check]:
    """Versions of Python and the required packages, each judged against :data:`REQUIRED`."""
    out = [Check("python", platform.python_version(), sys.version_info >= (3, 11), "3.11 or newer")]
    for mod, minimum in REQUIRED.items():
        try:
            import_module(mod)
            version = metadata.version(_DIST.get(mod, mod))
            ok = _version_tuple(version) >= _version_tuple(minimum)
            out.append(Check(mod, version, ok, f"≥ {minimum}"))
        except Exception as exc:  # noqa: BLE001 - report any import failure to the learner
            out.append(Check(mod, "missing", False, f"import failed: {exc}"))
    try:
        from course import calculators

        out.append(Check("course.calculators", "importable", callable(calculators.sins)))
    except Exception as exc:  # noqa: BLE001
        out.append(Check("course.calculators", "missing", False, f"import failed: {exc}"))
    return out


def report(checks: list[Check] | None = None) -> str:
    """A plain-text table of :func:`check` (deterministic apart from the version numbers)."""
    checks = check() if checks is None else checks
    lines = [f"{'component':<20} {'version':<12} status"]
    for c in checks:
        lines.append(f"{c.name:<20} {c.version:<12} {'OK' if c.ok else 'PROBLEM'} {c.note}".rstrip())
    verdict = "All checks passed." if all(c.ok for c in checks) else "Some checks failed: see PROBLEM lines."
    return "\n".join(lines + [verdict])


def all_ok() -> bool:
    """True when every check passes."""
    return all(c.ok for c in check())
