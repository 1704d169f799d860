"""Make a student's autograded notebook inert before anyone renders it.

The formgrader and ``nbgrader generate_feedback`` render the autograded notebook as HTML in the
instructor's (and the student's) browser, on the origin of the instructor's Jupyter server. A
student's HTML or JavaScript there could act as the instructor. :class:`SanitizeNotebook`
therefore, for every cell a student could have written or whose outputs their code produced:

* keeps only inert output types: ``text/plain``, PNG and JPEG images (valid base64, capped in size);
  HTML, JavaScript, SVG, Markdown, LaTeX and widget outputs are replaced by a plain-text note;
* drops output and cell metadata that templates put into HTML attributes, and cell attachments;
* escapes raw HTML in Markdown and raw cells written by the student (``<`` becomes ``&lt;``, which
  Markdown shows as ``<``) and defuses ``javascript:`` links;
* caps every output in bytes, per cell and per notebook (images included).

Cells the instructor wrote (read-only cells, which nbgrader has already restored from the
gradebook) keep their text.
"""

from __future__ import annotations

import base64
import binascii
import json
import re

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from traitlets import Integer

from nbgrader.preprocessors import NbGraderPreprocessor

SAFE_MIME = ("text/plain", "image/png", "image/jpeg")
REMOVED = "[{mime} output removed by the course autograder: only text and PNG/JPEG images are kept]"
_JS_URL = re.compile(r"(?i)\b(java|vb)script\s*:")
_B64 = re.compile(r"^[A-Za-z0-9+/=\s]*$")


def escape_markdown(text: str) -> str:
    """Markdown with any raw HTML shown as text and ``javascript:`` links defused."""
    text = text.replace("<", "&lt;")
    return _JS_URL.sub(lambda m: m.group(1) + "script (link removed):", text)


def _valid_image(value: object, limit: int) -> bool:
    if not isinstance(value, str) or len(value) > limit * 4 // 3 + 4 or not _B64.match(value):
        return False
    try:
        base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _instructor_cell(cell: NotebookNode) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return bool(meta.get("locked")) and not meta.get("solution")


class SanitizeNotebook(NbGraderPreprocessor):
    """Render student content inert and cap its size (see the module docstring)."""

    max_image_bytes = Integer(1_000_000, help="largest image kept (bytes, decoded)").tag(config=True)
    max_cell_bytes = Integer(2_000_000, help="output bytes kept per cell").tag(config=True)
    max_notebook_bytes = Integer(8_000_000, help="output bytes kept per notebook").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict):
        self._notebook_used = 0
        for key in ("widgets",):
            nb.metadata.pop(key, None)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, cell_index: int):
        cell.pop("attachments", None)
        if cell.cell_type in ("markdown", "raw"):
            if not _instructor_cell(cell):
                cell.source = escape_markdown(cell.source)
            for key in ("raw_mimetype", "format", "jupyter"):
                cell.metadata.pop(key, None)
            if cell.cell_type == "raw":
                cell.cell_type = "markdown"
                cell.pop("outputs", None)
                cell.pop("execution_count", None)
            return cell, resources
        if cell.cell_type != "code":
            return cell, resources
        kept, used = [], 0
        for out in cell.get("outputs", []):
            out = self._clean(out)
            size = len(json.dumps(out))
            if used + size > self.max_cell_bytes or self._notebook_used + size > self.max_notebook_bytes:
                kept.append(NotebookNode(output_type="stream", name="stderr",
                                         text="... Output truncated by the course autograder (size limit) ...\n"))
                break
            used += size
            self._notebook_used += size
            kept.append(out)
        cell.outputs = kept
        return cell, resources

    def _clean(self, out: NotebookNode) -> NotebookNode:
        kind = out.get("output_type")
        if kind == "stream":
            return NotebookNode(output_type="stream", name="stderr" if out.get("name") == "stderr" else "stdout",
                                text=str(out.get("text", "")))
        if kind == "error":
            return NotebookNode(output_type="error", ename=str(out.get("ename", ""))[:200],
                                evalue=str(out.get("evalue", ""))[:10_000],
                                traceback=[str(t)[:10_000] for t in out.get("traceback", [])[:200]])
        if kind in ("display_data", "execute_result"):
            data = out.get("data", {}) or {}
            clean: dict[str, str] = {}
            removed = [m for m in data if m not in SAFE_MIME]
            for mime in SAFE_MIME:
                value = data.get(mime)
                if value is None:
                    continue
                if isinstance(value, list):
                    value = "".join(map(str, value))
                if mime == "text/plain":
                    clean[mime] = str(value)
                elif _valid_image(value, self.max_image_bytes):
                    clean[mime] = value
                else:
                    removed.append(mime)
            if removed and "text/plain" not in clean:
                clean["text/plain"] = REMOVED.format(mime=", ".join(sorted(set(removed))))
            node = NotebookNode(output_type=kind, data=clean, metadata={})
            if kind == "execute_result":
                node.execution_count = out.get("execution_count")
            return node
        return NotebookNode(output_type="stream", name="stderr",
                            text=f"[output of type {str(kind)[:40]!r} removed by the course autograder]\n")


class ForgetUnknownCells(NbGraderPreprocessor):
    """Turn a cell whose nbgrader id is not in the gradebook (a grade cell the student added or
    renamed) into a plain cell, so that nbgrader grades the rest instead of failing on it; the
    original cell is then put back by ``OverwriteCells.add_missing_cells``. The report names it."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict):
        from nbgrader.api import Gradebook, MissingEntry

        info = resources["nbgrader"]
        known = set()
        with Gradebook(info["db_url"]) as gb:
            try:
                notebook = gb.find_notebook(info["notebook"], info["assignment"])
                known = {c.name for c in notebook.source_cells} | {c.name for c in notebook.grade_cells} \
                    | {c.name for c in notebook.task_cells}
            except MissingEntry:
                return nb, resources
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader")
            if meta and meta.get("grade_id") not in known:
                self.log.warning("cell %r is not in the gradebook (added or renamed by the student): graded "
                                 "as a plain cell", meta.get("grade_id"))
                cell.metadata.pop("nbgrader")
                cell.metadata.setdefault("course", {})["unknown_grade_id"] = str(meta.get("grade_id"))[:100]
        return nb, resources


class RedactFeedback(NbGraderPreprocessor):
    """Feedback shows a test cell's visible part and its result, never its hidden part: the hidden
    region is cut from the source and an error in a test cell is reduced to its exception name and
    message (a traceback would quote the hidden lines)."""

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, cell_index: int):
        from course.instructor.markers import HIDDEN_BEGIN, HIDDEN_END

        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade"):
            return cell, resources
        begin, end = f"### {HIDDEN_BEGIN}", f"### {HIDDEN_END}"
        if begin in cell.source:
            head, _, rest = cell.source.partition(begin)
            tail = rest.partition(end)[2]
            cell.source = head.rstrip() + "\n# (hidden tests are not shown)" + tail
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                out.traceback = [f"{out.get('ename', 'Error')}: {str(out.get('evalue', ''))[:300]}"]
        return cell, resources
