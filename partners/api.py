"""Organizations and campaigns in the API: the same reads as the pages and exports.

Lists and details start from ``partners.queries.exportable_*``: the visibility rules, and
high-risk organizations (and their campaigns) only for their own members, since whatever the
API returns can be copied in bulk, like an export.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from partners import queries
from partners.models import Campaign, IssueArea, Organization
from partners.rules import CONTACT_FIELDS, contact_value
from powershare.api.pagination import PageParams, paginate
from powershare.api.schemas import MAX_ID, Ref, choice, page_of, responses
from powershare.visibility import Visibility, get_visible_or_404

router = Router(tags=["organizations and campaigns"])


class OrganizationOut(Schema):
    id: int
    name: str
    kind: choice(Organization.Kind)
    mission: str
    issue_areas: list[str]
    geographies: str
    constituencies: str
    languages: str
    base_size: int | None
    website: str
    contact_email: str
    contact_phone: str
    visibility: choice(Visibility)
    url: str = Field(description="The organization's page.")
    created: datetime
    updated: datetime


class MilestoneOut(Schema):
    date: date
    kind: str
    title: str
    description: str


class CampaignOut(Schema):
    id: int
    organization: Ref
    title: str
    issue_area: choice(IssueArea)
    goal: str
    demands: str
    geography: str
    status: choice(Campaign.Status)
    start: date | None
    end: date | None
    visibility: choice(Visibility)
    milestones: list[MilestoneOut]
    url: str
    created: datetime
    updated: datetime


class OrganizationFilters(PageParams):
    q: str = Field("", max_length=200, description="Text in the name, mission or geographies.")
    kind: choice(Organization.Kind) | None = None
    issue_area: choice(IssueArea) | None = None


class CampaignFilters(PageParams):
    q: str = Field("", max_length=200, description="Text in the title, goal, demands, geography.")
    status: choice(Campaign.Status) | None = None
    issue_area: choice(IssueArea) | None = None
    organization: int | None = Field(None, ge=1, le=MAX_ID)


def _params(filters: Schema, *names: str) -> dict[str, Any]:
    values = {name: getattr(filters, name) for name in names}
    return {k: v for k, v in values.items() if v not in (None, "")}


def organization_out(request: HttpRequest, org: Organization) -> dict[str, Any]:
    data = {f: getattr(org, f) for f in OrganizationOut.model_fields if hasattr(org, f)}
    for field in CONTACT_FIELDS["organization"]:
        data[field] = contact_value(request.user, org, field)
    data["url"] = request.build_absolute_uri(org.get_absolute_url())
    return data


def campaign_out(request: HttpRequest, campaign: Campaign) -> dict[str, Any]:
    data = {f: getattr(campaign, f) for f in CampaignOut.model_fields if hasattr(campaign, f)}
    data["organization"] = {"id": campaign.organization_id, "name": campaign.organization.name}
    data["milestones"] = list(campaign.milestones.all())
    data["url"] = request.build_absolute_uri(campaign.get_absolute_url())
    return data


@router.get(
    "/organizations",
    response=responses(page_of(OrganizationOut, "OrganizationPage")),
    url_name="organizations",
    summary="List organizations",
)
def list_organizations(request: HttpRequest, filters: Query[OrganizationFilters]) -> Any:
    params = _params(filters, "q", "kind", "issue_area")
    organizations = queries.exportable_organizations(request.user, params)
    return paginate(request, organizations, filters, lambda o: organization_out(request, o))


@router.get(
    "/organizations/{int:organization_id}",
    response=responses(OrganizationOut),
    url_name="organization",
    summary="One organization",
)
def get_organization(
    request: HttpRequest, organization_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    org = get_visible_or_404(
        queries.exportable_organizations(request.user, {}), request.user, pk=organization_id
    )
    return organization_out(request, org)


@router.get(
    "/campaigns",
    response=responses(page_of(CampaignOut, "CampaignPage")),
    url_name="campaigns",
    summary="List campaigns",
)
def list_campaigns(request: HttpRequest, filters: Query[CampaignFilters]) -> Any:
    params = _params(filters, "q", "status", "issue_area", "organization")
    campaigns = queries.exportable_campaigns(request.user, params).prefetch_related("milestones")
    return paginate(request, campaigns, filters, lambda c: campaign_out(request, c))


@router.get(
    "/campaigns/{int:campaign_id}",
    response=responses(CampaignOut),
    url_name="campaign",
    summary="One campaign, with its milestones",
)
def get_campaign(request: HttpRequest, campaign_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    campaign = get_visible_or_404(
        queries.exportable_campaigns(request.user, {}), request.user, pk=campaign_id
    )
    return campaign_out(request, campaign)
