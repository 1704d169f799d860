"""Instructor tooling for the nbgrader course in ``grading/``.

Run ``course-instructor --help`` (or ``python -m course.instructor --help``). The modules:

* :mod:`course.instructor.variants` — per-student case parameters from (secret, student id);
  with :mod:`course.instructor.answers` (record an answer as plain data, check its form) the
  only parts a student's notebook imports.
* :mod:`course.instructor.trusted` — the grader-side preprocessors: item specs out of the notebook
  before the kernel runs, scores computed in the grader (:mod:`course.instructor.scoring`) from
  the recorded values (:mod:`course.instructor.plaindata`); student functions are called in a fresh
  sandbox (:mod:`course.instructor.coderun`). :mod:`course.instructor.bank` — a private item bank.
* :mod:`course.instructor.cli` — the one command for the grading cycle.
* :mod:`course.instructor.parallel` — validation of submissions and parallel ``nbgrader autograde``.
* :mod:`course.instructor.sandbox` — the bubblewrap sandbox of every grading kernel and untrusted call.
* :mod:`course.instructor.nbgrader_ext` — nbgrader preprocessors used by ``grading/nbgrader_config.py``.
* :mod:`course.instructor.itemanalysis` — item difficulty, discrimination and score histograms.
* :mod:`course.instructor.leakcheck` — scans what students receive for solutions and answers.

Nothing in this package holds an answer: answers and item specs live only in ``grading/source``
(or the private item bank).
"""
