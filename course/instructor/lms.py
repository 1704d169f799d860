"""Grades into the LMS: turn nbgrader's grade export into files that Canvas and Moodle import.

nbgrader's ``export`` writes one row per student and assignment (``assignment, duedate, timestamp,
student_id, last_name, first_name, email, raw_score, late_submission_penalty, score, max_score``).
An LMS wants one row per student and one column per assignment, and it identifies students by its
own identifiers. So each export is driven by a **roster that is the LMS's own gradebook export**:

* **Canvas** — Grades → Export → "Export Entire Gradebook" gives a CSV whose first columns are
  ``Student, ID, SIS User ID, SIS Login ID, Section`` (``Integration ID`` and ``Root Account`` appear
  on some instances), then one column per assignment named ``Title (assignment id)``, then read-only
  totals; its second row may be ``Points Possible``. Canvas imports a file of the same shape: the
  identity columns, then one column per assignment; a column whose header matches an existing
  assignment updates it, a new header creates a new assignment, and blank cells leave existing
  grades alone (Instructure, "How do I import grades in the Gradebook?", Canvas Instructor Guide;
  "What are the requirements for importing grades … CSV?").
* **Moodle** — Grade administration → Export → Plain text file gives ``First name, Last name,
  ID number, Institution, Department, Email address`` and one column per grade item. Moodle's CSV
  import maps one column of the file to a user field ("Map from" → "Map to": user id, username,
  ID number or email address) and each further column to a grade item (Moodle Docs, "Grade import";
  ``grade/import/csv`` in the Moodle source).

The CSV format (``csv``) is nbgrader's own columns, one row per student and assignment, with the
roster's identifier added.

Every student in the gradebook must be in the roster: one who is not is an error that names them,
because a grade that silently goes nowhere is a grade lost. Students in the roster without a
submission get a blank cell (Canvas and Moodle then keep whatever grade they hold).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

FORMATS = ("canvas", "moodle", "csv")

#: Columns that identify a student in a Canvas gradebook export, in Canvas's order.
CANVAS_IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Integration ID", "Section", "Root Account")
#: Columns that identify a student in Moodle's plain-text grade export.
MOODLE_IDENTITY = ("First name", "Last name", "ID number", "Institution", "Department", "Email address",
                   "Username")
DEFAULT_MATCH = {"canvas": "SIS Login ID", "moodle": "Email address", "csv": "SIS Login ID"}
MATCH_TRANSFORMS = ("exact", "email-local-part", "casefold")
NBGRADER_COLUMNS = ("assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
                    "raw_score", "late_submission_penalty", "score", "max_score")


class ExportError(ValueError):
    """A grade export that cannot be written without losing or misplacing a grade."""


@dataclass(frozen=True)
class Grade:
    """One student's result on one assignment, from nbgrader's export."""

    assignment: str
    student_id: str
    score: float | None  # None: no submission
    max_score: float


@dataclass(frozen=True)
class Roster:
    """The LMS's gradebook export: its header, its student rows, and any "Points Possible" row."""

    header: list[str]
    rows: list[dict[str, str]]
    points_possible: dict[str, str] | None


def read_nbgrader_export(text: str) -> list[Grade]:
    """Parse the CSV written by ``nbgrader export``."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("assignment", "student_id", "score", "max_score", "timestamp")
               if c not in (reader.fieldnames or [])]
    if missing:
        raise ExportError(f"grades file: not an nbgrader export, missing columns {missing}; "
                          f"expected {list(NBGRADER_COLUMNS)}")
    grades = []
    for row in reader:
        submitted = bool((row.get("timestamp") or "").strip())
        grades.append(Grade(row["assignment"], row["student_id"],
                            float(row["score"]) if submitted else None, float(row["max_score"] or 0)))
    return grades


def read_roster(text: str, fmt: str) -> Roster:
    """Parse an LMS gradebook export (Canvas or Moodle); a BOM and a Points Possible row are allowed."""
    check_format(fmt)
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    header = list(reader.fieldnames or [])
    if not header:
        raise ExportError("roster: the file is empty; export the gradebook from the LMS and pass that file")
    identity = CANVAS_IDENTITY if fmt == "canvas" else MOODLE_IDENTITY if fmt == "moodle" else header
    if fmt != "csv" and not any(c in header for c in identity):
        raise ExportError(f"roster: no {fmt} identity column in the header {header}; expected some of "
                          f"{list(identity)} (export the gradebook from {fmt.capitalize()} itself)")
    rows, points = [], None
    for row in reader:
        first = (row.get(header[0]) or "").strip()
        if first == "Points Possible":
            points = row
            continue
        rows.append(row)
    return Roster(header, rows, points)


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ExportError(f"format: unknown {fmt!r}; accepted: {list(FORMATS)}")


def _key(value: str, transform: str) -> str:
    value = value.strip()
    if transform == "email-local-part":
        return value.split("@", 1)[0].casefold()
    if transform == "casefold":
        return value.casefold()
    return value


def match_students(grades: Sequence[Grade], roster: Roster, match: str, transform: str = "exact"
                   ) -> dict[str, dict[str, str]]:
    """Map each nbgrader student id to its roster row, refusing unknown and ambiguous students."""
    if transform not in MATCH_TRANSFORMS:
        raise ExportError(f"match transform: unknown {transform!r}; accepted: {list(MATCH_TRANSFORMS)}")
    if match not in roster.header:
        raise ExportError(f"match column: {match!r} is not in the roster; its columns are {roster.header}")
    index: dict[str, list[dict[str, str]]] = {}
    for row in roster.rows:
        key = _key(row.get(match) or "", transform)
        if key:
            index.setdefault(key, []).append(row)
    out, missing, ambiguous = {}, [], []
    for sid in sorted({g.student_id for g in grades}):
        found = index.get(_key(sid, transform if transform != "email-local-part" else "casefold"), [])
        if not found:
            missing.append(sid)
        elif len(found) > 1:
            ambiguous.append(sid)
        else:
            out[sid] = found[0]
    if missing or ambiguous:
        parts = []
        if missing:
            parts.append(f"{len(missing)} student(s) in the gradebook are not in the roster "
                         f"(matched on {match!r}): {', '.join(missing)}")
        if ambiguous:
            parts.append(f"{len(ambiguous)} student(s) match more than one roster row: {', '.join(ambiguous)}")
        raise ExportError("; ".join(parts) + ". Nothing was written. Export a current roster from the LMS, "
                          "or choose another --match column.")
    return out


_CANVAS_ASSIGNMENT = re.compile(r"^(?P<title>.*?)\s*\((?P<id>\d+)\)\s*$")


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.casefold())


def assignment_column(assignment: str, roster: Roster, fmt: str) -> str:
    """The roster's existing column for an nbgrader assignment, else a new column named after it.

    Canvas headers read ``Title (id)``; Moodle's read ``Assignment: Title (Real)`` or ``Title (Real)``.
    A header matches when its title, stripped of those decorations, equals the assignment's name
    (ignoring case and punctuation), or starts with its ``aNN`` code.
    """
    target = _norm(assignment)
    code = _norm(assignment.split("_", 1)[0])
    candidates = []
    for h in roster.header:
        title = h
        if fmt == "canvas":
            m = _CANVAS_ASSIGNMENT.match(h)
            if not m:
                continue
            title = m.group("title")
        elif fmt == "moodle":
            title = re.sub(r"\s*\((Real|Percentage|Letter)\)\s*$", "", h)
            title = re.sub(r"^[A-Za-z ]+:\s*", "", title)
            if h in MOODLE_IDENTITY:
                continue
        t = _norm(title)
        if t == target or (len(code) >= 3 and t.startswith(code) and not t[len(code):len(code) + 1].isdigit()):
            candidates.append(h)
    if len(candidates) > 1:
        raise ExportError(f"assignment {assignment!r}: several roster columns could hold it: {candidates}; "
                          "rename the LMS assignments so that one matches")
    return candidates[0] if candidates else assignment


def _fmt_score(score: float | None) -> str:
    if score is None:
        return ""
    return f"{score:.2f}".rstrip("0").rstrip(".")


def export_rows(grades: Sequence[Grade], roster: Roster, fmt: str, match: str | None = None,
                transform: str = "exact", assignments: Iterable[str] | None = None) -> list[list[str]]:
    """The rows (header first) of the file to import into the LMS."""
    check_format(fmt)
    match = match or DEFAULT_MATCH[fmt]
    wanted = sorted(set(assignments) if assignments else {g.assignment for g in grades})
    unknown = sorted(set(wanted) - {g.assignment for g in grades})
    if unknown:
        raise ExportError(f"assignments: {unknown} have no grades; graded: {sorted({g.assignment for g in grades})}")
    grades = [g for g in grades if g.assignment in wanted]
    rows_by_student = match_students(grades, roster, match, transform)
    by = {(g.student_id, g.assignment): g for g in grades}
    max_by = {a: max((g.max_score for g in grades if g.assignment == a), default=0.0) for a in wanted}

    if fmt == "csv":
        header = ["student_id", match, "assignment", "score", "max_score", "submitted"]
        out = [header]
        for sid in sorted(rows_by_student):
            for a in wanted:
                g = by.get((sid, a))
                out.append([sid, rows_by_student[sid].get(match, ""), a,
                            _fmt_score(g.score if g else None), _fmt_score(max_by[a]),
                            "yes" if g and g.score is not None else "no"])
        return out

    identity_set = CANVAS_IDENTITY if fmt == "canvas" else MOODLE_IDENTITY
    identity = [c for c in roster.header if c in identity_set]
    if match not in identity:
        identity.append(match)
    columns = [assignment_column(a, roster, fmt) for a in wanted]
    out = [identity + columns]
    if fmt == "canvas":
        out.append(["Points Possible"] + [""] * (len(identity) - 1) + [_fmt_score(max_by[a]) for a in wanted])
    by_row = {id(row): sid for sid, row in rows_by_student.items()}
    for row in roster.rows:  # roster order, every roster student (blank where nothing was submitted)
        sid = by_row.get(id(row))
        cells = [(row.get(c) or "") for c in identity]
        cells += [_fmt_score(by[(sid, a)].score) if sid and (sid, a) in by else "" for a in wanted]
        out.append(cells)
    return out


def write_export(grades_csv: Path, roster_csv: Path | None, fmt: str, out: Path, match: str | None = None,
                 transform: str = "exact", assignments: Iterable[str] | None = None) -> Path:
    """Read nbgrader's export and the roster, write the LMS file; nothing is written on an error."""
    check_format(fmt)
    grades = read_nbgrader_export(grades_csv.read_text(encoding="utf-8"))
    if roster_csv is None:
        if fmt != "csv":
            raise ExportError(f"roster: --roster is required for {fmt}: export the gradebook from "
                              f"{fmt.capitalize()} (it lists the identifiers {fmt.capitalize()} imports by)")
        ids = sorted({g.student_id for g in grades})
        roster = Roster(["SIS Login ID"], [{"SIS Login ID": s} for s in ids], None)
    else:
        roster = read_roster(roster_csv.read_text(encoding="utf-8-sig"), fmt)
    rows = export_rows(grades, roster, fmt, match, transform, assignments)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n" if fmt == "canvas" else "\n").writerows(rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(buf.getvalue(), encoding="utf-8")
    return out
