"""The home page: what each role needs first; the page for a request that cannot be read."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from partners.models import Campaign, Organization, Partnership
from support.models import Ask


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, object] = {
        "campaigns": Campaign.objects.visible_to(user)
        .exclude(status__in=[Campaign.Status.ENDED, Campaign.Status.LOST])
        .select_related("organization")[:8],
    }
    if user.is_authenticated and user.is_department:
        asks = Ask.objects.visible_to(user).open().select_related("organization", "owner")
        # New asks first, newest on top: the due-date list below would bury one due late.
        new = asks.filter(status=Ask.Status.NEW)
        context["new_asks"] = new.order_by("-created")[:10]
        context["new_count"] = new.count()
        context["open_asks"] = asks.exclude(status=Ask.Status.NEW).order_by("needed_by")[:10]
        context["my_asks"] = asks.filter(owner=user)[:10]
        context["overdue_count"] = asks.overdue().count()
        context["partnerships"] = (
            Partnership.objects.visible_to(user)
            .filter(liaisons=user)
            .select_related("cpbo", "unit")[:10]
        )
    elif user.is_authenticated and user.is_partner:
        context["my_organizations"] = Organization.objects.filter(pk__in=user.organization_ids)
        context["my_campaigns"] = Campaign.objects.filter(organization__in=user.organization_ids)
        context["my_asks"] = (
            Ask.objects.filter(organization__in=user.organization_ids)
            .select_related("campaign")
            .order_by("-created")[:10]
        )
    else:
        context["organizations"] = Organization.objects.visible_to(user).filter(
            kind=Organization.Kind.CPBO
        )[:12]
    return render(request, "powershare/home.html", context)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A 400 in the site's layout, naming each parameter that could not be read (see
    powershare/filters.py); other bad requests get the general message."""
    errors = getattr(exception, "errors", {})
    return render(request, "400.html", {"errors": errors}, status=400)
