"""What kind of answer a question asks for, and which passages carry that kind.

Question-answering calls this answer-type detection: "how much" wants an amount, "who can"
a role, "when" a time or condition, "how do I" the steps. A help center needs only a few
types, recognised by cue words; each type comes with a test on a sentence or list item
that tells whether it carries such an answer (a number, a role, a time, a warning).
"""

from __future__ import annotations

import re
from functools import lru_cache

from kb.search.text import NOTICE_WORDS

PROCEDURE = "procedure"
PERSON = "person"
AMOUNT = "amount"
TIME = "time"
CONSEQUENCE = "consequence"
DEFINITION = "definition"
ABOUT = "about"
GENERAL = "general"

# A question for a fact or a list of options ("what rights can a user get", "which
# roles exist"), unlike "what do i do now" or "what are the steps".
WHAT_FACT = re.compile(r"^(what|which)\b(?!.*\b(do|should|must|can) (i|we) do\b)"
                       r"(?!.*\bsteps?\b)")
# "what languages does support answer in", "which cards do you accept": a question for
# the members of a kind of thing, which a passage answers by naming them ("in French,
# German, Italian or English"), whether or not it says the kind's own word.
MEMBERS_ASKED = re.compile(r"^(what|which) (\w+ ){0,2}(\w+s) (do|does|are|can|will|would|"
                           r"work|should|could)\b")
# Three names or more in a row: "French, German, Italian or English", "(.ch, .com, .fr,
# etc.)", "Visa, Mastercard, American Express".
ENUMERATION = re.compile(r"(\b[\w.@+-]+( [\w.@+-]+){0,2}, ){2,}((or|and) )?[\w.@+-]+")
# ... but not of things done to something: "find all tags, rename them, or delete them"
# names tasks, whose objects are pronouns.
_DONE_TO = re.compile(r"\b(them|it|you|us|him|her|me)\b", re.I)


def names_members(text: str) -> bool:
    """Whether a text names three things or more in a row (`ENUMERATION`)."""
    return any(not _DONE_TO.search(found[0]) for found in ENUMERATION.finditer(text))


# "how much notice", "how much warning": how long before something (`text.NOTICE_WORDS`).
_NOTICE = "|".join(sorted(NOTICE_WORDS))
# "which menu has …", "what page shows …": a question of where, as "where" is.
_PLACE_ASKED = r"\b(which|what) (menu|page|tab|screen|section|sidebar)\b"
# Checked in order: the first cue that matches decides. Questions arrive folded (lowercase,
# no accents, apostrophes removed), as `kb.search.text.words` leaves them, joined by spaces.
_CUES: list[tuple[str, re.Pattern[str]]] = [
    (ABOUT, re.compile(r"\b(guide|article|page)\b.*\babout\b|^what is (this|the) "
                       r"(guide|article)\b")),
    # "can i be told when an invoice is issued": the notice and the event it follows.
    (TIME, re.compile(r"^when\b|\bhow (long|often|soon|far|early|late)\b|\bdeadline|"
                      r"\b(told|notified|notify|alerted|alert|warned|warn|informed|"
                      r"reminded|remind)( me| us)? when\b|"
                      # "discount applies when", "in which cases": a condition.
                      r"\bwhen$|\b(in|under) (which|what) (cases?|conditions?|"
                      r"circumstances)\b|"
                      r"\bhow many (days|weeks|months|hours)\b|\bin advance\b|"
                      # "how much notice": how long before, not a price.
                      rf"\bhow much ({_NOTICE}|lead time)\b|"
                      r"\bwhat time\b|\bwhen (is|are|do|does|will|can)\b")),
    (AMOUNT, re.compile(r"\bhow (much|many|big|large|small|expensive|cheap|old)\b|\bprice|"
                        r"\bcost|\bdiscount|\bpercent|\brebate|\bfee\b|\bfees\b|\bcheap(er|est)?\b|"
                        r"\b(in)?expensive\b|\baffordable\b|"
                        r"\bsize\b|\bminimum\b|\bmaximum\b|\blimit\b|\bdimensions?\b|"
                        r"\bwhat do i pay\b|\brate\b")),
    # "without permission", "not allowed" tell what happened, not a question of who may.
    (PERSON, re.compile(r"^who\b|\bwho (can|is|may|has|sees|owns)\b|"
                        r"(?<!without )(?<!no )(?<!not )\b(allowed\b|permission|permitted\b|"
                        r"authori[sz]ed\b)|\bentitled\b|"
                        r"^(can|may) (my|a|an|our|the|other|another) |\bwho\b|"
                        r"\bwhich \w+ (may|can)\b|\bmay (i|we|my|our|a|an|the)\b|"
                        # "can i add a client without being the legal representative":
                        # whether someone else may.
                        r"\bwithout being\b")),
    (DEFINITION, re.compile(r"^what (is|are|does) (?!the (button|setting|page))\w+"
                            r"( \w+)?( for| mean| called)?$|\bwhat does .* mean\b|"
                            r"^what are \w+ for\b|^what is \w+ for\b")),
    # ("what happens …" is read before these: `WHAT_HAPPENS`.)
    (CONSEQUENCE, re.compile(r"^(will|is|are|does|do|did|am|should|"
                             r"would|has|have)\b|\bwhat if\b|\bstill\b|"
                             # A yes/no question after a statement: "i paid for it,
                             # does that make it mine".
                             r"^(?!how|where|what|why|which|who).*\b(does|do|did|will|"
                             r"would|is|are) (that|this|it|they)\b")),
    # "what should i do", "what now": the steps to take.
    (PROCEDURE, re.compile(r"^how\b|\bhow (do|can|to|should)\b|^where\b|\bwhere (is|are|"
                           r"do|can)\b|\bwhat (should|do|can|must) (i|we) do\b|"
                           r"\bwhat (now|next)\b|\bsteps?\b|^(can|could) i\b|\bset up\b|"
                           rf"{_PLACE_ASKED}")),
]

# "access rights" and "so i find it faster" name no page to go to.
NAVIGATION = re.compile(r"\b(where|get to|go to|(?<!so i )(?<!so we )find|reach|navigate|"
                        rf"open|access(?! (rights?|levels?|partnership)))\b|{_PLACE_ASKED}")
# People a "who" that follows them is about (a relative clause, not a question of who),
# unless it says what they may do ("a team member who can only open one product" asks
# about rights, which the passages of who may answer).
RELATIVE_WHO = re.compile(r"\b(people|persons?|users?|customers?|clients?|fans|subscribers?|"
                          r"contacts?|members?|employees?|staff|colleagues?|students?|"
                          r"parents?|senders?|someone|anyone|everyone|those|guests?|"
                          r"visitors?|friends?|kids|children|teachers?|buyers?) who\b"
                          r"(?! (can|cannot|cant|may|could|is allowed|are allowed|has access|"
                          r"have access)\b)")
# Words of a question short enough for a role or "only" alone to ask who may.
SHORT_QUESTION = 6
ROLE = re.compile(r"\b(boss(es)?|employees?|staff|colleagues?|admins?|administrators?|"
                  r"owners?|representatives?|collaborators?|managers? of)\b")
CONTROL = re.compile(r"\b(too (many|much|often)|fewer|less|stop|spam|no more|dont want|"
                     r"unsubscribe|turn off|mute|reduce|nagging|silence)\b")
# "what's the difference between paying for a product and owning it", "alias vs
# redirection": how two things differ, which a sentence setting one against the other
# says ("paying … does not grant ownership", "an alias …, whereas a redirection …").
CONTRAST_ASKED = re.compile(r"\b(differences?|differ|differs|different from|vs|versus|"
                            r"compared? (to|with)|distinguish)\b")
CONTRAST_CUE = re.compile(r"\b(not|whereas|unlike|while|but|instead|rather than|without|the same|"
                          r"both)\b|n[o']t\b", re.I)
# What controls something: a setting, an option to enable or disable, a frequency.
CONTROL_CUE = re.compile(r"\b(enable|disable|turn (on|off)|activate|deactivate|"
                         r"frequency|unsubscribe|settings?)\b", re.I)
# Words for a thing already lost, broken or gone: the loss a question reports (LOSS) and
# the situation after it (`situation_of`), from one list.
_GONE = (r"lost|lose|losing|stolen|stole|broke|broken|smashed|dead|died|gone|missing|"
         r"vanished|disappeared|no longer|anymore|any more|wiped|erased|empty")
LOSS = re.compile(rf"\b({_GONE}|factory reset|reset my (phone|device|mobile)|"
                  # "kauth shows nothing": what was there is not shown any more.
                  r"(shows?|showing|displays?|lists?) (nothing|no \w+)|"
                  r"nothing (is )?(shown|showing|displayed|listed)|(is|are) blank)\b")
LOSS_CUE = re.compile(r"\b(no longer|anymore|any more|lost|stolen|broken|missing|"
                      r"no \w+ (is|are) (displayed|shown|present|available|listed))\b", re.I)
# The thing is still there ("the app still shows my account"): the case written for
# that ("if your account is still present"), not the one for a thing gone.
STILL_THERE = re.compile(r"\bstill (shows?|showing|there|listed|displayed|displays|present|"
                         r"visible|installed|works?|working|have|has|see|appears?)\b")
MEANING = re.compile(r"\bwhat (does|do) .+ mean\b|\bmeaning of\b|\bdefinition of\b|"
                     r"\bwhat is meant by\b|\bdefine\b")
YES_NO = re.compile(r"^(is|are|does|do|did|will|would|should|has|have) (?!.*\b(who|how|"
                    r"when|where)\b)")
# The customer asks what they need first ("do i need", "is … required"), not whether
# someone else needs something ("does the contact need an account"); or what stops them
# ("why can't i add a client", "it won't let me"), which is what the task needs first
# (a role, a product, a setting) that they lack.
BLOCKED = re.compile(r"^why (cant|cannot|can not|am i not able to|are we not able to|"
                     r"is it not possible to|isnt it possible to) |\b(unable|not able) to\b|"
                     r"\b(wont|doesnt|does not|will not) (let|allow) (me|us)\b|"
                     r"\b(greyed|grayed) out\b")
NEEDS = re.compile(r"\b(do|will|would|must|should) (i|we) (need|have to have)\b|"
                   r"\bwhat (do|will|would) (i|we) need\b|\brequire(d|ments?)\b|"
                   r"\bprerequisites?\b|\bneeded\b|\bnecessary\b|\bcompatible\b|"
                   + BLOCKED.pattern)
# "can a deleted address be recovered", "could the invoice be changed": a thing as the
# subject of a passive verb.
PASSIVE_ABILITY = re.compile(r"^(can|could|may) (?!(i|we|you|they|he|she)\b)(\w+ ){1,4}be "
                             r"\w+(ed|en|wn|ght|t)\b")
PURPOSE = re.compile(r"\b(point of|purpose of|why (use|would (i|we|you) use|should (i|we) use)|"
                     r"(do|does|can|will) \w+( \w+)? help (me|us)|useful|good for|benefits? of)\b")
# "where do i click to rename myself" asks for the task's steps, not for a page.
TASK_AFTER_CLICK = re.compile(r"\bwhere (do|can|should|would) (i|we) (click|tap|press) to\b")
FORM = re.compile(r"\bhow (long|often|soon|far|early|late)\b")
# "how early can i", "what's the maximum", "as long as possible": the question asks for
# the limit of something, which a passage states as such ("up to 2 months in advance"),
# rather than for one value of it ("D-14").
EXTENT_ASKED = re.compile(r"\bhow (early|far in advance|far ahead|many \w+ at most)\b|"
                          r"\b(maximum|max|at most|longest|earliest|latest|soonest|"
                          r"as (long|early|far|much|many) as (possible|i can|we can)|"
                          r"most i can|limit|limits|limited|cap|caps|capped|ceiling|"
                          r"how (big|large|many|much) (can|may|is allowed))\b")
# The words of such a question that say it asks for a limit, not what it is about
# ("latest" in "when is the latest i can request a swap").
EXTENT_FORM = re.compile(r"\b(maximum|max|longest|earliest|latest|soonest)\b")
EXTENT = re.compile(r"\b(up to|at most|at the most|maximum|max\.?|no more than|not more "
                    r"than|as many as|as much as|limited to|at least|minimum|"
                    r"no later than|at the latest|at the earliest)\b", re.I)
DURATION_ASKED = re.compile(rf"\bhow (long|soon|far in advance|much ({_NOTICE}))\b|"
                            r"\bhow many (days|weeks|months|hours|minutes|years)\b")
# A time stated as a count ("D-14", "30 days"): part of a stated duration (DURATION) and
# of what carries a time (TIME_CUE).
# "3 working days": a count of days all the same.
QUALIFIER = r"(working|business|calendar|full|whole)"
COUNTED_TIME = (rf"\bD-\d+|\b\d+\s*({QUALIFIER} )?"
                r"(days?|weeks?|months?|hours?|minutes?|years?)\b")
# A duration or a point in time, stated.
DURATION = re.compile(rf"{COUNTED_TIME}|"
                      r"\b\d{1,2}:\d{2}\b|\b(immediately|instantly|right away|at once|"
                      r"(a|one|two|three|few|several) (days?|weeks?|months?|hours?|minutes?))\b",
                      re.I)
# "can i request sick leave the same day", "can employees clock in before their shift
# starts": whether something may be done at a given time, which the passage stating the
# time allowed answers ("even on the same day", "up to 15 minutes early"), not the steps
# or the role.
TIMING_ASKED = re.compile(r"^(can|could|may) (?!you\b).*\b(same day|before|after|until|"
                          r"in advance|ahead of time|later|earlier|early|late|anytime|"
                          r"any time|today|tomorrow|last minute|short notice)\b")
# The side of a point in time a question or a passage is on.
SIDE = re.compile(r"\b(before|after)\b", re.I)
# A question that opens as one a yes or no answers ("can i …", "is it …", "doesn't it
# …"); unlike `YES_NO`, whatever it asks after.
YES_NO_ASKED = re.compile(r"^(can|cant|could|may|is|isnt|are|arent|does|doesnt|do|dont|"
                          r"did|didnt|will|wont|would|should|has|have|am|was|were)\b")
# "what happens when …", "what will happen if …": a consequence asked.
WHAT_HAPPENS = re.compile(r"^what (happens|will happen|would happen|happened)\b")
# A statement of something not working, with no question word.
PROBLEM = re.compile(r"^(?!.*\b(how|what|when|where|who|whom|whose|which|why|can|could|"
                     r"may|should)\b).*\b(not|never|didnt|doesnt|dont|isnt|wasnt|arent|"
                     r"werent|cant|cannot|wont|no longer)\b")
# A heading or a case written for something not working.
PROBLEM_CASE = re.compile(r"\b(not|no longer|never|cannot|fails?|failed|error|problems?|"
                          r"troubleshoot\w*|does ?n[o']t|do ?n[o']t|wo ?n[o']t)\b", re.I)
# What it takes for something to work ("only becomes active once the link … has been
# clicked"): for someone reporting that it does not, the likely cause.
REQUIREMENT = re.compile(r"\bonly (becomes?|works?|starts?|takes effect|applies|appears|"
                         r"once|if|when|after)\b|\buntil\b|\bas long as\b|"
                         r"\b(applies|works|is (given|granted|applied)) (in the following|"
                         r"under these) (cases?|conditions?)\b", re.I)
# Something expected has not come yet ("my refund hasn't arrived", "still waiting for the
# code"): how long it takes answers, as much as what to do when it does not come.
WAITING = re.compile(r"\b(\w+nt|not|never|yet to) (arrived?|come|came|received?|"
                     r"reached|showed up|turned up|shown up|got(ten)? (it|them|anything|"
                     r"any|my|the|a|an))\b|\bstill (waiting|pending|processing)\b|"
                     r"\btak(ing|es) (so|too) long\b|\bwhen will (i|we) (get|receive)\b")
HOW_MANY = re.compile(r"\bhow many (\w+)")
BEFORE = "before"
AFTER = "after"
# Something already gone, lost or broken; or a change still to come.
_ALREADY = re.compile(rf"\b({_GONE}|not anymore|too late|already|forgot|forgotten|changed|"
                      r"replaced|switched)\b")
_PLANNED = re.compile(r"\b(changing|replacing|switching|plan|planning|going to|about to|"
                      r"will (change|replace|switch|get|buy)|before (i|we|changing)|"
                      r"upgrading|soon)\b")

NUMBER = re.compile(r"\d|%|\b(CHF|EUR|USD)\b|[€$£]|\b(amount|price|costs?|fees?|free of "
                    r"charge|percent(age)?)\b", re.I)
TIME_CUE = re.compile(rf"{COUNTED_TIME}|"
                      r"\b(before|after|until|deadline|in advance|expir\w*|once|when|"
                      r"(at )?any ?time|same day|early|late|"
                      r"immediately|later|wait|whenever|as soon as|if|unless|"
                      r"in the following cases?|in (this|that|which) case)\b", re.I)
# ("only" before a time or a condition restricts when, not who: "only once the due date
# has passed".)
PERSON_CUE = re.compile(r"\b(only(?! (once|when|if|after|before|until|during|for|in|on|at|"
                        r"up|within|by|from|to|with|as|\d))|legal representatives?|"
                        r"administrators?|admins?|owners?|collaborators?|allowed|rights|"
                        r"permissions?|all users|members|"
                        r"visible|responsible|roles?|whose name|in your name)\b", re.I)
# A path through an interface's menus ("Admin > People > Students"): its words name
# pages, whatever else they may name.
_LABEL = r"[\w-]+(?: (?!(?:and|or|then|to|click|tap|select|choose)\b)[\w-]+){0,2}"
MENU_PATH = re.compile(rf"{_LABEL}(?: > {_LABEL})+")
CONSEQUENCE_CUE = re.compile(r"\b(not|no|never|disabled?|lose|lost|attention|warning|"
                             r"recommended|if|then|thus|does not|cannot|remains?|will)\b",
                             re.I)
DEFINITION_CUE = re.compile(r"^(this|it|they|these|\w+) (is|are|means?|refers? to) "
                            r"(an?|the)\b|\b(useful for|used to|allows you to)\b", re.I)
# Imperative questions ("rename a tag", "delete all tokens") ask for the steps.
ACTION_VERBS = frozenset("""add change edit delete remove rename create set enable disable
turn stop start cancel update upload install move switch open export find check reset
activate deactivate configure invite put sort label unlink detach unsubscribe withdraw
refund get fix revoke lock reuse transfer choose give forward schedule""".split())


# A request written as an order ("mirror my storage on my pc", "wire the money"): a word
# that is none of these, then one of the determiners an object opens with.
NOT_ORDERS = frozenset("""i im i'm we you he she it they my our your his her its their this
that these those is are was were am be been do does did can could will would should may
might must shall there here what which who whom whose when where why how if whether not
no yes hi hello hey please thanks thank all any every each some""".split())
OBJECT_OPENERS = frozenset("my our the a an this these those all".split())


# What opens a request before the task it asks for ("i want to cancel my plan", "please
# remove my card", "help me export the grades").
WISH = re.compile(r"^((i|we) (really |just )?(want|wanna|need|have|would like|am trying|"
                  r"was trying|tried)|(id|wed) (really )?like|(im|were) trying|"
                  r"(please )?(help|show) (me|us)( how)?|please) (to )?")


# A wish for a result, with the thing it is for between ("i want my site to open with
# https", "we'd like the invoices to go to accounting"): a task asked for, whose steps
# answer, as "i want to …" asks for one.
WISH_RESULT = re.compile(r"^((i|we) (really |just )?(want|wanna|need|would like)|"
                         r"(id|wed) (really )?like) (my|our|the|all|this|these|those|every)"
                         r"( \w+){1,3} to [a-z]+")


def _from_task(words: list[str]) -> list[str]:
    """The words of a request from its task on ("cancel my plan" of "i want to cancel my
    plan"); all of them when it has no such opening."""
    wish = WISH.match(" ".join(words))
    return words[len(wish[0].split()):] if wish else words


def _imperative(words: list[str]) -> bool:
    """Whether a question opens as an order: a first word that is no pronoun, question
    word or auxiliary, followed by a determiner ("mirror my …", "wire the …")."""
    return len(words) >= 3 and words[0] not in NOT_ORDERS and words[0].isalpha() and \
        words[1] in OBJECT_OPENERS and not words[0].endswith(("ing", "ed", "s"))


class Kind(str):
    """The kind of answer asked for (equal to one of the constants above), and where the
    customer stands: `situation` is AFTER when the thing is already lost, broken or gone
    ("i lost my phone"), BEFORE when a change is only planned ("i'm changing my phone"),
    else empty. A passage for someone planning ("Before changing device") does not help
    someone who no longer has the device, and the other way round."""

    situation: str = ""
    # "where is", "how do I get to": the way to a page, which is what a guide's
    # prerequisites often are ("Go to the user profile section: 1. Log in …").
    navigation: bool = False
    # "too many emails", "stop the alerts": the setting that controls it answers.
    control: bool = False
    # Something is lost or broken: passages about that case ("no account is displayed
    # anymore") answer better than those that still need it.
    loss: bool = False
    # The thing is still there, working or at hand: the opposite case to `loss`.
    still: bool = False
    # "what rights can a user get": a what-question asks for a fact, not for steps.
    fact: bool = False
    # "how many days": the unit the answer counts in, for "7 days" to answer exactly.
    unit: str = ""
    # "how long", "how far in advance": a duration, which "if" or "when" does not give.
    duration: bool = False
    # The words that only make the question's form ("long" in "how long").
    form: frozenset[str] = frozenset()
    # "which version do i need", "what is required": what must be there first, which
    # a guide's prerequisites say.
    needs: bool = False
    # "the reset email never came": a problem stated, which the passage written for that
    # case answers ("The email does not arrive", "If you do not receive the link:").
    problem: bool = False
    # "my refund hasn't arrived": waiting for something, which the time it takes answers.
    waiting: bool = False
    # "what happens to our students if we cancel": the section headed "What happens
    # after cancellation" was written to answer it.
    happens: bool = False
    # "can i …", "is it …": a yes or no may open the answer; "how do i …" wants none.
    yes_no: bool = False
    # "which browsers are supported": the kind ("browsers") whose members, named one
    # after the other, answer.
    members: str = ""
    # "how early", "the maximum": a limit, which "up to …" states (`EXTENT`).
    extent: bool = False
    # "the difference between A and B": a sentence setting one against the other.
    contrast: bool = False
    # "why can't i create an address": what stops someone from the guide's own task.
    blocked: bool = False
    # "after the deadline": the side of a point in time the question is on ("after" or
    # "before"); a passage only about the other side answers another question.
    side: str = ""
    # Asked as an order with a verb no list names ("mirror my storage on my pc"): the
    # steps answer it, but whether anything answers is judged as for a general question
    # (a steps list's bonus would make an order for something no guide covers, "restore a
    # backup of my website", look answered).
    ordered: bool = False

    @classmethod
    def of(cls, kind: str, text: str = "") -> Kind:
        made = cls(kind)
        made.situation = situation_of(text)
        made.navigation = NAVIGATION.search(text) is not None and \
            not TASK_AFTER_CLICK.search(text)
        made.control = CONTROL.search(text) is not None
        made.loss = LOSS.search(text) is not None
        made.still = not made.loss and STILL_THERE.search(text) is not None
        made.fact = WHAT_FACT.match(text) is not None
        counted = HOW_MANY.search(text)
        made.unit = counted[1].rstrip("s") if counted else ""
        made.duration = kind == TIME and DURATION_ASKED.search(text) is not None
        made.form = frozenset([*(m[1] for m in FORM.finditer(text)),
                               *(m[1] for m in EXTENT_FORM.finditer(text))])
        made.needs = NEEDS.search(text) is not None
        made.problem = PROBLEM.match(text) is not None
        made.waiting = WAITING.search(text) is not None
        made.happens = WHAT_HAPPENS.match(text) is not None
        made.yes_no = YES_NO_ASKED.match(text) is not None
        asked = MEMBERS_ASKED.match(text)
        made.members = asked[3] if asked else ""
        made.extent = EXTENT_ASKED.search(text) is not None
        made.contrast = CONTRAST_ASKED.search(text) is not None
        made.blocked = BLOCKED.search(text) is not None
        sides = {m[1] for m in SIDE.finditer(text)}
        made.side = sides.pop() if len(sides) == 1 else ""
        return made


def question_type(folded_words: list[str]) -> Kind:
    """The kind of answer the question asks for (one of the constants above)."""
    text = " ".join(folded_words)
    if MEANING.search(text):
        # "what does decreasing rate mean" asks for a definition, whatever the words.
        return Kind.of(DEFINITION, text)
    if PURPOSE.search(text):
        # "do tags help me find products", "what's the point of cashback": what a thing
        # is for, which the sentence defining it says.
        return Kind.of(DEFINITION, text)
    if YES_NO.match(text):
        # "is the discount applied on renewals": a yes or no, whatever it is about.
        return Kind.of(CONSEQUENCE, text)
    if PASSIVE_ABILITY.match(text):
        # "can a deleted mailbox be recovered": whether something is possible, a yes or
        # no about a thing, not who may act.
        return Kind.of(CONSEQUENCE, text)
    if WHAT_HAPPENS.match(text):
        # "what happens when the time limit runs out": a consequence, whatever the words
        # of an amount or a time that follow ("limit", "when").
        return Kind.of(CONSEQUENCE, text)
    if TIMING_ASKED.match(text):
        return Kind.of(TIME, text)
    if PROBLEM.match(text):
        # "discount not applied on my order" reports a problem: the passage for that
        # case answers, not an amount because "discount" is named.
        return Kind.of(GENERAL, text)
    # "fans who opted in", "people who write to me": "who" after the people it is
    # about tells which ones, it does not ask who.
    cued = RELATIVE_WHO.sub(r"\1 that", text)
    for kind, cue in _CUES:
        if cue.search(cued):
            return Kind.of(kind, text)
    task = _from_task(folded_words)
    if (task and task[0] in ACTION_VERBS) or WISH_RESULT.match(text):
        return Kind.of(PROCEDURE, text)
    if _imperative(task):
        ordered = Kind.of(PROCEDURE, text)
        ordered.ordered = True
        return ordered
    # A short question naming a role and no task ("bosses only?") asks who; in a longer
    # one the role is as often whose thing it is ("my staff rota is the same every
    # week, any way to avoid redoing it").
    if len(folded_words) <= SHORT_QUESTION and ROLE.search(text):
        return Kind.of(PERSON, text)
    # "only" asks about a restriction: who may ("admins only?"; not "restore only the
    # database", where it says how much).
    if len(folded_words) <= SHORT_QUESTION and "only" in folded_words:
        return Kind.of(PERSON, text)
    return Kind.of(GENERAL, text)


def situation_of(text: str) -> str:
    """AFTER, BEFORE or "" (see `Kind`), from the folded question."""
    if _ALREADY.search(text):
        return AFTER
    if _PLANNED.search(text):
        return BEFORE
    return ""


@lru_cache(maxsize=4096)
def section_situation(title: str) -> str:
    """Whether a section is for before a change or after it, from its heading."""
    title = title.lower().lstrip(". ")
    if re.match(r"(before|prior to|if you plan|planning)\b", title):
        return BEFORE
    if re.match(r"(after|once|if you (have )?(lost|no longer)|lost|too late)\b", title):
        return AFTER
    return ""


@lru_cache(maxsize=65536)
def counts_in(unit: str, text: str) -> bool:
    """Whether a passage gives a number of the unit asked for ("7 days" for "how many
    days")."""
    return re.search(rf"\d\s*({QUALIFIER} )?{re.escape(unit)}", text, re.I) is not None


# What states a value of the kind asked for, beyond a word of the kind: an amount ("€24",
# "20%"), a time ("30 days", "D-14", "9:00", a condition announced as such).
STATED_VALUE = {AMOUNT: re.compile(r"\d"),
                TIME: re.compile(rf"{COUNTED_TIME}|\b\d{{1,2}}:\d{{2}}\b|"
                                 r"\bin the following cases?\b|\bonly (if|when)\b", re.I)}


@lru_cache(maxsize=65536)
def carries(kind: str, text: str) -> bool:
    """Whether a sentence or list item carries the kind of answer asked for (cached by
    the kind's name: a `Kind`'s flags are not part of the key)."""
    if kind == AMOUNT:
        return NUMBER.search(text) is not None
    if kind == TIME:
        return TIME_CUE.search(text) is not None
    if kind == PERSON:
        # "Admin > Billing > Subscription" is the way to a page, not a role.
        return PERSON_CUE.search(MENU_PATH.sub(" ", text)) is not None
    if kind == CONSEQUENCE:
        return CONSEQUENCE_CUE.search(text) is not None
    if kind == DEFINITION:
        return DEFINITION_CUE.search(text) is not None
    return False
