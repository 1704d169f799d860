"""nbgrader settings for students' servers on Kubernetes: the ngshare exchange, through the hub.

Installed as /etc/jupyter/nbgrader_config.py by deploy/image/Dockerfile. ngshare identifies each
caller by their own hub token, so one student cannot submit or fetch as another (on Kubernetes every
pod runs as the same uid, so a shared-folder exchange could not tell them apart).
"""

import os

from ngshare_exchange import configureExchange

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)
configureExchange(c, os.environ["NGSHARE_URL"])
c.CourseDirectory.course_id = os.environ.get("COURSE_ID", "spine-2026")
