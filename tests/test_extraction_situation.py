"""Where the customer stands decides the passage. Someone who reports a loss in their own
words ("my key vanished") gets the passage written for that case ("If the device does not
work anymore, …"), even when it shares no word with the question; someone whose key is
still there gets the case written for a key still there."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.context import Context
from tests.conftest import first_passage, help_center_of

KEY_GUIDE = """\
This guide explains how to sign in with a signing key.

## Sign in with the key

1. Plug the signing key into the computer.
2. Press the button on the signing key when the page asks for it.
3. Wait for the page to open.

## Trouble

If the signing key is still listed on the page but nothing happens, press its button
for five seconds to wake it up.

If the device does not work anymore, ask the support team for a recovery letter and
enter the code it holds on the sign-in page.
"""


@pytest.fixture
def search(tmp_path: Path) -> Context:
    return help_center_of(tmp_path, ("signing-key", "Sign in with a signing key", KEY_GUIDE,
                                     "Sign in with a hardware key."))


@pytest.mark.parametrize("question", ["my key vanished", "signing key is gone, smashed"])
def test_a_reported_loss_gets_the_case_written_for_it(search: Context,
                                                      question: str) -> None:
    result = search.search.search(question).results[0]
    assert "recovery letter" in result.passage
    assert "Plug the signing key" not in result.passage


@pytest.mark.parametrize("question", ["the signing key still shows on the page, no reaction",
                                      "my key is still there but the sign in page waits"])
def test_a_thing_still_there_gets_the_case_written_for_it(search: Context,
                                                         question: str) -> None:
    result = search.search.search(question).results[0]
    # Its case first (the next one may follow, as the section goes on).
    assert result.passage.startswith("If the signing key is still listed on the page")


def test_a_key_at_hand_still_gets_the_steps(search: Context) -> None:
    result = search.search.search("how do i sign in with my signing key").results[0]
    assert "1. Plug the signing key into the computer." in result.passage


CODE_GUIDE = """\
This guide explains how to confirm a new device with a code sent by email.

## Confirm the device

1. Open the app on the new device.
2. Tap Sign in.
3. Enter your email address.
4. Tap Send me a code.
5. Enter the code received by email.
6. Tap Confirm.

> **Note:** the email can take up to ten minutes to arrive; check the spam folder before
> asking to receive a new one.
"""


def test_what_if_a_step_fails_gets_the_note_about_it(tmp_path: Path) -> None:
    context = help_center_of(tmp_path, ("confirm-device", "Confirm a new device", CODE_GUIDE,
                                        "Confirm a device with a code."))
    passage = first_passage(context, "what if i dont receive the email")
    assert passage.startswith("Note: the email can take up to ten minutes to arrive")
