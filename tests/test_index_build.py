"""Building the index of a large help center: guides read by worker processes give the
same answers and the same problem reports as a build in one process, and a failed build
leaves the previous one serving."""

from __future__ import annotations

import shutil

import pytest

from bench.corpus import write_corpus
from kb.content import guides as guides_mod
from kb.search import index, indexing
from kb.search.evaluation import read_cases
from kb.search.index_reader import IndexReader
from kb.search.service import Searcher
from kb.search.synonyms import Synonyms
from tests.conftest import FIXTURES, SEED_GUIDES, write_guide


@pytest.fixture(scope="module")
def synonyms() -> Synonyms:
    return Synonyms.load(index.stems)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The shipped guides among synthetic ones, as a large help center mixes topics."""
    folder = write_corpus(SEED_GUIDES, tmp_path_factory.mktemp("corpus") / "guides", 40)
    for guide in SEED_GUIDES.glob("*.md"):
        shutil.copy(guide, folder)
    return folder


def answers(build, synonyms, queries):
    searcher = Searcher(IndexReader(build), synonyms)
    try:
        return [searcher.search(q).model_dump(mode="json") for q in queries]
    finally:
        searcher.reader.close()


def test_guides_read_by_workers_give_the_same_answers(tmp_path, corpus, synonyms):
    queries = [c.query for c in read_cases(FIXTURES / "eval" / "questions.tsv")][::3]
    here, _ = indexing.rebuild(tmp_path / "here", corpus, synonyms, lambda g: None, workers=0)
    spread, report = indexing.rebuild(tmp_path / "spread", corpus, synonyms, lambda g: None,
                                      workers=2)
    assert len(report) == 50 and not report.problems
    expected = answers(here, synonyms, queries)
    assert answers(spread, synonyms, queries) == expected
    # The answers are real ones: the shipped guides still win their questions.
    assert expected[0]["results"] and any(r["confident"] for r in expected)


@pytest.mark.parametrize("workers", [0, 2])
def test_a_build_reports_the_problems_kb_check_reports(tmp_path, guides_dir, synonyms,
                                                       workers):
    write_guide(guides_dir, "broken", title="[unclosed")
    write_guide(guides_dir, "linked", body="See [the tags](manager-product-tags.md#nowhere) "
                                           "and [a ghost](ghost.md).\n")
    # A guide in a category folder, naming no category: it takes the folder's.
    (guides_dir / "domain-names").mkdir()
    write_guide(guides_dir / "domain-names", "transfer-a-domain", category=None,
                body="## Transfer\n\nMove a domain name to another registrar.\n")
    duplicate = guides_dir / "copy.md"
    duplicate.write_text((guides_dir / "manager-product-tags.md").read_text())
    build, report = indexing.rebuild(tmp_path / "index", guides_dir, synonyms,
                                     lambda g: None, workers=workers)
    expected = guides_mod.load(guides_dir)
    assert [str(p) for p in report.problems] == [str(p) for p in expected.problems]
    assert len(report) == len(expected) == 12
    text = "\n".join(str(p) for p in report.problems)
    for expected_problem in ("broken.md:", "broken link to 'ghost.md': no such guide",
                             "'manager-product-tags.md#nowhere': no such section",
                             "duplicate slug 'manager-product-tags'"):
        assert expected_problem in text
    # The guides that load are searchable; the broken one is left out.
    found = answers(build, synonyms, ["linked guide", "product tags", "transfer domain"])
    assert found[0]["results"][0]["slug"] == "linked"
    assert found[1]["results"][0]["slug"] == "manager-product-tags"
    assert found[2]["results"][0]["category"] == "Domain names"


def test_a_failed_build_leaves_the_previous_one_serving(tmp_path, guides_dir, synonyms):
    root = tmp_path / "index"
    first, _ = indexing.rebuild(root, guides_dir, synonyms, lambda g: None)
    write_guide(guides_dir, "zebra", body="## Zebra crossing\n\nHow to cross.\n")

    def fails(guide):
        if guide.slug == "zebra":
            raise RuntimeError("the procedure library is unavailable")
        return None

    with pytest.raises(RuntimeError):
        indexing.rebuild(root, guides_dir, synonyms, fails)
    assert index.current_build(root) == first
    assert [p.name for p in root.glob("build-*")] == [first.name]
    top = answers(first, synonyms, ["remove kauth"])[0]["results"][0]["slug"]
    assert top == "kauth-remove-account"
