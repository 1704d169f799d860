"""nbgrader configuration of the spinal-metastases course (run nbgrader from this directory).

The same file serves a laptop and the course JupyterHub: only environment variables change.

* ``COURSE_EXCHANGE``      exchange directory (default: ``grading/exchange`` for a local cycle; on
                           JupyterHub set it to the shared exchange, usually ``/srv/nbgrader/exchange``)
* ``COURSE_CELL_TIMEOUT``  seconds a cell may run while autograding (default 30)
* ``COURSE_GRADING_SECRET`` / ``~/.config/spine-course/secret``  the instructor secret of the
                           per-student case variants (see course/instructor/variants.py)
"""

import os

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, Execute, IgnorePattern,
                                    LimitOutput, SaveAutoGrades)

from course.instructor.nbgrader_ext import LimitOutputChars

HERE = os.path.dirname(os.path.abspath(__file__))

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "spine-metastases"
c.CourseDirectory.root = HERE
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")
c.Exchange.root = os.environ.get("COURSE_EXCHANGE") or os.path.join(HERE, "exchange")
c.Exchange.path_includes_course = True

# One graded notebook per assignment, named like the assignment.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.bak"]

# Released stubs.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Autograding: a per-cell timeout, deleted test cells put back, the kernel confined to the
# submission directory, and outputs capped in characters as well as lines.
c.Execute.timeout = int(os.environ.get("COURSE_CELL_TIMEOUT", "30"))
c.Execute.interrupt_on_timeout = True
c.Execute.extra_arguments = ["--IPKernelApp.extensions=['course.instructor.kernel_guard']"]
c.OverwriteCells.add_missing_cells = True
c.LimitOutput.max_lines = 1000
c.LimitOutput.max_traceback = 100
c.LimitOutputChars.max_chars = 100_000
c.Autograde.autograde_preprocessors = [
    Execute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    LimitOutputChars,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]

# Collect refuses (not merely warns about) a submission folder that names another student: strict on a
# shared exchange (COURSE_EXCHANGE set, real system users); COURSE_STRICT_OWNER=0/1 overrides.
from course.instructor.exchange import OwnerCheckedCollect, strict_by_default  # noqa: E402

c.ExchangeFactory.collect = OwnerCheckedCollect
c.OwnerCheckedCollect.strict_owner = strict_by_default()
