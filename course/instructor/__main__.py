"""``python -m course.instructor`` — same as the ``course-instructor`` command."""

from course.instructor.cli import main

raise SystemExit(main())
