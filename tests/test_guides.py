"""Loading and checking guides: every problem reported as file:line, the rest still loads."""

from __future__ import annotations

from pathlib import Path

from kb.content import guides
from tests.conftest import SEED_GUIDES, write_guide

CONTRACT_SLUGS = {
    "partner-add-managed-client", "partner-discount-cashback", "profile-edit-name-avatar",
    "prepaid-account-interrupted-order", "kauth-remove-account", "account-secure-after-hack",
    "billing-renewal-reminder-emails", "manager-product-tags", "kauth-regain-access",
    "payment-vs-ownership",
}


def test_the_shipped_guides_load_without_problems_under_the_contract_slugs():
    kb = guides.load(SEED_GUIDES)
    assert kb.problems == []
    assert set(kb.guides) == CONTRACT_SLUGS
    for guide in kb:
        assert guide.meta.language == "en"
        assert guide.meta.summary and guide.meta.tags and guide.meta.products


def problems_of(folder: Path) -> list[str]:
    return [str(p) for p in guides.load(folder).problems]


def test_unknown_front_matter_key_is_reported_at_its_line(tmp_path):
    write_guide(tmp_path, "good")
    path = write_guide(tmp_path, "typo", tittle="Oops")
    kb = guides.load(tmp_path)
    line = path.read_text().splitlines().index("tittle: Oops") + 1
    assert [str(p) for p in kb.problems] == [
        f"{path}:{line}: 'tittle': unknown key (allowed: title, slug, category, summary, "
        "tags, products, language, updated)"]
    assert set(kb.guides) == {"good"}, "the valid guide still loads"


def test_every_problem_of_every_file_is_reported(tmp_path):
    write_guide(tmp_path, "no-title", title=None)
    write_guide(tmp_path, "bad-date", updated="yesterday")
    (tmp_path / "no-front-matter.md").write_text("# Just a title\n")
    (tmp_path / "broken-yaml.md").write_text("---\ntitle: [unclosed\nslug: x\n---\nbody\n")
    found = problems_of(tmp_path)
    assert any(p.startswith(f"{tmp_path}/no-title.md:1: 'title': missing") for p in found)
    assert any("bad-date.md:9: 'updated'" in p for p in found)
    assert f"{tmp_path}/no-front-matter.md:1: the file must start with '---' and YAML front " \
           "matter" in found
    assert any(p.startswith(f"{tmp_path}/broken-yaml.md:") and "invalid YAML" in p
               for p in found)


def test_duplicate_slugs_empty_guides_and_broken_links_are_errors(tmp_path):
    write_guide(tmp_path, "first", body="See [the other](missing-guide.md).\n")
    write_guide(tmp_path, "second", body="")
    copy = tmp_path / "copy-of-first.md"
    copy.write_text((tmp_path / "first.md").read_text())
    found = problems_of(tmp_path)
    assert any("first.md:12:" in p and "broken link to 'missing-guide.md'" in p for p in found)
    assert any("second.md:" in p and "no content" in p for p in found)
    assert any(p.endswith(".md:3: duplicate slug 'first', already used by "
                          f"{tmp_path}/copy-of-first.md") for p in found)


def test_binary_and_non_utf8_files_are_reported_not_fatal(tmp_path):
    (tmp_path / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "latin1.md").write_bytes("---\ntitle: caf\xe9\n---\n".encode("latin-1"))
    write_guide(tmp_path, "fine")
    kb = guides.load(tmp_path)
    messages = [str(p) for p in kb.problems]
    assert any("binary.md:1:" in m for m in messages)
    assert any("latin1.md:1: the file is not UTF-8" in m for m in messages)
    assert list(kb.guides) == ["fine"]


def test_sections_become_passages_with_anchors_and_lines():
    guide = guides.load(SEED_GUIDES).get("partner-add-managed-client")
    passages = {p.anchor: p for p in guide.passages}
    assert "prerequisites" in passages
    alt = passages["as-a-collaborator-of-the-partner-organization"]
    assert alt.level == 3
    assert "Clients tab" in alt.text
    source_line = guide.path.read_text().splitlines()[alt.line - 1]
    assert source_line.startswith("### ... as a collaborator")


def test_raw_html_in_a_guide_is_shown_as_text(tmp_path):
    write_guide(tmp_path, "html", body="## Steps\n\n<script>alert(1)</script>\n\n"
                                       "1. Click <b>here</b>\n")
    html = guides.load(tmp_path).get("html").html()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html
    assert '<h2 id="steps">Steps</h2>' in html


def test_links_between_guides_point_to_guide_pages():
    guide = guides.load(SEED_GUIDES).get("kauth-regain-access")
    assert 'href="/guides/kauth-remove-account"' in guide.html()
