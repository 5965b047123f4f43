"""A sentence that announces a list, and the list's items, said as one message.

A guide's "Detail of the calculation in CHF (ex. VAT):" and the three lines under it are
compiled to four notes, one per line, so that every item is a step (`kb check` and the
diagram count them). Shown one by one, each item is a fragment ("normal price for 35 Web
hostings: CHF 347.20"); the chat and the wizard show them as the guide does: the sentence,
then the items as "- " lines, in one message.
"""

from __future__ import annotations

from dataclasses import replace

from procedures.engine.core import Output
from procedures.model import Procedure


def gathered(outputs: list[Output], procedure: Procedure) -> list[Output]:
    """The outputs with each note that ends on a colon merged with the notes of the list
    it introduces: notes on the guide's next lines, the first on the line after it or
    after one blank line, each on the line after the one before. Two items at least: a
    single line after the colon may be a sub-heading, which stays apart. A merged output
    names its items' steps in `items` (their links are theirs)."""
    def line(output: Output) -> int | None:
        if output.type != "note" or not output.step:
            return None
        try:
            return procedure.step(output.step).line
        except KeyError:
            return None

    found: list[Output] = []
    n = 0
    while n < len(outputs):
        output, n = outputs[n], n + 1
        last = line(output) if output.text.rstrip().endswith(":") else None
        items: list[Output] = []
        while last is not None and n + len(items) < len(outputs):
            following = line(outputs[n + len(items)])
            if following is None or following - last not in ((1, 2) if not items else (1,)):
                break
            items.append(outputs[n + len(items)])
            last = following
        if len(items) >= 2:
            n += len(items)
            output = replace(output, text="\n".join([output.text,
                                                     *(f"- {i.text}" for i in items)]),
                             items=tuple(i.step or "" for i in items))
        found.append(output)
    return found
