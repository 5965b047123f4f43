"""The core type-checks: mypy in strict mode over kb/ and procedures/ finds nothing."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_mypy_strict_finds_nothing_in_the_core():
    # The files and the strictness are configured in pyproject.toml ([tool.mypy]).
    proc = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental"],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
