"""What the procedure subcommands do: compile a guide, run a procedure in the terminal
(text or JSON Lines), and inspect or reset the demo accounts. Imported only when one of
them runs (`kb.cli.procedures` declares them), since it loads the whole procedure engine."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from kb.context import Context
from kb.errors import KBError
from procedures import engine
from procedures.backend import BackendError, jsonable
from procedures.compiler import compile_guide
from procedures.engine import Advance
from procedures.errors import CompileError, UnknownProcedure
from procedures.model import Procedure
from procedures.run import Event

COMMANDS = {"back", "cancel", "restart"}
HELP = ("Answer the question; for a step to do, answer “done”. You can also type "
        "“back”, “cancel” or “restart”.")


def cmd_compile(args: argparse.Namespace, context: Context) -> int:
    try:
        text = args.guide.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KBError(f"cannot read {args.guide}: {getattr(exc, 'strerror', exc)}") from None
    try:
        procedure = compile_guide(text, str(args.guide))
    except CompileError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.json:
        print(procedure.model_dump_json(by_alias=True, exclude_none=True, indent=2))
        return 0
    print(f"{procedure.title} ({procedure.id}, version {procedure.version})")
    for requirement in procedure.requires:
        print(f"  requires: {requirement}")
    for step in procedure.steps:
        where = f" → {step.next}" if isinstance(step.next, str) else ""
        print(f"  [{step.kind}] {step.id}{where}: {step.text[:90]}")
        for option in step.options:
            print(f"      ({option.id}) {option.label} → {option.next}")
    return 0


def cmd_run(args: argparse.Namespace, context: Context) -> int:
    try:
        procedure = context.library.get(args.slug)
    except UnknownProcedure as exc:
        raise KBError(str(exc)) from None
    names = [a.name for a in context.backend.list_accounts()]
    if args.account not in names:
        raise KBError(f"no demo account '{args.account}' (known: {', '.join(names)})")
    talk = JsonTalk(sys.stdout) if args.json else TextTalk(sys.stdout)
    result = engine.start(procedure, args.account, context.backend)
    if not args.json:
        print(f"{procedure.title}  (as {args.account}; type “help” for help)\n")
    while True:
        talk.show(procedure, result)
        if result.run.finished:
            return 0
        line = sys.stdin.readline()
        if not line:
            talk.end("cancelled", "Input ended: the procedure was cancelled.")
            return 0
        answer = line.rstrip("\r\n")
        word = answer.strip().lower()
        if word == "help":
            talk.message(HELP)
            result = Advance(run=result.run)
            continue
        event = (Event(type=word) if word in COMMANDS  # type: ignore[arg-type]
                 else Event(type="answer", value=_value(procedure, result, answer)))
        result = engine.advance(procedure, result.run, event, context.backend)


def _value(procedure: Procedure, result: Advance, answer: str) -> object:
    """Image fields take a file path in the terminal; everything else is the text."""
    view = engine.view(procedure, result.run)
    if view and view.field and view.field["type"] == "image":
        try:
            return Path(answer.strip()).expanduser().read_bytes()
        except OSError as exc:
            return f"cannot read {answer.strip()}: {exc.strerror}"
    return answer


class TextTalk:
    def __init__(self, out: TextIO):
        self.out = out

    def message(self, text: str) -> None:
        print(text, file=self.out)

    def show(self, procedure: Procedure, result: Advance) -> None:
        for output in result.outputs:
            prefix = {"warning": "⚠ ", "error": "✗ ", "result": "✓ "}.get(output.type, "")
            print(f"{prefix}{output.text}", file=self.out)
            if output.type == "attachment" and output.name:
                # A terminal has no download link: the file is shown as it would be saved.
                found = engine.attachment(procedure, result.run, output.name)
                if found is not None:
                    print(f"--- {found.name} ({found.content_type}) ---", file=self.out)
                    print(found.content.decode("utf-8", "replace").rstrip(), file=self.out)
                    print("---", file=self.out)
        view = engine.view(procedure, result.run)
        if view is None:
            print(f"\n[{result.run.status}]", file=self.out)
            return
        # The error (if any) was printed above; the question is shown again below it.
        print(f"\n{view.text}", file=self.out)
        for detail in view.details:
            print(f"   - {detail}", file=self.out)
        for i, option in enumerate(view.options, 1):
            print(f"  {i}. {option['label']}", file=self.out)
        print("> ", end="", file=self.out, flush=True)

    def end(self, outcome: str, summary: str) -> None:
        print(f"\n{summary}", file=self.out)


class JsonTalk:
    def __init__(self, out: TextIO):
        self.out = out

    def _write(self, data: dict[str, Any]) -> None:
        print(json.dumps(data, ensure_ascii=False), file=self.out, flush=True)

    def message(self, text: str) -> None:
        self._write({"message": text})

    def show(self, procedure: Procedure, result: Advance) -> None:
        view = engine.view(procedure, result.run)
        messages = [o.to_json() for o in result.outputs]
        if view is None:
            self._write({"outcome": result.run.status if result.run.status != "failed"
                         else "blocked", "summary": result.run.summary,
                         "changes": result.run.changes, "messages": messages})
            return
        self._write({**view.model_dump(), "messages": messages})

    def end(self, outcome: str, summary: str) -> None:
        self._write({"outcome": outcome, "summary": summary})


def cmd_account_list(args: argparse.Namespace, context: Context) -> int:
    for account in context.backend.list_accounts():
        data = jsonable(account)
        print(f"{data['name']:<15} {data.get('display_name', '')}: {data.get('description', '')}")
    return 0


def cmd_account_show(args: argparse.Namespace, context: Context) -> int:
    try:
        data = jsonable(context.backend.account(args.name))
    except BackendError as exc:
        raise KBError(exc.message) from None
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_tree(data)
    return 0


def _print_tree(data: object, indent: int = 0) -> None:
    pad = "  " * indent
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, dict | list) and value:
                print(f"{pad}{key}:")
                _print_tree(value, indent + 1)
            else:
                print(f"{pad}{key}: {value}")
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, dict | list):
                print(f"{pad}-")
                _print_tree(item, indent + 1)
            else:
                print(f"{pad}- {item}")


def cmd_account_reset(args: argparse.Namespace, context: Context) -> int:
    try:
        names = context.backend.reset(args.name)
    except BackendError as exc:
        raise KBError(exc.message) from None
    print("reset: " + ", ".join(names))
    return 0
