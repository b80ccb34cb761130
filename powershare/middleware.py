"""Request clean-up that every page and API endpoint needs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict


class StripNullCharactersMiddleware:
    """Drop NUL characters from query-string parameters.

    A NUL is never meaningful in a search or filter, and PostgreSQL refuses it in any text
    comparison (a server error on every list that searches). Forms already refuse NULs in
    posted fields with a message; query strings have no form to speak for them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.GET.urlencode().replace("%00", "\x00"):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
