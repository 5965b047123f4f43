"""`kb check` catches overlay mistakes before a conversation runs into them (and a
misspelt scenario file fails its test instead of checking nothing).

Each case breaks one line of a small valid overlay in a temporary folder and expects the
exact `file:line: message` that `kb check` prints, at the line of the offending step.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from procedures import scenarios
from procedures.backend import reference
from procedures.library import Library
from procedures.source import frontmatter
from procedures.source.yamlerrors import error_line
from tests.conftest import SEED_GUIDES

SLUG = "kauth-remove-account"
VALID = """\
procedure: kauth-remove-account
start: do-methods
steps:
  - id: do-methods
    kind: check
    operation: list_2fa_methods
    save_as: methods
    next: do-phone
  - id: do-phone
    kind: collect
    text: "You have {results.methods.count} methods. Which number?"
    field: {name: phone, type: phone}
    next: do-add
  - id: do-add
    kind: action
    operation: add_sms_method
    args: {phone: "{answers.phone}", code: "1"}
    save_as: added
    mutates: true
    text: SMS codes to {answers.phone}; now {results.added.count} methods.
    next: do-done
  - id: do-done
    kind: end
    outcome: done
    text: "Done: {results.added}"
"""


def problems_of(tmp_path: Path, overlay: str) -> list[str]:
    guides, overlays = tmp_path / "guides", tmp_path / "overlays"
    guides.mkdir()
    overlays.mkdir()
    shutil.copy(SEED_GUIDES / f"{SLUG}.md", guides)
    (overlays / f"{SLUG}.yaml").write_text(overlay, encoding="utf-8")
    return [str(p).replace(f"{overlays}/", "") for p in Library(guides, overlays).problems()]


def test_the_valid_overlay_passes(tmp_path: Path):
    assert problems_of(tmp_path, VALID) == []


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("operation: list_2fa_methods", "operation: list_2fa_method",
     "kauth-remove-account.yaml:4: step 'do-methods' calls 'list_2fa_method', which is not "
     "an operation of the account backend (did you mean 'list_2fa_methods'?)"),
    ("operation: list_2fa_methods", "operation: reset",
     "kauth-remove-account.yaml:4: step 'do-methods' calls 'reset', a demo control of the "
     "backend that does not act for an account"),
    ('args: {phone: "{answers.phone}", code: "1"}',
     'args: {phone: "{answers.phone}", code: "1", mobile: "x"}',
     "kauth-remove-account.yaml:14: step 'do-add' gives 'mobile' to 'add_sms_method', "
     "which takes: phone, code"),
    ('args: {phone: "{answers.phone}", code: "1"}', 'args: {phon: "{answers.phone}", code: "1"}',
     ["kauth-remove-account.yaml:14: step 'do-add' does not give 'phone', which "
      "'add_sms_method' requires (args: phone, code)",
      "kauth-remove-account.yaml:14: step 'do-add' gives 'phon' to 'add_sms_method', "
      "which takes: phone, code (did you mean 'phone'?)"]),
    ('args: {phone: "{answers.phone}", code: "1"}', 'args: {code: "1"}',
     "kauth-remove-account.yaml:14: step 'do-add' does not give 'phone', which "
     "'add_sms_method' requires (args: phone, code)"),
    ('args: {phone: "{answers.phone}", code: "1"}', 'args: {phone: "{answers.phnoe}", code: "1"}',
     "kauth-remove-account.yaml:14: step 'do-add' refers to 'answers.phnoe', but no "
     "collect field or choice step is named 'phnoe' (did you mean 'phone'?)"),
    ("{results.methods.count} methods", "{results.method.count} methods",
     "kauth-remove-account.yaml:9: step 'do-phone' refers to 'results.method.count', but "
     "no step saves a result as 'method' (did you mean 'methods'?)"),
    ("You have {results.methods.count}", "You have {results.added.count}",
     "kauth-remove-account.yaml:9: step 'do-phone' refers to 'results.added.count', but "
     "'added' is saved only by steps that cannot come before it: do-add"),
    ('args: {phone: "{answers.phone}", code: "1"}', 'args: {phone: "{results.added}", code: "1"}',
     "kauth-remove-account.yaml:14: step 'do-add' refers to 'results.added', but 'added' "
     "is saved only by steps that cannot come before it: do-add"),
    ("field: {name: phone, type: phone}",
     'field: {name: phone, type: phone, everything: "{results.method.count}"}',
     "kauth-remove-account.yaml:9: step 'do-phone' refers to 'results.method.count', but "
     "no step saves a result as 'method' (did you mean 'methods'?)"),
    ("    next: do-add\n", "    next: do-ad\n",
     "kauth-remove-account.yaml:9: step 'do-phone' leads to 'do-ad', which does not exist"),
    ("    next: do-phone\n",
     "    next:\n      - if: {var: results.method.count, lt: 2}\n        then: do-phone\n"
     "      - if: {else: true}\n        then: do-phone\n",
     "kauth-remove-account.yaml:4: step 'do-methods' refers to 'results.method.count', but "
     "no step saves a result as 'method' (did you mean 'methods'?)"),
])
def test_a_broken_overlay_is_reported_at_the_step(tmp_path: Path, old: str, new: str,
                                                  expected: str | list[str]):
    assert old in VALID
    wanted = expected if isinstance(expected, list) else [expected]
    assert problems_of(tmp_path, VALID.replace(old, new, 1)) == wanted


def test_an_instruction_cannot_branch(tmp_path: Path):
    broken = VALID.replace("  - id: do-done\n", """\
  - id: do-read
    kind: instruction
    text: Read this.
    next:
      - if: {else: true}
        then: do-done
  - id: do-done
""").replace("next: do-done", "next: do-read", 1)
    assert problems_of(tmp_path, broken) == [
        "kauth-remove-account.yaml:22: steps.3: Value error, step 'do-read' is an "
        "instruction step, so its next must be one step id, not a list of branches (only "
        "collect, note, warning, action, check steps branch)"]


def test_the_operations_doc_is_up_to_date():
    doc = Path(__file__).resolve().parent.parent / "docs" / "operations.md"
    assert doc.read_text(encoding="utf-8") == reference.render(), \
        "regenerate it: python -m procedures.backend.reference > docs/operations.md"


def test_every_operation_takes_the_account_first():
    assert {"add_sms_method", "list_2fa_methods"} <= set(reference.operations())
    assert reference.demo_controls() == ["list_accounts", "account_names", "account", "reset"]
    assert reference.operations()["price_quote"].required == ["product", "quantity",
                                                              "currency"]


def test_yaml_errors_are_located_the_same_way_in_front_matter_and_overlays(tmp_path: Path):
    with pytest.raises(frontmatter.FrontMatterError) as caught:
        frontmatter.split("---\ntitle: x\nslug: [\n---\n")
    assert caught.value.line == 3
    with pytest.raises(yaml.YAMLError) as parsed:
        yaml.safe_load("title: x\nslug: [")
    assert (error_line(parsed.value), error_line(parsed.value, first_line=2)) == (2, 3)
    assert problems_of(tmp_path, "procedure: x\nsteps: [\n") == [
        "kauth-remove-account.yaml:3: invalid YAML: expected the node content, but found "
        "'<stream end>'"]


@pytest.mark.parametrize(("text", "where"), [
    ("procedure: x\nscenarios:\n  - {name: a, account: b, outcom: done}\n",
     "scenarios.0.outcom"),
    ("procedure: x\nscenarios:\n  - {name: a, account: b, steps: [{answr: x}]}\n",
     "scenarios.0.steps.0"),
    ("procedure: x\nscenarios:\n  - {name: a, account: b, fail_operations: [nope]}\n",
     "fail_operations names no operation: nope"),
])
def test_a_misspelt_scenario_file_fails(tmp_path: Path, text: str, where: str):
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        scenarios.read(path)
    assert where in str(caught.value)


def test_an_option_offered_on_a_condition_names_something_stored(tmp_path: Path):
    overlay = VALID.replace(
        "    next: do-add\n",
        "    next: do-ask\n"
        "  - id: do-ask\n"
        "    kind: choice\n"
        "    text: Add it?\n"
        "    options:\n"
        "      - {id: add, label: Add it, next: do-add,\n"
        "         when: {var: results.methodz.count, lt: 2}}\n"
        "      - {id: stop, label: Stop, next: do-done}\n", 1)
    found = problems_of(tmp_path, overlay)
    assert any("refers to 'results.methodz.count'" in p and "did you mean 'methods'" in p
               for p in found), found
