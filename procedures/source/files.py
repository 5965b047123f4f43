"""Finding guide files and noticing that they changed, cheaply: names, sizes, mtimes.

Guides may live in sub-folders (one per category, the way help centers are organised), so
listing is recursive. The search index, the procedure library and the guide catalogue all
list guides and reload when one changes; they share these definitions of "the guide files"
and of "changed" so they never disagree.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

Stamp = tuple[int, int]

# A small file in a guides folder that names the folder's default category.
FOLDER_SETTINGS = "_category.yaml"
# Deep enough for category / sub-category folders; a bound, so a link loop cannot run away.
MAX_DEPTH = 6


def guide_files(folder: Path) -> list[Path]:
    """Every `*.md` guide under `folder`, sub-folders included, sorted by path.

    README files are documentation, not guides; hidden files and folders (`.git`) and
    those whose name starts with `_` (drafts, templates, a site generator's `_index.md`)
    are skipped, and symbolic links to folders are not followed.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found: list[Path] = []
    root_depth = len(folder.parts)
    for current, dirs, files in os.walk(folder):
        here = Path(current)
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_"))
                         and len(here.parts) - root_depth < MAX_DEPTH)
        found += (here / name for name in files
                  if name.endswith(".md") and name.lower() != "readme.md"
                  and not name.startswith((".", "_")))
    return sorted(found, key=str)  # by text: comparing Path objects is several times slower


def file_stamp(path: Path) -> Stamp | None:
    """(size, modification time in ns) of a file, or None when it cannot be read."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


def folder_stamp(files: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """The stamps of several files by path, in path order; unreadable files are left out.

    The folder settings file of every folder holding one of the files is stamped too: it
    changes the category of the guides beside it, so editing it is a change of content.
    """
    names = {str(path) for path in files}
    names |= {os.path.join(os.path.dirname(name), FOLDER_SETTINGS) for name in names}
    found = []
    for name in sorted(names):
        try:
            st = os.stat(name)
        except OSError:
            continue
        found.append((name, st.st_size, st.st_mtime_ns))
    return tuple(found)
