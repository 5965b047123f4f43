"""Validation of the values a collect step asks for, with reasons a person can act on.

Every rejection says what was wrong and what would be accepted, in one sentence: the
engine re-asks with that reason alone (not the reason and the whole question again).
"""

from __future__ import annotations

import base64
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from procedures.backend.errors import BackendError
from procedures.backend.iban import format_iban, normalise_iban
from procedures.backend.passwords import policy_problems
from procedures.errors import FieldError
from procedures.model import FieldSpec

EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*"
                   r"\.[A-Za-z]{2,}$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()./-]{5,19}$")
YES = {"yes", "y", "true", "1", "ok", "sure", "yep", "oui"}
NO = {"no", "n", "false", "0", "nope", "non"}
MAX_UPLOAD_BYTES = 5_000_000
# Numbers: ASCII digits, an optional sign and decimal part, nothing else (no exponent).
HUMAN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?", re.ASCII)
# Thousands separators people type: apostrophes (Swiss), spaces, no-break spaces.
THOUSANDS = re.compile(r"['’\s\u00a0\u202f]")
MAX_NUMBER_CHARS = 40
# Numbers said in words ("two", "twenty one", "a" in "a week").
NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())} | {
    "a": 1, "an": 1, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90}
# A count of days said in larger units, for a field that counts days.
DAYS_IN = {"day": 1, "days": 1, "week": 7, "weeks": 7, "fortnight": 14, "month": 30,
           "months": 30}
# A yes or a no said with more words: "yes please", "no thanks", "yes, remind me".
LEADING_ANSWER = re.compile(r"^\s*(yes|yeah|yep|yup|sure|ok|okay|no|nope|nah)\b[\s,.!]*(.*)$",
                            re.I)
MAX_WHOLE_DIGITS = 15
# Values the run must not keep once the turn that used them is over.
TRANSIENT_TYPES = {"password", "image"}


def is_transient(spec: FieldSpec) -> bool:
    return spec.secret or spec.type in TRANSIENT_TYPES


def validate(spec: FieldSpec, raw: Any) -> Any:
    """The clean value for `raw`, or FieldError with the reason."""
    if spec.type == "image":
        return _image(raw)
    if raw is None:
        raw = ""
    if not isinstance(raw, str | int | float | Decimal | bool):
        raise FieldError("please type a value")
    text = str(raw)
    if any(unicodedata.category(c) == "Cc" for c in text.replace("\t", " ")):
        raise FieldError("the value contains control characters")
    text = text if spec.type == "password" else text.strip()
    label = spec.label or spec.name.replace("_", " ")
    if not text:
        if spec.required:
            raise FieldError(f"the {label} cannot be empty")
        return None
    if spec.max_length is not None and len(text) > spec.max_length:
        raise FieldError(f"the {label} is too long: at most {spec.max_length} characters")
    if spec.min_length is not None and len(text) < spec.min_length:
        raise FieldError(f"the {label} is too short: at least {spec.min_length} characters")
    value: Any = text
    if spec.type == "password" and spec.new_password:
        # The rules that do not depend on the account, checked at once: a confirmation
        # typed for a password the backend will refuse is wasted effort.
        problems = policy_problems(text, current="", email="")
        if problems:
            raise FieldError("this password is not accepted: " + "; ".join(problems))
    if spec.type == "email":
        if not EMAIL.match(text) or len(text) > 254:
            raise FieldError(f"“{text}” is not an email address (expected name@example.com)")
        value = text.lower() if text.count("@") == 1 else text
    elif spec.type == "integer":
        spoken = _spoken(text, counts_days="day" in label.lower())
        value = spoken if spoken is not None else \
            _number(text, label, integer=True, example=_example(spec, integer=True))
    elif spec.type == "decimal":
        value = _number(text, label, integer=False, example=_example(spec, integer=False))
    elif spec.type == "iban":
        try:
            value = format_iban(normalise_iban(text, spec.name))
        except BackendError as exc:
            raise FieldError(exc.message) from None
    elif spec.type == "phone":
        if not PHONE.match(text):
            raise FieldError("that is not a phone number (expected e.g. +41 79 123 45 67)")
        value = "+" + re.sub(r"\D", "", text) if text.startswith("+") else re.sub(r"\D", "",
                                                                                  text)
    elif spec.type == "yesno":
        value = _yes_or_no(text)
    if spec.choices is not None and value not in spec.choices:
        matches = [c for c in spec.choices if str(c).lower() == str(value).lower()]
        if not matches:
            raise FieldError(f"choose one of: {', '.join(map(str, spec.choices))}")
        value = matches[0]
    if spec.pattern and isinstance(value, str) and not re.fullmatch(spec.pattern, value):
        raise FieldError(spec.pattern_message or f"the {label} does not have the expected form")
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        if spec.minimum is not None and value < Decimal(str(spec.minimum)):
            raise FieldError(f"the {label} must be at least {_plain(spec.minimum)}")
        if spec.maximum is not None and value > Decimal(str(spec.maximum)):
            raise FieldError(f"the {label} must be at most {_plain(spec.maximum)}")
    return str(value) if isinstance(value, Decimal) else value


# "All of it", "the whole balance", "everything": the whole of what a field counts.
ALL = re.compile(r"^(?:(?:please|just|pay(?: out)?|send|take|transfer|withdraw|give me|"
                 r"i want|i'd like|id like)\s+)*(?:all(?: of it| of that| the money| of the "
                 r"money| my money)?|everything|(?:the )?(?:whole|full|entire|total)"
                 r"(?: (?:amount|balance|sum|thing))?|(?:the )?max(?:imum)?|as much as "
                 r"(?:possible|i can)|it all)(?: please)?$")


def says_all(text: str) -> bool:
    """Whether an answer asks for the whole amount ("all of it", "the whole balance")."""
    return bool(ALL.match(said(text)))


def said(text: str) -> str:
    """A message as its words are matched: lower case, straight apostrophes, single
    spaces, without the punctuation that ends it."""
    return " ".join(text.lower().replace("’", "'").strip(" ?!.").split())


def _yes_or_no(text: str) -> bool:
    """A yes or a no, alone or said with more words ("yes please", "no thanks"); never
    one that says the other as well ("yes, no")."""
    lowered = text.lower().strip(" .!")
    if lowered in YES | NO:
        return lowered in YES
    said = LEADING_ANSWER.match(lowered)
    if said is not None:
        yes = said[1] not in ("no", "nope", "nah")
        rest = set(re.findall(r"[a-z']+", said[2]))
        # "no problem", "no worries" say yes with a no: neither is guessed.
        if not rest & ({"no", "not", "don't", "dont", "nope"} if yes else
                       {"yes", "but", "problem", "problems", "worries"}):
            return yes
    raise FieldError("please answer yes or no")


def _spoken(text: str, counts_days: bool) -> int | None:
    """A whole number said in words ("fourteen", "twenty one"), or, for a field that
    counts days, a count in weeks or months ("two weeks": 14, "a month": 30); None when
    the text is not that."""
    words = text.lower().replace("-", " ").split()
    if not words or len(words) > 4:
        return None
    unit = DAYS_IN.get(words[-1]) if counts_days else None
    if unit is not None:
        # "a week", "month": one of them; "weeks" alone counts nothing.
        words = words[:-1] or ([] if words[-1].endswith("s") else ["a"])
        if not words:
            return None
    elif words[0] in ("a", "an"):
        return None  # "a" is one of something, never a number alone
    if len(words) == 1 and unit is not None and len(words[0]) <= MAX_WHOLE_DIGITS and \
            HUMAN_NUMBER.fullmatch(words[0]) and "." not in words[0]:
        return int(words[0]) * unit
    if not all(w in NUMBER_WORDS for w in words):
        return None
    values = [NUMBER_WORDS[w] for w in words]
    # "twenty one" is 21; "two" is 2; "one two" is not a number.
    if len(values) == 2 and values[0] >= 20 and values[0] % 10 == 0 and 0 < values[1] < 10:
        number = values[0] + values[1]
    elif len(values) == 1:
        number = values[0]
    else:
        return None
    return number * (unit or 1)


def _example(spec: FieldSpec, integer: bool) -> str:
    """The numbers a refusal offers instead: the field's help when it names numbers
    ("like 7, 14, 30 or 60"), else its limits ("from 1 to 100"), else a plain example."""
    if spec.help and re.search(r"\d", spec.help) and len(spec.help) <= 40:
        # "e.g. 120.50" as help: "like 120.50", never "like e.g. 120.50".
        return "like " + re.sub(r"^(?:e\.g\.|for (?:example|instance)|such as)[,:]?\s*", "",
                                spec.help, flags=re.I)
    if spec.minimum is not None and spec.maximum is not None:
        return f"from {_plain(spec.minimum)} to {_plain(spec.maximum)}"
    return "like 12" if integer else "like 120 or 120.50"


def _number(text: str, label: str, *, integer: bool, example: str) -> int | Decimal:
    """A number as people type it ("1'200", "120,50", "-3"), checked by its form before
    any arithmetic: exponents ("1e1000000" would take a worker minutes to expand),
    superscripts and other non-ASCII digits, and more digits than any amount has are
    refused in constant time."""
    cleaned = THOUSANDS.sub("", text).replace(",", ".")
    kind = f"{'a whole number' if integer else 'a number'}, {example}"
    if len(cleaned) > MAX_NUMBER_CHARS or not HUMAN_NUMBER.fullmatch(cleaned):
        shown = text if len(text) <= 24 else text[:23] + "…"
        raise FieldError(f"the {label} must be {kind}, not “{shown}”")
    whole = cleaned.lstrip("+-").split(".")[0].lstrip("0")
    if len(whole) > MAX_WHOLE_DIGITS:
        raise FieldError(f"the {label} is too large")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:  # not reachable after the pattern, kept as a guard
        raise FieldError(f"the {label} must be {kind}, not “{text}”") from None
    if integer:
        if number != number.to_integral_value():
            raise FieldError(f"the {label} must be a whole number")
        return int(number)
    if number.as_tuple().exponent < -2:  # type: ignore[operator]
        raise FieldError(f"the {label} has more than two decimals")
    return number.quantize(Decimal("0.01"))


def _image(raw: Any) -> bytes:
    if isinstance(raw, str) and raw.startswith("data:"):
        try:
            raw = base64.b64decode(raw.split(",", 1)[1], validate=True)
        except (ValueError, IndexError):
            raise FieldError("the uploaded file could not be read") from None
    if not isinstance(raw, bytes | bytearray) or not raw:
        raise FieldError("please upload an image file")
    if len(raw) > MAX_UPLOAD_BYTES:
        raise FieldError(f"the image is larger than {MAX_UPLOAD_BYTES // 1_000_000} MB")
    return bytes(raw)


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)
