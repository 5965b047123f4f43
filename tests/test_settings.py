"""Settings are read once, from `KB_*` variables, and every part uses the same values:
the web app's chat acts for `KB_DEFAULT_ACCOUNT`, procedures are merged with the overlays
of `KB_OVERLAYS`, and the command line's options win over the environment."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb.cli import main
from kb.context import Context
from kb.settings import SHIPPED_OVERLAYS, Settings
from tests.conftest import SEED_GUIDES
from webapp import create_app


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """A clean environment naming private guides and data folders."""
    for name in Settings.model_fields:
        monkeypatch.delenv(f"KB_{name.upper()}", raising=False)
    guides = tmp_path / "guides"
    shutil.copytree(SEED_GUIDES, guides)
    monkeypatch.setenv("KB_GUIDES", str(guides))
    monkeypatch.setenv("KB_DATA", str(tmp_path / "data"))
    return monkeypatch


def test_values_come_from_kb_variables(env, tmp_path):
    env.setenv("KB_ALLOWED_ORIGINS", "https://a.example/, https://b.example")
    env.setenv("KB_MAX_REQUEST_BYTES", "2048")
    env.setenv("KB_SITE_NAME", "")  # empty counts as unset
    settings = Settings()
    assert settings.guides == tmp_path / "guides"
    assert settings.allowed_origins == ["https://a.example", "https://b.example"]
    assert settings.max_request_bytes == 2048
    assert settings.site_name == "Help Center"
    assert settings.overlays == SHIPPED_OVERLAYS
    assert settings.database == tmp_path / "data" / "kb.sqlite3"


def test_a_wrong_value_or_an_unknown_field_fails_loudly(env):
    env.setenv("KB_MAX_REQUEST_BYTES", "a lot")
    with pytest.raises(ValueError, match="max_request_bytes"):
        Settings()
    env.delenv("KB_MAX_REQUEST_BYTES")
    with pytest.raises(ValueError, match="guide"):
        Settings(guide="typo")


def test_the_default_account_is_the_one_the_chat_acts_as(env):
    env.setenv("KB_DEFAULT_ACCOUNT", "collaborator")
    client = create_app(testing=True).test_client()
    created = client.post("/api/v1/conversations").get_json()
    history = client.get(f"/api/v1/conversations/{created['id']}/messages",
                         headers={"Authorization": f"Bearer {created['token']}"})
    assert history.get_json()["account"] == "collaborator"


def test_the_overlays_folder_is_configurable(env, tmp_path):
    def kinds(context: Context) -> set[str]:
        return {step.kind for step in context.library.get("kauth-remove-account").steps}

    shipped = kinds(Context(Settings()))
    assert {"action", "check"} <= shipped
    env.setenv("KB_OVERLAYS", str(tmp_path / "no-overlays"))
    # Without its overlay the guide compiles to a walk-through: nothing is done for you.
    assert not {"action", "check"} & kinds(Context(Settings()))

    client = create_app(testing=True).test_client()
    steps = client.get("/api/v1/procedures/kauth-remove-account").get_json()["steps"]
    assert not {"action", "check"} & {step["kind"] for step in steps}


def test_the_command_line_reads_the_overlays_folder(env, tmp_path, capsys):
    overlays = tmp_path / "overlays"
    overlays.mkdir()
    broken = overlays / "kauth-remove-account.yaml"
    broken.write_text("procedure: kauth-remove-account\nsteps: [{id: x}]\n", encoding="utf-8")
    env.setenv("KB_OVERLAYS", str(overlays))
    assert main(["check"]) == 1
    assert str(broken) in capsys.readouterr().out


def test_command_line_options_win_over_the_environment(env, tmp_path, capsys):
    env.setenv("KB_GUIDES", str(tmp_path / "nowhere"))
    assert main(["--guides", str(SEED_GUIDES), "search", "remove kauth", "--json"]) == 0
    assert '"slug": "kauth-remove-account"' in capsys.readouterr().out
