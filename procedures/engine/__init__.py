"""The engine: `start` and `advance`, pure functions of (procedure, run, event), and the
view of the current step that an interface shows.

`core` holds the run logic, `render` the text templates, `view` the step view; this
module only re-exports their public names, so `from procedures import engine` is enough.
"""

from procedures.engine.attachments import Attachment, attachment, attachments
from procedures.engine.core import (
    DONE_WORDS,
    MAX_AUTOMATIC_STEPS,
    Advance,
    Funnel,
    Output,
    advance,
    start,
)
from procedures.engine.lists import gathered
from procedures.engine.view import (
    Progress,
    StepView,
    allowed_events,
    also_answers,
    field_view,
    match_option,
    names_label,
    negated,
    options_of,
    progress,
    view,
)

__all__ = [
    "DONE_WORDS", "MAX_AUTOMATIC_STEPS", "Advance", "Attachment", "Funnel", "Output",
    "Progress", "StepView", "advance", "allowed_events", "also_answers", "attachment",
    "attachments", "field_view", "gathered", "match_option", "names_label", "negated",
    "options_of", "progress", "start", "view",
]
