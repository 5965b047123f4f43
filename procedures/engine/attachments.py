"""Files a run gives the person (an export): found again from the run alone.

An action or check step with an `attachment` keeps its result in the run (under its
`save_as`), so the file can be downloaded at any time after the step ran, by any
process, without keeping a copy elsewhere. The web layer serves these bytes with the
run's authorization and `Content-Disposition: attachment`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from procedures.model import Procedure
from procedures.run import Run


@dataclass(frozen=True)
class Attachment:
    """A file of a run: its name, its content type and its bytes."""

    name: str
    content_type: str
    content: bytes


def attachment(procedure: Procedure, run: Run, name: str) -> Attachment | None:
    """The file called `name` that this run produced, or None (not produced, or no step
    of the procedure gives a file of that name)."""
    for step in procedure.steps:
        spec = step.attachment
        if spec is None or spec.name != name or not step.save_as:
            continue
        if step.save_as not in run.results:
            continue
        value = run.results[step.save_as]
        data = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        return Attachment(spec.name, spec.content_type, data.encode("utf-8"))
    return None


def attachments(procedure: Procedure, run: Run) -> list[Attachment]:
    """Every file this run has produced so far."""
    found = [attachment(procedure, run, step.attachment.name)
             for step in procedure.steps if step.attachment is not None]
    return [a for a in found if a is not None]
