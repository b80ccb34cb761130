"""Pages of the support ledger (being built: list, detail, new, dashboard)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from support.models import Ask
from powershare.visibility import get_visible_or_404


def ask_list(request: HttpRequest) -> HttpResponse:
    return render(request, "support/ask_list.html", {"asks": Ask.objects.visible_to(request.user)})


def ask_new(request: HttpRequest) -> HttpResponse:
    return render(request, "support/ask_list.html", {"asks": []})


def ask_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ask = get_visible_or_404(Ask.objects.all(), request.user, pk=pk)
    return render(request, "support/ask_list.html", {"asks": [ask]})


def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "support/ask_list.html", {"asks": []})
