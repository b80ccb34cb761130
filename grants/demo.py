"""The demo county's grants: a finished cycle (awards, payments, reports), one under review
with a mixed panel part-way through scoring, and an open call with a draft."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from grants import actions, queries
from grants.models import Application, Assignment, Award, Cycle
from grants.reminders import send_report_reminders
from powershare.demo_content import demo_pdf

PROJECTS = [
    (
        "Healthy homes tenant organizing",
        "Organizing tenants in mold-affected buildings to win inspections.",
    ),
    (
        "Clean air monitoring with neighbors",
        "Residents run air monitors near the freight corridor and share results.",
    ),
    (
        "Heat safety for warehouse workers",
        "Worker-led heat safety committees and know-your-rights trainings.",
    ),
    (
        "Youth safe streets audits",
        "Young people audit crossings near schools and bring fixes to the city.",
    ),
    (
        "Language access for health services",
        "Promotoras accompany Spanish speakers and document access gaps.",
    ),
    (
        "Faith communities for food access",
        "Congregations organize for a grocery store in a food desert.",
    ),
]
COMMUNITY_REVIEWERS = [
    ("reviewer-ana", "Ana Torres", "es"),
    ("reviewer-marcus", "Marcus Bell", "en"),
    ("reviewer-lin", "Lin Chen", "en"),
    ("reviewer-rosa", "Rosa Delgado", "es"),
]
RUBRIC = [
    (
        "Community need",
        "Necesidad de la comunidad",
        "How great is the health need the project addresses?",
        2,
    ),
    (
        "Community leadership",
        "Liderazgo comunitario",
        "Are affected residents leading the work?",
        2,
    ),
    (
        "Organizing plan",
        "Plan de organización",
        "Is the plan concrete and achievable in the grant period?",
        1,
    ),
]


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, demo_pdf(), content_type="application/pdf")


def _reviewers(builder: Any) -> list[User]:
    from powershare.management.commands.seed_demo import DEMO_PASSWORD, demo_email

    people = [builder.users["reviewer"]]
    for local, name, language in COMMUNITY_REVIEWERS:
        people.append(
            User.objects.create_user(
                demo_email(local), DEMO_PASSWORD, name=name, language=language, is_reviewer=True
            )
        )
    return people


def _cycle(
    builder: Any, program: Any, *, title: str, title_es: str, opened: int, closes: int, budget: int
) -> Cycle:
    admin = builder.users["admin"]
    cycle = actions.create_cycle(
        actor=admin,
        program=program,
        title=title,
        title_es=title_es,
        call="We fund community organizations building power for health: organizing, leadership "
        "development and campaigns on housing, air, work, streets, language access and food.",
        call_es="Financiamos organizaciones comunitarias que construyen poder para la salud: "
        "organización, desarrollo de liderazgo y campañas de vivienda, aire, trabajo, calles, "
        "acceso lingüístico y alimentos.",
        opens=builder.at(opened, 9),
        deadline=builder.at(closes, 17),
        budget=Decimal(budget),
        award_min=Decimal("10000"),
        award_max=Decimal("40000"),
        reviewers_per_application=3,
        reviewer_cap=5,
        stipend_per_review=Decimal("75"),
    )
    for text, text_es in [
        (
            "What will you do with this grant, and who will lead it?",
            "¿Qué harán con esta subvención y quién la dirigirá?",
        ),
        (
            "How will residents most affected decide the direction of the work?",
            "¿Cómo decidirán la dirección del trabajo los residentes más afectados?",
        ),
    ]:
        actions.add_item(
            actor=admin, cycle=cycle, kind="question", text=text, text_es=text_es, limit=300
        )
    actions.add_item(
        actor=admin,
        cycle=cycle,
        kind="document",
        name="Budget sheet",
        name_es="Hoja de presupuesto",
    )
    for name, name_es, description, weight in RUBRIC:
        actions.add_item(
            actor=admin,
            cycle=cycle,
            kind="criterion",
            name=name,
            name_es=name_es,
            description=description,
            scale_min=1,
            scale_max=5,
            weight=Decimal(weight),
        )
    return actions.set_cycle_status(actor=admin, cycle=cycle, status="open")


def _apply(
    builder: Any, cycle: Cycle, index: int, days_ago: int, *, submit: bool = True
) -> Application:
    org = builder.cpbos[index]
    partner = next(u for u in builder.users.values() if org.pk in u.organization_ids)
    title, summary = PROJECTS[index]
    at = builder.at(days_ago, 11)
    application = actions.start_application(
        actor=partner, cycle=cycle, organization=org, project_title=title, at=at
    )
    amount = Decimal(builder.rng.choice([15000, 20000, 25000, 30000, 35000]))
    actions.save_application(
        actor=partner,
        application=application,
        at=at,
        summary=summary,
        amount_requested=amount,
        answers={
            str(q.pk): summary + " Our members chose this focus at our annual assembly."
            for q in cycle.questions.all()
        },
        budget=f"Organizer stipends: ${amount * Decimal('0.6'):.0f}\nInterpretation and childcare: ${amount * Decimal('0.2'):.0f}\n"
        f"Materials and meeting space: ${amount * Decimal('0.2'):.0f}",
    )
    for requirement in cycle.required_documents.all():
        actions.add_document(
            actor=partner,
            application=application,
            requirement=requirement,
            upload=_pdf("budget.pdf"),
            at=at,
        )
    if submit:
        application = actions.submit_application(actor=partner, application=application, at=at)
    return application


def _review(
    builder: Any,
    cycle: Cycle,
    days_ago: int,
    reviewers: list[User],
    staff: list[User],
    *,
    finish: float,
) -> None:
    admin = builder.users["admin"]
    cycle = actions.set_cycle_status(actor=admin, cycle=cycle, status="review")
    apps = list(cycle.applications.filter(status="submitted").select_related("organization"))
    for application in apps:
        actions.screen_application(
            actor=admin,
            application=application,
            eligibility="eligible",
            reason="Community-based, county-serving, budget within range.",
            at=builder.at(days_ago, 9),
        )
    for person in reviewers + staff:
        actions.add_panel_member(
            actor=admin, cycle=cycle, reviewer=person, at=builder.at(days_ago, 10)
        )
    # One reviewer is a member of the second applicant's congregation and says so.
    for person in reviewers + staff:
        for application in apps:
            conflicted = person == reviewers[1] and application == apps[1]
            actions.declare_conflict(
                actor=person,
                application=application,
                kind="membership" if conflicted else "none",
                note="I attend this congregation." if conflicted else "",
                at=builder.at(days_ago - 1, 10),
            )
    actions.run_assignment(actor=admin, cycle=cycle, at=builder.at(days_ago - 1, 12))
    quality = {a.pk: builder.rng.uniform(2.0, 4.6) for a in apps}
    bias = {p.pk: builder.rng.choice([-1.0, -0.5, 0.0, 0.5, 1.0]) for p in reviewers + staff}
    criteria = list(cycle.criteria.all())
    for assignment in Assignment.objects.filter(application__cycle=cycle).select_related(
        "application", "reviewer"
    ):
        if builder.rng.random() > finish:
            continue
        q = quality[assignment.application_id] + bias[assignment.reviewer_id]
        scores = {
            c.pk: (
                max(1, min(5, round(q + builder.rng.uniform(-0.7, 0.7)))),
                "Clear plan; residents lead the work.",
            )
            for c in criteria
        }
        actions.save_review(
            actor=assignment.reviewer,
            application=assignment.application,
            scores=scores,
            comment="Strong ties to the neighborhood.",
            submit=True,
            at=builder.at(days_ago - 5, 15),
        )


def build(builder: Any) -> None:
    admin = builder.users["admin"]
    program = actions.create_program(
        actor=admin,
        name="Community Health Power Fund",
        name_es="Fondo de Poder Comunitario para la Salud",
        purpose="Fund community power-building organizations to organize for the conditions that make people healthy.",
        purpose_es="Financiar organizaciones comunitarias para organizarse por las condiciones que hacen sana a la gente.",
        funding_source="County general fund, health equity line",
        restrictions="No lobbying, no partisan political activity, and no electioneering with these funds.",
        restrictions_es="Sin cabildeo, sin actividad política partidista y sin propaganda electoral con estos fondos.",
        eligibility="Community organizations and nonprofits based in and serving the county.",
        eligibility_es="Organizaciones comunitarias y sin fines de lucro con sede en el condado.",
        approval_steps=[
            "Review committee recommends",
            "Governing group decides",
            "Board of health approves",
        ],
    )
    reviewers = _reviewers(builder)
    staff = [builder.users["liaison2"], builder.users["analyst"]]

    # Last year's cycle, finished: awards, agreements, payments, reports.
    done = _cycle(
        builder,
        program,
        title="Community Health Power Fund 2025",
        title_es="Fondo de Poder Comunitario 2025",
        opened=420,
        closes=380,
        budget=100000,
    )
    for i in range(6):
        _apply(builder, done, i, 400 - i * 3)
    _review(builder, done, 375, reviewers[:4], staff, finish=1.0)
    rows = queries.ranking(admin, done)
    left = done.budget
    for row in rows:
        application = row.application
        requested = application.amount_requested or Decimal("0")
        if left >= requested:
            actions.decide(
                actor=admin,
                application=application,
                outcome="fund",
                amount=requested,
                reason="Ranked high by the panel; the plan is concrete and resident-led.",
                at=builder.at(350),
            )
            left -= requested
        elif left >= done.award_min:
            actions.decide(
                actor=admin,
                application=application,
                outcome="part",
                amount=left,
                reason="Funded in part with what remained of the budget.",
                at=builder.at(350),
            )
            left = Decimal("0")
        else:
            actions.decide(
                actor=admin,
                application=application,
                outcome="decline",
                amount=None,
                reason="The budget ran out before this application; encouraged to apply again.",
                at=builder.at(350),
            )
    actions.add_note(
        actor=admin,
        application=rows[0].application,
        at=builder.at(352),
        text="The panel agreed this is the strongest resident-led plan.",
    )
    for step, days in zip(actions.approval_chain(done), (345, 338, 330), strict=True):
        actions.approve_step(
            actor=admin, cycle=done, note=f"{step}: approved as presented.", at=builder.at(days)
        )
    done.refresh_from_db()
    for award in Award.objects.filter(application__cycle=done).select_related(
        "application__organization"
    ):
        actions.update_award(
            actor=admin,
            award=award,
            agreement=_pdf("agreement.pdf"),
            agreement_signed_on=builder.today - timedelta(days=320),
            start=builder.today - timedelta(days=315),
            end=builder.today + timedelta(days=50),
        )
        half = (award.amount / 2).quantize(Decimal("0.01"))
        first = actions.schedule_payment(
            actor=admin, award=award, due=builder.today - timedelta(days=310), amount=half
        )
        second = actions.schedule_payment(
            actor=admin,
            award=award,
            due=builder.today - timedelta(days=130),
            amount=award.amount - half,
        )
        actions.record_payment(
            actor=admin,
            payment=first,
            paid_on=builder.today - timedelta(days=305),
            reference=f"EFT-{award.pk}01",
        )
        actions.record_payment(
            actor=admin,
            payment=second,
            paid_on=builder.today - timedelta(days=126),
            reference=f"EFT-{award.pk}02",
        )
        mid = actions.schedule_report(
            actor=admin, award=award, due=builder.today - timedelta(days=140)
        )
        # The next report: late for the first grantee, coming due for the others.
        late = award.pk == Award.objects.filter(application__cycle=done).order_by("pk")[0].pk
        actions.schedule_report(
            actor=admin,
            award=award,
            due=builder.today + (timedelta(days=-9) if late else timedelta(days=5)),
        )
        org = award.application.organization
        partner = next(u for u in builder.users.values() if org.pk in u.organization_ids)
        actions.submit_report(
            actor=partner,
            report=mid,
            at=builder.at(142),
            progress="We held 14 house meetings and trained 9 new leaders.",
            change="Residents testified at two hearings; the city agreed to inspect 40 buildings.",
            challenges="Childcare for evening meetings; we would welcome interpretation help.",
            people_reached=builder.rng.randint(60, 400),
        )
    # Awarded, not closed: the grants run until their last reports are in.

    # This year's cycle, under review: the panel is part-way through scoring.
    current = _cycle(
        builder,
        program,
        title="Community Health Power Fund 2026",
        title_es="Fondo de Poder Comunitario 2026",
        opened=60,
        closes=12,
        budget=120000,
    )
    for i in range(6):
        _apply(builder, current, i, 40 - i * 4)
    _review(builder, current, 10, reviewers, staff, finish=0.6)
    # One applicant pulled out while the panel was reading.
    withdrawn = current.applications.order_by("-pk").first()
    if withdrawn is not None:
        org = withdrawn.organization
        partner = next(u for u in builder.users.values() if org.pk in u.organization_ids)
        actions.withdraw_application(
            actor=partner,
            application=withdrawn,
            reason="Our lead organizer left; we will apply again next round.",
            at=builder.at(6),
        )
    # The daily reminders have run: grantees heard about the reports coming due and late.
    send_report_reminders(today=builder.today)

    # And next round's call is open, with one draft started.
    upcoming = _cycle(
        builder,
        program,
        title="Rapid Response Organizing Grants",
        title_es="Subvenciones de respuesta rápida",
        opened=5,
        closes=-25,
        budget=40000,
    )
    _apply(builder, upcoming, 2, 2, submit=False)
