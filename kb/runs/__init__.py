"""Procedure runs: their store (compare-and-set on a revision) and the guided service.

The one way to run a procedure, shared by the wizard, the API, the chat and `kb run`.
May import `kb.store` and `procedures`.
"""
