#!/usr/bin/env python3
"""Store hashed 10-word windows of the source document, for the "not pasted" test.

The course is built from a source document whose sentences must not be copied into the course.
The test needs the document's word windows but the repository should not carry the document's
text, so we store only truncated SHA-1 hashes of every 10-word window.

    python tools/hash_source_document.py ../shared/source/000_7ec7afd382e732b3.txt
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

WINDOW = 10
OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "source_shingles.txt"


def words(text: str) -> list[str]:
    """Lower-case word tokens (letters, digits, %)."""
    return re.findall(r"[a-z0-9%]+", text.lower())


def shingle_hashes(text: str, n: int = WINDOW) -> set[str]:
    """Truncated SHA-1 of every n-word window of ``text``."""
    w = words(text)
    return {hashlib.sha1(" ".join(w[i : i + n]).encode()).hexdigest()[:16] for i in range(len(w) - n + 1)}


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        sys.exit(__doc__)
    hashes = shingle_hashes(Path(argv[0]).read_text(encoding="utf-8"))
    OUT.write_text("\n".join(sorted(hashes)) + "\n", encoding="utf-8")
    print(f"wrote {len(hashes)} hashes to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1:])
