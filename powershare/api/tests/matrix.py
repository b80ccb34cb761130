"""API rows of the visibility matrix: every endpoint × every role × records of every visibility,
called with a personal access token (``auth="token"``). Lists are checked for the record itself:
a role that may not read it must not find it listed. Runs in powershare/tests/test_matrix.py."""

from __future__ import annotations

from typing import Any

from accounts.actions import create_api_token
from powershare.api.models import Webhook
from powershare.matrix import READERS, ROLES, SIGNED_IN, STAFF, Row, everyone, page, signed_in_only
from powershare.testing import Cast, make_ask, make_campaign


def _api_by_visibility(
    name: str, kind: str, *, method: str = "get", answer: str = "", data: Any = None
) -> list[Row]:
    rows = []
    for visibility, readers in READERS.items():
        if kind == "ask" and visibility == "private":
            continue
        if answer == "staff":
            expected = page(readers & STAFF, denied=readers - STAFF - {"public"})
        elif answer == "sides":
            sides = readers & (STAFF | {"partner_a"})
            expected = page(sides, denied=readers - sides - {"public"})
        else:
            expected = page(readers, public="hidden")
        rows.append(
            Row(
                name,
                lambda c, r, k=kind, v=visibility: [r[f"api_{k}"][v].pk],
                expected,
                method,
                label=visibility,
                data=data or {},
                auth="token",
            )
        )
    return rows


def _api_listed(name: str, kind: str) -> list[Row]:
    return [
        Row(
            name,
            lambda c, r: [],
            page(readers, public="hidden"),
            label=f"lists {visibility}",
            auth="token",
            listed=lambda c, r, k=kind, v=visibility: r[f"api_{k}"][v],
            data={"page_size": 500},
        )
        for visibility, readers in READERS.items()
        if not (kind == "ask" and visibility == "private")
    ]


def _own_webhook_only() -> dict[str, str]:
    return page({"partner_a"}) | {"public": "login"}


# A public address in digits: adding a webhook checks its destination, and digits need no DNS
# lookup. Nothing is ever sent to it (each row is rolled back before its commit).
PUBLIC_HOOK_URL = "https://1.1.1.1/powershare"


ROWS: list[Row] = [
    Row("api:api-root", lambda c, r: [], {role: "hidden" for role in ROLES}, auth="token"),
    Row("api:openapi-json", lambda c, r: [], everyone(), auth="token"),
    Row(
        "api:organizations",
        lambda c, r: [],
        everyone(),
        auth="token",
        label="lists public org",
        listed=lambda c, r: c.org_a,
    ),
    Row(
        "api:organizations",
        lambda c, r: [],
        page(STAFF, public="hidden"),
        auth="token",
        label="lists department-only agency",
        listed=lambda c, r: r["api_agency"],
    ),
    Row("api:organization", lambda c, r: [c.org_a.pk], everyone(), auth="token", label="public"),
    Row(
        "api:organization",
        lambda c, r: [r["api_agency"].pk],
        page(STAFF, public="hidden"),
        auth="token",
        label="department-only agency",
    ),
    # A high-risk organization (made by the core rows' records): only its members, none of the
    # cast, get it from the API, which can be copied in bulk like an export.
    Row(
        "api:organizations",
        lambda c, r: [],
        {role: "hidden" for role in ROLES},
        auth="token",
        label="lists high-risk org",
        listed=lambda c, r: r["high_risk_org"],
        data={"page_size": 500},
    ),
    Row(
        "api:organization",
        lambda c, r: [r["high_risk_org"].pk],
        {role: "hidden" for role in ROLES},
        auth="token",
        label="high-risk org",
    ),
    *_api_listed("api:campaigns", "campaign"),
    *_api_by_visibility("api:campaign", "campaign"),
    *_api_listed("api:asks", "ask"),
    *_api_by_visibility("api:ask", "ask"),
    *_api_by_visibility("api:ask_timeline", "ask"),
    Row(
        "api:ask_create",
        lambda c, r: [],
        page({"partner_a"}, denied=SIGNED_IN - {"partner_a"}),
        "post",
        auth="token",
        data={"organization": 0, "kind": "data", "title": "Rates", "description": "For May"},
    ),
    *_api_by_visibility(
        "api:ask_status", "ask", method="post", answer="staff", data={"status": "acknowledged"}
    ),
    *_api_by_visibility(
        "api:ask_comment", "ask", method="post", answer="sides", data={"text": "Thank you"}
    ),
    Row("api:statistics_measures", lambda c, r: [], everyone(), auth="token"),
    Row(
        "api:statistics_query",
        lambda c, r: [],
        everyone(),
        auth="token",
        data={"measure": "asthma_ed", "years": "2020"},
    ),
    Row("api:webhooks", lambda c, r: [], signed_in_only(), auth="token"),
    Row(
        "api:webhook_create",
        lambda c, r: [],
        signed_in_only(),
        "post",
        auth="token",
        data={"url": PUBLIC_HOOK_URL, "events": ["ask.status_changed"]},
    ),
    Row(
        "api:webhook",
        lambda c, r: [r["api_webhook"].pk],
        _own_webhook_only(),
        "delete",
        auth="token",
    ),
    Row(
        "api:webhook_deliveries",
        lambda c, r: [r["api_webhook"].pk],
        _own_webhook_only(),
        auth="token",
    ),
    Row(
        "accounts:create_api_token",
        lambda c, r: [],
        signed_in_only(),
        "post",
        data={"name": "Sync", "scope": "read"},
    ),
    Row(
        "accounts:revoke_api_token",
        lambda c, r: [r["api_token"].pk],
        page({"partner_a"}) | {"partner_a": "redirect"},
        "post",
    ),
    # The profile page's webhooks: the same webhook, partner A's, through the pages.
    Row(
        "accounts:create_webhook",
        lambda c, r: [],
        signed_in_only(),
        "post",
        data={"url": PUBLIC_HOOK_URL, "events": ["ask.status_changed"]},
    ),
    Row("accounts:webhook", lambda c, r: [r["api_webhook"].pk], _own_webhook_only()),
    Row(
        "accounts:delete_webhook",
        lambda c, r: [r["api_webhook"].pk],
        _own_webhook_only(),
        label="confirmation",
    ),
    Row(
        "accounts:ping_webhook",
        lambda c, r: [r["api_webhook"].pk],
        _own_webhook_only() | {"partner_a": "redirect"},
        "post",
    ),
    Row(
        "accounts:delete_webhook",
        lambda c, r: [r["api_webhook"].pk],
        _own_webhook_only() | {"partner_a": "redirect"},
        "post",
        label="delete",
    ),
]


def records(cast: Cast) -> dict[str, Any]:
    from partners.models import Organization

    # The file-an-ask row needs org A's id, known only now.
    for row in ROWS:
        if row.name == "api:ask_create":
            row.data["organization"] = cast.org_a.pk
    return {
        "api_campaign": {
            v: make_campaign(cast.org_a, visibility=v, title=f"API {v} plan") for v in READERS
        },
        "api_ask": {
            v: make_ask(cast.org_a, visibility=v, title=f"API {v} ask")
            for v in READERS
            if v != "private"
        },
        "api_agency": Organization.objects.create(
            name="API Port Authority", kind="agency", visibility="department"
        ),
        "api_webhook": Webhook.objects.create(
            owner=cast.partner_a,
            url="https://hooks.example.org/a",
            events=["ask.status_changed"],
            secret=Webhook.new_secret(),
        ),
        "api_token": create_api_token(actor=cast.partner_a, name="to revoke", scope="read")[0],
    }


# Recommendations (accountability/api.py): one adopted and published, one still a draft.
INSIDERS = page(STAFF | {"board_member"}, public="hidden")
ROWS += [
    Row(
        "api:recommendations",
        lambda c, r: [],
        everyone(),
        auth="token",
        label="lists published",
        listed=lambda c, r: r["api_recommendation"]["published"],
    ),
    Row(
        "api:recommendations",
        lambda c, r: [],
        INSIDERS,
        auth="token",
        label="lists draft",
        listed=lambda c, r: r["api_recommendation"]["draft"],
    ),
    Row(
        "api:recommendation",
        lambda c, r: [r["api_recommendation"]["published"].pk],
        everyone(),
        auth="token",
        label="published",
    ),
    Row(
        "api:recommendation",
        lambda c, r: [r["api_recommendation"]["draft"].pk],
        INSIDERS,
        auth="token",
        label="draft",
    ),
]


# Regulatory actions (regulatory/api.py): department-only and public actions, and a
# department-only one on partner A's private campaign (which its members see).
def _regulatory(cast: Cast) -> dict[str, Any]:
    from regulatory.models import Authority, RegulatoryAction

    authority = Authority.objects.create(
        name="Housing code", kind=Authority.Kind.values[0], unit=cast.unit, can_require="Repairs"
    )
    made = {
        v: RegulatoryAction.objects.create(
            title=f"API {v} inspection", authority=authority, visibility=v
        )
        for v in ("department", "public")
    }
    made["campaign"] = RegulatoryAction.objects.create(
        title="API campaign inspection", authority=authority, visibility="department"
    )
    made["campaign"].campaigns.add(make_campaign(cast.org_a, visibility="private"))
    return made


_REG_EXPECTED = {
    "department": page(STAFF, public="hidden"),
    "public": everyone(),
    "campaign": page(STAFF | {"partner_a"}, public="hidden"),
}
ROWS += [
    row
    for key, expected in _REG_EXPECTED.items()
    for row in (
        Row(
            "api:regulatory_actions",
            lambda c, r: [],
            expected,
            auth="token",
            label=f"lists {key}",
            listed=lambda c, r, k=key: r["api_regulatory"][k],
        ),
        Row(
            "api:regulatory_action",
            lambda c, r, k=key: [r["api_regulatory"][k].pk],
            expected,
            auth="token",
            label=key,
        ),
    )
]

_records = records


def records(cast: Cast) -> dict[str, Any]:
    return {**_records(cast), "api_regulatory": _regulatory(cast)}


# Relationships (network/api.py): partner A's records of every visibility, between two public
# organizations.
ROWS += [
    row
    for v, readers in READERS.items()
    for row in (
        Row(
            "api:relationships",
            lambda c, r: [],
            page(readers, public="hidden"),
            auth="token",
            label=f"lists {v}",
            listed=lambda c, r, v=v: r["api_relationship"][v],
        ),
        Row(
            "api:relationship",
            lambda c, r, v=v: [r["api_relationship"][v].pk],
            page(readers, public="hidden"),
            auth="token",
            label=v,
        ),
    )
]

_records_before_network = records


def records(cast: Cast) -> dict[str, Any]:
    from network.models import Kind, Relationship

    made = {
        v: Relationship.objects.create(
            from_organization=cast.org_a,
            to_organization=cast.org_b,
            kind=Kind.values[0],
            organization=cast.org_a,
            visibility=v,
        )
        for v in READERS
    }
    return {**_records_before_network(cast), "api_relationship": made}


_records_before_board = records


def records(cast: Cast) -> dict[str, Any]:
    from datetime import timedelta

    from django.utils import timezone

    from accountability.models import Board, Recommendation

    board = Board.objects.create(name="API test board", purpose="Residents advise.")
    common = {
        "board": board,
        "text": "Free passes.",
        "rationale": "No car, no cooling.",
        "addressed_to": cast.unit,
    }
    made = {
        "published": Recommendation.objects.create(
            number="API-1",
            title="API cooling centers",
            status="awaiting",
            adopted_on=timezone.localdate(),
            response_due=timezone.localdate() + timedelta(days=60),
            published=timezone.now(),
            **common,
        ),
        "draft": Recommendation.objects.create(
            number="API-2", title="API transit passes", **common
        ),
    }
    return {**_records_before_board(cast), "api_recommendation": made}
