"""Per-kernel cost of the grading sandbox (issue 13 §6).

    python benchmarks/sandbox.py                 # 7 rounds
    python benchmarks/sandbox.py --rounds 11

Each round, interleaved so that machine load hits both alike:

* **kernel, plain** — jupyter_client's ``AsyncKernelManager`` (ipc transport): start a kernel, run
  ``from course import calculators``, shut it down;
* **kernel, sandboxed** — the same with ``course.instructor.sandbox.SandboxKernelManager``
  (bubblewrap, unprivileged uid when root, rlimits, private tmpfs);
* **call, plain** — ``python -P -c`` that imports ``course.calculators`` and prints;
* **call, sandboxed** — the same code through ``sandbox.run_untrusted``.

Printed: median and 90th percentile wall-clock seconds of each and the sandbox's added cost (median
of the paired differences). Timings only: nothing asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import median, percentile, print_header, table


async def _kernel_round(manager_class, cwd: str) -> float:
    km = manager_class(transport="ipc", ip=os.path.join(tempfile.mkdtemp(prefix="bench-ipc-"), "k")) \
        if manager_class.__name__ == "AsyncKernelManager" else manager_class()
    t0 = time.perf_counter()
    await km.start_kernel(cwd=cwd, extra_arguments=["--HistoryManager.hist_file=:memory:"])
    kc = km.client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=120)
    msg_id = kc.execute("from course import calculators")
    while True:
        reply = await kc.get_shell_msg(timeout=120)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    kc.stop_channels()
    await km.shutdown_kernel()
    return time.perf_counter() - t0


def _call_plain() -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-P", "-c", "from course import calculators; print(1)"], check=True,
                   capture_output=True)
    return time.perf_counter() - t0


def _call_sandboxed() -> float:
    from course.instructor import sandbox

    t0 = time.perf_counter()
    r = sandbox.run_untrusted("from course import calculators\nemit(1)", timeout=120)
    assert r.ok, r
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    from jupyter_client.manager import AsyncKernelManager

    from course.instructor import sandbox

    reason = sandbox.probe()
    if reason:
        raise SystemExit(f"no sandbox here: {reason}")
    print_header("Grading sandbox: per-kernel and per-call cost")
    work = Path(tempfile.mkdtemp(prefix="bench-sandbox-")) / "student" / "a01"
    work.mkdir(parents=True)
    (work / "a01.ipynb").write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    times: dict[str, list[float]] = {k: [] for k in ("kernel, plain", "kernel, sandboxed", "call, plain",
                                                      "call, sandboxed")}
    _call_sandboxed()                                      # warm the page cache once
    for _ in range(args.rounds):
        for name, fn in (("kernel, plain", lambda: asyncio.run(_kernel_round(AsyncKernelManager, str(work)))),
                         ("kernel, sandboxed", lambda: asyncio.run(_kernel_round(sandbox.SandboxKernelManager,
                                                                                   str(work)))),
                         ("call, plain", _call_plain), ("call, sandboxed", _call_sandboxed)):
            times[name].append(fn())
    rows = [[name, f"{median(v):.3f}", f"{percentile(v, 90):.3f}"] for name, v in times.items()]
    print(table(["what", "median s", "p90 s"], rows))
    print()
    kd = median([s - p for s, p in zip(times["kernel, sandboxed"], times["kernel, plain"])])
    cd = median([s - p for s, p in zip(times["call, sandboxed"], times["call, plain"])])
    print(f"Sandbox cost: {kd * 1000:+.0f} ms per kernel (start + course import + shutdown), "
          f"{cd * 1000:+.0f} ms per one-shot call (median of paired rounds, {args.rounds} rounds).")


if __name__ == "__main__":
    main()
