"""Reading and writing the course's nbgrader gradebook (scores, rejected submissions)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from course.instructor.coursedir import Course


def open_gradebook(course: "Course"):
    from nbgrader.api import Gradebook

    return Gradebook(course.db_url, course.course_id)


def record_zero(course: "Course", assignment: str, student: str, reason: str) -> None:
    """Put ``student`` in the gradebook with score 0 for ``assignment`` and say why."""
    with open_gradebook(course) as gb:
        gb.update_or_create_student(student)
        sub = gb.update_or_create_submission(assignment, student)
        for nb in sub.notebooks:
            for grade in nb.grades:
                grade.auto_score = 0
                grade.manual_score = None
                grade.needs_manual_grade = False
            for comment in nb.comments:
                comment.auto_comment = f"Not graded: {reason}"
        gb.db.commit()


def scores(course: "Course", assignment: str) -> dict[str, tuple[float, float]]:
    """``{student: (score, max_score)}`` from the gradebook."""
    out = {}
    with open_gradebook(course) as gb:
        for sub in gb.assignment_submissions(assignment):
            out[sub.student.id] = (float(sub.score), float(sub.max_score))
    return out
