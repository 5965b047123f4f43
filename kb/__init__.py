"""Help-center knowledge base: guides, Markdown passages, search, answers and the `kb` CLI.

The core never imports Flask: the web app (`webapp/`) depends on this package, not the
other way round.
"""

__version__ = "0.1.0"
