"""The guide source format, shared by the procedure compiler and the knowledge base.

Front matter, the Markdown parser configured as the product renders it, and problems
located as `file:line`. The lowest layer: imports nothing from `procedures` or `kb`, so
`kb.content` and `procedures.compiler` read guides the same way.
"""
