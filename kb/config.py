"""Where the guides and the data folder are, from options, environment or defaults.

Nothing needs configuring to start: guides default to `./guides` and the data folder
(the search index, the SQLite database) to `./.kb-data`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_GUIDES = "guides"
DEFAULT_DATA = ".kb-data"


@dataclass(frozen=True)
class Paths:
    """The two folders every part of the product works from."""

    guides: Path
    data: Path

    @property
    def index_root(self) -> Path:
        return self.data / "index"

    @property
    def database(self) -> Path:
        return self.data / "kb.sqlite3"

    @classmethod
    def resolve(cls, guides: str | os.PathLike | None = None,
                data: str | os.PathLike | None = None) -> Paths:
        """Explicit values win, then `KB_GUIDES` / `KB_DATA`, then the defaults."""
        guides = guides or os.environ.get("KB_GUIDES") or DEFAULT_GUIDES
        data = data or os.environ.get("KB_DATA") or DEFAULT_DATA
        return cls(Path(guides).expanduser().resolve(), Path(data).expanduser().resolve())
