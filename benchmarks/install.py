"""Fresh-install time and environment size.

    python benchmarks/install.py             # pip install . and pip install .[test], each into a fresh venv
    python benchmarks/install.py --no-cache  # the same, downloading everything (pip --no-cache-dir)

Each variant gets a new virtual environment under /tmp (created with this interpreter's ``venv``,
with pip), then ``pip install <repo>`` or ``pip install '<repo>[test]'`` is timed — the course's
first-run cost without ``dev.py``'s editable install. Reported: venv creation, install time, the size
of site-packages and of the whole environment, and the number of distributions installed. By
default pip's download cache is used as it is on this machine (say so when you quote the figures);
``--no-cache`` measures a first install on a new machine, network included.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, print_header, table


def du(path: Path) -> int:
    """Bytes used by the files under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def source_copy(dest: Path) -> Path:
    """The repository's files (as a clone would have them) copied to ``dest``: pip builds in-tree,
    and the build must not leave ``build/`` behind in the checkout."""
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split("\0")
    for rel in filter(None, files):
        if (ROOT / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dest / rel)
    return dest


def measure(extras: str, no_cache: bool) -> list[object]:
    work = Path(tempfile.mkdtemp(prefix="course-install-"))
    env_dir = work / "venv"
    target = str(source_copy(work / "src")) + extras
    try:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
        t_venv = time.perf_counter() - t0
        py = env_dir / "bin" / "python"
        cmd = [str(py), "-m", "pip", "install", "--disable-pip-version-check", "-q", target]
        if no_cache:
            cmd.insert(4, "--no-cache-dir")
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=work, capture_output=True, text=True)
        t_install = time.perf_counter() - t0
        if proc.returncode:
            raise SystemExit(f"{' '.join(cmd)} failed:\n" + "\n".join((proc.stdout + proc.stderr).splitlines()[-20:]))
        site = next(env_dir.glob("lib/python*/site-packages"))
        n_dists = len(list(site.glob("*.dist-info")))
        return [f"`pip install .{extras}`", f"{t_venv:.1f}", f"{t_install:.1f}",
                f"{du(site) / 1e6:.0f}", f"{du(env_dir) / 1e6:.0f}", n_dists]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-cache", action="store_true", help="pip --no-cache-dir (download everything)")
    args = parser.parse_args(argv)
    print_header("Fresh install: time and size")
    print(f"pip download cache: {'disabled (--no-cache-dir)' if args.no_cache else 'used as it is on this machine'}\n")
    rows = [measure("", args.no_cache), measure("[test]", args.no_cache)]
    print(table(["command (fresh venv)", "venv s", "install s", "site-packages MB", "environment MB",
                 "distributions"], rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
