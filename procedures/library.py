"""The procedures of a guides folder: each guide compiled, merged with its overlay, checked.

Compiling is cheap but not free, so each procedure is cached until its guide or overlay
file changes (size and modification time). Problems are reported as `file:line: message`
for `kb check`; a broken guide or overlay never hides the others.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from procedures import graph as checks
from procedures import outcomes, overlays
from procedures.compiler import compile_guide
from procedures.errors import CompileError, OverlayError, UnknownProcedure
from procedures.model import Procedure
from procedures.source.files import Stamp, file_stamp, guide_files
from procedures.source.problems import Problem

DEFAULT_OVERLAYS = Path(__file__).parent / "overlays"
WALK_INTERVAL = 1.0


class Library:
    """The guides folder and the overlays folder, read as procedures on demand."""

    def __init__(self, guides: Path, overlays_dir: Path = DEFAULT_OVERLAYS) -> None:
        self.guides = Path(guides)
        self.overlays = Path(overlays_dir)
        self._cache: dict[str, tuple[tuple[Stamp | None, Stamp | None], Procedure]] = {}
        self._lock = threading.Lock()
        self._where: dict[str, Path] = {}
        self._walked = -WALK_INTERVAL

    def slugs(self) -> list[str]:
        return sorted(self._paths())

    def _paths(self) -> dict[str, Path]:
        """Slug -> guide file, sub-folders included; the first of two same-named files
        wins (`kb check` reports the other)."""
        found: dict[str, Path] = {}
        for path in guide_files(self.guides):
            found.setdefault(path.stem, path)
        return found

    def _in_sub_folder(self, slug: str) -> Path:
        """Where a guide below the top folder is: remembered, and looked for again (at
        most once a second, however many unknown slugs are asked for) when it moved."""
        known = self._where.get(slug)
        if known is not None and known.is_file():
            return known
        now = time.monotonic()
        if now - self._walked >= WALK_INTERVAL:
            self._where, self._walked = self._paths(), now
            known = self._where.get(slug)
        if known is None or not known.is_file():
            raise UnknownProcedure(slug, "no such guide")
        return known

    def overlay_path(self, slug: str) -> Path:
        return self.overlays / f"{slug}.yaml"

    def has_overlay(self, slug: str) -> bool:
        return self.overlay_path(slug).is_file()

    def get(self, slug: str) -> Procedure:
        """The current procedure of a guide (with its overlay, if any)."""
        guide = self.guides / f"{slug}.md"
        if "/" in slug or slug.startswith("."):
            raise UnknownProcedure(slug, "no such guide")
        if not guide.is_file():
            guide = self._in_sub_folder(slug)
        key = (file_stamp(guide), file_stamp(self.overlay_path(slug)))
        cached = self._cache.get(slug)
        if cached and cached[0] == key:
            return cached[1]
        try:
            procedure = self._build(slug, guide)
        except (CompileError, OverlayError) as exc:
            raise UnknownProcedure(slug, str(exc)) from None
        with self._lock:
            self._cache[slug] = (key, procedure)
        return procedure

    def _build(self, slug: str, guide: Path) -> Procedure:
        compiled = compile_guide(guide.read_text(encoding="utf-8"), str(guide))
        found = checks.problems(compiled)
        if found:
            lines = {step.id: step.line for step in compiled.steps}
            raise CompileError([Problem(str(guide), lines.get(step or "") or 1, message)
                                for step, message in found])
        overlay_path = self.overlay_path(slug)
        if not overlay_path.is_file():
            return compiled
        return overlays.merge(compiled, overlays.read(overlay_path), overlay_path)

    def warnings(self) -> list[Problem]:
        """What `kb check` points out without failing: a `done` end reached without a
        check of the account when the guide asks for a final verification."""
        found: list[Problem] = []
        for slug in self.slugs():
            if not self.has_overlay(slug):
                continue
            try:
                procedure = self.get(slug)
            except UnknownProcedure:
                continue  # reported by `problems`
            path = self.overlay_path(slug)
            lines = _id_lines(path)
            found += [Problem(str(path), lines.get(step or "", 1), message)
                      for step, message in outcomes.warnings(procedure)]
        return found

    def problems(self) -> list[Problem]:
        """Every problem of every guide's procedure and every overlay."""
        found: list[Problem] = []
        paths = self._paths()
        slugs = set(paths)
        for slug in sorted(slugs):
            try:
                self._build(slug, paths[slug])
            except CompileError as exc:
                found += exc.problems
            except OverlayError as exc:
                found += exc.problems
            except OSError as exc:
                found.append(Problem(f"{self.guides / slug}.md", 1,
                                     f"cannot read: {exc.strerror}"))
        # An overlay whose guide is not in this folder is simply unused: the overlays
        # ship with the seed guides, and a help center may check a folder of its own.
        return found


def _id_lines(path: Path) -> dict[str, int]:
    """The line of each `- id: x` in an overlay file, to point at a step."""
    found: dict[str, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip().removeprefix("- ").strip()
        if stripped.startswith("id:"):
            found.setdefault(stripped[3:].strip().strip("'\""), number)
    return found
