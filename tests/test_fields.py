"""Field validation under hostile input: every answer gets a value or a reason, quickly.

Numbers are checked by their form before any arithmetic, so an exponent such as
`1e1000000` (which Decimal would expand into a million digits) or a superscript digit
(`"²".isdigit()` is true, `int("²")` raises) is refused with a sentence, never a crash or
a worker busy for seconds.
"""

from __future__ import annotations

import time
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procedures.errors import FieldError
from procedures.fields import validate
from procedures.model import FieldSpec, FieldType

TYPES = [t for t in get_args(FieldType) if t != "image"]
# CPU time of this process, so other work on a shared machine cannot fail the bound.
SLOW_MS = 100


@pytest.mark.parametrize("raw", ["1e1000000", "9" * 5000, "1e30", "1E-999999", "²", "½",
                                 "١٢", "NaN", "-Infinity", "0x1F", "1_000", "12e"])
@pytest.mark.parametrize("kind", ["integer", "decimal"])
def test_numbers_that_are_not_numbers_people_type_are_refused_at_once(kind, raw):
    started = time.process_time()
    with pytest.raises(FieldError) as refused:
        validate(FieldSpec(name="amount", type=kind), raw)
    assert (time.process_time() - started) * 1000 < SLOW_MS
    message = str(refused.value)
    assert message.startswith("the amount ") and len(message) < 120


@pytest.mark.parametrize(("raw", "integer", "decimal"), [
    ("1'200", 1200, "1200.00"), ("120,50", None, "120.50"), (" 7 ", 7, "7.00"),
    ("-3", -3, "-3.00"), ("0042", 42, "42.00"), ("1 000", 1000, "1000.00"),
])
def test_numbers_as_people_type_them_are_understood(raw, integer, decimal):
    assert validate(FieldSpec(name="amount", type="decimal"), raw) == decimal
    if integer is not None:
        assert validate(FieldSpec(name="amount", type="integer"), raw) == integer


def test_a_huge_json_number_is_refused_too():
    with pytest.raises(FieldError):
        validate(FieldSpec(name="quantity", type="integer"), 1e300)


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(TYPES), raw=st.one_of(
    st.text(max_size=300), st.integers(), st.floats(allow_nan=True), st.booleans(),
    st.none(), st.decimals(allow_nan=True)))
def test_any_answer_to_any_field_gets_a_value_or_a_reason_in_time(kind, raw):
    spec = FieldSpec(name="value", type=kind, required=False)
    started = time.process_time()
    try:
        validate(spec, raw)
    except FieldError as exc:
        assert str(exc), "a refusal always says why"
    assert (time.process_time() - started) * 1000 < SLOW_MS
