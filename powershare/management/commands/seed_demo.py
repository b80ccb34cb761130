"""Build the synthetic demo county: ``manage.py seed_demo --seed 42``.

The same seed gives the same county (names, campaigns, asks, ratings); dates are placed
relative to the day it runs, so overdue asks and recent activity look current.
"""

from __future__ import annotations

import importlib
import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import Membership, User
from partners import actions as partner_actions
from partners.models import Campaign, Organization, Partnership, Person
from powershare import demo_content as content
from support import actions as support_actions
from support.models import Ask

DEMO_PASSWORD = "powershare-demo"
DEMO_DOMAIN = "demo.powershare.org"

# email local part, name, department role, board member, reviewer, cpbo index (membership)
DEMO_USERS = [
    ("admin", "Dana Ortiz", "admin", False, False, None),
    ("admin2", "Marcus Webb", "admin", False, False, None),
    ("liaison", "Luis Romero", "liaison", False, False, None),
    ("liaison2", "Grace Kim", "liaison", False, False, None),
    ("analyst", "Priya Nair", "analyst", False, False, None),
    ("partner", "Rosa Martinez", "", False, False, 0),
    ("partner2", "Kwame Johnson", "", False, False, 1),
    ("worker-center", "Juan Hernández", "", False, False, 2),
    ("youth", "Aaliyah Brooks", "", False, False, 3),
    ("voces", "Ana Lucía Morales", "", False, False, 4),
    ("faith", "Samuel Okafor", "", False, False, 5),
    ("board", "Teresa Alvarez", "", True, False, None),
    ("reviewer", "Sam Lee", "", False, True, None),
]
PRINTED_LOGINS = [
    ("Department admin", "admin"),
    ("Second department admin", "admin2"),
    ("Liaison (department staff)", "liaison"),
    ("Analyst (department staff)", "analyst"),
    ("Partner, Eastside Tenants Union", "partner"),
    ("Partner, Clean Air Eastside Coalition", "partner2"),
    ("Advisory board member", "board"),
    ("Community reviewer", "reviewer"),
]


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


class Command(BaseCommand):
    help = "Build the synthetic demo county (organizations, campaigns, asks, users for each role)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=42, help="Random seed (same seed, same county)."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Empty the database and rebuild (refused if it holds anyone but demo users).",
        )

    def handle(self, *args: Any, seed: int, reset: bool, **options: Any) -> None:
        if User.objects.filter(email=demo_email("admin")).exists():
            if not reset:
                self.stdout.write("The demo county is already there (use --reset to rebuild it).")
                self.print_logins()
                return
            self.reset()
        # The demo's notifications would flood the console: keep them out of the way.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            Builder(random.Random(seed), today=timezone.localdate()).build()
        self.stdout.write(self.style.SUCCESS(f"Demo county built with seed {seed}."))
        self.print_logins()

    def reset(self) -> None:
        """Empty the database, but only one that holds nothing but the demo county."""
        if User.objects.exclude(email__endswith="@" + DEMO_DOMAIN).exists():
            raise CommandError(
                "This database has users outside the demo county; --reset would delete their "
                "work. Use a separate database for the demo."
            )
        call_command("flush", interactive=False, verbosity=0)

    def print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(
            f"Open {settings.SITE_URL} and sign in as any of these (password: {DEMO_PASSWORD}):"
        )
        for role, local in PRINTED_LOGINS:
            self.stdout.write(f"  {role:<40} {demo_email(local)}")
        self.stdout.write("  Public visitor                           (no sign-in)")
        self.stdout.write("")


class Builder:
    """Creates the county through the same actions the pages use, where history allows."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.users: dict[str, User] = {}
        self.units: list[Organization] = []
        self.cpbos: list[Organization] = []
        self.others: dict[str, Organization] = {}
        self.officials: dict[str, Person] = {}
        self.campaigns: list[Campaign] = []
        self.partnerships: list[Partnership] = []

    def at(self, days_ago: int, hour: int = 10) -> datetime:
        moment = datetime.combine(self.today - timedelta(days=days_ago), time(hour, 0))
        return timezone.make_aware(moment)

    def build(self) -> None:
        self.make_users()
        admin = self.users["admin"]
        for name, mission in content.DEPARTMENT_UNITS:
            self.units.append(
                partner_actions.create_organization(
                    actor=admin, kind="unit", name=name, mission=mission, visibility="public"
                )
            )
        self.make_cpbos()
        self.make_others()
        self.make_people()
        self.make_campaigns()
        self.make_partnerships()
        self.make_asks()
        for module in demo_modules():
            module.build(self)

    def make_users(self) -> None:
        for local, name, role, board, reviewer, _cpbo in DEMO_USERS:
            self.users[local] = User.objects.create_user(
                demo_email(local),
                DEMO_PASSWORD,
                name=name,
                department_role=role,
                is_board_member=board,
                is_reviewer=reviewer,
                is_staff=role == "admin",
                is_superuser=role == "admin",
            )

    def make_cpbos(self) -> None:
        admin = self.users["admin"]
        for index, row in enumerate(content.CPBOS):
            name, areas, geos, constituencies, languages, base, mission, approach, risky = row
            slug = name.lower().split()[0]
            org = partner_actions.create_organization(
                actor=admin,
                kind="cpbo",
                name=name,
                mission=mission,
                issue_areas=areas,
                geographies=geos,
                constituencies=constituencies,
                languages=languages,
                base_size=base,
                organizing_approach=approach,
                website=f"https://{slug}.example.org",
                contact_email=f"info@{slug}.example.org",
                contact_phone=f"(555) 01{index}-{1000 + index * 37}",
                high_risk=risky,
                visibility="public",
            )
            self.cpbos.append(org)
        for local, _name, _role, _board, _reviewer, cpbo in DEMO_USERS:
            if cpbo is not None:
                Membership.objects.create(
                    user=self.users[local], organization=self.cpbos[cpbo], role="admin"
                )

    def make_others(self) -> None:
        admin = self.users["admin"]
        for name, kind, mission in content.OTHER_ORGANIZATIONS:
            self.others[name] = partner_actions.create_organization(
                actor=admin, kind=kind, name=name, mission=mission, visibility="public"
            )

    def make_people(self) -> None:
        admin = self.users["admin"]
        for name, title, org_name, email in content.OFFICIALS:
            self.officials[name] = partner_actions.save_person(
                actor=admin,
                roles=[(self.others[org_name], title)],
                name=name,
                email=email,
                visibility="public",
            )
        for index, name, title in content.LEADERS:
            org = self.cpbos[index]
            member = Membership.objects.filter(organization=org).first()
            partner_actions.save_person(
                actor=member.user if member else admin,
                organization=org,
                roles=[(org, title)],
                name=name,
                email=f"{name.split()[-1].lower()}@{org.name.lower().split()[0]}.example.org",
                phone=f"(555) 02{index}-{2000 + index * 13}",
                high_risk=org.high_risk,
                visibility="liaison" if index % 2 else "department",
            )

    def make_campaigns(self) -> None:
        for row in content.CAMPAIGNS:
            index, title, issue, status, visibility, goal, demands, geography, targets = row
            org = self.cpbos[index]
            actor = Membership.objects.filter(organization=org).first().user
            start = self.today - timedelta(days=self.rng.randint(200, 700))
            campaign = partner_actions.create_campaign(
                actor=actor,
                organization=org,
                title=title,
                issue_area=issue,
                goal=goal,
                demands=demands,
                geography=geography,
                status=status,
                start=start,
                end=self.today - timedelta(days=30) if status == "won" else None,
                visibility=visibility,
                m2m={"target_people": [self.officials[t] for t in targets]},
            )
            steps = [
                ("milestone", "Campaign launched at a community assembly"),
                ("milestone", "Petition delivered to decision-makers"),
                ("milestone", "Public hearing packed with members"),
            ]
            if status == "won":
                steps.append(("win", "Board of Supervisors adopted the demand"))
            span = (self.today - start).days
            for n, (kind, label) in enumerate(steps):
                partner_actions.add_milestone(
                    actor=actor,
                    campaign=campaign,
                    date=start + timedelta(days=span * n // len(steps)),
                    kind=kind,
                    title=label,
                )
            self.campaigns.append(campaign)

    def make_partnerships(self) -> None:
        admin = self.users["admin"]
        liaisons = [self.users["liaison"], self.users["liaison2"]]
        equity, environmental, _data = self.units
        for index, org in enumerate(self.cpbos):
            unit = environmental if index in (0, 1) else equity
            partnership = partner_actions.create_partnership(
                actor=admin,
                unit=unit,
                cpbo=org,
                liaisons=[liaisons[0] if index < 3 else liaisons[1]],
                decision_rights=self.rng.choice(
                    [
                        "Co-sets the agenda of quarterly partnership meetings.",
                        "Reviews data releases about its neighborhoods before publication.",
                        "Holds a seat on the inspection-priorities working group.",
                        "",
                    ]
                ),
                started=self.today - timedelta(days=self.rng.randint(400, 900)),
            )
            self.partnerships.append(partnership)
            self.rate_history(partnership, org)
            self.one_to_ones(partnership, org)

    def rate_history(self, partnership: Partnership, org: Organization) -> None:
        staff = partnership.liaisons.first()
        partner = Membership.objects.filter(organization=org).first().user
        department_level = self.rng.randint(1, 3)
        partner_level = max(0, department_level - self.rng.randint(0, 2))
        for step in range(self.rng.randint(2, 4)):
            days_ago = 720 - step * 180
            for side, actor, level in (
                ("department", staff, department_level),
                ("partner", partner, partner_level),
            ):
                partner_actions.rate_partnership(
                    actor=actor,
                    partnership=partnership,
                    side=side,
                    level=level,
                    reason=content.LEVEL_REASONS[level],
                    rated_on=self.today - timedelta(days=days_ago + self.rng.randint(0, 20)),
                )
            department_level = min(5, department_level + self.rng.randint(0, 1))
            partner_level = min(department_level, partner_level + self.rng.randint(0, 1))

    def one_to_ones(self, partnership: Partnership, org: Organization) -> None:
        staff = list(partnership.liaisons.all())
        people = list(Person.objects.filter(roles__organization=org))
        purposes = [
            "Get to know the lead organizer and the campaign's next steps",
            "Follow up on the data request and the hearing timeline",
            "Hear how the partnership feels from the organization's side",
        ]
        for n, purpose in enumerate(purposes[: self.rng.randint(2, 3)]):
            opted_in = n == 1
            partner_actions.record_meeting(
                actor=staff[0],
                partnership=partnership,
                staff=staff,
                people=people[:1],
                date=self.today - timedelta(days=300 - n * 120),
                purpose=purpose,
                follow_ups="Send the draft data table; set the next check-in.",
                partner_opted_in=opted_in,
                interests="Members want results before the budget vote." if opted_in else "",
                self_interest="Growing the base in the buildings near the corridor."
                if opted_in
                else "",
                shared_with_partner=n != 2,
            )

    def make_asks(self) -> None:
        """Asks with back-dated timelines; every kind and every status appears."""
        statuses = ["new", "acknowledged", "in_progress", "delivered", "declined", "withdrawn"]
        staff = [self.users["liaison"], self.users["liaison2"], self.users["analyst"]]
        for n, (kind, title, description) in enumerate(content.ASKS):
            campaign = self.campaigns[content.ASK_CAMPAIGNS[n]]
            org = campaign.organization
            partner = Membership.objects.filter(organization=org).first().user
            filed_days_ago = self.rng.randint(5, 330)
            visibility = "liaison"
            if campaign.visibility != "private":
                visibility = self.rng.choice(["liaison", "department", "public"])
            ask = support_actions.submit_ask(
                actor=partner,
                organization=org,
                campaign=campaign,
                kind=kind,
                title=title,
                description=description,
                needed_by=self.today + timedelta(days=self.rng.randint(-40, 60)),
                visibility=visibility,
                at=self.at(filed_days_ago, 9),
            )
            # A liaison-only ask can be owned only by a liaison of that partnership.
            owner = self.rng.choice(staff)
            if ask.visibility == "liaison":
                owner = Partnership.objects.get(cpbo=org).liaisons.get()
            self.walk(ask, statuses[n % len(statuses)], filed_days_ago, partner, owner)

    def walk(self, ask: Ask, status: str, days_ago: int, partner: User, owner: User) -> None:
        """Move an ask to ``status`` through the support actions, a few days per step."""
        path = {
            "new": [],
            "acknowledged": ["acknowledged"],
            "in_progress": ["acknowledged", "in_progress"],
            "delivered": ["acknowledged", "in_progress", "delivered"],
            "declined": ["acknowledged", "declined"],
            "withdrawn": ["withdrawn"],
        }[status]
        for step in path:
            days_ago = max(0, days_ago - self.rng.randint(1, 25))
            at = self.at(days_ago, 14)
            if step == "acknowledged":
                support_actions.assign_owner(actor=owner, ask=ask, owner=owner, at=at)
                support_actions.acknowledge(
                    actor=owner, ask=ask, comment="Thanks, we have this and will follow up.", at=at
                )
            elif step == "in_progress":
                support_actions.start_work(
                    actor=owner, ask=ask, comment="Working on it with the epidemiology unit.", at=at
                )
            elif step == "delivered":
                support_actions.deliver(
                    actor=owner,
                    ask=ask,
                    summary="A table and a short memo, shared with the organization.",
                    links="",
                    files=[],
                    at=at,
                )
            elif step == "declined":
                support_actions.decline(
                    actor=owner,
                    ask=ask,
                    reason="This would be lobbying on a bill, which our federal funds cannot pay "
                    "for. We can share the data publicly instead.",
                    at=at,
                )
            elif step == "withdrawn":
                support_actions.withdraw(
                    actor=partner, ask=ask, comment="We no longer need this.", at=at
                )


# Apps that add to the demo county do so in ``<app>/demo.py`` with ``build(builder)``,
# in this order (later apps may use what earlier ones made).
DEMO_APPS = ["data", "accountability", "grants", "foundation", "regulatory", "network"]


def demo_modules() -> list[Any]:
    """The ``demo`` modules of the apps that have one."""
    modules = []
    for app in DEMO_APPS:
        try:
            modules.append(importlib.import_module(f"{app}.demo"))
        except ModuleNotFoundError as error:
            if error.name != f"{app}.demo":
                raise
    return modules
