"""Content: guide files, their front matter and Markdown, the cached catalogue, imports.

Turns the guides folder into `Guide` objects (collecting every problem as `file:line:
message`) and brings help articles from elsewhere in as guides. May import
`procedures.source` (the guide format shared with the compiler); nothing else of `kb`.
"""
