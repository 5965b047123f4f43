"""Noticing that content files changed, cheaply: their names, sizes and modification times.

The search index, the procedure library and the guide catalogue all reload when a guide
changes; they share this one definition of "changed" so they never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

Stamp = tuple[int, int]


def file_stamp(path: Path) -> Stamp | None:
    """(size, modification time in ns) of a file, or None when it cannot be read."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


def folder_stamp(files: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """The stamps of several files by name, in name order; unreadable files are left out."""
    found = []
    for path in sorted(files):
        stamp = file_stamp(path)
        if stamp is not None:
            found.append((path.name, *stamp))
    return tuple(found)
