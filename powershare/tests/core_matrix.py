"""The core's rows of the visibility matrix (home, accounts, partners, support, audit) and the
records they request, as every other app has in ``<app>/tests/matrix.py``; run by
``test_matrix.py``."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from accounts.models import Invitation, hash_token
from partners.models import Agreement, Milestone, Organization
from powershare.matrix import (
    PARTNERS,
    READERS,
    SIGNED_IN,
    STAFF,
    Row,
    by_visibility,
    everyone,
    page,
    signed_in_only,
)
from powershare.testing import Cast, make_ask, make_campaign, make_person, pdf_bytes
from powershare.tests.high_risk import high_risk_records
from support.models import AskFile

CORE_NAMESPACES = {"accounts", "partners", "support", "audit"}


CORE_ROWS: list[Row] = [
    Row("home", lambda c, r: [], everyone()),
    Row("partners:campaigns", lambda c, r: [], everyone()),
    Row("partners:campaign_export", lambda c, r: [], everyone()),
    Row("partners:campaign_new", lambda c, r: [], signed_in_only(PARTNERS)),
    *by_visibility("partners:campaign", "campaign"),
    *by_visibility("partners:campaign_edit", "campaign", edit=True),
    *by_visibility("partners:campaign_delete", "campaign", edit=True),
    *by_visibility("partners:milestone_add", "campaign", edit=True, method="post"),
    Row(
        "partners:milestone_delete",
        lambda c, r: [r["milestone"].campaign_id, r["milestone"].pk],
        page({"partner_a"}, denied=SIGNED_IN - {"partner_a"}),
        "post",
    ),
    Row("partners:organizations", lambda c, r: [], everyone()),
    Row("partners:organization_export", lambda c, r: [], everyone()),
    Row("partners:organization_new", lambda c, r: [], signed_in_only(STAFF)),
    Row("partners:organization", lambda c, r: [c.org_a.pk], everyone(), label="public org"),
    Row(
        "partners:organization",
        lambda c, r: [r["agency"].pk],
        page(STAFF, public="hidden"),
        label="department-only agency",
    ),
    Row(
        "partners:organization_edit",
        lambda c, r: [c.org_a.pk],
        page({"partner_a"}, denied=SIGNED_IN - {"partner_a"}),
    ),
    Row(
        "partners:organization_edit",
        lambda c, r: [r["agency"].pk],
        page(STAFF),
        label="department-only agency",
    ),
    Row(
        "partners:organization",
        lambda c, r: [r["high_risk_org"].pk],
        everyone(),
        label="high-risk org",
    ),
    Row(
        "partners:organization_edit",
        lambda c, r: [r["high_risk_org"].pk],
        page(set(), denied=SIGNED_IN),
        label="high-risk org",
    ),
    Row(
        "partners:person",
        lambda c, r: [r["high_risk_person"].pk],
        page(READERS["department"], public="hidden"),
        label="high-risk person",
    ),
    Row(
        "partners:person",
        lambda c, r: [r["high_risk_outsider"].pk],
        page(STAFF, public="hidden"),
        label="high-risk person of a high-risk org",
    ),
    Row(
        "partners:person_edit",
        lambda c, r: [r["high_risk_person"].pk],
        page({"partner_a"}, denied=READERS["department"] - {"partner_a"}),
        label="high-risk person",
    ),
    Row("partners:people", lambda c, r: [], signed_in_only(STAFF | PARTNERS)),
    Row("partners:person_new", lambda c, r: [], signed_in_only(STAFF | PARTNERS)),
    *by_visibility("partners:person", "person"),
    *by_visibility("partners:person_edit", "person", edit=True),
    *by_visibility("partners:person_delete", "person", edit=True),
    Row("partners:partnerships", lambda c, r: [], signed_in_only()),
    Row("partners:partnership_new", lambda c, r: [], signed_in_only({"admin"})),
    Row("partners:partnership", lambda c, r: [c.partnership_a.pk], page(STAFF | {"partner_a"})),
    Row(
        "partners:partnership_edit",
        lambda c, r: [c.partnership_a.pk],
        page({"admin"}, denied={"liaison", "analyst"} | PARTNERS | {"board_member", "reviewer"}),
    ),
    Row(
        "partners:partnership_rate",
        lambda c, r: [c.partnership_a.pk, "department"],
        page(STAFF, denied={"partner_a"}),
        label="department side",
    ),
    Row(
        "partners:partnership_rate",
        lambda c, r: [c.partnership_a.pk, "partner"],
        page({"partner_a"}, denied=STAFF),
        label="partner side",
    ),
    Row(
        "partners:agreement_new",
        lambda c, r: [c.partnership_a.pk],
        page(STAFF, denied=SIGNED_IN - STAFF),
    ),
    Row(
        "partners:agreement_file",
        lambda c, r: [c.partnership_a.pk, r["agreement"].pk],
        page(STAFF | {"partner_a"}),
    ),
    Row(
        "partners:meeting_new",
        lambda c, r: [c.partnership_a.pk],
        page(STAFF, denied=SIGNED_IN - STAFF),
    ),
    Row("support:asks", lambda c, r: [], everyone()),
    Row("support:ask_export", lambda c, r: [], everyone()),
    Row("support:ask_new", lambda c, r: [], signed_in_only(PARTNERS)),
    Row("support:dashboard", lambda c, r: [], signed_in_only(STAFF | PARTNERS)),
    *by_visibility("support:ask", "ask"),
    *by_visibility("support:ask_edit", "ask", edit=True),
    *by_visibility("support:ask_status", "ask", method="post", answer="sides"),
    *by_visibility("support:ask_deliver", "ask", method="post", answer="staff"),
    *by_visibility("support:ask_assign", "ask", method="post", answer="staff"),
    *by_visibility("support:ask_comment", "ask", method="post", answer="sides"),
    Row(
        "support:ask_file",
        lambda c, r: [r["ask"]["department"].pk, r["ask_file"].pk],
        page(READERS["department"], public="hidden"),
    ),
    Row("accounts:profile", lambda c, r: [], signed_in_only()),
    Row("accounts:staff", lambda c, r: [], signed_in_only({"admin"})),
    Row(
        "accounts:invite_member",
        lambda c, r: [c.org_a.pk],
        page({"admin", "partner_a"}, denied=SIGNED_IN - {"admin", "partner_a"}),
    ),
    Row(
        "accounts:remove_member",
        lambda c, r: [c.org_a.pk, r["membership"].pk],
        page(set(), denied=SIGNED_IN - {"partner_a"}) | {"partner_a": "redirect"},
        "post",
    ),
    Row(
        "accounts:revoke_invitation",
        lambda c, r: [r["invitation"].pk],
        page(set()) | {"admin": "redirect", "partner_a": "redirect"},
        "post",
    ),
    Row("accounts:accept_invitation", lambda c, r: [r["token"]], everyone()),
    Row("audit:log", lambda c, r: [], signed_in_only({"admin"})),
    Row("audit:export", lambda c, r: [], signed_in_only({"admin"})),
]


def core_records(cast: Cast) -> dict[str, Any]:
    from accounts.models import Membership
    from powershare.testing import make_user

    campaign = {v: make_campaign(cast.org_a, visibility=v, title=f"{v} plan") for v in READERS}
    person = {v: make_person(cast.org_a, visibility=v, name=f"{v} leader") for v in READERS}
    agency = Organization.objects.create(name="Port", kind="agency", visibility="department")
    agreement = Agreement.objects.create(
        partnership=cast.partnership_a, kind="mou", title="MOU", start="2025-01-01"
    )
    agreement.file.save("mou.pdf", ContentFile(pdf_bytes()))
    member = make_user("sam@eastside.example.org")
    membership = Membership.objects.create(user=member, organization=cast.org_a)
    token = Invitation.new_token()
    invitation = Invitation.objects.create(
        email="new@eastside.example.org",
        organization=cast.org_a,
        membership_role="member",
        token_hash=hash_token(token),
        invited_by=cast.partner_a,
    )
    ask = {
        v: make_ask(cast.org_a, visibility=v, title=f"{v} ask") for v in READERS if v != "private"
    }
    ask_file = AskFile(ask=ask["department"], name="table.csv")
    ask_file.file.save("table.csv", ContentFile(b"a,b\n1,2\n"))
    milestone = Milestone.objects.create(
        campaign=campaign["public"], date="2025-05-01", title="Hearing"
    )
    return {
        **high_risk_records(cast, campaign["public"]),
        "campaign": campaign,
        "person": person,
        "agency": agency,
        "agreement": agreement,
        "membership": membership,
        "invitation": invitation,
        "token": token,
        "milestone": milestone,
        "ask": ask,
        "ask_file": ask_file,
    }
