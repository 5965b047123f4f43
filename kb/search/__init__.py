"""Search: the Whoosh index, the query pipeline, snippets, synonyms and relevance figures.

`index` (building) and `index_reader` (querying) are the only modules that import Whoosh;
`service` turns a question into ranked guides with quoted passages, through `analysis`
(the question's concepts), `ranking` (coverage re-ranking), `confidence` and `answers`;
`responses` holds what it answers and `live` keeps it on the current build. May import
`kb.content`, `kb.store` and `procedures.source`; never `kb.chat`, `kb.runs` or anything
web.
"""
