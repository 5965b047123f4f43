"""Fixtures that build real components in temporary folders: guides, index, database."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from kb.context import Context
from kb.settings import Settings
from tests.postgres_support import PostgresServer, binaries

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parent.parent
SEED_GUIDES = ROOT / "guides"
FIXTURES = ROOT / "tests" / "fixtures"


# The modules whose tests run twice: on the embedded SQLite file and on a real PostgreSQL.
BOTH_DATABASES = {"test_exactly_once", "test_guided", "test_conversations_api", "test_api",
                  "test_chat", "test_store", "test_migrations_postgres"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.module.__name__.rsplit(".", 1)[-1] in BOTH_DATABASES:
        metafunc.parametrize("database_backend", ["sqlite", "postgresql"], indirect=True,
                             scope="module")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the session; skipped, with the reason, without one."""
    bin_dir = binaries()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    server = PostgresServer(bin_dir).start()
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="module", autouse=True)
def database_backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """Which database the module's apps use: "sqlite" (the file in the data folder, the
    default) or "postgresql" (KB_DATABASE_URL to a fresh database of the server)."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        yield backend
        return
    server = request.getfixturevalue("postgres")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KB_DATABASE_URL", server.new_database())
        yield backend


@pytest.fixture(autouse=True)
def own_database(request: pytest.FixtureRequest, database_backend: str) -> Iterator[None]:
    """On PostgreSQL, each test's own contexts get a database of their own (as each gets
    its own data folder); apps a module shares keep the module's."""
    if database_backend == "sqlite":
        yield
        return
    server = request.getfixturevalue("postgres")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KB_DATABASE_URL", server.new_database())
        yield


@pytest.fixture
def guides_dir(tmp_path: Path) -> Path:
    """A private copy of the shipped guides, free to edit."""
    target = tmp_path / "guides"
    shutil.copytree(SEED_GUIDES, target)
    return target


@pytest.fixture
def context(tmp_path: Path, guides_dir: Path) -> Context:
    return Context(Settings(guides=guides_dir, data=tmp_path / "data"))


def with_articles(root: Path, *folders: str, shipped: bool = True) -> Context:
    """A help center of the shipped guides (unless not `shipped`) and the real articles
    of these fixture folders, imported with `kb import`'s code (as bench/quality.py
    builds its own)."""
    from kb.content.importer import import_articles

    if shipped:
        shutil.copytree(SEED_GUIDES, root / "guides")
    else:
        (root / "guides").mkdir(parents=True)
    articles = [path for folder in folders for path in sorted((FIXTURES / folder).iterdir())]
    _, failed = import_articles(articles, root / "guides")
    assert failed == []
    return Context(Settings(guides=root / "guides", data=root / "data"))


@pytest.fixture(scope="session")
def wide_context(tmp_path_factory) -> Context:
    """The wide help center (48 guides: shipped, articles, articles-wide), built once for
    the tests that only search it."""
    return with_articles(tmp_path_factory.mktemp("wide"), "articles", "articles-wide")


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


def guides_of(root: Path, *guides: tuple[str, ...]) -> Path:
    """A folder `root/guides` of just these guides, each (slug, title, body) or
    (slug, title, body, summary); tests that build their own app start from it."""
    folder = root / "guides"
    folder.mkdir()
    for slug, title, body, *summary in guides:
        meta = {"summary": summary[0]} if summary else {}
        write_guide(folder, slug, body=body, title=title, **meta)
    return folder


def help_center_of(root: Path, *guides: tuple[str, ...]) -> Context:
    """A help center of just these guides (see `guides_of`), its data beside them."""
    return Context(Settings(guides=guides_of(root, *guides), data=root / "data"))


def chat_replies_of(root: Path, *guides: tuple[str, ...]
                    ) -> Callable[[str], list[dict[str, Any]]]:
    """A conversation with the chat of a help center of just these guides, through the
    conversation API as the widget asks it: send a message, get its replies."""
    from webapp import create_app

    settings = Settings(guides=guides_of(root, *guides), data=root / "data",
                        secret_key="test", allowed_origins=["https://shop.example"])
    client = create_app(settings, testing=True).test_client()
    conv = client.post("/api/v1/conversations").get_json()

    def replies(text: str) -> list[dict[str, Any]]:
        response = client.post(f"/api/v1/conversations/{conv['id']}/messages",
                               json={"text": text},
                               headers={"Authorization": f"Bearer {conv['token']}"})
        found: list[dict[str, Any]] = response.get_json()["replies"]
        return found

    return replies


def chat_of(root: Path, *guides: tuple[str, ...]) -> Callable[[str], dict[str, Any]]:
    """As `chat_replies_of`, giving the first reply of each message."""
    replies = chat_replies_of(root, *guides)
    return lambda text: replies(text)[0]


def first_passage(context: Context, question: str) -> str:
    """The passage of the best guide for a question: the answer text a customer reads."""
    return context.search.search(question).results[0].passage


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright; the test is skipped, with the reason, on a
    machine where it is not installed (CI installs it, so CI runs every browser test)."""
    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# -- the web app on a copy of the shipped guides (pages, wizard) ---------------------------

@pytest.fixture
def site(tmp_path: Path) -> Any:
    from tests.browser_support import make_site

    return make_site(tmp_path)


@pytest.fixture
def app(site: Any) -> Any:
    from tests.browser_support import build_app

    return build_app(site)


@pytest.fixture
def web(app: Any) -> Any:
    """A test client that submits forms with their CSRF token, as a browser would."""
    from tests.browser_support import FormClient

    return FormClient(app.test_client())
