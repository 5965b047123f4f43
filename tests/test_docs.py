"""The docs stay true: every command is in the README, CI runs the README's test command."""

from __future__ import annotations

import re

from kb.cli import build_parser
from kb.settings import Settings
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands_in_readme() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", README)


def test_the_readme_opens_with_the_run_and_test_commands():
    run, test = commands_in_readme()[:2]
    assert run.endswith("kb serve") and "pip install" in run
    assert "pytest" in test and "'.[test]'" in test


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test = commands_in_readme()[1]
    assert test in ci


def test_every_command_is_documented():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name in commands:
        assert f"`kb {name}" in README, f"kb {name} is not in the README"


def test_every_setting_is_documented():
    # The list comes from the model: a new setting fails here until the README has it.
    prefix = Settings.model_config["env_prefix"]
    assert prefix == "KB_"
    for name, field in Settings.model_fields.items():
        variable = f"{prefix}{name.upper()}"
        assert f"`{variable}`" in README, f"{variable} is not in the README"
        assert field.description, f"the setting {name} has no docstring"
