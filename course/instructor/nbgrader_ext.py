"""nbgrader preprocessors used by ``grading/nbgrader_config.py``.

nbgrader's own ``LimitOutput`` counts *lines*, so a single 10 MB line (``print("x" * 10**7)``)
goes straight into the autograded notebook, the feedback HTML and the formgrader.
:class:`LimitOutputChars` also caps the characters of every stream, text and error output.
"""

from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from traitlets import Integer

from nbgrader.preprocessors import NbGraderPreprocessor

TRUNCATION_NOTE = "\n... Output truncated by the course autograder ({n:,} characters in total) ..."


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + TRUNCATION_NOTE.format(n=len(text))


class LimitOutputChars(NbGraderPreprocessor):
    """Cap the size of each code cell's outputs (characters per cell)."""

    max_chars = Integer(
        100_000, help="maximum number of characters of output kept per cell (-1 means no limit)"
    ).tag(config=True)

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, cell_index: int):
        if self.max_chars < 0 or cell.cell_type != "code":
            return cell, resources
        budget = self.max_chars
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                text = output.get("text", "")
                output.text = _cut(text, max(budget, 0))
                budget -= len(text)
            elif output.output_type in ("execute_result", "display_data"):
                data = output.get("data", {})
                for mime, value in list(data.items()):
                    if isinstance(value, str) and mime.startswith("text/"):
                        data[mime] = _cut(value, max(budget, 0))
                        budget -= len(value)
            elif output.output_type == "error":
                output.evalue = _cut(output.get("evalue", ""), 10_000)
                output.traceback = [_cut(line, 10_000) for line in output.get("traceback", [])]
        return cell, resources
