"""The chat of the support widget: the conversation engine, its store and its service.

A message in, replies out: answers come from `kb.search`, procedures run through
`kb.runs` (the same service as the wizard and the API). May import `kb.search`,
`kb.runs`, `kb.store` and `procedures`.
"""
