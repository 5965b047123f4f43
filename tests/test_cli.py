"""The `kb` command line, called as `main(argv)` and, where it matters, as a real process."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kb.cli import build_parser, main
from tests.conftest import FIXTURES, ROOT, write_guide


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def base(context) -> list[str]:
    return ["--guides", str(context.settings.guides), "--data", str(context.settings.data)]


def test_search_prints_ranked_guides_with_passages(capsys, base):
    code, out, _ = run(capsys, *base, "search", "how do I add a client as a reseller")
    assert code == 0
    assert out.startswith("1. Add a managed client to your Partner account")
    assert "§ " in out


def test_search_json_follows_the_contract(capsys, base):
    code, out, _ = run(capsys, *base, "search", "--json", "--limit", "3", "remove kauth")
    data = json.loads(out)
    assert code == 0
    assert set(data) >= {"query", "confident", "results", "suggestion"}
    assert data["query"] == "remove kauth" and data["confident"] is True
    assert 1 <= len(data["results"]) <= 3
    first = data["results"][0]
    assert set(first) >= {"slug", "title", "score", "snippet", "procedure"}
    assert first["slug"] == "kauth-remove-account"
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)


def test_search_json_lines_from_stdin_as_a_real_process(context):
    queries = "remove kauth\nrecipe for fondue\n\n\xe9t\xe9 2fa\n"
    proc = subprocess.run(
        [sys.executable, "-m", "kb", "--guides", str(context.settings.guides), "--data",
         str(context.settings.data), "search", "--json", "-"],
        input=queries.encode() + b"\xff\xfe broken bytes\n", capture_output=True,
        timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [line["query"] for line in lines[:4]] == ["remove kauth", "recipe for fondue", "",
                                                    "\xe9t\xe9 2fa"]
    assert lines[0]["results"][0]["slug"] == "kauth-remove-account"
    assert lines[1]["confident"] is False
    assert lines[2]["results"] == []
    assert lines[4]["confident"] is False and "UTF-8" in lines[4]["message"]


def test_check_reports_every_problem_and_fails_once(capsys, base, guides_dir):
    assert run(capsys, *base, "check")[0] == 0
    write_guide(guides_dir, "broken", colour="red")
    (guides_dir / "empty.md").write_text("")
    code, out, err = run(capsys, *base, "check")
    assert code == 1
    lines = out.splitlines()
    assert any(line.startswith(f"{guides_dir}/broken.md:10: 'colour': unknown key")
               for line in lines)
    assert any(line.startswith(f"{guides_dir}/empty.md:1:") for line in lines)
    assert "2 problem(s) found" in err


def test_index_builds_and_reports(capsys, base, context):
    code, out, _ = run(capsys, *base, "index")
    assert code == 0
    assert out.startswith(f"indexed 10 guides from {context.settings.guides}")
    assert (context.settings.index_root / "CURRENT").is_file()


def test_import_writes_guides_and_refuses_to_overwrite(capsys, base, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("Change the language of the Manager\nThis guide explains how.\n"
                       "Change the language\n- Click on your avatar.\n- Choose a language.\n")
    missing = tmp_path / "missing.txt"
    target = tmp_path / "imported"
    code, out, err = run(capsys, *base, "import", str(article), str(missing), "--to",
                         str(target))
    assert code == 1
    assert out == f"{article} -> {target}/change-the-language-of-the-manager.md\n"
    assert f"{missing} was not imported: there is no such file." in err
    code, out, err = run(capsys, *base, "import", str(article), "--to", str(target))
    assert code == 1 and "use --force" in err and out == ""
    code, out, err = run(capsys, *base, "import", str(article), "--to", str(target),
                         "--force")
    assert code == 0 and out.endswith("change-the-language-of-the-manager.md\n")


def test_eval_prints_the_figures(capsys, base, tmp_path):
    cases = tmp_path / "cases.tsv"
    cases.write_text("query\texpected\nremove kauth\tkauth-remove-account\n"
                     "tag my products\tmanager-product-tags\nfondue recipe\t-\n")
    code, out, _ = run(capsys, *base, "eval", str(cases), "--json")
    assert code == 0
    assert json.loads(out) == {"in_scope": 2, "out_of_scope": 1, "top1": 1.0, "top3": 1.0,
                               "mrr": 1.0, "answered": 1.0, "rejected": 1.0}


def test_eval_reports_a_malformed_file(capsys, base, tmp_path):
    cases = tmp_path / "cases.tsv"
    cases.write_text("question,answer\n")
    code, _, err = run(capsys, *base, "eval", str(cases))
    assert code == 1 and f"{cases}:1: the header must be" in err


def test_every_subcommand_has_help(capsys):
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name in commands:
        with pytest.raises(SystemExit) as exit_:
            main([name, "--help"])
        assert exit_.value.code == 0
        assert f"usage: kb {name}" in capsys.readouterr().out


def test_python_dash_m_kb_works():
    proc = subprocess.run([sys.executable, "-m", "kb", "--help"], capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 0 and "usage: kb" in proc.stdout


def test_imported_help_articles_pass_kb_check(capsys, tmp_path):
    folder = tmp_path / "guides"
    articles = [*sorted((FIXTURES / "articles").iterdir()),
                *sorted((FIXTURES / "articles-wide").iterdir())]
    code, _, err = run(capsys, "import", *map(str, articles), "--to", str(folder))
    assert code == 0, err
    code, out, _ = run(capsys, "--guides", str(folder), "--data", str(tmp_path / "data"),
                       "check")
    assert code == 0 and out.strip() == f"{len(articles)} guides and their procedures OK"


def test_a_search_does_not_wait_for_the_procedure_engine_or_the_importer(tmp_path):
    """`kb search` is run one question at a time by scripts: the parser names every
    subcommand, but the engine, the HTML importer and the migrations load only for the
    commands that use them (a one-off search took 2.2 s with them, 0.8 s without)."""
    probe = ("import sys, kb.cli; kb.cli.build_parser(); "
             "print(' '.join(m for m in ('procedures.engine', 'procedures.backend', "
             "'kb.content.importer', 'bs4', 'alembic') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    assert proc.stdout.strip() == ""
