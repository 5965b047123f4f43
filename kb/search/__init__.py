"""Search: the Whoosh index, the query pipeline, snippets, synonyms and relevance figures.

`index` is the only module that imports Whoosh; `service` turns a question into ranked
guides with quoted passages. May import `kb.content`, `kb.store` and `procedures.source`;
never `kb.chat`, `kb.runs` or anything web.
"""
