"""The chat of the support widget: the conversation engine, its store and its service.

`engine` applies a message to a conversation; `smalltalk` answers what is not a question
for the guides ("hello", "what can you do?"); `walks` reads a request to be taken through
a guide ("show me how") and where that walk starts; `reference` reads follow-on questions;
`followups` and `phrasing` suggest the next questions; `examples` makes the questions that
show how to ask (here and on the help center's home page) from the guides' own titles;
`conversations` and `service` keep conversations and run each message once.

A message in, replies out: answers come from `kb.search`, procedures run through
`kb.runs` (the same service as the wizard and the API). May import `kb.search`,
`kb.runs`, `kb.store` and `procedures`.
"""
