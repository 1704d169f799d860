"""nbgrader's ``Execute``, made to survive student cells that end their kernel.

Plain nbgrader cannot grade a notebook whose kernel dies: every autograded item scores 0. Here a
cell that kills its kernel (``os._exit``, ``SIGKILL``, a segfault, the CPU or memory limit) or runs
past the per-cell timeout costs only the items that depend on it: the notebook is run again from
the start in a fresh sandbox *without that cell*, and the cell keeps one error output,
``CellSkipped``, that says why (a grade cell with an error scores 0, as in nbgrader). At most
:attr:`SandboxedExecute.max_restarts` cells are skipped; after that, the remaining cells are
marked as not run.

While a cell runs, its outputs are also capped (characters per cell and per notebook, images
included), so a flood of output never reaches the grader's memory, the gradebook or the feedback.
"""

from __future__ import annotations

import copy
import json

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Integer

SKIPPED = "CellSkipped"
DROPPED = "\n... Output truncated by the course autograder (output limit per cell or per notebook) ...\n"


class _Restart(Exception):
    def __init__(self, index: int, reason: str) -> None:
        super().__init__(reason)
        self.index, self.reason = index, reason


def _size(output: dict) -> int:
    try:
        return len(json.dumps(output))
    except (TypeError, ValueError):
        return 10**9


class SandboxedExecute(Execute):
    """``Execute`` with crash recovery and output caps (used in ``grading/nbgrader_config.py``)."""

    max_restarts = Integer(4, help="cells that may be skipped (each costs one re-run)").tag(config=True)
    max_cell_output = Integer(500_000, help="bytes of output kept per cell while executing").tag(config=True)
    max_notebook_output = Integer(5_000_000, help="bytes of output kept per notebook").tag(config=True)

    # ---------------------------------------------------------------- output caps while running
    def output(self, outs, msg, display_id, cell_index):  # type: ignore[override]
        budget = getattr(self, "_budget", None)
        if budget is None:
            return super().output(outs, msg, display_id, cell_index)
        size = _size(msg.get("content", {}))
        cell_used = budget.get(cell_index, 0)
        total = sum(v for k, v in budget.items() if isinstance(k, int))
        if cell_used + size > self.max_cell_output or total + size > self.max_notebook_output:
            if not budget.get(("note", cell_index)):
                budget[("note", cell_index)] = 1
                note = NotebookNode(output_type="stream", name="stderr", text=DROPPED)
                outs.append(note)
            return None
        budget[cell_index] = cell_used + size
        return super().output(outs, msg, display_id, cell_index)

    # ---------------------------------------------------------------- skipping and restarting
    def preprocess_cell(self, cell, resources, index):  # type: ignore[override]
        if index in self._skip:
            cell.outputs = [self._skip_output(self._skip[index])]
            cell.execution_count = None
            return cell, self.resources
        if cell.cell_type != "code" or not cell.source.strip():
            return super().preprocess_cell(cell, resources, index)
        self._running = index
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except CellTimeoutError:
            raise _Restart(index, f"ran past the per-cell timeout ({self.timeout} s)") from None
        except DeadKernelError:
            raise _Restart(index, self._death_reason()) from None
        self._running = None
        if any(o.get("output_type") == "error" and o.get("ename") == "CellTimeoutError"
               for o in cell.get("outputs", [])):
            raise _Restart(index, f"ran past the per-cell timeout ({self.timeout} s; an endless loop?)")
        return cell, resources

    def _death_reason(self) -> str:
        code = None
        try:
            proc = getattr(getattr(self.km, "provisioner", None), "process", None)
            code = proc.poll() if proc is not None else None
        except Exception:  # noqa: BLE001
            code = None
        signals = {9: "SIGKILL (killed, perhaps by the memory limit)", 11: "SIGSEGV (a crash)",
                   24: "SIGXCPU (its CPU-time limit)", 25: "SIGXFSZ (its file-size limit)", 6: "SIGABRT (a crash)",
                   15: "SIGTERM"}
        how = ""
        if code is not None:
            sig = -code if code < 0 else (code - 128 if code > 128 else None)
            how = f": {signals.get(sig, f'signal {sig}')}" if sig else f": exit status {code}"
        return f"ended its kernel (os._exit, a crash or a limit{how})"

    @staticmethod
    def _skip_output(reason: str) -> NotebookNode:
        text = (f"{reason}; the autograder skipped this cell and ran the rest of the notebook again in a "
                "fresh sandbox")
        return NotebookNode(output_type="error", ename=SKIPPED, evalue=text, traceback=[f"{SKIPPED}: {text}"])

    def preprocess(self, nb, resources=None, km=None):  # type: ignore[override]
        original = copy.deepcopy(nb)
        self._skip: dict[int, str] = {}
        for attempt in range(self.max_restarts + 1):
            work = copy.deepcopy(original)
            self._running = None
            self._budget: dict = {}
            try:
                out, res = super().preprocess(work, resources, km)
                return self._finish(nb, out), res
            except _Restart as r:
                self._skip[r.index] = r.reason
                self.log.warning("cell %d %s; re-running without it", r.index, r.reason)
                self._cleanup_after_restart()
            except DeadKernelError:
                if self._running is None:
                    raise
                self._skip[self._running] = self._death_reason()
                self._cleanup_after_restart()
        # too many bad cells: mark every code cell that was not reached
        work = copy.deepcopy(original)
        for i, cell in enumerate(work.cells):
            if cell.cell_type == "code":
                cell.outputs = [self._skip_output(self._skip.get(i, "was not run (too many cells ended the kernel)"))]
        return self._finish(nb, work), resources

    def _cleanup_after_restart(self) -> None:
        try:
            if self.km is not None:
                self._cleanup_kernel()
        except Exception:  # noqa: BLE001 - the kernel is gone already
            pass
        self.km = None
        self.kc = None

    @staticmethod
    def _finish(target, result):
        target.cells = result.cells
        target.metadata = result.metadata
        return target
