"""What the chat says to a message that is not a question for the guides.

A greeting, thanks, a goodbye, "I need help", "???", a thumbs up, "what can you do?",
"are you a bot?": a person at a help desk answers each in a sentence, and none of them is
a question the knowledge base failed to answer (so none is logged as one). Everything
here reads the message alone; what depends on the conversation (a "no" to an offer, a
typed button) stays in `kb.chat.engine`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from kb.chat.conversations import Reply
from procedures.model import Procedure

# The button that gives the support team's contact details (answered by the chat engine).
SUPPORT_OPTION = {"id": "support", "label": "Contact support"}

GREETING = re.compile(r"^(hi|hello|hey|hiya|howdy|good (morning|afternoon|evening)|bonjour|"
                      r"hallo|salut|hola)( there| team| all)?[\s!.,]*$", re.I)
THANKS = re.compile(r"^(ok(ay)?,? )?(thanks|thank you|thx|ty|cheers|merci|great|perfect|"
                    r"awesome|that helped|it worked)\b", re.I)
BYE = re.compile(r"^(bye|goodbye|see you|ciao)\b", re.I)
# "what can you do?", "how can you help?": what this chat is for, not a help-center topic.
CAPABILITIES = re.compile(r"^(what (else )?(can|could|do) you (do|help( me| us)?( with)?|offer)|"
                          r"how (can|could|do) you help( me| us)?|who are you|"
                          r"what (are you|is this( chat)?))( for)?[\s?!.]*$", re.I)
# "are you a bot?", "am I talking to a real person?"
PERSON_ASKED = re.compile(r"^(are you|is this|am i (talking|chatting|speaking) (to|with)) "
                          r"(a |an )?(real |actual |live )?(bot|robot|human|person|machine|ai|"
                          r"computer|chatbot)[\s?!.]*$", re.I)
# "I need help", "can you help me?": a request for help that says nothing yet of what with.
HELP_ASKED = re.compile(r"^(please,? )?(i need (some |your )?help|help me|"
                        r"(can|could) you help( me| us)?|i have a (question|problem|issue)|"
                        r"(a )?question|i have questions)( please)?[\s?!.]*$", re.I)
# A message of signs only: a thumbs up is thanks; "???" says the person is lost.
GLAD_SIGNS = frozenset("👍👌🙏❤😊🙂😀✅")
# A bare yes with nothing asked: an answer to no question, not a question to search for
# (nor an unanswered one for the owner's content gaps).
ACKNOWLEDGEMENTS = {"yes", "y", "yeah", "yep", "sure", "ok", "okay", "k", "yes please", "please"}
# "hmm", "umm", "well…": someone thinking, who has not asked yet.
HESITATION = re.compile(r"^(h+m+|u+m+|u+h+m*|e+r+m*|well|so|and)[\s.!?…]*$", re.I)
# How many tasks "what can you do?" names as examples.
EXAMPLE_TASKS = 3

WELCOME = "You're welcome! Anything else I can help with?"


def in_own_words(lead: str, example: str | None) -> str:
    """'<lead>, e.g. “<example>”.': the example made from this help center's guides
    (`kb.chat.examples`), left out when there is none to make."""
    return f"{lead}, e.g. “{example}”." if example else f"{lead}."


def reply_to(text: str, tasks: Callable[[], Sequence[Procedure]],
             example: Callable[[], str | None] = lambda: None) -> Reply | None:
    """The reply to a message that is not a question for the guides, or None when it
    is one. `tasks`: the procedures with a do-it-for-me flow, asked for only when the
    message wants to know what the chat can do; `example`: a question to show how to
    ask, asked for only when one is shown."""
    ask = "What can I help you with? Ask your question in your own words"
    if GREETING.match(text):
        return Reply(type="greeting", text="Hello! Ask me anything about your account, "
                                           "billing or products, in your own words.")
    if THANKS.match(text) and len(text.split()) <= 6:
        return Reply(type="thanks", text=WELCOME)
    if BYE.match(text):
        return Reply(type="thanks", text="Goodbye, and have a nice day!")
    about = about_me(text, tasks)
    if about is not None:
        return about
    if text.lower().strip(" !.") in ACKNOWLEDGEMENTS or HESITATION.match(text):
        return Reply(type="help", text=in_own_words(ask, example()))
    if not any(c.isalnum() for c in text):
        return Reply(type="thanks", text=WELCOME) if any(c in GLAD_SIGNS for c in text) \
            else Reply(type="help", text=in_own_words(ask, example()))
    if HELP_ASKED.match(text):
        return Reply(type="help", text=in_own_words(
            "Of course. What do you need help with? Tell me in your own words", example()))
    return None


def about_me(text: str, tasks: Callable[[], Sequence[Procedure]] | None) -> Reply | None:
    """The answer to "what can you do?" or "are you a bot?", if that is what the message
    asks. Without `tasks` (while a procedure runs), no buttons that would leave it."""
    if CAPABILITIES.match(text):
        flows = list(tasks())[:EXAMPLE_TASKS] if tasks is not None else []
        said = ("I answer questions about your account, billing and products from our "
                "help center's guides: ask in your own words.")
        if flows:
            said += (" I can also do some tasks with you, step by step, and I always show "
                     "you what will change before I change anything. For example:")
        return Reply(type="help", text=said,
                     options=[{"id": f"start:{p.id}", "label": p.title} for p in flows])
    if PERSON_ASKED.match(text):
        return Reply(type="help", text="I'm the help center's automated assistant, not a "
                                       "person. I answer from our guides; if you would "
                                       "rather talk to someone, our support team can help.",
                     options=[] if tasks is None else [SUPPORT_OPTION])
    return None
