"""Every change of state in the support ledger. Each runs in a transaction, adds an entry to the
ask's timeline, writes the audit log and queues its emails for after the commit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from partners.models import Campaign, Organization
from powershare.audit.log import diff, record, snapshot
from powershare.forms import check_document
from powershare.visibility import Visibility, is_member_of
from support import notifications
from support.models import Ask, AskEvent, AskFile
from support.rules import can_answer, can_comment, is_asker, may_set_status

EDITABLE_FIELDS = ("campaign", "kind", "title", "description", "needed_by", "visibility")
AUDIT_FIELDS = [
    "organization_id",
    "campaign_id",
    "kind",
    "title",
    "description",
    "needed_by",
    "visibility",
    "status",
    "owner_id",
]
MAX_FILES = 10

# Sent after the commit of every status change, with ``ask`` and ``event`` (its AskEvent);
# the API's webhooks listen to it.
ask_status_changed = Signal()


def _check_campaign(organization: Organization, campaign: Campaign | None) -> None:
    if campaign is not None and campaign.organization_id != organization.pk:
        raise ValidationError(
            _("The campaign must be one of %(organization)s's campaigns.")
            % {"organization": organization.name}
        )


def _locked(ask: Ask) -> Ask:
    """Re-read the ask under a row lock so two people answering at once can't both move it."""
    ask.refresh_from_db(from_queryset=Ask.objects.select_for_update())
    return ask


def parse_links(links: str | Iterable[str]) -> list[str]:
    """Web links, one a line; anything but an http(s) address is refused."""
    lines = links.splitlines() if isinstance(links, str) else list(links)
    validate = URLValidator(schemes=["http", "https"])
    cleaned = []
    for line in (line.strip() for line in lines):
        if not line:
            continue
        try:
            validate(line)
        except ValidationError:
            raise ValidationError(
                _("“%(link)s” is not a web address (http:// or https://).") % {"link": line[:100]}
            ) from None
        cleaned.append(line)
    return cleaned


@transaction.atomic
def submit_ask(
    *,
    actor: User,
    organization: Organization,
    kind: str,
    title: str,
    description: str,
    campaign: Campaign | None = None,
    needed_by: date | None = None,
    visibility: str = Visibility.LIAISON,
    at: datetime | None = None,
) -> Ask:
    """File a new ask for ``organization``; only its members may. Its liaisons are told."""
    if not is_member_of(actor, organization.pk):
        raise PermissionDenied
    _check_campaign(organization, campaign)
    at = at or timezone.now()
    ask = Ask(
        organization=organization,
        campaign=campaign,
        kind=kind,
        title=title,
        description=description,
        needed_by=needed_by,
        visibility=visibility,
        created_by=actor,
        created=at,
    )
    ask.full_clean()
    ask.save()
    AskEvent.objects.create(
        ask=ask, at=at, actor=actor, kind=AskEvent.Kind.STATUS, to_status=Ask.Status.NEW
    )
    record(actor=actor, event="ask.submitted", target=ask, changes=snapshot(ask, AUDIT_FIELDS))
    notifications.new_ask(ask, actor=actor)
    return ask


@transaction.atomic
def update_ask(*, actor: User, ask: Ask, **fields: Any) -> Ask:
    """Change an open ask's campaign, kind, title, description, needed-by date or visibility."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"update_ask() cannot change {', '.join(sorted(unknown))}")
    if not is_asker(actor, ask):
        raise PermissionDenied
    ask = _locked(ask)
    if not ask.is_open:
        raise ValidationError(_("This ask is closed; it can no longer be edited."))
    _check_campaign(ask.organization, fields.get("campaign", ask.campaign))
    before = snapshot(ask, AUDIT_FIELDS)
    for name, value in fields.items():
        setattr(ask, name, value)
    ask.full_clean()
    ask.save()
    changes = diff(before, snapshot(ask, AUDIT_FIELDS))
    if not changes:
        return ask
    AskEvent.objects.create(ask=ask, actor=actor, kind=AskEvent.Kind.EDITED)
    if "visibility" in changes:
        record(
            actor=actor,
            event="ask.visibility_changed",
            target=ask,
            changes={"visibility": changes["visibility"]},
        )
    record(actor=actor, event="ask.updated", target=ask, changes=changes)
    return ask


@transaction.atomic
def change_status(
    *,
    actor: User,
    ask: Ask,
    to_status: str,
    comment: str = "",
    decline_reason: str = "",
    summary: str = "",
    links: str | Iterable[str] = "",
    files: Sequence[UploadedFile] = (),
    at: datetime | None = None,
) -> Ask:
    """Move ``ask`` to ``to_status`` as Ask.TRANSITIONS allows. Staff who can see the ask
    acknowledge, start, deliver (``summary``, ``links``, ``files``) or decline it (with a
    ``decline_reason``); the asking organization's members withdraw it."""
    if to_status not in Ask.Status.values:
        raise ValidationError(_("“%(status)s” is not a status.") % {"status": str(to_status)[:40]})
    ask = _locked(ask)
    from_status = ask.status
    if to_status not in ask.next_statuses():
        raise ValidationError(
            _("This ask is %(current)s; it cannot be moved to %(target)s.")
            % {
                "current": ask.get_status_display().lower(),
                "target": Ask.Status(to_status).label.lower(),
            }
        )
    if not may_set_status(actor, ask, to_status):
        raise PermissionDenied
    at = at or timezone.now()
    comment = comment.strip()
    changes: dict[str, Any] = {"status": [from_status, to_status]}
    if comment:
        changes["comment"] = comment
    if to_status == Ask.Status.DECLINED:
        decline_reason = decline_reason.strip()
        if not decline_reason:
            raise ValidationError(_("Say why the department is declining this ask."))
        ask.decline_reason = decline_reason
        changes["decline_reason"] = decline_reason
    if to_status == Ask.Status.DELIVERED:
        changes.update(_deliver(actor=actor, ask=ask, summary=summary, links=links, files=files))
    ask.status = to_status
    if to_status == Ask.Status.ACKNOWLEDGED:
        ask.acknowledged_at = at
    if to_status not in Ask.OPEN_STATUSES:
        ask.closed_at = at
    ask.save()
    event = AskEvent.objects.create(
        ask=ask,
        at=at,
        actor=actor,
        kind=AskEvent.Kind.STATUS,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )
    record(actor=actor, event="ask.status_changed", target=ask, changes=changes)
    notifications.status_changed(ask, event, actor=actor)
    transaction.on_commit(lambda: ask_status_changed.send(sender=Ask, ask=ask, event=event))
    return ask


def _deliver(
    *,
    actor: User,
    ask: Ask,
    summary: str,
    links: str | Iterable[str],
    files: Sequence[UploadedFile],
) -> dict[str, Any]:
    """Record what was delivered; every check runs before anything is written."""
    summary = summary.strip()
    if not summary:
        raise ValidationError(_("Say what the department delivered."))
    cleaned_links = parse_links(links)
    if len(files) > MAX_FILES:
        raise ValidationError(_("Attach at most %(n)s files.") % {"n": MAX_FILES})
    for upload in files:
        check_document(upload)
    ask.delivered_summary = summary
    ask.delivered_links = "\n".join(cleaned_links)
    names = []
    for upload in files:
        name = (upload.name or "file")[:200]
        AskFile.objects.create(ask=ask, file=upload, name=name, uploaded_by=actor)
        names.append(name)
    return {"delivered_summary": summary, "delivered_links": cleaned_links, "files": names}


def acknowledge(*, actor: User, ask: Ask, comment: str = "", at: datetime | None = None) -> Ask:
    """Staff tell the organization its ask was received and will be answered."""
    return change_status(
        actor=actor, ask=ask, to_status=Ask.Status.ACKNOWLEDGED, comment=comment, at=at
    )


def start_work(*, actor: User, ask: Ask, comment: str = "", at: datetime | None = None) -> Ask:
    """Staff mark an acknowledged ask as in progress."""
    return change_status(
        actor=actor, ask=ask, to_status=Ask.Status.IN_PROGRESS, comment=comment, at=at
    )


def deliver(
    *,
    actor: User,
    ask: Ask,
    summary: str,
    links: str | Iterable[str] = "",
    files: Sequence[UploadedFile] = (),
    comment: str = "",
    at: datetime | None = None,
) -> Ask:
    """Staff close an ask with what was delivered: text, web links and files."""
    return change_status(
        actor=actor,
        ask=ask,
        to_status=Ask.Status.DELIVERED,
        summary=summary,
        links=links,
        files=files,
        comment=comment,
        at=at,
    )


def decline(
    *, actor: User, ask: Ask, reason: str, comment: str = "", at: datetime | None = None
) -> Ask:
    """Staff close an ask they will not answer; the reason is required and shown to the asker."""
    return change_status(
        actor=actor,
        ask=ask,
        to_status=Ask.Status.DECLINED,
        decline_reason=reason,
        comment=comment,
        at=at,
    )


def withdraw(*, actor: User, ask: Ask, comment: str = "", at: datetime | None = None) -> Ask:
    """The asking organization takes back an open ask."""
    return change_status(
        actor=actor, ask=ask, to_status=Ask.Status.WITHDRAWN, comment=comment, at=at
    )


@transaction.atomic
def assign_owner(
    *, actor: User, ask: Ask, owner: User | None, comment: str = "", at: datetime | None = None
) -> Ask:
    """Give an open ask an owner on staff (or none); the new owner is emailed."""
    if not can_answer(actor, ask):
        raise PermissionDenied
    if owner is not None and not (owner.is_active and owner.is_department):
        raise ValidationError(_("The owner must be a member of the department staff."))
    ask = _locked(ask)
    if not ask.is_open:
        raise ValidationError(_("This ask is closed; its owner can no longer change."))
    new_id = owner.pk if owner else None
    if ask.owner_id == new_id:
        return ask
    old_id = ask.owner_id
    ask.owner = owner
    ask.save()
    AskEvent.objects.create(
        ask=ask,
        at=at or timezone.now(),
        actor=actor,
        kind=AskEvent.Kind.ASSIGNED,
        assignee=owner,
        comment=comment.strip(),
    )
    record(actor=actor, event="ask.assigned", target=ask, changes={"owner_id": [old_id, new_id]})
    if owner is not None:
        notifications.assigned(ask, owner, actor=actor)
    return ask


@transaction.atomic
def add_comment(*, actor: User, ask: Ask, text: str, at: datetime | None = None) -> AskEvent:
    """A comment on the ask's timeline, from the asking organization or from staff."""
    if not can_comment(actor, ask):
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise ValidationError(_("Write a comment first."))
    event = AskEvent.objects.create(
        ask=ask, at=at or timezone.now(), actor=actor, kind=AskEvent.Kind.COMMENT, comment=text
    )
    record(actor=actor, event="ask.commented", target=ask, changes={"comment": text})
    notifications.commented(ask, event, actor=actor, by_asker=is_asker(actor, ask))
    return event
