"""A guide that answers the whole question in its own words comes before one that shares a
single word with the customer.

Customers rarely use the article's word ("zoom" for a video meeting, "coworker" for a
collaborator): a guide that covers every part of the question through the vocabulary
covers it nearly as well as one that repeats the customer's words (`CREDIT_POWER` in
kb/search/ranking.py; docs/search-quality.md, "Sixth pass").
"""

from __future__ import annotations

from tests.conftest import help_center_of

GUIDES = [
    ("video-meeting", "Organize a video meeting",
     "## Start a meeting\n\nStart the video meeting and invite each collaborator with the "
     "link.\n"),
    ("share-mailbox", "Share a mailbox",
     "## Share with a coworker\n\nA coworker can then read the shared mailbox.\n"),
    ("create-mailbox", "Create a mailbox",
     "## New address\n\nCreate an address for the mailbox.\n"),
]


def test_the_guide_saying_it_in_other_words_comes_first(tmp_path):
    context = help_center_of(tmp_path, *GUIDES)
    # "zoom" is a video meeting and "coworker" a collaborator: the meeting guide answers
    # both parts; the mailbox guide only shares the word "coworker" (in a heading, even).
    response = context.search.search("zoom with a coworker")
    assert [r.slug for r in response.results[:2]] == ["video-meeting", "share-mailbox"]
    # The customer's own word still counts for something: asked about sharing a mailbox
    # with a coworker, the mailbox guide is the answer.
    sharing = context.search.search("share my mailbox with a coworker")
    assert sharing.results[0].slug == "share-mailbox"


# A phrasal verb whose object stands between the verb and its particle ("take my old
# phone off", "log the intern out") means what the whole verb means.
DEVICE_GUIDES = [
    ("remove-device", "Remove a device from your account",
     "## Remove it\n\nOpen the list of devices, select the old device and click Remove.\n"),
    ("keep-device", "Keep your device in sync",
     "## Sync\n\nThe app keeps your old device and your account in sync. Take a picture "
     "of the screen if support asks for it.\n"),
]


def test_a_verb_and_its_particle_read_together_across_the_object(tmp_path):
    context = help_center_of(tmp_path, *DEVICE_GUIDES)
    response = context.search.search("how do i take my old device off my account")
    assert response.results[0].slug == "remove-device"
    # With a preposition between them the particle is the preposition's, not the verb's:
    # in "take a photo of it off", what comes off is the photo's, not the verb's.
    analysis = context.search.searcher().analyse("take a photo of it off")
    assert analysis.concepts[0].text == "take"
    assert len(analysis.concepts[0].alternatives) == 1


# A count qualifies what it counts: "two locations" asks about locations, and its "two"
# is not the "two" of "two-factor".
COUNT_GUIDES = [
    ("two-factor", "Turn on two-factor authentication",
     "## Turn it on\n\nOpen Security and click Enable two-factor authentication. From then "
     "on you work with a code from the app.\n"),
    ("clock-in", "Clock in at work",
     "## Clock in\n\nTap Clock in when you arrive. GPS clock-in works inside the "
     "location's radius.\n"),
    ("schedule", "Build the schedule",
     "## Add a shift\n\nChoose the location and the employee, then click Save.\n"),
]


def test_a_count_does_not_find_two_factor(tmp_path):
    context = help_center_of(tmp_path, *COUNT_GUIDES)
    response = context.search.search("can i work for two locations")
    assert response.results[0].slug in ("clock-in", "schedule")
    # "Two factor" itself is still a phrase that finds its guide.
    assert context.search.search("turn on two factor").results[0].slug == "two-factor"


# A compound the guides write with a hyphen, typed as one word.
COMPOUND_GUIDES = [
    ("e-bikes", "Riding electric bikes",
     "## Prices\n\nAn e-bike costs €0.35 a minute on pay as you go.\n"),
    ("prices", "Prices and passes",
     "## Classic bikes\n\nA classic bike costs €0.20 a minute; every ride costs €1 to "
     "unlock.\n"),
]


def test_a_hyphenated_compound_typed_as_one_word_finds_its_guide(tmp_path):
    context = help_center_of(tmp_path, *COMPOUND_GUIDES)
    response = context.search.search("how much does an ebike cost per minute")
    assert response.results[0].slug == "e-bikes"
    assert "€0.35" in response.results[0].passage
    # Not offered as a spelling mistake either.
    assert response.suggestion is None


# Someone waiting: "never came" says the code is awaited; "came" is no topic.
WAITING_GUIDES = [
    ("sign-up", "Create your account",
     "## Sign up\n\nEnter your mobile number, then the 6-digit code we send you by SMS. If "
     "the code doesn't arrive, tap Resend code.\n"),
    ("pause", "Pause your membership",
     "## Pause or cancel?\n\nPause if you plan to come back within three months; cancel "
     "if you won't come back.\n"),
]


def test_what_is_awaited_is_the_topic_not_its_coming(tmp_path):
    context = help_center_of(tmp_path, *WAITING_GUIDES)
    response = context.search.search("the sms code never came")
    assert response.results[0].slug == "sign-up"
    assert "Resend code" in response.results[0].passage
