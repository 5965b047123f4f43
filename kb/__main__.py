"""Allow `python -m kb`, identical to the `kb` console script."""

import sys

from kb.cli import main

sys.exit(main())
