"""Asks and their timeline in the API. Reads start from ``support.queries`` (the visibility
rules, the staff owner's view, and high-risk organizations only for insiders, as exports do);
writes call the same actions as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from partners.models import Campaign, Organization
from powershare.api.pagination import PageParams, paginate
from powershare.api.schemas import MAX_ID, Ref, choice, page_of, responses
from powershare.visibility import Visibility, get_visible_or_404, is_member_of
from support import actions, queries, rules
from support.models import Ask, AskEvent

router = Router(tags=["asks"])

ASK_VISIBILITIES = [v.value for v in Ask.VISIBILITIES]


class CampaignRef(Schema):
    id: int
    title: str


class AskOut(Schema):
    id: int
    organization: Ref
    campaign: CampaignRef | None = Field(description="Null when you may not see the campaign.")
    kind: choice(Ask.Kind)
    title: str
    description: str
    needed_by: date | None
    status: choice(Ask.Status)
    owner: str | None = Field(description="The owner on staff; only for staff and the asker.")
    decline_reason: str
    delivered_summary: str
    delivered_links: list[str]
    files: list[str] = Field(description="Names of delivered files (download them on the page).")
    visibility: choice(Visibility)
    url: str
    created: datetime
    updated: datetime
    acknowledged_at: datetime | None
    closed_at: datetime | None


class EventOut(Schema):
    id: int
    kind: choice(AskEvent.Kind)
    at: datetime
    who: str = Field(description="A name for staff and the asker; otherwise the side acting.")
    from_status: str
    to_status: str
    comment: str


class AskFilters(PageParams):
    q: str = Field("", max_length=200)
    kind: choice(Ask.Kind) | None = None
    status: str | None = Field(
        None, pattern=r"^[a-z_]{1,20}$", description="A status, or `open` or `closed`."
    )
    organization: int | None = Field(None, ge=1, le=MAX_ID)
    campaign: int | None = Field(None, ge=1, le=MAX_ID)
    overdue: bool = False


class AskIn(Schema):
    organization: int = Field(ge=1, le=MAX_ID, description="Your organization's id.")
    kind: choice(Ask.Kind)
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=20_000)
    campaign: int | None = Field(None, ge=1, le=MAX_ID)
    needed_by: date | None = None
    visibility: choice(Visibility) = Visibility.LIAISON


class StatusIn(Schema):
    status: choice(Ask.Status)
    comment: str = Field("", max_length=20_000)
    decline_reason: str = Field("", max_length=20_000)
    summary: str = Field("", max_length=20_000, description="What was delivered.")
    links: list[str] = Field([], max_length=50, description="Web links delivered.")


class CommentIn(Schema):
    text: str = Field(min_length=1, max_length=20_000)


def absolute(request: HttpRequest | None, path: str) -> str:
    return request.build_absolute_uri(path) if request else f"{settings.SITE_URL}{path}"


def ask_out(request: HttpRequest | None, ask: Ask, *, user: Any = None) -> dict[str, Any]:
    """An ask as ``user`` (by default the caller) may see it: campaign and owner only if allowed."""
    user = user if user is not None else request.user  # type: ignore[union-attr]
    insider = queries.is_insider(user, ask)
    campaign_visible = getattr(ask, "campaign_visible", None)
    if campaign_visible is None:
        campaign_visible = queries.can_see_campaign(user, ask)
    return {
        **{f: getattr(ask, f) for f in AskOut.model_fields if hasattr(ask, f)},
        "organization": {"id": ask.organization_id, "name": ask.organization.name},
        "campaign": {"id": ask.campaign_id, "title": ask.campaign.title}
        if ask.campaign_id and campaign_visible
        else None,
        "owner": str(ask.owner) if insider and ask.owner_id else None,
        "delivered_links": [line for line in ask.delivered_links.splitlines() if line.strip()],
        "files": [f.name for f in ask.files.all()],
        "url": absolute(request, ask.get_absolute_url()),
    }


def _get_ask(request: HttpRequest, ask_id: int) -> Ask:
    return get_visible_or_404(queries.exportable_asks(request.user, {}), request.user, pk=ask_id)


def _visible(model: Any, user: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = model.objects.visible_to(user).filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: f"No {field} {pk} that you can see."})
    return found


@router.get(
    "/asks",
    response=responses(page_of(AskOut, "AskPage")),
    url_name="asks",
    summary="List asks",
)
def list_asks(request: HttpRequest, filters: Query[AskFilters]) -> Any:
    params = {
        k: v
        for k, v in {
            "q": filters.q,
            "kind": filters.kind,
            "status": filters.status,
            "organization": str(filters.organization or ""),
            "campaign": str(filters.campaign or ""),
            "overdue": "1" if filters.overdue else "",
        }.items()
        if v
    }
    asks = queries.exportable_asks(request.user, params).prefetch_related("files")
    return paginate(request, asks, filters, lambda a: ask_out(request, a))


@router.get(
    "/asks/{ask_id}",
    response=responses(AskOut),
    url_name="ask",
    summary="One ask",
)
def get_ask(request: HttpRequest, ask_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    return ask_out(request, _get_ask(request, ask_id))


@router.get(
    "/asks/{ask_id}/timeline",
    response=responses(list[EventOut]),
    url_name="ask_timeline",
    summary="An ask's timeline, oldest first",
)
def get_timeline(request: HttpRequest, ask_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    ask = _get_ask(request, ask_id)
    insider = queries.is_insider(request.user, ask)
    entries = []
    for event in queries.timeline(ask):
        actor = event.actor
        if actor is None:
            who = "Someone no longer registered"
        elif insider:
            who = actor.get_full_name()
        elif actor.is_department:
            who = "The department"
        else:
            who = ask.organization.name
        entries.append(
            {
                "id": event.pk,
                "kind": event.kind,
                "at": event.at,
                "who": who,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "comment": event.comment,
            }
        )
    return entries


@router.post(
    "/asks",
    response=responses(AskOut, 201, write=True),
    url_name="ask_create",
    summary="File an ask for your organization",
)
def create_ask(request: HttpRequest, payload: AskIn) -> Any:
    user = request.user
    organization = _visible(Organization, user, payload.organization, "organization")
    if payload.visibility not in ASK_VISIBILITIES:
        raise ValidationError({"visibility": "An ask is never private."})
    if not is_member_of(user, organization.pk):
        raise PermissionDenied
    campaign = _visible(Campaign, user, payload.campaign, "campaign")
    ask = actions.submit_ask(
        actor=user,
        organization=organization,
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        campaign=campaign,
        needed_by=payload.needed_by,
        visibility=payload.visibility,
    )
    return Status(201, ask_out(request, _get_ask(request, ask.pk)))


@router.post(
    "/asks/{ask_id}/status",
    response=responses(AskOut, write=True),
    url_name="ask_status",
    summary="Move an ask: acknowledge, start, deliver, decline (staff) or withdraw (the asker)",
)
def change_status(
    request: HttpRequest, payload: StatusIn, ask_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    ask = _get_ask(request, ask_id)
    # Permission before state: whoever is on the wrong side hears 403 whatever the status.
    if not rules.may_set_status(request.user, ask, payload.status):
        raise PermissionDenied
    actions.change_status(
        actor=request.user,
        ask=ask,
        to_status=payload.status,
        comment=payload.comment,
        decline_reason=payload.decline_reason,
        summary=payload.summary,
        links=payload.links,
    )
    return ask_out(request, _get_ask(request, ask.pk))


@router.post(
    "/asks/{ask_id}/comments",
    response=responses(EventOut, 201, write=True),
    url_name="ask_comment",
    summary="Comment on an ask's timeline",
)
def comment(
    request: HttpRequest, payload: CommentIn, ask_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    ask = _get_ask(request, ask_id)
    if not rules.can_comment(request.user, ask):
        raise PermissionDenied
    event = actions.add_comment(actor=request.user, ask=ask, text=payload.text)
    return Status(
        201,
        {
            "id": event.pk,
            "kind": event.kind,
            "at": event.at,
            "who": request.user.get_full_name(),
            "from_status": "",
            "to_status": "",
            "comment": event.comment,
        },
    )
