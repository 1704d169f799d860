"""A long-lived autograding worker: ``python -m course.instructor.worker COURSE_DIR [CELL_TIMEOUT]``.

Importing nbgrader costs about 3 s, more than grading a short notebook, so each worker imports it
once and then grades one student per request with nbgrader's own API (``NbGraderAPI.autograde``,
the call the formgrader uses: the same ``Autograde`` converter and the same
``nbgrader_config.py`` as the ``nbgrader autograde`` command).

Protocol: one JSON object per line on stdin (``{"assignment": …, "student": …}``), one JSON reply
per line on the original stdout (``{"student", "success", "log", "error"}``). Everything else
nbgrader prints goes to stderr.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    root = sys.argv[1]
    timeout = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] != "-" else None
    reply = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)                       # stray prints must not corrupt the protocol
    sys.stdout = sys.stderr
    os.chdir(root)

    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.apps.nbgraderapp import NbGraderApp

    from course.instructor import speedups

    app = NbGraderApp()
    app.initialize([])                  # loads nbgrader_config.py from the course directory
    config = app.config
    if timeout:
        config.Execute.timeout = timeout
    if os.environ.get("COURSE_AUTOGRADE_SPEEDUPS", "1") != "0":
        speedups.apply(config)          # nbgrader's own overhead per submission, cut (same scores)
    api = NbGraderAPI(config=config)
    reply.write(json.dumps({"ready": True}) + "\n")

    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        result = api.autograde(request["assignment"], request["student"], force=True, create=True)
        result["student"] = request["student"]
        reply.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
