"""What a search answers: the models of `kb search --json` and of the search API.

Serialised with `model_dump(mode="json")`; the API's schema is generated from them
(`webapp.apischema`). Fields excluded from the dump are for callers in the core only.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from kb.search.answers import Answer
from kb.search.snippets import SnippetBlock


class Result(BaseModel):
    """One ranked guide. Serialized (`model_dump`) it is a result of `kb search --json`
    and of the API; `coverage` and `passage` are for the callers in the core only."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    slug: str
    title: str
    score: float
    snippet: str = Field(description="The passage that answers best, as HTML: the guide's "
                                     "text escaped, the matched words in `<mark>`.")
    procedure: str | None = Field(description="The procedure compiled from the guide, or "
                                              "null when there is none or it has nothing "
                                              "to go through (a guide of facts alone).")
    section: str
    anchor: str
    category: str
    coverage: float = Field(exclude=True)
    passage: str = Field(default="", exclude=True)
    answer: Answer | None = Field(default=None, exclude=True)
    blocks: list[SnippetBlock] = Field(default=[], exclude=True)
    """The snippet in the answer's own lines (steps as a numbered list), for the search
    page; empty when the snippet is not an answer."""

    @field_serializer("score")
    def _rounded(self, score: float) -> float:
        return round(score, 4)


class SearchResponse(BaseModel):
    """The answer to one query: the contract of `kb search --json` and the API, produced
    by `model_dump(mode="json")`."""

    model_config = ConfigDict(frozen=True, extra="forbid",
                              json_schema_serialization_defaults_required=True)

    query: str = Field(description="The question as understood (cleaned, cut).")
    confident: bool = Field(description="False when no result answers the question.")
    likely: bool = Field(default=False, description=(
        "When not confident: whether the first results come close to answering, so that "
        "they are worth offering as a choice (never as the answer). False when confident."))
    results: list[Result]
    suggestion: str | None = Field(description="A corrected question, when words were "
                                               "misspelt.")
    total: int = 0
    vague: bool = Field(default=False, exclude_if=lambda value: not value, description=(
        "The question names nothing a guide could be about (\"it doesn't work\", \"still "
        "waiting\") or a task without what it is done to (\"i want to cancel\"): worth "
        "asking what it is about. Absent otherwise."))
    message: str | None = Field(default=None, exclude_if=lambda value: not value,
                                description="Why the answer is empty or the query was "
                                            "changed; absent otherwise.")

    @property
    def choice(self) -> bool:
        """A task several guides do ("i want to cancel"): they are offered as a choice,
        none is the answer, and the question is no gap in the guides."""
        return self.vague and self.likely
