"""The shipped guides keep every line of the seed knowledge base, figures included."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kb.content import guides
from tests.conftest import SEED_GUIDES

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "knowledge-base-excerpt.txt"
SEED_LOCAL = Path(__file__).resolve().parent / "fixtures" / "seed-excerpt.txt"


def normalise(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)      # links -> their text
    text = text.replace("…", "...").replace("**", "")
    text = re.sub(r"(?m)^\s*(?:[-*>]|\d+\.)\s+", "", text)     # list and quote markers
    text = re.sub(r"[\"'.,:;!?()]", " ", text.lower())
    return " ".join(text.split())


def seed_lines() -> list[str]:
    source = SEED_LOCAL.read_text(encoding="utf-8")
    return [line for line in source.splitlines()[2:] if line.strip()]


@pytest.fixture(scope="module")
def corpus() -> str:
    return normalise("\n".join(g.body for g in guides.load(SEED_GUIDES)))


def test_the_fixture_is_the_seed():
    if SEED.exists():  # beside the project in development; the copy is what CI sees
        assert SEED.read_text(encoding="utf-8") == SEED_LOCAL.read_text(encoding="utf-8")


@pytest.mark.parametrize("line", seed_lines())
def test_every_seed_line_is_in_a_guide(corpus, line):
    assert normalise(line) in corpus


@pytest.mark.parametrize("figure", ["CHF 347.20", "CHF 277.76", "CHF 208.32", "€ 201.25",
                                    "€ 161", "€ 120.75", "20%", "25%", "- 40%", "35 Web",
                                    "210 pixels", "D-14", "2 months"])
def test_every_figure_is_kept(figure):
    text = "\n".join(g.body for g in guides.load(SEED_GUIDES))
    assert figure in text
