"""The demo county's advisory board: seats and members, a year of meetings with attendance and
motions, recommendations in every state with responses (some late), applications, and
organizer positions. Everything goes through the app's actions, back-dated."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accountability import actions, proceedings, queries, roster
from accountability import demo_content as content
from accountability.models import Board, Commitment, Meeting, Recommendation, Seat, Term
from accounts.models import User
from powershare.demo_content import demo_pdf

PDF = demo_pdf()


def build(builder: Any) -> None:
    Demo(builder).build()


class Demo:
    def __init__(self, builder: Any) -> None:
        self.b = builder
        self.rng = builder.rng
        self.today = builder.today
        self.admin: User = builder.users["admin"]
        self.members: dict[str, User] = {}
        self.terms: dict[str, Term] = {}

    def moment(self, days_ago: int, hour: int = 18) -> datetime:
        return timezone.make_aware(
            datetime.combine(self.today - timedelta(days=days_ago), time(hour, 0))
        )

    def build(self) -> None:
        self.board = Board.objects.create(**content.BOARD)
        self.make_roster()
        meetings = self.make_meetings()
        self.make_recommendations(meetings)
        self.make_stipend_payments()
        self.make_applications()
        self.make_organizers()

    def make_roster(self) -> None:
        from powershare.management.commands.seed_demo import DEMO_PASSWORD, demo_email

        seats = []
        for name, kind, cpbo, chair in content.SEATS:
            seats.append(
                Seat.objects.create(
                    board=self.board,
                    name=name,
                    kind=kind,
                    nominating_organization=self.b.cpbos[cpbo] if cpbo is not None else None,
                    is_chair=chair,
                )
            )
        start = self.today - timedelta(days=400)
        for local, name, seat, eligibility, payment, tax_form in content.MEMBERS:
            member = self.b.users.get(local) or User.objects.create_user(
                demo_email(local), DEMO_PASSWORD, name=name
            )
            self.members[local] = member
            self.terms[local] = roster.seat_member(
                actor=self.admin, seat=seats[seat], member=member, start=start
            )
            roster.save_member_profile(
                actor=self.admin,
                member=member,
                eligibility=eligibility,
                payment_preference=payment,
                tax_form_on_file=tax_form,
                tax_form_received=start + timedelta(days=30) if tax_form else None,
            )
        local, reason = content.ENDED_EARLY
        roster.end_term(
            actor=self.admin,
            term=self.terms[local],
            on=self.today - timedelta(days=150),
            reason=reason,
        )

    def make_stipend_payments(self) -> None:
        """Finance paid each month's stipends on the 10th of the next, by each member's
        preference; the last month with meetings is still owed."""
        months = sorted(
            {
                timezone.localdate(m.starts).replace(day=1)
                for m in Meeting.objects.filter(board=self.board, starts__lte=timezone.now())
            }
        )
        for month in months[:-1]:
            paid_on = (month + timedelta(days=40)).replace(day=10)
            if paid_on > self.today:
                continue
            for line in queries.monthly_payments(self.board, month.year, month.month):
                if line.outstanding <= 0 or line.profile is None:
                    continue
                roster.record_stipend_payment(
                    actor=self.admin,
                    board=self.board,
                    member=line.member,
                    month=month,
                    amount=line.outstanding,
                    paid_on=paid_on,
                    method=line.profile.payment_preference,
                    reference=f"AP-{month:%Y%m}-{line.member.pk}",
                )

    def make_meetings(self) -> dict[int, Meeting]:
        made = {}
        for days_ago, title in content.MEETINGS + [(-d, t) for d, t in content.UPCOMING]:
            meeting = proceedings.schedule_meeting(
                actor=self.admin,
                board=self.board,
                title=title,
                starts=self.moment(days_ago),
                ends=self.moment(days_ago, 20),
                location="Eastside Community Center, 1200 Alder St.",
                interpretation="Spanish, Vietnamese",
                agenda=content.AGENDA,
            )
            proceedings.add_material(
                actor=self.admin,
                meeting=meeting,
                title="Board packet",
                file=SimpleUploadedFile("packet.pdf", PDF, content_type="application/pdf"),
                is_public=True,
            )
            proceedings.add_material(
                actor=self.admin,
                meeting=meeting,
                title="Draft recommendations (board only)",
                file=SimpleUploadedFile("drafts.pdf", PDF, content_type="application/pdf"),
            )
            if days_ago > 0:
                self.hold(meeting, days_ago)
            made[days_ago] = meeting
        upcoming = made[-content.UPCOMING[0][0]]
        proceedings.request_access(
            actor=None,
            meeting=upcoming,
            kind="interpretation",
            language="Mam",
            name="A resident",
            email="resident@example.org",
        )
        proceedings.request_access(
            actor=self.members["board"],
            meeting=upcoming,
            kind="childcare",
            details="Two children, 4 and 7.",
            name="Teresa Alvarez",
            email=self.members["board"].email,
        )
        return made

    def hold(self, meeting: Meeting, days_ago: int) -> None:
        day = timezone.localdate(meeting.starts)
        seated = list(self.board.seated_terms(day))
        if days_ago == content.LOW_ATTENDANCE_MEETING:
            present = seated[:3]
        else:
            present = [t for t in seated if self.rng.random() < 0.85]
            needed = self.board.quorum_needed(len(seated))
            present += [t for t in seated if t not in present][: max(0, needed - len(present))]
        proceedings.record_attendance(actor=self.admin, meeting=meeting, present=present)
        if days_ago == content.LOW_ATTENDANCE_MEETING:
            proceedings.record_motion(
                actor=self.admin,
                meeting=meeting,
                text="Sense of the members present: ask the department for a summer heat plan briefing.",
                informal=True,
                votes={t: "yes" for t in present},
                at=meeting.starts + timedelta(hours=1),
            )
        minutes = (
            f"{len(present)} members present. Public comment from residents on {meeting.title.split(': ')[-1]}. "
            "The department reported on responses due."
        )
        proceedings.publish_minutes(
            actor=self.admin, meeting=meeting, minutes=minutes, publish=days_ago > 20
        )

    def vote(self, meeting: Meeting, *, against: int = 0) -> dict[Term, str]:
        present = list(meeting.present_terms())
        votes = {t: "yes" for t in present}
        for term in present[:against]:
            votes[term] = "no"
        if len(present) > 4:
            votes[present[-1]] = "abstain"
        return votes

    def make_recommendations(self, meetings: dict[int, Meeting]) -> None:
        responders = [
            self.admin,
            self.b.users["liaison"],
            self.b.users["liaison2"],
            self.b.users["analyst"],
        ]
        campaigns = self.b.campaigns
        for n, (days_ago, unit, title, text, rationale, plan) in enumerate(content.RECOMMENDATIONS):
            meeting = meetings[days_ago]
            draft = actions.draft_recommendation(
                actor=self.admin,
                board=self.board,
                title=title,
                text=text,
                rationale=rationale,
                addressed_to=self.b.units[unit],
                campaigns=[campaigns[n % len(campaigns)]],
                at=meeting.starts - timedelta(days=7),
            )
            present = list(meeting.present_terms())
            proceedings.record_motion(
                actor=self.admin,
                meeting=meeting,
                text=f"To adopt the recommendation “{title}”.",
                moved_by=present[0],
                seconded_by=present[1],
                votes=self.vote(meeting, against=n % 2),
                adopts=draft,
                at=meeting.starts + timedelta(hours=1),
            )
            self.follow(draft, plan, days_ago, responders[n % len(responders)])
        actions.draft_recommendation(
            actor=self.admin,
            board=self.board,
            title=content.DRAFT_RECOMMENDATION[0],
            text=content.DRAFT_RECOMMENDATION[1],
            rationale=content.DRAFT_RECOMMENDATION[2],
            addressed_to=self.b.units[0],
        )

    def follow(
        self, recommendation: Recommendation, plan: list[tuple], days_ago: int, staff: User
    ) -> None:
        """Walk a recommendation through its plan: responses, commitments and their updates."""
        for after, step, *rest in plan:
            at = self.moment(days_ago - after, 11)
            if step == "respond":
                actions.respond(
                    actor=staff,
                    recommendation=recommendation,
                    decision=rest[0],
                    rationale=rest[1],
                    at=at,
                )
            elif step == "draft":
                actions.respond(
                    actor=staff,
                    recommendation=recommendation,
                    decision=rest[0],
                    rationale=rest[1],
                    publish=False,
                    at=at,
                )
            elif step == "commit":
                description, due_in = rest
                actions.add_commitment(
                    actor=staff,
                    recommendation=recommendation,
                    description=description,
                    owner=staff,
                    due=timezone.localdate(at) + timedelta(days=due_in),
                    at=at,
                )
            elif step == "update":
                status, note = rest
                # The oldest commitment still open gets the update.
                commitment = (
                    recommendation.commitments.filter(status__in=Commitment.OPEN)
                    .order_by("pk")
                    .first()
                )
                actions.update_commitment(
                    actor=staff, commitment=commitment, status=status, note=note, at=at
                )
            elif step == "withdraw":
                actions.withdraw_recommendation(
                    actor=self.admin, recommendation=recommendation, reason=rest[0], at=at
                )

    def make_applications(self) -> None:
        for name, language, neighborhood, seat_kind, why, status in content.APPLICATIONS:
            application = roster.submit_application(
                board=self.board,
                name=name,
                email=f"{name.split()[0].lower()}@example.net",
                language=language,
                neighborhood=neighborhood,
                seat_kind=seat_kind,
                why=why,
            )
            if status != "received":
                roster.decide_application(
                    actor=self.admin,
                    application=application,
                    status=status,
                    note="Interview in two weeks."
                    if status == "shortlisted"
                    else "No seat of this kind is open; kept on file.",
                )

    def make_organizers(self) -> None:
        from powershare.management.commands.seed_demo import DEMO_PASSWORD, demo_email

        organizer = User.objects.create_user(
            demo_email("organizer"), DEMO_PASSWORD, name="Elena Torres", department_role="liaison"
        )
        for title, unit, status, description, community, partnerships, (
            posted,
            hired,
        ) in content.ORGANIZER_POSITIONS:
            linked = [self.b.partnerships[i] for i in partnerships]
            roster.save_organizer_position(
                actor=self.admin,
                title=title,
                unit=self.b.units[unit],
                status=status,
                job_description=description,
                community_input=community,
                posted_on=self.today - timedelta(days=posted),
                hired_on=self.today - timedelta(days=hired) if hired else None,
                organizer=organizer if hired else None,
                visibility="public",
                partnerships=linked,
                campaigns=[
                    c for c in self.b.campaigns if c.organization in {p.cpbo for p in linked}
                ][:3],
            )
