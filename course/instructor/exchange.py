"""nbgrader's collect step, refusing submissions that claim another student's name.

nbgrader's filesystem exchange names each submission folder ``<student>+<assignment>+<time>+<random>``
inside an ``inbound`` folder that every student may write to. The name is chosen by the submitting
process, so a student can drop a folder named after a classmate; nbgrader's collect then picks the
newest folder per name and only *warns* that its owner differs ("cheating attempt?"). A later
impersonation would replace the classmate's real submission.

:class:`OwnerCheckedCollect` refuses such a folder before the newest one is chosen: it is never
collected, the refusal is logged as an error naming the folder, the name and the real owner, and the
classmate's own submission is collected as usual. Where every user is the same system user (one
laptop, or Kubernetes, where every pod runs as ``jovyan``) ownership proves nothing; there the check
is off and an authenticated exchange such as ngshare is the answer (``deploy/README.md``).

Enabled in ``grading/nbgrader_config.py``; strict when ``COURSE_EXCHANGE`` names a shared exchange,
or when ``COURSE_STRICT_OWNER=1``.
"""

from __future__ import annotations

import glob
import os
import pwd

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange.default.collect import ExchangeCollect, groupby
from nbgrader.utils import check_mode
from traitlets import Bool, List


def strict_by_default() -> bool:
    explicit = os.environ.get("COURSE_STRICT_OWNER")
    if explicit in ("0", "1"):
        return explicit == "1"
    return bool(os.environ.get("COURSE_EXCHANGE"))


class OwnerCheckedCollect(ExchangeCollect):
    """Collect that refuses a submission folder not owned by the student whose name it carries."""

    strict_owner = Bool(True, help="Refuse (not merely warn about) submissions whose folder owner is not "
                                   "the named student.").tag(config=True)
    refused = List(help="Refused submissions of the last run: (folder, claimed student, owner).")

    def _owner(self, path: str) -> str:
        try:
            return pwd.getpwuid(os.stat(path).st_uid).pw_name
        except KeyError:
            return "unknown uid"

    def _accept(self, record: dict) -> bool:
        if not self.strict_owner:
            return True
        path = os.path.join(self.inbound_path, record["filename"])
        owner = self._owner(path)
        if owner == record["username"]:
            return True
        self.refused.append((record["filename"], record["username"], owner))
        self.log.error("Refused %s: it claims to be submitted by %s but belongs to %s. It is not collected; "
                       "%s's own submission (if any) is.", record["filename"], record["username"], owner,
                       record["username"])
        return False

    def init_src(self):  # nbgrader 0.9's ExchangeCollect.init_src, with refused records left out
        if self.coursedir.course_id == "":
            self.fail("No course id specified. Re-run with --course flag.")
        self.course_path = os.path.join(self.root, self.coursedir.course_id)
        self.inbound_path = os.path.join(self.course_path, "inbound")
        if not os.path.isdir(self.inbound_path):
            self.fail("Course not found: {}".format(self.inbound_path))
        if not check_mode(self.inbound_path, read=True, execute=True):
            self.fail("You don't have read permissions for the directory: {}".format(self.inbound_path))
        student_id = self.coursedir.student_id if self.coursedir.student_id else "*"
        pattern = os.path.join(self.inbound_path, "{}+{}+*".format(student_id, self.coursedir.assignment_id))
        self.refused = []
        records = [r for r in (self._path_to_record(f) for f in glob.glob(pattern)) if self._accept(r)]
        usergroups = groupby(records, lambda item: item["username"])
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            try:
                self.duedate = gb.find_assignment(self.coursedir.assignment_id).duedate
            except MissingEntry:
                self.duedate = None
        if self.duedate is None or not self.before_duedate:
            self.src_records = [self._sort_by_timestamp(v)[0] for v in usergroups.values()]
        else:
            self.src_records = []
            for v in usergroups.values():
                ordered = self._sort_by_timestamp(v)
                before = [r for r in ordered if r["timestamp"] <= self.duedate]
                self.src_records.append(before[0] if before else ordered[0])
