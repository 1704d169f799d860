"""The release step's own addition to nbgrader: the assignment's release key in the released notebook."""

from __future__ import annotations

from typing import TYPE_CHECKING

import nbformat

from course.instructor import variants

if TYPE_CHECKING:
    from course.instructor.coursedir import Course

RELEASE_KEY_TAG = "course-release-key"


def inject_release_key(course: "Course", assignment: str) -> bool:
    """Write the assignment's release key into the released notebook's key cell."""
    path = course.root / "release" / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(path, as_version=4)
    found = False
    for cell in nb.cells:
        if RELEASE_KEY_TAG in cell.metadata.get("tags", []):
            key = variants.release_key(assignment)
            cell.source = ("# Filled in by the instructor's release step — do not edit.\n"
                           f'RELEASE_KEY = "{key}"')
            found = True
    if found:
        nbformat.write(nb, path)
    return found
