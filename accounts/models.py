"""Users, their roles, memberships in organizations, and invitations."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class DepartmentRole(models.TextChoices):
    NONE = "", _("Not department staff")
    ADMIN = "admin", _("Department admin")
    LIAISON = "liaison", _("Liaison")
    ANALYST = "analyst", _("Analyst")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("department_role", DepartmentRole.ADMIN)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Roles: department staff, partner, board member, reviewer."""

    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    department_role = models.CharField(
        _("department role"), max_length=16, choices=DepartmentRole.choices, blank=True
    )
    is_board_member = models.BooleanField(_("advisory board member"), default=False)
    is_reviewer = models.BooleanField(_("community reviewer"), default=False)
    language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Django's own flag: may open the admin site. Not the same as department staff.
    is_staff = models.BooleanField(_("admin site access"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []  # Django reads it as a class attribute

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return self.get_full_name()

    def get_full_name(self) -> str:
        # Never the email: names go on pages, timelines and emails that others read, and an
        # address would expose a member of a high-risk organization (partners.rules).
        return self.name or gettext("User %(n)s") % {"n": self.pk}

    def get_short_name(self) -> str:
        return self.get_full_name().split(" ")[0]

    @property
    def is_department(self) -> bool:
        return bool(self.department_role)

    @property
    def is_department_admin(self) -> bool:
        return self.department_role == DepartmentRole.ADMIN

    @cached_property
    def organization_ids(self) -> frozenset[int]:
        """Ids of the organizations this user is a member of (cached for the request)."""
        return frozenset(self.memberships.values_list("organization_id", flat=True))

    @cached_property
    def admin_organization_ids(self) -> frozenset[int]:
        return frozenset(
            self.memberships.filter(role=Membership.Role.ADMIN).values_list(
                "organization_id", flat=True
            )
        )

    @property
    def is_partner(self) -> bool:
        return bool(self.organization_ids)


class Membership(models.Model):
    """A user belongs to an organization, as its admin or as a member."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Organization admin")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        "partners.Organization", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_org")
        ]
        ordering = ["organization__name"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"


def _default_expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.INVITATION_DAYS)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """An emailed invitation to join as department staff or as a member of an organization."""

    email = models.EmailField(_("email"))
    organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("organization"),
    )
    membership_role = models.CharField(
        _("organization role"), max_length=16, choices=Membership.Role.choices, blank=True
    )
    department_role = models.CharField(
        _("department role"), max_length=16, choices=DepartmentRole.choices, blank=True
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_default_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                name="invitation_grants_a_role",
                condition=(
                    models.Q(organization__isnull=False, department_role="")
                    & ~models.Q(membership_role="")
                )
                | models.Q(organization__isnull=True, membership_role="")
                & ~models.Q(department_role=""),
            )
        ]

    def __str__(self) -> str:
        return self.email

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_usable(self) -> bool:
        return not (self.is_expired or self.accepted_at or self.revoked_at)

    @property
    def status(self) -> str:
        if self.accepted_at:
            return str(_("accepted"))
        if self.revoked_at:
            return str(_("revoked"))
        if self.is_expired:
            return str(_("expired"))
        return str(_("pending"))


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal access token for the API. Only its SHA-256 hash is kept; the token itself is
    shown once, when it is made. It acts as its user, limited to reading or to reading and
    writing."""

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        READ_WRITE = "read_write", _("Read and write")

    PREFIX = "ps_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices, default=Scope.READ)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters, so the owner can tell tokens apart; too short to guess from.
    hint = models.CharField(max_length=12, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def new_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.READ_WRITE

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
