"""Category folders: the default category of the guides in a sub-folder of the guides.

Help centers are organised by category, and so may the guides folder be: a guide in
`guides/billing-and-payments/` that does not name its category in its front matter gets
"Billing and payments", or the `name` written in that folder's `_category.yaml` when the
folder name cannot carry it ("kDrive & kSuite"). A guide's own `category` always wins.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from kb.errors import Problem
from procedures.source.files import FOLDER_SETTINGS
from procedures.source.yamlerrors import error_line, error_reason

# The category of an imported article whose source and folder name none. Customers read it
# on the home page and beside every such guide: a word of theirs, not of the import.
DEFAULT_CATEGORY = "General"


class FolderSettings(BaseModel):
    """The content of a `_category.yaml` file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                           max_length=200)]


def humanise(folder_name: str) -> str:
    """"billing-and-payments" -> "Billing and payments": a folder name read as a title.
    A name with capitals was written by hand ("kDrive", "Web Hosting"): kept as it is."""
    text = " ".join(folder_name.replace("_", " ").replace("-", " ").split())
    if text != text.lower():
        return text
    return text[:1].upper() + text[1:]


class FolderCategories:
    """The default category of each folder under a guides root, read once per folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.problems: list[Problem] = []
        self._found: dict[Path, str | None] = {}

    def default_for(self, guide: Path, display: str) -> str | None:
        """The category for a guide file of this root that does not name its own."""
        folder = guide.parent
        if folder not in self._found:
            self._found[folder] = self._read(folder, display)
        return self._found[folder]

    def _read(self, folder: Path, guide_display: str) -> str | None:
        settings = folder / FOLDER_SETTINGS
        # The settings file sits beside the guide, so it is shown the way the guide is.
        name = str(Path(guide_display).parent / FOLDER_SETTINGS)
        fallback = humanise(folder.name) if folder != self.root else None
        if not settings.is_file():
            return fallback
        try:
            data = yaml.safe_load(settings.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            self.problems.append(Problem(name, error_line(exc),
                                         f"invalid YAML: {error_reason(exc)}"))
            return fallback
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(Problem(name, 1, f"cannot read the file: {exc}"))
            return fallback
        try:
            return FolderSettings.model_validate(data).name
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(x) for x in err["loc"]) or "the file"
            message = ("must be a mapping with a 'name' key" if not isinstance(data, dict)
                       else f"'{where}': {err['msg']}")
            self.problems.append(Problem(name, 1, message))
            return fallback
