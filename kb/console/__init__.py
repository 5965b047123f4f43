"""The owner's console, core side: owners and sign-in, reports over what customers did,
charts as SVG, CSV. No Flask: `webapp.admin` renders these.

May import `kb.store`, `kb.analytics`, `kb.support`, `kb.search`, `kb.chat`, `kb.runs`.
"""
