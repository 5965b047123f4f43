"""Where a YAML parse error is in the file, and why, for `file:line: message` reports.

PyYAML marks its errors with a 0-based line inside the text it was given; every reader
of a YAML content file (guide front matter, overlays, the synonym table) needs the
1-based line of the file instead, so the conversion lives here once.
"""

from __future__ import annotations

import yaml


def error_line(exc: yaml.YAMLError, first_line: int = 1) -> int:
    """The file line of a YAML error: `first_line` is the file line where the parsed text
    starts (2 for front matter below its `---` fence). An error without a mark (an
    unreadable character, say) is reported at the top of the file, line 1."""
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return 1
    return int(mark.line) + first_line


def error_reason(exc: yaml.YAMLError) -> str:
    """The parser's short reason ("expected the node content ..."), else the whole error."""
    problem = getattr(exc, "problem", None)
    return str(problem) if problem else str(exc)
