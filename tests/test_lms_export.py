"""Grades into the LMS: Canvas and Moodle import files checked column by column.

Formats, as documented:
- Canvas: Instructure, "How do I import grades in the Gradebook?" and "What are the requirements for
  importing grades … CSV?" (Canvas Instructor Guide, community.canvaslms.com): identity columns
  Student, ID, SIS User ID, SIS Login ID, Section, then one column per assignment named
  "Title (assignment id)" (a header without an id creates a new assignment); an optional second row
  "Points Possible"; blank cells leave grades unchanged.
- Moodle: Moodle Docs, "Grade import" (docs.moodle.org/en/Grade_import) and grade/import/csv in the
  Moodle source: a header row; one column maps to a user field (email address, username, ID number);
  each other column maps to a grade item. The plain-text export (docs.moodle.org/en/Grade_export)
  has First name, Last name, ID number, Institution, Department, Email address, then grade items.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from course.instructor import lms

NBGRADER_EXPORT = """assignment,duedate,timestamp,student_id,last_name,first_name,email,raw_score,late_submission_penalty,score,max_score
a05_scoring,,2026-11-30 10:00:00,jdoe,,,,14.0,0.0,14.0,16.0
a05_scoring,,2026-11-30 10:05:00,asmith,,,,9.5,0.0,9.5,16.0
a05_scoring,,,bnguyen,,,,0.0,0.0,0.0,16.0
a06_treatment,,2026-12-01 09:00:00,jdoe,,,,16.0,0.0,16.0,16.0
a06_treatment,,2026-12-01 09:00:00,asmith,,,,12.25,0.0,12.25,16.0
a06_treatment,,2026-12-01 09:00:00,bnguyen,,,,8.0,0.0,8.0,16.0
"""

# A Canvas "Export Entire Gradebook" file: identity columns, assignments "Title (id)", read-only totals,
# a "Points Possible" row (Canvas writes it with leading spaces) and a test student.
CANVAS_ROSTER = (
    "\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,a05 Scoring (40111),Quiz 1 (40112),Current Score,Final Score\r\n"
    "    Points Possible,,,,,16,10,(read only),(read only)\r\n"
    "\"Doe, Jane\",1001,S-1,jdoe,MED-A,,7,50,50\r\n"
    "\"Smith, Ann\",1002,S-2,asmith,MED-A,,8,60,60\r\n"
    "\"Nguyen, Bao\",1003,S-3,bnguyen,MED-B,,9,70,70\r\n"
    "\"Student, Test\",1099,,test_student,MED-A,,,,\r\n"
)

MOODLE_ROSTER = (
    "First name,Last name,ID number,Institution,Department,Email address,"
    "Assignment: a06 Treatment (Real),Last downloaded from this course\n"
    "Jane,Doe,,Uni,Medicine,jdoe@uni.example,,1700000000\n"
    "Ann,Smith,,Uni,Medicine,ASmith@uni.example,,1700000000\n"
    "Bao,Nguyen,,Uni,Medicine,bnguyen@uni.example,,1700000000\n"
)


def parse(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {"grades": tmp_path / "grades.csv", "canvas": tmp_path / "canvas.csv", "moodle": tmp_path / "moodle.csv"}
    out["grades"].write_text(NBGRADER_EXPORT, encoding="utf-8")
    out["canvas"].write_text(CANVAS_ROSTER, encoding="utf-8")
    out["moodle"].write_text(MOODLE_ROSTER, encoding="utf-8")
    return out


def test_canvas_file_column_by_column(files, tmp_path):
    out = lms.write_export(files["grades"], files["canvas"], "canvas", tmp_path / "out.csv")
    rows = parse(out)
    # identity columns exactly as Canvas names them, then one column per assignment
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "a05 Scoring (40111)",
                       "a06_treatment"]
    # the existing Canvas assignment is reused by its "(id)" header; the new one is created by name
    assert rows[1] == ["Points Possible", "", "", "", "", "16", "16"]
    body = {r[3]: r for r in rows[2:]}
    assert body["jdoe"] == ["Doe, Jane", "1001", "S-1", "jdoe", "MED-A", "14", "16"]
    assert body["asmith"][5:] == ["9.5", "12.25"]
    # no submission → blank (Canvas keeps the existing grade), never a silent zero
    assert body["bnguyen"][5:] == ["", "8"]
    # roster students without grades keep their row, blank
    assert body["test_student"][5:] == ["", ""]
    # read-only columns (Current Score, …) and other assignments are not written back
    assert "Current Score" not in rows[0] and "Quiz 1 (40112)" not in rows[0]
    assert out.read_bytes().count(b"\r\n") == len(rows)


def test_moodle_file_column_by_column(files, tmp_path):
    out = lms.write_export(files["grades"], files["moodle"], "moodle", tmp_path / "out.csv",
                           transform="email-local-part")
    rows = parse(out)
    assert rows[0] == ["First name", "Last name", "ID number", "Institution", "Department", "Email address",
                       "a05_scoring", "Assignment: a06 Treatment (Real)"]
    body = {r[5]: r for r in rows[1:]}
    assert body["jdoe@uni.example"][6:] == ["14", "16"]
    assert body["ASmith@uni.example"][6:] == ["9.5", "12.25"]  # matched case-insensitively on the local part
    assert body["bnguyen@uni.example"][6:] == ["", "8"]
    assert len(rows) == 4  # no Points Possible row: Moodle's import has none


def test_plain_csv(files, tmp_path):
    out = lms.write_export(files["grades"], files["canvas"], "csv", tmp_path / "out.csv")
    rows = parse(out)
    assert rows[0] == ["student_id", "SIS Login ID", "assignment", "score", "max_score", "submitted"]
    assert ["bnguyen", "bnguyen", "a05_scoring", "", "16", "no"] in rows
    assert len(rows) == 1 + 3 * 2


def test_student_missing_from_roster_is_an_error_and_nothing_is_written(files, tmp_path):
    roster = tmp_path / "short.csv"
    roster.write_text("\n".join(CANVAS_ROSTER.splitlines()[:3]) + "\n", encoding="utf-8")  # jdoe only
    out = tmp_path / "out.csv"
    with pytest.raises(lms.ExportError) as err:
        lms.write_export(files["grades"], roster, "canvas", out)
    assert "asmith" in str(err.value) and "bnguyen" in str(err.value) and "not in the roster" in str(err.value)
    assert not out.exists()


def test_refusals(files, tmp_path):
    with pytest.raises(lms.ExportError, match="format"):
        lms.write_export(files["grades"], files["canvas"], "blackboard", tmp_path / "x.csv")
    with pytest.raises(lms.ExportError, match="--roster is required"):
        lms.write_export(files["grades"], None, "canvas", tmp_path / "x.csv")
    with pytest.raises(lms.ExportError, match="match column"):
        lms.write_export(files["grades"], files["canvas"], "canvas", tmp_path / "x.csv", match="Username")
    with pytest.raises(lms.ExportError, match="identity column"):
        lms.write_export(files["grades"], files["moodle"], "canvas", tmp_path / "x.csv")
    with pytest.raises(lms.ExportError, match="not an nbgrader export"):
        bad = tmp_path / "bad.csv"
        bad.write_text("a,b\n1,2\n", encoding="utf-8")
        lms.write_export(bad, files["canvas"], "canvas", tmp_path / "x.csv")


def test_ambiguous_roster_match_is_refused(files, tmp_path):
    roster = tmp_path / "dup.csv"
    roster.write_text(CANVAS_ROSTER + "\"Doe, John\",1004,S-4,jdoe,MED-B,,,,\r\n", encoding="utf-8")
    with pytest.raises(lms.ExportError, match="more than one roster row: jdoe"):
        lms.write_export(files["grades"], roster, "canvas", tmp_path / "x.csv")


def test_assignment_column_matching():
    roster = lms.read_roster(CANVAS_ROSTER, "canvas")
    assert lms.assignment_column("a05_scoring", roster, "canvas") == "a05 Scoring (40111)"
    assert lms.assignment_column("a06_treatment", roster, "canvas") == "a06_treatment"
    two = lms.Roster(["Student", "a05 Scoring (1)", "a05_scoring (2)"], [], None)
    with pytest.raises(lms.ExportError, match="several roster columns"):
        lms.assignment_column("a05_scoring", two, "canvas")
