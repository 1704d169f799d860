"""Per-student variants of the numeric case items (nbgrader has none).

Each case item has a *template*: a small dict of parameter ranges (public; it sits in a read-only
cell of the assignment). A student's parameters are drawn from a numpy ``Generator`` seeded with

    HMAC-SHA256(release_key, f"{assignment}:{template}:{student_id}")
    release_key = HMAC-SHA256(secret, assignment)

so neighbours get different patients and the public repository holds no student's answer:
without the release key (which only the released notebooks carry, one per assignment) nobody can
tell which patient a given student got, and without the instructor secret nobody can make a
release key. The secret itself never leaves the instructor's machine; the autograder's hidden
tests re-derive the key from it and recompute every student's expected answer.

The secret is read from the environment variable ``COURSE_GRADING_SECRET`` or from the file named
by ``COURSE_GRADING_SECRET_FILE`` (default ``~/.config/spine-course/secret``).

A template maps parameter names to either a list of choices or ``{"low": a, "high": b, "step": s}``
(a grid from ``a`` to ``b`` inclusive). Parameters are drawn in sorted-name order.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

SECRET_ENV = "COURSE_GRADING_SECRET"
SECRET_FILE_ENV = "COURSE_GRADING_SECRET_FILE"
DEFAULT_SECRET_FILE = Path("~/.config/spine-course/secret")
STUDENT_ENV = "COURSE_STUDENT_ID"
#: Set only inside a grading sandbox (which never sees the secret): the assignment's release key.
RELEASE_KEY_ENV = "COURSE_RELEASE_KEY"


class MissingSecretError(RuntimeError):
    """The instructor secret is needed but could not be found."""


class Patient(dict):
    """A student's case parameters; keys are also readable as attributes (``patient.fractions``)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.items())
        return f"Patient({inner})"


def secret_file() -> Path:
    """Where the secret file is looked for."""
    return Path(os.environ.get(SECRET_FILE_ENV) or DEFAULT_SECRET_FILE).expanduser()


def missing_secret_message() -> str:
    return (
        f"The instructor grading secret was not found. Set the environment variable {SECRET_ENV} "
        f"to the course secret, or put it in the file {secret_file()} (or point {SECRET_FILE_ENV} at "
        "another file). Create one with `course-instructor init-secret`. The secret must stay outside "
        "the repository; without it the per-student case answers cannot be generated or graded."
    )


def load_secret() -> bytes:
    """Return the instructor secret, or raise :class:`MissingSecretError` saying where to put it."""
    value = os.environ.get(SECRET_ENV, "").strip()
    if not value:
        path = secret_file()
        if path.is_file():
            value = path.read_text(encoding="utf-8").strip()
    if not value:
        raise MissingSecretError(missing_secret_message())
    return value.encode("utf-8")


def have_secret() -> bool:
    try:
        load_secret()
    except MissingSecretError:
        return False
    return True


def release_key(assignment: str, secret: bytes | None = None) -> str:
    """The per-assignment key injected into released notebooks (hex; not the secret)."""
    if secret is None and os.environ.get(RELEASE_KEY_ENV) and not have_secret():
        return os.environ[RELEASE_KEY_ENV]      # inside a grading sandbox: one assignment, no secret
    secret = load_secret() if secret is None else secret
    return hmac.new(secret, f"release:{assignment}".encode(), hashlib.sha256).hexdigest()


def _seed(key: str, assignment: str, template: str, student: str) -> int:
    digest = hmac.new(bytes.fromhex(key), f"{assignment}:{template}:{student}".encode(), hashlib.sha256)
    return int.from_bytes(digest.digest(), "big")


def _draw_one(rng: np.random.Generator, name: str, spec: Any) -> Any:
    if isinstance(spec, (list, tuple)):
        if not spec:
            raise ValueError(f"template parameter {name!r}: empty list of choices")
        value = spec[int(rng.integers(len(spec)))]
        return value
    if isinstance(spec, Mapping) and {"low", "high"} <= set(spec):
        low, high = spec["low"], spec["high"]
        step = spec.get("step", 1)
        if step <= 0 or high < low:
            raise ValueError(f"template parameter {name!r}: need low <= high and step > 0")
        n = int(round((high - low) / step)) + 1
        value = low + int(rng.integers(n)) * step
        if all(isinstance(x, int) for x in (low, high, step)):
            return int(value)
        return round(float(value), 6)
    raise ValueError(
        f"template parameter {name!r}: use a list of choices or {{'low': …, 'high': …, 'step': …}}"
    )


def draw(template_spec: Mapping[str, Any], *, key: str, assignment: str, template: str,
         student: str) -> Patient:
    """Draw the parameters of ``template`` for ``student`` with the release ``key``."""
    if not student:
        raise ValueError("student id is empty")
    rng = np.random.default_rng(_seed(key, assignment, template, student))
    return Patient((name, _draw_one(rng, name, template_spec[name])) for name in sorted(template_spec))


def autograding() -> bool:
    """True inside ``nbgrader autograde`` (nbgrader sets NBGRADER_EXECUTION for the kernel)."""
    return os.environ.get("NBGRADER_EXECUTION") == "autograde"


def student_from_path(path: str | os.PathLike[str] | None = None) -> str:
    """Student id from an autograde directory ``…/<student>/<assignment>/`` (default: the cwd)."""
    here = Path(path or os.getcwd()).resolve()
    return here.parent.name


def student_id(typed: str | None = "") -> str:
    """The student's course id.

    While autograding it is taken from the path ``autograded/<student>/<assignment>/`` (whatever
    the notebook says). Otherwise: the id typed in the notebook, else ``JUPYTERHUB_USER``, else
    ``COURSE_STUDENT_ID``.
    """
    if autograding():
        return _GRADING_STUDENT[0] if _GRADING_STUDENT else student_from_path()
    for value in (typed, os.environ.get("JUPYTERHUB_USER"), os.environ.get(STUDENT_ENV)):
        if value and str(value).strip():
            return str(value).strip()
    raise ValueError(
        "Your course id is needed to build your own patient: type it in the cell above, e.g. "
        "STUDENT_ID = \"jdoe\" (on the course JupyterHub it is filled in automatically)."
    )


def my_case(template_spec: Mapping[str, Any], *, assignment: str, template: str,
            key: str | None, student: str) -> Patient:
    """The patient a student sees in the released notebook.

    ``key`` is the release key injected by ``course-instructor generate`` (and filled in again by
    the autograder, which never gives the kernel the secret). When it is missing (the instructor
    running the source notebook) the key is derived from the secret.
    """
    if autograding():
        student = student_id(student)          # the collected path's id, set by the autograder
        key = key or os.environ.get(RELEASE_KEY_ENV) or None
    if not key:
        if not have_secret():
            raise MissingSecretError(
                "This notebook has no release key (RELEASE_KEY is None): use the notebook released "
                "by your instructor. Instructors: " + missing_secret_message()
            )
        key = release_key(assignment)
    return draw(template_spec, key=key, assignment=assignment, template=template, student=student)


def grading_case(template_spec: Mapping[str, Any], *, assignment: str, template: str,
                 student: str | None = None) -> Patient:
    """The patient the autograder uses for the expected answer (needs the secret)."""
    student = student or student_id()
    return draw(template_spec, key=release_key(assignment), assignment=assignment, template=template,
                student=student)


_GRADING_STUDENT: list[str] = []


def set_grading_student(student: str) -> None:
    """Called by the autograder's filled-in key cell: the id of the collected submission, so the
    kernel draws the patient the student saw. (Grading itself never trusts the kernel's id.)"""
    _GRADING_STUDENT[:] = [str(student)]
