#!/usr/bin/env python3
"""Regenerate the README's module table from ``course.catalogue`` (tests check that they agree).

    .venv/bin/python tools/update_readme.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course.catalogue import markdown_table  # noqa: E402


def main() -> int:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    pattern = re.compile(r"^\| # \| Module \| What you learn \| Time \|\n(?:\|.*\|\n)+", re.M)
    if not pattern.search(text):
        sys.exit("README.md: no module table found (a header row '| # | Module | What you learn | Time |')")
    new = pattern.sub(lambda _m: markdown_table().rstrip("\n") + "\n", text, count=1)
    if new != text:
        readme.write_text(new, encoding="utf-8")
        print("README.md: module table regenerated")
    else:
        print("README.md: module table already current")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
