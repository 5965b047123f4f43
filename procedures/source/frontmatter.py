"""Split a guide file into YAML front matter and Markdown body, keeping line numbers.

Line numbers matter because every content problem is reported as `file:line: message`:
the YAML keys are located with `yaml.compose`, so a wrong value points at its own line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from procedures.source.problems import SourceError
from procedures.source.yamlerrors import error_line, error_reason

FENCE = "---"


class FrontMatterError(SourceError):
    """Raised when the front matter block is missing or is not a YAML mapping."""


@dataclass
class Document:
    """A guide file split in two; `body_line` is the file line where the body starts."""

    meta: dict[str, Any]
    body: str
    body_line: int
    key_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str | None) -> int:
        """The file line of a front-matter key, or of the opening fence if it is absent."""
        return self.key_lines.get(key or "", 1)


def split(text: str) -> Document:
    """Parse `---` fenced YAML at the top of `text`; raise FrontMatterError with a line."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != FENCE:
        raise FrontMatterError(1, "the file must start with '---' and YAML front matter")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise FrontMatterError(1, "the front matter is not closed by a '---' line") from None
    yaml_text = "\n".join(lines[1:end])
    try:
        node = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
        meta = yaml.safe_load(yaml_text)
    except yaml.YAMLError as exc:
        raise FrontMatterError(error_line(exc, first_line=2),
                               f"invalid YAML in the front matter: {error_reason(exc)}"
                               ) from None
    if not isinstance(meta, dict):
        raise FrontMatterError(2, "the front matter must be a mapping of keys to values")
    key_lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _value in node.value:
            key_lines[str(key_node.value)] = key_node.start_mark.line + 2
    body = "\n".join(lines[end + 1:])
    return Document(meta=meta, body=body, body_line=end + 2, key_lines=key_lines)


def join(meta: dict[str, Any], body: str) -> str:
    """Write front matter and body back into one guide file text."""
    head = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000).strip()
    return f"{FENCE}\n{head}\n{FENCE}\n\n{body.strip()}\n"
