"""Organizations, people, campaigns and the department's partnerships with CPBOs."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from powershare.visibility import Visibility, VisibleQuerySet


class IssueArea(models.TextChoices):
    HOUSING = "housing", _("Healthy housing")
    ENVIRONMENT = "environment", _("Environmental justice and air quality")
    WORKERS = "workers", _("Worker health and safety")
    TRANSPORT = "transport", _("Safe streets and transportation")
    LANGUAGE = "language", _("Language access")
    VIOLENCE = "violence", _("Violence prevention")
    FOOD = "food", _("Food access")
    HEALTHCARE = "healthcare", _("Access to care")
    IMMIGRATION = "immigration", _("Immigrant rights")
    OTHER = "other", _("Other")


class OrganizationQuerySet(VisibleQuerySet):
    owner_path = "id"


class Organization(models.Model):
    """A CPBO, agency, department unit, nonprofit, funder, elected office or business."""

    class Kind(models.TextChoices):
        CPBO = "cpbo", _("Community power-building organization")
        AGENCY = "agency", _("Government agency")
        DEPARTMENT_UNIT = "unit", _("Department unit")
        NONPROFIT = "nonprofit", _("Nonprofit")
        FUNDER = "funder", _("Funder")
        ELECTED_OFFICE = "elected", _("Elected office")
        BUSINESS = "business", _("Business")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200, unique=True)
    mission = models.TextField(_("mission"), blank=True)
    issue_areas = models.JSONField(_("issue areas"), default=list, blank=True)
    geographies = models.CharField(_("geographies served"), max_length=300, blank=True)
    constituencies = models.CharField(_("constituencies"), max_length=300, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    base_size = models.PositiveIntegerField(_("base size (members)"), null=True, blank=True)
    organizing_approach = models.TextField(_("organizing approach"), blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("public contact email"), blank=True)
    contact_phone = models.CharField(_("public contact phone"), max_length=40, blank=True)
    high_risk = models.BooleanField(
        _("high risk"),
        default=False,
        help_text=_(
            "Hides contact details from everyone outside the organization, department staff "
            "included, and leaves the organization out of exports."
        ),
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:organization", args=[self.pk])

    def owning_organization_id(self) -> int | None:
        # An organization with members manages its own record; one without is the department's.
        if self.pk and self.memberships.exists():
            return self.pk
        return None

    def issue_area_labels(self) -> list[str]:
        labels = dict(IssueArea.choices)
        return [str(labels.get(code, code)) for code in self.issue_areas]


class PersonQuerySet(VisibleQuerySet):
    pass


class Person(models.Model):
    """Someone the department or a partner works with: leaders, officials, staff of agencies."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    high_risk = models.BooleanField(
        _("high risk"),
        default=False,
        help_text=_("Hides contact details from everyone outside the owning organization."),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="people_owned",
        verbose_name=_("recorded by"),
        help_text=_("The organization that keeps this record; empty for the department's own."),
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.DEPARTMENT
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:person", args=[self.pk])

    def owning_organization_id(self) -> int | None:
        return self.organization_id


class PersonRole(models.Model):
    """A title or role a person holds at an organization."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="person_roles"
    )
    title = models.CharField(_("title or role"), max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization", "title"], name="unique_person_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.organization}"


class CampaignQuerySet(VisibleQuerySet):
    pass


class Campaign(models.Model):
    """A CPBO's organized effort to win a demand from decision-makers."""

    class Status(models.TextChoices):
        PLANNING = "planning", _("Planning")
        ACTIVE = "active", _("Active")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="campaigns",
        verbose_name=_("organization"),
        limit_choices_to={"kind": Organization.Kind.CPBO},
    )
    title = models.CharField(_("title"), max_length=200)
    issue_area = models.CharField(_("issue area"), max_length=32, choices=IssueArea.choices)
    goal = models.TextField(_("goal"))
    demands = models.TextField(_("demands"), blank=True)
    target_people = models.ManyToManyField(
        Person, blank=True, related_name="targeted_by", verbose_name=_("decision-makers (people)")
    )
    target_organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="targeted_by",
        verbose_name=_("decision-makers (organizations)"),
    )
    geography = models.CharField(_("geography"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNING
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-updated"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                name="campaign_ends_after_start",
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gte=models.F("start")),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partners:campaign", args=[self.pk])

    def owning_organization_id(self) -> int | None:
        return self.organization_id


class Milestone(models.Model):
    """A dated step or win in a campaign. Shares the campaign's visibility."""

    class Kind(models.TextChoices):
        MILESTONE = "milestone", _("Milestone")
        WIN = "win", _("Win")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="milestones")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.MILESTONE)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return self.title


class EngagementLevel(models.IntegerChoices):
    """The spectrum of community engagement to ownership."""

    IGNORE = 0, _("0 Ignore")
    INFORM = 1, _("1 Inform")
    CONSULT = 2, _("2 Consult")
    INVOLVE = 3, _("3 Involve")
    COLLABORATE = 4, _("4 Collaborate")
    DEFER = 5, _("5 Defer to the community")


class PartnershipQuerySet(models.QuerySet):
    def visible_to(self, user: object) -> PartnershipQuerySet:
        """Staff see every partnership; a partner sees their own organization's."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_department:  # type: ignore[attr-defined]
            return self.all()
        return self.filter(cpbo__in=user.organization_ids)  # type: ignore[attr-defined]


class Partnership(models.Model):
    """The relationship between a department unit and a CPBO."""

    unit = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="partnerships_as_unit",
        limit_choices_to={"kind": Organization.Kind.DEPARTMENT_UNIT},
        verbose_name=_("department unit"),
    )
    cpbo = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="partnerships",
        limit_choices_to={"kind": Organization.Kind.CPBO},
        verbose_name=_("community organization"),
    )
    liaisons = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="liaison_for",
        verbose_name=_("liaisons"),
    )
    decision_rights = models.TextField(_("decision rights given to the partner"), blank=True)
    started = models.DateField(_("started"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["cpbo__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "cpbo"], name="one_partnership_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.cpbo}"

    def get_absolute_url(self) -> str:
        return reverse("partners:partnership", args=[self.pk])

    def latest_rating(self, side: str) -> PartnershipRating | None:
        """The newest rating by ``side``; uses prefetched ratings when there are any."""
        ratings = [r for r in self.ratings.all() if r.side == side]
        return max(ratings, key=lambda r: (r.rated_on, r.pk), default=None)

    @property
    def latest_department_rating(self) -> PartnershipRating | None:
        return self.latest_rating(PartnershipRating.Side.DEPARTMENT)

    @property
    def latest_partner_rating(self) -> PartnershipRating | None:
        return self.latest_rating(PartnershipRating.Side.PARTNER)


class PartnershipRating(models.Model):
    """One side's rating of where the partnership stands on the spectrum, with its reason."""

    class Side(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        PARTNER = "partner", _("Partner")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="ratings")
    side = models.CharField(_("rated by"), max_length=16, choices=Side.choices)
    level = models.PositiveSmallIntegerField(
        _("level"),
        choices=EngagementLevel.choices,
        validators=[MinValueValidator(0), MaxValueValidator(5)],
    )
    reason = models.TextField(_("reason"))
    rated_on = models.DateField(_("date"))
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["rated_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="rating_level_0_to_5", condition=models.Q(level__gte=0, level__lte=5)
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()}: {self.get_level_display()} ({self.rated_on})"


def agreement_upload_to(instance: Agreement, filename: str) -> str:
    return f"agreements/{instance.partnership_id}/{filename}"


class Agreement(models.Model):
    """A memorandum of understanding or data-sharing agreement within a partnership."""

    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        DATA_SHARING = "dsa", _("Data-sharing agreement")
        OTHER = "other", _("Other agreement")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="agreements"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    start = models.DateField(_("start"))
    expiry = models.DateField(_("expiry"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=agreement_upload_to, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                name="agreement_expires_after_start",
                condition=models.Q(expiry__isnull=True) | models.Q(expiry__gte=models.F("start")),
            )
        ]

    def __str__(self) -> str:
        return self.title


class RelationalMeeting(models.Model):
    """A one-to-one. Minimal by default: date, purpose, follow-ups; more only if the partner opts in."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("staff who met")
    )
    people = models.ManyToManyField(
        Person, blank=True, related_name="+", verbose_name=_("partner people who met")
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    follow_ups = models.TextField(_("follow-ups"), blank=True)
    partner_opted_in = models.BooleanField(
        _("the partner agreed to fuller notes"),
        default=False,
        help_text=_("Only then are interests and self-interest recorded."),
    )
    interests = models.TextField(_("interests learned"), blank=True)
    self_interest = models.TextField(_("self-interest learned"), blank=True)
    shared_with_partner = models.BooleanField(_("shared with the partner"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date}: {self.purpose}"
