"""Grant programs, their cycles, applications, community review, decisions, awards, reports."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from powershare.visibility import Visibility, VisibleQuerySet, visible_q

MONEY = {"max_digits": 12, "decimal_places": 2}


def bilingual(record: Any, field: str) -> str:
    """A record's text in the active language: the ``<field>_es`` twin in Spanish, if filled."""
    if (translation.get_language() or "en").startswith("es"):
        spanish = getattr(record, f"{field}_es", "")
        if spanish:
            return str(spanish)
    return str(getattr(record, field))


class Program(models.Model):
    """A grant program: why it exists, what pays for it and what those funds may not do."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    purpose = models.TextField(_("purpose"))
    purpose_es = models.TextField(_("purpose (Spanish)"), blank=True)
    funding_source = models.CharField(_("funding source"), max_length=300)
    restrictions = models.TextField(
        _("restrictions on the funds"),
        blank=True,
        help_text=_("For example: no lobbying or partisan activity with these funds."),
    )
    restrictions_es = models.TextField(_("restrictions (Spanish)"), blank=True)
    eligibility = models.TextField(_("who may apply"))
    eligibility_es = models.TextField(_("who may apply (Spanish)"), blank=True)
    approval_steps = models.JSONField(
        _("approval chain"),
        default=list,
        blank=True,
        help_text=_("The steps a slate of decisions goes through, in order."),
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("grant program")
        verbose_name_plural = _("grant programs")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("grants:program", args=[self.pk])

    def owning_organization_id(self) -> int | None:
        return None


class CycleQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> CycleQuerySet:
        """Staff see every cycle; everyone else sees cycles once their call is published."""
        if getattr(user, "is_authenticated", False) and user.is_department:
            return self.all()
        return self.exclude(status=Cycle.Status.DRAFT)


class Cycle(models.Model):
    """One round of a program: the call, its dates and money, questions and rubric."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for applications")
        REVIEW = "review", _("Under review")
        DECIDED = "decided", _("Awarded")
        CLOSED = "closed", _("Closed")

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("program")
    )
    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    call = models.TextField(_("call for applications"))
    call_es = models.TextField(_("call for applications (Spanish)"), blank=True)
    opens = models.DateTimeField(_("opens"))
    deadline = models.DateTimeField(_("deadline"))
    decision_date = models.DateField(_("decisions expected"), null=True, blank=True)
    budget = models.DecimalField(_("budget"), **MONEY)
    award_min = models.DecimalField(_("smallest award"), **MONEY)
    award_max = models.DecimalField(_("largest award"), **MONEY)
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"), default=3
    )
    reviewer_cap = models.PositiveSmallIntegerField(_("most applications per reviewer"), default=8)
    stipend_per_review = models.DecimalField(
        _("stipend per review (community reviewers)"), default=Decimal("0"), **MONEY
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("grant cycle")
        verbose_name_plural = _("grant cycles")
        constraints = [
            models.CheckConstraint(
                name="cycle_deadline_after_opening", condition=Q(deadline__gt=models.F("opens"))
            ),
            models.CheckConstraint(
                name="cycle_award_range",
                condition=Q(award_min__gte=0) & Q(award_max__gte=models.F("award_min")),
            ),
            models.CheckConstraint(name="cycle_budget_positive", condition=Q(budget__gt=0)),
            models.CheckConstraint(
                name="cycle_review_numbers",
                condition=Q(reviewers_per_application__gte=1) & Q(reviewer_cap__gte=1),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("grants:cycle", args=[self.pk])

    def owning_organization_id(self) -> int | None:
        return None

    @property
    def display_title(self) -> str:
        return bilingual(self, "title")

    @property
    def display_call(self) -> str:
        return bilingual(self, "call")

    def reviews_started(self) -> bool:
        return Review.objects.filter(application__cycle=self).exists()

    @property
    def is_accepting(self) -> bool:
        now = timezone.now()
        return self.status == self.Status.OPEN and self.opens <= now <= self.deadline


class Question(models.Model):
    """A question applicants answer, in English and Spanish."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=500)
    text_es = models.CharField(_("question (Spanish)"), max_length=500, blank=True)
    limit = models.PositiveIntegerField(_("word limit"), null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def display(self) -> str:
        return bilingual(self, "text")


class RequiredDocument(models.Model):
    """A document every application must attach."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="required_documents")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("document"), max_length=200)
    name_es = models.CharField(_("document (Spanish)"), max_length=200, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def display(self) -> str:
        return bilingual(self, "name")


class Criterion(models.Model):
    """A rubric line: what reviewers judge, on what scale, with what weight."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("criterion"), max_length=200)
    name_es = models.CharField(_("criterion (Spanish)"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                name="criterion_scale_order", condition=Q(scale_max__gt=models.F("scale_min"))
            ),
            models.CheckConstraint(name="criterion_weight_positive", condition=Q(weight__gt=0)),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display(self) -> str:
        return bilingual(self, "name")

    @property
    def display_description(self) -> str:
        return bilingual(self, "description")


class ApplicationQuerySet(VisibleQuerySet):
    def visible_to(self, user: Any) -> ApplicationQuerySet:
        """The applicant's members always; staff once it is submitted; a panel reviewer once
        assigned and declared free of conflict, until it is withdrawn. Nobody who declared a
        conflict on it."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        q = visible_q(user)
        q |= Q(
            status=Application.Status.SUBMITTED,
            assignments__reviewer=user,
            conflicts__reviewer=user,
            conflicts__has_conflict=False,
        )
        conflicted = ConflictDeclaration.objects.filter(reviewer=user, has_conflict=True)
        # A member of the applicant still sees their own organization's application.
        hidden = Q(pk__in=conflicted.values("application_id")) & ~Q(
            organization__in=user.organization_ids
        )
        return self.filter(q).exclude(hidden).distinct()  # type: ignore[return-value]


def _document_path(instance: ApplicationDocument, filename: str) -> str:
    return f"grants/applications/{instance.application_id}/{filename}"


class Application(models.Model):
    """An organization's application to a cycle. Private while a draft; the department reads
    it once submitted (``visibility`` moves from private to department)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Eligibility(models.TextChoices):
        PENDING = "pending", _("Not yet screened")
        ELIGIBLE = "eligible", _("Eligible")
        INELIGIBLE = "ineligible", _("Not eligible")

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="applications")
    organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.PROTECT,
        related_name="grant_applications",
        verbose_name=_("organization"),
    )
    project_title = models.CharField(_("project title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    amount_requested = models.DecimalField(_("amount requested"), null=True, blank=True, **MONEY)
    budget = models.TextField(
        _("budget"), blank=True, help_text=_("One line per item: what it is and what it costs.")
    )
    answers = models.JSONField(default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    eligibility = models.CharField(
        _("eligibility"), max_length=16, choices=Eligibility.choices, default=Eligibility.PENDING
    )
    eligibility_reason = models.TextField(_("reason"), blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    screened_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.TextField(_("why it was withdrawn"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organization"], name="one_application_per_org"
            ),
            models.CheckConstraint(
                name="submitted_application_has_time",
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
            ),
            models.CheckConstraint(
                name="screening_has_reason",
                condition=Q(eligibility="pending") | ~Q(eligibility_reason=""),
            ),
            # Withdrawn exactly when it has a withdrawal time (a submission came first).
            models.CheckConstraint(
                name="withdrawn_application_has_time",
                condition=Q(status="withdrawn", withdrawn_at__isnull=False)
                | (~Q(status="withdrawn") & Q(withdrawn_at__isnull=True, withdrawal_reason="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_title} ({self.organization})"

    def get_absolute_url(self) -> str:
        return reverse("grants:application", args=[self.pk])

    def owning_organization_id(self) -> int | None:
        return self.organization_id

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN


class ApplicationDocument(models.Model):
    """A file attached to an application, for one of the cycle's required documents or extra."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(
        RequiredDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to=_document_path)
    name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["requirement__order", "pk"]

    def __str__(self) -> str:
        return self.name


class PanelMember(models.Model):
    """A reviewer on a cycle's panel: a community member or department staff."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", _("Community member")
        STAFF = "staff", _("Department staff")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="panel")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grant_panels"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    added = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "reviewer__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "reviewer"], name="one_seat_per_panel")
        ]

    def __str__(self) -> str:
        return str(self.reviewer)


class ConflictDeclaration(models.Model):
    """A reviewer's answer, before reading an application, to: do you have a conflict?"""

    class Kind(models.TextChoices):
        NONE = "none", _("No conflict")
        RELATIONSHIP = "relationship", _("Close relationship with the applicant")
        FAMILY = "family", _("Family member involved")
        EMPLOYMENT = "employment", _("Employed by or paid by the applicant")
        MEMBERSHIP = "membership", _("Member or leader of the applicant")
        OTHER = "other", _("Other conflict")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grant_conflicts"
    )
    has_conflict = models.BooleanField()
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="one_declaration_per_reviewer"
            ),
            models.CheckConstraint(
                name="conflict_kind_matches",
                condition=Q(has_conflict=False, kind="none")
                | Q(has_conflict=True) & ~Q(kind="none"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.get_kind_display()}"


class Assignment(models.Model):
    """A reviewer asked to review an application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grant_assignments"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application__organization__name", "reviewer__name"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="one_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application_id}"


class Review(models.Model):
    """A reviewer's scores for one application; others' scores stay hidden until submitted."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_reviews"
    )
    comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="one_review")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application_id}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    """One criterion's score within a review, with the reviewer's comment."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class DeliberationNote(models.Model):
    """What the panel said about an application when it met."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"))
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return self.text[:50]


class Decision(models.Model):
    """Fund, fund in part or not fund, with the reason."""

    class Outcome(models.TextChoices):
        FUND = "fund", _("Fund")
        PART = "part", _("Fund in part")
        DECLINE = "decline", _("Do not fund")

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(_("decision"), max_length=16, choices=Outcome.choices)
    amount = models.DecimalField(_("amount"), default=Decimal("0"), **MONEY)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="decision_amount_matches",
                condition=Q(outcome="decline", amount=0) | ~Q(outcome="decline") & Q(amount__gt=0),
            ),
            models.CheckConstraint(name="decision_has_reason", condition=~Q(reason="")),
        ]

    def __str__(self) -> str:
        return self.get_outcome_display()

    @property
    def funds(self) -> bool:
        return self.outcome != self.Outcome.DECLINE


class ApprovalStep(models.Model):
    """One step of the program's approval chain, taken for a cycle's slate of decisions."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="approvals")
    step = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    note = models.TextField(_("note"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["step"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "step"], name="one_approval_per_step")
        ]

    def __str__(self) -> str:
        return self.name


def _agreement_path(instance: Award, filename: str) -> str:
    return f"grants/awards/{instance.pk}/{filename}"


class Award(models.Model):
    """Money granted after the approval chain completes: agreement, schedule, payments."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="award")
    amount = models.DecimalField(_("amount"), **MONEY)
    agreement = models.FileField(_("signed agreement"), upload_to=_agreement_path, blank=True)
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application__organization__name"]
        constraints = [models.CheckConstraint(name="award_positive", condition=Q(amount__gt=0))]

    def __str__(self) -> str:
        return str(self.application)

    def get_absolute_url(self) -> str:
        return reverse("grants:award", args=[self.pk])

    def owning_organization_id(self) -> int | None:
        return self.application.organization_id

    @property
    def paid(self) -> Decimal:
        return sum((p.amount for p in self.payments.all() if p.paid_on), Decimal("0"))


class Payment(models.Model):
    """A scheduled installment of an award, and when it was paid."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="payments")
    due = models.DateField(_("due"))
    amount = models.DecimalField(_("amount"), **MONEY)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    reference = models.CharField(_("payment reference"), max_length=100, blank=True)

    class Meta:
        ordering = ["due", "pk"]
        constraints = [models.CheckConstraint(name="payment_positive", condition=Q(amount__gt=0))]

    def __str__(self) -> str:
        return f"{self.due}: {self.amount}"


class Report(models.Model):
    """A short progress report due from a grantee; answered in their own language."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="reports")
    due = models.DateField(_("due"))
    progress = models.TextField(_("What did you do with the grant so far?"), blank=True)
    change = models.TextField(_("What changed for your community?"), blank=True)
    challenges = models.TextField(
        _("What got in the way, and what help would you like?"), blank=True
    )
    people_reached = models.PositiveIntegerField(
        _("About how many people took part?"), null=True, blank=True
    )
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["award", "due"], name="one_report_per_due_date")
        ]

    def __str__(self) -> str:
        return f"{self.award_id}: {self.due}"

    @property
    def is_overdue(self) -> bool:
        return self.submitted_at is None and self.due < timezone.localdate()


class ReportReminder(models.Model):
    """A reminder emailed to a grantee about a report: one as it comes due, one once it is
    overdue. The unique pair keeps a daily run from sending either twice."""

    class Kind(models.TextChoices):
        DUE = "due", _("Coming due")
        OVERDUE = "overdue", _("Overdue")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("reminder"), max_length=16, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], name="one_reminder_per_window")
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.kind}"


class ReviewerInterest(models.Model):
    """A resident's answer to the public call for community reviewers."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Added as a reviewer")
        DECLINED = "declined", _("Not this time")

    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone (optional)"), max_length=40, blank=True)
    neighborhood = models.CharField(_("neighborhood"), max_length=200, blank=True)
    language = models.CharField(_("preferred language"), max_length=8, choices=settings.LANGUAGES)
    experience = models.TextField(_("Why do you want to review, and what do you bring?"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    created = models.DateTimeField(default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.name
