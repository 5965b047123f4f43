"""Fixtures that build real components in temporary folders: guides, index, database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb.context import Context
from kb.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEED_GUIDES = ROOT / "guides"
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def guides_dir(tmp_path: Path) -> Path:
    """A private copy of the shipped guides, free to edit."""
    target = tmp_path / "guides"
    shutil.copytree(SEED_GUIDES, target)
    return target


@pytest.fixture
def context(tmp_path: Path, guides_dir: Path) -> Context:
    return Context(Settings(guides=guides_dir, data=tmp_path / "data"))


@pytest.fixture(scope="session")
def seed_context(tmp_path_factory) -> Context:
    """A read-only context on the shipped guides, shared by the tests that only search."""
    data = tmp_path_factory.mktemp("seed-data")
    return Context(Settings(guides=SEED_GUIDES, data=data))


def write_guide(folder: Path, slug: str, body: str = "Some text.\n", **meta) -> Path:
    """Write a small valid guide; keyword arguments override front-matter values."""
    values = {"title": f"Guide {slug}", "slug": slug, "category": "Testing",
              "summary": "A guide written by a test.", "tags": "[test]",
              "products": "[Manager]", "language": "en", "updated": "2026-11-26", **meta}
    head = "\n".join(f"{k}: {v}" for k, v in values.items() if v is not None)
    path = folder / f"{slug}.md"
    path.write_text(f"---\n{head}\n---\n\n{body}", encoding="utf-8")
    return path
