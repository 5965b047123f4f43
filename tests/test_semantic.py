"""The optional embedding model (KB_SEMANTIC): search by meaning, off by default.

A small help center is written here about things the seed guides never mention, so that
the question shares no word with the guide it is about.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kb.context import Context
from kb.settings import Settings
from tests.conftest import ROOT, write_guide

QUESTION = "my bike wheel has a puncture"  # no word of the tyre guide


@pytest.fixture
def guides(tmp_path: Path) -> Path:
    folder = tmp_path / "guides"
    folder.mkdir()
    write_guide(folder, "fix-bicycle-tyre",
                "## Find the hole\n\nPump the tyre and listen for escaping air.\n\n"
                "## Patch the tube\n\nGlue a patch over the hole and let it dry.\n",
                title="Repair a flat bicycle tyre",
                summary="Patch the inner tube of a bicycle tyre that lost its air.")
    write_guide(folder, "bake-bread",
                "## Knead the dough\n\nMix flour, water and salt, then knead for ten "
                "minutes.\n\n## Bake\n\nBake at 230 degrees for forty minutes.\n",
                title="Bake sourdough bread",
                summary="Make a loaf from flour, water, salt and a sourdough starter.")
    write_guide(folder, "renew-passport",
                "## Book an appointment\n\nBook a slot at the town hall.\n\n"
                "## Bring photos\n\nBring two recent photographs.\n",
                title="Renew your passport",
                summary="Get a new passport before the old one expires.")
    return folder


def slugs(tmp_path: Path, guides: Path, semantic: bool, question: str) -> list[str]:
    settings = Settings(guides=guides, data=tmp_path / f"data-{semantic}", semantic=semantic)
    return [r.slug for r in Context(settings).search.search(question).results]


def test_with_the_model_a_question_in_other_words_finds_its_guide(tmp_path, guides):
    assert "fix-bicycle-tyre" in slugs(tmp_path, guides, True, QUESTION)


def test_without_it_search_is_lexical_and_does_not_find_it(tmp_path, guides):
    assert "fix-bicycle-tyre" not in slugs(tmp_path, guides, False, QUESTION)
    # A question in the guide's own words is found either way, first.
    for semantic in (False, True):
        assert slugs(tmp_path, guides, semantic, "patch a bicycle tyre")[0] == \
            "fix-bicycle-tyre"


def test_the_guides_vectors_are_kept_with_the_build(tmp_path, guides):
    slugs(tmp_path, guides, True, QUESTION)
    assert list((tmp_path / "data-True").rglob("semantic-*.npy"))
    # A second process opens them rather than computing them again.
    assert "fix-bicycle-tyre" in slugs(tmp_path, guides, True, QUESTION)


def run_kb(guides: Path, data: Path, hide_model: bool, **env: str) -> subprocess.CompletedProcess:
    """`kb search` in a fresh process; `hide_model`: as if the extra were not installed
    (an import blocked through sys.modules, the way Python lets one leave a package out)."""
    code = ("import sys\n"
            + ("sys.modules['wordllama'] = None\n" if hide_model else "")
            + "from kb.cli import main\n"
            f"code = main(['--guides', {str(guides)!r}, '--data', {str(data)!r}, "
            f"'search', {QUESTION!r}])\n"
            "print('model loaded:', 'kb.search.semantic' in sys.modules)\n"
            "sys.exit(code)\n")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KB_")} | env
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_the_setting_on_without_the_package_says_so_at_start(tmp_path, guides):
    done = run_kb(guides, tmp_path / "data", hide_model=True, KB_SEMANTIC="1")
    assert done.returncode != 0
    assert "KB_SEMANTIC is on, but the optional embedding model is not installed" \
        in done.stderr
    assert "pip install 'kb-helpcenter[semantic]'" in done.stderr


def test_off_by_default_the_model_is_never_loaded(tmp_path, guides):
    done = run_kb(guides, tmp_path / "data", hide_model=True)
    assert done.returncode == 0, done.stderr
    assert "model loaded: False" in done.stdout
