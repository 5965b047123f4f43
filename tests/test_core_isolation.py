"""The core packages never import Flask (checked in a fresh interpreter)."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT


def test_core_does_not_load_flask():
    code = ("import sys, kb, kb.cli, kb.search.service, kb.context, kb.content.importer, "
            "procedures; "
            "from kb.cli import build_parser; build_parser(); "
            "assert 'flask' not in sys.modules, sorted(m for m in sys.modules if 'flask' in m)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr


def test_whoosh_stays_behind_the_index_modules():
    imports = re.compile(r"(?m)^\s*(?:from|import)\s+whoosh\b")
    # The product's packages; bench/ uses raw Whoosh on purpose, as the baseline.
    sources = [p for package in ("kb", "procedures", "webapp")
               for p in (ROOT / package).rglob("*.py")]
    offenders = sorted(str(path.relative_to(ROOT)) for path in sources
                       if imports.search(path.read_text()))
    # Building the index, and querying an open build.
    assert offenders == ["kb/search/index.py", "kb/search/index_reader.py"]
