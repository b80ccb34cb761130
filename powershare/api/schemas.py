"""Schemas shared by every resource: errors, pages, and the few nested shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field, create_model

from powershare.forms import MAX_ID  # noqa: F401  (the API's ids stop where the database's do)


class Error(Schema):
    detail: str = Field(description="What went wrong, in plain words.")


class FieldError(Schema):
    field: str = Field(description="The parameter or field, e.g. `body.title` or `query.page`.")
    message: str


class InvalidInput(Schema):
    detail: str
    errors: list[FieldError] = []


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
    documented: dict[int, Any] = {code: ok, 401: Error, 404: Error, 422: InvalidInput, 429: Error}
    if write:
        documented.update({400: InvalidInput, 403: Error})
    return documented


class Ref(Schema):
    id: int
    name: str


class Stamped(Schema):
    created: datetime
    updated: datetime
