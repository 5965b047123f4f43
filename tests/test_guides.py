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
    # ... and `kb check` says so, at the line, so that the author writes Markdown; code
    # and placeholders in angle brackets are not HTML.
    found = problems_of(tmp_path)
    assert [p for p in found if "raw HTML" in p] == [
        f"{tmp_path}/html.md:14: raw HTML <script> is shown as written, not rendered: write "
        "it in Markdown (`kb import` converts it)",
        f"{tmp_path}/html.md:16: raw HTML <b> is shown as written, not rendered: write it "
        "in Markdown (`kb import` converts it)"]
    write_guide(tmp_path, "html", body="Type `<br>` or enter <your domain>.\n\n"
                                       "```\n<div>code</div>\n```\n")
    assert not [p for p in problems_of(tmp_path) if "raw HTML" in p]


def test_links_between_guides_point_to_guide_pages():
    guide = guides.load(SEED_GUIDES).get("kauth-regain-access")
    assert 'href="/guides/kauth-remove-account"' in guide.html()


# -- guides in sub-folders, one per category ------------------------------------------------

def folder_guide(folder: Path, slug: str, body: str = "Some text.\n", **meta) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_guide(folder, slug, body, **meta)


def test_guides_in_category_folders_load_with_the_folders_category(tmp_path):
    folder_guide(tmp_path, "top")
    folder_guide(tmp_path / "billing-and-payments", "pay-by-card", category=None)
    folder_guide(tmp_path / "billing-and-payments" / "refunds", "ask-for-a-refund",
                 category=None)
    folder_guide(tmp_path / "kdrive", "share-a-folder", category=None)
    (tmp_path / "kdrive" / "_category.yaml").write_text("name: kDrive & kSuite\n")
    folder_guide(tmp_path / "kdrive", "own-category", category="Storage")
    folder_guide(tmp_path / ".git", "not-a-guide")
    folder_guide(tmp_path / "_drafts", "unfinished")
    (tmp_path / "kdrive" / "_index.md").write_text("---\ntitle: kDrive\n---\n")
    kb = guides.load(tmp_path)
    assert kb.problems == []
    categories = {g.slug: g.meta.category for g in kb}
    assert categories == {"top": "Testing", "pay-by-card": "Billing and payments",
                          "ask-for-a-refund": "Refunds", "share-a-folder": "kDrive & kSuite",
                          "own-category": "Storage"}


def test_a_guide_at_the_top_must_still_name_its_category(tmp_path):
    path = write_guide(tmp_path, "loose", category=None)
    assert problems_of(tmp_path) == [f"{path}:1: 'category': missing required key"]


def test_kb_check_reports_a_slug_used_in_two_folders_with_both_paths(tmp_path, capsys):
    from kb.cli import main

    first = folder_guide(tmp_path / "guides" / "email", "reset-password")
    second = folder_guide(tmp_path / "guides" / "web", "reset-password")
    (tmp_path / "guides" / "web" / "_category.yaml").write_text("name: [unclosed\n")
    code = main(["--guides", str(tmp_path / "guides"), "--data", str(tmp_path / "data"),
                 "check"])
    out, _ = capsys.readouterr()
    assert code == 1
    assert f"{second}:3: duplicate slug 'reset-password', already used by {first}" in out
    assert f"{tmp_path}/guides/web/_category.yaml:2: invalid YAML" in out


def test_the_catalog_notices_changes_inside_sub_folders(tmp_path):
    from kb.content.catalog import Catalog

    catalog = Catalog(tmp_path, refresh_seconds=0)
    folder_guide(tmp_path / "mail", "create-alias", category=None)
    assert catalog.find("create-alias").meta.category == "Mail"
    (tmp_path / "mail" / "_category.yaml").write_text("name: Email & Calendar\n")
    assert catalog.find("create-alias").meta.category == "Email & Calendar"
    folder_guide(tmp_path / "mail" / "archive", "old-webmail")
    assert catalog.find("old-webmail") is not None
    (tmp_path / "mail" / "create-alias.md").rename(tmp_path / "create-alias.md")
    # Moved to the top, where no folder gives it a category: noticed, and reported.
    assert catalog.find("create-alias") is None
    assert [str(p) for p in catalog.knowledge_base().problems] == [
        f"{tmp_path}/create-alias.md:1: 'category': missing required key"]


def test_a_guide_in_a_sub_folder_is_searchable_and_has_its_procedure(context, guides_dir):
    from procedures.library import Library

    moved = guides_dir / "security" / "account-secure-after-hack.md"
    moved.parent.mkdir()
    (guides_dir / "account-secure-after-hack.md").rename(moved)
    folder_guide(guides_dir / "network", "zebra-router",
                 body="## Reset the zebra router\n\n1. Hold the reset button.\n",
                 title="Reset the zebra router", category=None)
    assert context.search.search("reset zebra router").results[0].slug == "zebra-router"
    assert context.search.search("someone hacked my account").results[0].slug == \
        "account-secure-after-hack"
    library = Library(guides_dir)
    assert "account-secure-after-hack" in library.slugs()
    assert library.get("zebra-router").steps
    assert library.problems() == []


def test_the_search_index_notices_changes_inside_sub_folders(context, guides_dir):
    from kb.search.live import SearchService

    service = SearchService(context.settings, refresh_seconds=0)
    assert not service.search("zebra crossing").confident
    folder_guide(guides_dir / "road-safety", "zebra", body="## Zebra crossing\n\nHow to cross "
                 "at a zebra.\n", title="Zebra crossing rules", category=None)
    first = service.search("zebra crossing").results[0]
    assert (first.slug, first.category) == ("zebra", "Road safety")
    (guides_dir / "road-safety" / "_category.yaml").write_text("name: Road Safety & Traffic\n")
    assert service.search("zebra crossing").results[0].category == "Road Safety & Traffic"
    (guides_dir / "road-safety" / "zebra.md").unlink()
    assert all(r.slug != "zebra" for r in service.search("zebra crossing").results)
