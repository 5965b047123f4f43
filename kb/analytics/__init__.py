"""What customers do: content gaps (unanswered questions) and guide views and votes.

May import `kb.store` and `kb.search.text`.
"""
