"""The visibility matrix: every URL of Powershare, requested as every role.

Rows for the core (home, accounts, partners, support, audit) are here; every other app adds
its own in ``<app>/tests/matrix.py`` (``ROWS`` and ``records(cast)``). Record pages are
requested for records of every visibility. A URL added without a row fails the coverage test.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

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
from powershare.testing import (
    Cast,
    make_ask,
    make_campaign,
    make_cast,
    make_person,
    pdf_bytes,
)
from support.models import AskFile

CORE_NAMESPACES = {"accounts", "partners", "support", "audit"}


def _project_apps() -> list[Any]:
    """Powershare's own apps, not Django's or third parties'."""
    root = str(settings.BASE_DIR)
    return [
        c for c in apps.get_app_configs() if c.path.startswith(root) and "/.venv/" not in c.path
    ]


def _app_matrices() -> list[Any]:
    """Each of Powershare's apps' ``tests/matrix.py``, where it has one."""
    modules = []
    for config in _project_apps():
        try:
            modules.append(importlib.import_module(f"{config.name}.tests.matrix"))
        except ModuleNotFoundError as error:
            if error.name not in (f"{config.name}.tests", f"{config.name}.tests.matrix"):
                raise
    return modules


APP_MATRICES = _app_matrices()

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


# -- high-risk people and organizations: their contact values never reach an outsider ---------

HIGH_RISK_MARK = "zq7hr"
# Contact values of a high-risk organization, its members and a person it records: nobody in the
# cast is a member, so no role may read any of them anywhere.
HIGH_RISK_ORG_VALUES = [
    f"voces.{HIGH_RISK_MARK}@voces.example.org",
    "(555) 013-7731",
    f"member.{HIGH_RISK_MARK}@voces.example.org",
    f"nameless.{HIGH_RISK_MARK}@voces.example.org",
    f"invitee.{HIGH_RISK_MARK}@voces.example.org",
    f"leader.{HIGH_RISK_MARK}@voces.example.org",
    "(555) 013-4410",
]
# A high-risk person organization A records: only A's members may read these.
HIGH_RISK_PERSON_VALUES = [
    f"ana.{HIGH_RISK_MARK}@example.org",
    "(555) 013-2052",
    f"Moved to a shelter {HIGH_RISK_MARK}",
]


def high_risk_records(cast: Cast, campaign: Any) -> dict[str, Any]:
    """A high-risk organization with members and an invitation, a high-risk person of its own
    and one recorded by organization A, made through the actions so the audit log has them;
    both people are targets of a public campaign and hold roles at visible organizations."""
    from accounts import actions as account_actions
    from accounts.models import Membership
    from partners import actions as partner_actions
    from powershare.testing import make_user

    org_email, org_phone, member_email, nameless_email, invitee, leader, leader_phone = (
        HIGH_RISK_ORG_VALUES
    )
    voces = partner_actions.create_organization(
        actor=cast.admin,
        name="Voces Sin Fronteras",
        kind="cpbo",
        mission="Immigrant workers organizing for safe jobs",
        contact_email=org_email,
        contact_phone=org_phone,
        high_risk=True,
        visibility="public",
    )
    member = make_user(member_email, name="Quiet Member")
    nameless = make_user(nameless_email)
    nameless.name = ""
    nameless.save()
    Membership.objects.create(user=member, organization=voces, role="admin")
    Membership.objects.create(user=nameless, organization=voces, role="member")
    account_actions.invite(
        actor=member, email=invitee, organization=voces, membership_role="member"
    )
    outsider = partner_actions.save_person(
        actor=nameless,
        organization=voces,
        roles=[(voces, "Lead organizer")],
        name="Rosa Leader",
        email=leader,
        phone=leader_phone,
        high_risk=True,
        visibility="department",
    )
    partner_actions.update_organization(actor=member, organization=voces, contact_phone=org_phone)
    email, phone, notes = HIGH_RISK_PERSON_VALUES
    person = partner_actions.save_person(
        actor=cast.partner_a,
        organization=cast.org_a,
        roles=[(cast.org_a, "Building captain"), (voces, "Ally")],
        name="Ana Captain",
        email=email,
        phone=phone,
        notes=notes,
        high_risk=True,
        visibility="department",
    )
    partner_actions.save_person(actor=cast.partner_a, person=person, phone=phone)
    campaign.target_people.add(person, outsider)
    campaign.target_organizations.add(voces)
    _high_risk_in_the_network(cast, campaign, person, outsider, voces)
    return {"high_risk_org": voces, "high_risk_person": person, "high_risk_outsider": outsider}


def _high_risk_in_the_network(cast: Cast, campaign: Any, *actors: Any) -> None:
    """The high-risk records on the power map and in a one-to-one, so the network's pages,
    exports and the partnership's page show them."""
    from network import actions as network_actions
    from partners import actions as partner_actions

    person, outsider, voces = actors
    for visibility, (source, target) in zip(
        ("department", "public"), ((person, voces), (cast.org_a, outsider)), strict=True
    ):
        network_actions.create_relationship(
            actor=cast.partner_a,
            from_actor=source,
            to_actor=target,
            kind="ally_of",
            organization=cast.org_a,
            visibility=visibility,
        )
    network_actions.place_actor(
        actor=cast.partner_a,
        campaign=campaign,
        who=person,
        tier="primary",
        role="ally",
        stance=2,
        influence=2,
        assessed_on=date(2025, 1, 1),
        evidence="Spoke at the hearing",
    )
    partner_actions.record_meeting(
        actor=cast.liaison,
        partnership=cast.partnership_a,
        staff=[cast.liaison],
        people=[person, outsider],
        date=date(2025, 2, 1),
        purpose="Safety planning",
        shared_with_partner=True,
    )


def body_of(response: Any) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")


def high_risk_leaks(role: str, response: Any) -> list[str]:
    """The high-risk contact values in ``response`` that ``role`` may not read."""
    forbidden = list(HIGH_RISK_ORG_VALUES)
    if role != "partner_a":
        forbidden += HIGH_RISK_PERSON_VALUES
    body = body_of(response)
    return [value for value in forbidden if value in body]


ROWS = CORE_ROWS + [row for module in APP_MATRICES for row in module.ROWS]
# Each row with the app module that makes its records: a row only pays for its own app's.
CASES = [(None, row) for row in CORE_ROWS] + [
    (module, row) for module in APP_MATRICES for row in module.ROWS
]


def outcome(response: Any) -> str:
    if response.status_code == 200:
        return "ok"
    if response.status_code == 403:
        return "denied"
    if response.status_code in (404, 410):
        return "hidden"
    if response.status_code == 302:
        return "login" if "/accounts/login/" in response["Location"] else "redirect"
    if response.status_code == 400:
        return "ok"  # a write that reached its form and refused the empty input
    return str(response.status_code)


def api_outcome(
    row: Row, url: str, user: Any, cast: Cast, records: dict[str, Any]
) -> tuple[Any, str]:
    """Call the API as ``user`` with a read-write token (the public without one)."""
    from accounts.actions import create_api_token

    headers = {}
    if user:
        secret = create_api_token(actor=user, name="matrix", scope="read_write")[1]
        headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    client = Client(**headers)
    if row.method == "get":
        response = client.get(url, row.data)
    else:
        response = getattr(client, row.method)(url, row.data, content_type="application/json")
    code = response.status_code
    if code == 401:
        return response, "login"
    if code in (201, 204, 400, 422):
        return response, "ok"  # done, or reached the action and refused the input
    got = outcome(response)
    if got == "ok" and row.listed is not None:
        wanted = row.listed(cast, records).pk
        got = "ok" if any(r["id"] == wanted for r in response.json()["results"]) else "hidden"
    return response, got


def _case_id(case: tuple[Any, Row]) -> str:
    row = case[1]
    return f"{row.name}{'-' + row.label if row.label else ''}"


@pytest.fixture(scope="module")
def world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[tuple[Cast, dict[str, Any]]]:
    """The cast and every app's records, made once for the whole matrix.

    Each row then runs in its own transaction that is rolled back (``django_db``), nested in
    this one, so a write one row makes never leaks into the next, and nobody pays for the
    setup twice. pytest sets up this module-scoped fixture before any row's transaction.
    """
    overrides = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media"),
        DATA_ROOT=tmp_path_factory.mktemp("matrix-data"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with django_db_blocker.unblock(), overrides, transaction.atomic():
        cast = make_cast()
        records = core_records(cast)
        for module in APP_MATRICES:
            records.update(module.records(cast))
        yield cast, records
        transaction.set_rollback(True)


@pytest.fixture
def _media_root() -> None:
    """The matrix keeps the module's media and data folders (overrides the root conftest)."""


@pytest.fixture
def row_world(world: tuple[Cast, dict[str, Any]]) -> tuple[Cast, dict[str, Any]]:
    cache.clear()  # rate limits count per token; tokens of rolled-back rows reuse ids
    return world


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_matrix(case: tuple[Any, Row], row_world: tuple[Cast, dict[str, Any]]) -> None:
    _module, row = case
    cast, records = row_world
    for user in cast.roles().values():
        if user is not None:
            user.__dict__.pop("organization_ids", None)  # cached per request in real use
            user.__dict__.pop("admin_organization_ids", None)
    url = reverse(row.name, args=row.args(cast, records))
    failures = []
    for role, user in cast.roles().items():
        if row.auth == "token":
            response, got = api_outcome(row, url, user, cast, records)
        else:
            client = Client()
            if user:
                client.force_login(user)
            response = getattr(client, row.method)(url, row.data)
            got = outcome(response)
        expected = row.expected[role]
        if row.method == "post" and expected == "ok" and got == "redirect":
            got = "ok"
        if got != expected:
            failures.append(f"{role}: expected {expected}, got {got} ({response.status_code})")
        leaks = high_risk_leaks(role, response)
        if leaks:
            failures.append(f"{role}: high-risk contact values in the answer: {leaks}")
    assert not failures, f"{row.method.upper()} {url}\n" + "\n".join(failures)


def _names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace or ""
            names |= _names(entry, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def test_every_url_is_in_the_matrix() -> None:
    namespaces = CORE_NAMESPACES | {config.label for config in _project_apps()}
    ours = {n for n in _names(get_resolver()) if n.split(":")[0] in namespaces or n == "home"}
    covered = {row.name for row in ROWS}
    assert not ours - covered, f"URLs missing from the matrix: {sorted(ours - covered)}"
