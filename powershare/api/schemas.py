"""Schemas shared by every resource: problems (errors), pages, and the few nested shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field, create_model

from powershare.forms import MAX_ID  # noqa: F401  (the API's ids stop where the database's do)


class Problem(Schema):
    """An error as RFC 9457 problem details (``application/problem+json``)."""

    type: str = Field(
        "about:blank",
        description="A URI naming the kind of problem; `about:blank` means the status says it all.",
    )
    title: str = Field(description="The status in words, e.g. `Not Found`.")
    status: int = Field(description="The HTTP status code, repeated.")
    detail: str = Field(description="What went wrong this time, in plain words.")


class FieldError(Schema):
    field: str = Field(description="The parameter or field, e.g. `body.title` or `query.page`.")
    message: str


class InvalidProblem(Problem):
    """A refused or malformed input: each parameter or field at fault, with why."""

    errors: list[FieldError] = []


# The names these schemas had before they were problem details: app routers may import them.
Error = Problem
InvalidInput = InvalidProblem


def choice(choices: Any) -> Any:
    """A field type for a Django ``TextChoices``: its values, inline in the schema (several apps
    have a ``Kind`` or ``Status``; inline enums keep them apart)."""
    return Literal[tuple(choices.values)]  # type: ignore[valid-type]


def page_of(item: type[Schema], name: str) -> Any:
    """The schema of one page of ``item``: count, page links and results."""
    return create_model(
        name,
        __base__=Schema,
        count=(int, Field(description="Records matching the filters, on every page.")),
        page=(int, ...),
        pages=(int, ...),
        next=(str | None, Field(description="URL of the next page, or null on the last.")),
        previous=(str | None, ...),
        results=(list[item], ...),  # type: ignore[valid-type]
    )


def responses(ok: Any, code: int = 200, *, write: bool = False) -> dict[int, Any]:
    """The responses an operation documents: its result and every error it can give."""
    documented: dict[int, Any] = {
        code: ok,
        401: Problem,
        404: Problem,
        422: InvalidProblem,
        429: Problem,
    }
    if write:
        documented.update({400: InvalidProblem, 403: Problem})
    return documented


class Ref(Schema):
    id: int
    name: str


class Stamped(Schema):
    created: datetime
    updated: datetime
