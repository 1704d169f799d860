"""nbgrader configuration of the spinal-metastases course (run nbgrader from this directory).

The same file serves a laptop and the course JupyterHub: only environment variables change.

* ``COURSE_EXCHANGE``      exchange directory (default: ``grading/exchange`` for a local cycle; on
                           JupyterHub set it to the shared exchange, usually ``/srv/nbgrader/exchange``)
* ``COURSE_CELL_TIMEOUT``  seconds a cell may run while autograding (default 30)
* ``COURSE_KERNEL_MEMORY_MB``  address-space limit of a sandboxed grading kernel (default 3072)
* ``COURSE_UNSAFE_NO_SANDBOX=yes-run-student-code-unconfined``  grade without a sandbox (unsafe)
* ``COURSE_GRADING_SECRET`` / ``~/.config/spine-course/secret``  the instructor secret of the
                           per-student case variants (see course/instructor/variants.py)
* ``COURSE_ITEM_BANK``     a private item bank outside the repository (its ``source/`` replaces the
                           public ``grading/source``; see course/instructor/bank.py)
"""

import os

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearOutput, DeduplicateIds,
                                    GetGrades, IgnorePattern, LimitOutput, OverwriteCells,
                                    OverwriteKernelspec, SaveAutoGrades)

from course.instructor.bank import nbgrader_source_directory
from course.instructor.execute import SandboxedExecute
from course.instructor.nbgrader_ext import LimitOutputChars
from course.instructor.sanitize import ForgetUnknownCells, RedactFeedback, SanitizeNotebook
from course.instructor.trusted import TrustedGrade, TrustedPrepare

HERE = os.path.dirname(os.path.abspath(__file__))

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "spine-metastases"
c.CourseDirectory.root = HERE
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")
c.CourseDirectory.source_directory = nbgrader_source_directory()   # public source/ or $COURSE_ITEM_BANK
c.Exchange.root = os.environ.get("COURSE_EXCHANGE") or os.path.join(HERE, "exchange")
c.Exchange.path_includes_course = True

# One graded notebook per assignment, named like the assignment.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.bak"]

# Released stubs.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Autograding: a per-cell timeout, deleted test cells put back, and outputs capped in characters
# as well as lines. Every kernel runs in its own bubblewrap sandbox (course/instructor/sandbox.py):
# no secret, no course folder, no network, an unprivileged uid, rlimits; grading refuses to start
# where no sandbox can (COURSE_UNSAFE_NO_SANDBOX overrides that — never on a shared machine).
c.Execute.timeout = int(os.environ.get("COURSE_CELL_TIMEOUT", "30"))
c.Execute.interrupt_on_timeout = True
c.Execute.kernel_manager_class = "course.instructor.sandbox.SandboxKernelManager"
c.SandboxKernelManager.memory_mb = int(os.environ.get("COURSE_KERNEL_MEMORY_MB", "3072"))
c.OverwriteCells.add_missing_cells = True
c.LimitOutput.max_lines = 1000
c.LimitOutput.max_traceback = 100
c.LimitOutputChars.max_chars = 100_000
c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    ForgetUnknownCells,  # a grade cell the student added or renamed: a plain cell, not a failed notebook
    OverwriteCells,
    CheckCellMetadata,
]
# Grading happens in this process, not in the student's kernel (course/instructor/trusted.py):
# TrustedPrepare takes the item specs out before the kernel starts, TrustedGrade scores the values
# the kernel recorded and writes the points that SaveAutoGrades reads.
c.Autograde.autograde_preprocessors = [
    TrustedPrepare,
    SandboxedExecute,    # nbgrader's Execute + crash recovery: a dead kernel costs one cell, not all
    TrustedGrade,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    LimitOutputChars,
    SanitizeNotebook,    # student HTML/JS/SVG made inert before the formgrader or feedback render it
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]

# Feedback: a test cell's hidden part is never shown, nor quoted by a traceback.
c.GenerateFeedback.preprocessors = [GetGrades, RedactFeedback, CSSHTMLHeaderPreprocessor]

# Collect refuses (not merely warns about) a submission folder that names another student: strict on a
# shared exchange (COURSE_EXCHANGE set, real system users); COURSE_STRICT_OWNER=0/1 overrides.
from course.instructor.exchange import OwnerCheckedCollect, strict_by_default  # noqa: E402

c.ExchangeFactory.collect = OwnerCheckedCollect
c.OwnerCheckedCollect.strict_owner = strict_by_default()
