"""The JSON API's shapes as pydantic models: what it accepts (`requests`) and what it
answers (`responses`). The views validate and build their JSON through them, and
`webapp.openapi` documents the API from them, so neither can drift from the other."""
