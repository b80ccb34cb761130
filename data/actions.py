"""Every change of state in the data portal. Each runs in a transaction and writes the audit log;
loads into the engine's store run as background tasks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from data import portal
from data.models import (
    DataAgreement,
    Dataset,
    EvidenceItem,
    Measure,
    QueryLog,
    SavedQuery,
)
from data.policy_changes import update_policy  # noqa: F401  (the policy's apply function)
from partners.models import Campaign, Organization
from powershare.audit.log import diff, record, snapshot
from powershare.forms import check_new_document
from powershare.stats.indicators import indicators
from powershare.visibility import Visibility, is_member_of
from support import actions as support_actions
from support.models import Ask

DATASET_FIELDS = ["name", "title", "kind", "description", "source", "caveats"]
MEASURE_FIELDS = [
    "name",
    "label",
    "short_label",
    "label_es",
    "short_label_es",
    "dataset_id",
    "kind",
    "causes",
    "age_min",
    "age_max",
    "sex",
    "conditions",
    "numerator_conditions",
    "per",
    "unit",
    "standard",
    "description",
    "status",
]


def require_analyst(actor: User) -> None:
    if not (actor.department_role == "analyst" or actor.is_department_admin):
        raise PermissionDenied


def _require_staff(actor: User) -> None:
    if not actor.is_department:
        raise PermissionDenied


# -- catalog ------------------------------------------------------------------------------


@transaction.atomic
def create_dataset(*, actor: User, **fields: Any) -> Dataset:
    """Add a dataset to the catalog; it takes its years and rows from the store when loaded."""
    require_analyst(actor)
    dataset = Dataset(**fields)
    dataset.full_clean()
    dataset.save()
    refresh_dataset(dataset=dataset)
    record(
        actor=actor,
        event="dataset.created",
        target=dataset,
        changes=snapshot(dataset, DATASET_FIELDS),
    )
    return dataset


@transaction.atomic
def update_dataset(*, actor: User, dataset: Dataset, **fields: Any) -> Dataset:
    """Change a dataset's description, source or caveats."""
    require_analyst(actor)
    before = snapshot(dataset, DATASET_FIELDS)
    for name, value in fields.items():
        setattr(dataset, name, value)
    dataset.full_clean()
    dataset.save()
    changes = diff(before, snapshot(dataset, DATASET_FIELDS))
    if changes:
        record(actor=actor, event="dataset.updated", target=dataset, changes=changes)
    return dataset


def refresh_dataset(*, dataset: Dataset) -> Dataset:
    """Copy rows, years, version, levels and the load date from the engine's store."""
    if dataset.kind == Dataset.Kind.GEOGRAPHY:  # the store's one geography
        geo = portal.geography()
        if geo is None:
            return dataset
        dataset.levels = list(geo.levels)
        dataset.rows = sum(len(geo.codes(lv)) for lv in geo.levels)
        dataset.version = (geo.version or "")[:32]
        dataset.data_updated = timezone.now()
        dataset.save(update_fields=["rows", "version", "levels", "data_updated"])
        return dataset
    summary = portal.summarize(dataset.name)
    if summary is None:
        return dataset
    dataset.rows = summary.rows
    dataset.version = summary.version
    dataset.years = summary.years
    dataset.levels = portal.levels()
    if dataset.kind == Dataset.Kind.INDICATORS:  # the levels the publisher gives
        found = {lv for i in indicators(portal.store(), dataset.name) for lv in i.levels}
        dataset.levels = [lv for lv in portal.map_levels() if lv in found]
    if summary.loaded_at:
        dataset.data_updated = datetime.fromisoformat(summary.loaded_at)
    dataset.save(update_fields=["rows", "version", "years", "levels", "data_updated"])
    return dataset


@transaction.atomic
def create_measure(*, actor: User, **fields: Any) -> Measure:
    """Define a measure on a dataset (internal until published)."""
    require_analyst(actor)
    related = fields.pop("related", None)
    measure = Measure(**fields)
    measure.full_clean()
    portal.engine_measure(measure)  # the engine's own checks (cause codes, ages)
    measure.save()
    if related is not None:
        measure.related.set(related)
    record(
        actor=actor,
        event="measure.created",
        target=measure,
        changes=snapshot(measure, MEASURE_FIELDS),
    )
    return measure


@transaction.atomic
def update_measure(*, actor: User, measure: Measure, **fields: Any) -> Measure:
    """Change a measure's definition or status; a status change is logged on its own too."""
    require_analyst(actor)
    related = fields.pop("related", None)
    before = snapshot(measure, MEASURE_FIELDS)
    before_related = sorted(measure.related.values_list("name", flat=True))
    for name, value in fields.items():
        setattr(measure, name, value)
    measure.full_clean()
    if not measure.is_indicator:  # a published estimate is the publisher's, not the engine's
        portal.engine_measure(measure)
    measure.save()
    changes = diff(before, snapshot(measure, MEASURE_FIELDS))
    if related is not None:
        measure.related.set(related)
        after_related = sorted(measure.related.values_list("name", flat=True))
        if after_related != before_related:
            changes["related"] = [before_related, after_related]
    if "status" in changes:
        record(
            actor=actor,
            event="measure.status_changed",
            target=measure,
            changes={"status": changes["status"]},
        )
    if changes:
        record(actor=actor, event="measure.updated", target=measure, changes=changes)
    return measure


# -- saved queries and the query log ----------------------------------------------------


@transaction.atomic
def save_query(
    *,
    actor: User,
    title: str,
    params: dict[str, Any],
    campaign: Campaign | None = None,
    notes: str = "",
    visibility: str = Visibility.PRIVATE,
    at: datetime | None = None,
) -> SavedQuery:
    """Keep a query for a campaign; a partner's belongs to the campaign's organization."""
    organization: Organization | None = None
    if campaign is not None:
        if actor.is_department and not is_member_of(actor, campaign.organization_id):
            organization = None
            if visibility not in (Visibility.DEPARTMENT, Visibility.PUBLIC):
                visibility = Visibility.DEPARTMENT
        elif is_member_of(actor, campaign.organization_id):
            organization = campaign.organization
        else:
            raise PermissionDenied
    elif not actor.is_department:
        ids = actor.organization_ids
        if not ids:
            raise PermissionDenied
        organization = Organization.objects.get(pk=min(ids))
    elif visibility not in (Visibility.DEPARTMENT, Visibility.PUBLIC):
        visibility = Visibility.DEPARTMENT
    saved = SavedQuery(
        title=title,
        params=params,
        campaign=campaign,
        organization=organization,
        notes=notes,
        visibility=visibility,
        created_by=actor,
        created=at or timezone.now(),
    )
    saved.full_clean()
    saved.save()
    record(
        actor=actor,
        event="saved_query.created",
        target=saved,
        changes=snapshot(saved, ["title", "params", "campaign_id", "visibility"]),
    )
    return saved


@transaction.atomic
def delete_saved_query(*, actor: User, saved: SavedQuery) -> None:
    """Remove a saved query; the audit log keeps what it was."""
    record(
        actor=actor,
        event="saved_query.deleted",
        target=saved,
        changes=snapshot(saved, ["title", "params", "campaign_id"]),
    )
    saved.delete()


def log_query(
    *,
    user: Any,
    measure: Measure,
    params: dict[str, Any],
    what: str,
    agreement: DataAgreement | None,
) -> QueryLog | None:
    """Log a query of an internal measure (public ones are not logged)."""
    if measure.is_public:
        return None
    organization = agreement.organization if agreement else None
    return QueryLog.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        organization=organization,
        agreement=agreement,
        measure=measure.name,
        params=params,
        what=what,
    )


# -- agreements ---------------------------------------------------------------------------

AGREEMENT_FIELDS = [
    "organization_id",
    "title",
    "parties",
    "purpose",
    "start",
    "expires",
    "file",
    "revoked",
]


@transaction.atomic
def create_agreement(*, actor: User, datasets: list[Dataset], **fields: Any) -> DataAgreement:
    """Record a signed data-sharing agreement; it grants access from start to expiry."""
    _require_staff(actor)
    check_new_document(fields.get("file"))
    agreement = DataAgreement(created_by=actor, **fields)
    agreement.full_clean()
    agreement.save()
    agreement.datasets.set(datasets)
    changes = snapshot(agreement, AGREEMENT_FIELDS)
    changes["datasets"] = sorted(d.pk for d in datasets)
    record(actor=actor, event="agreement.created", target=agreement, changes=changes)
    return agreement


@transaction.atomic
def update_agreement(
    *, actor: User, agreement: DataAgreement, datasets: list[Dataset] | None = None, **fields: Any
) -> DataAgreement:
    """Change an agreement's terms, dates or file."""
    _require_staff(actor)
    check_new_document(fields.get("file"))
    before = snapshot(agreement, AGREEMENT_FIELDS)
    for name, value in fields.items():
        setattr(agreement, name, value)
    agreement.full_clean()
    agreement.save()
    changes: dict[str, Any] = diff(before, snapshot(agreement, AGREEMENT_FIELDS))
    if datasets is not None:
        old = sorted(agreement.datasets.values_list("pk", flat=True))
        agreement.datasets.set(datasets)
        new = sorted(d.pk for d in datasets)
        if old != new:
            changes["datasets"] = [old, new]
    if changes:
        record(actor=actor, event="agreement.updated", target=agreement, changes=changes)
    return agreement


@transaction.atomic
def revoke_agreement(*, actor: User, agreement: DataAgreement) -> DataAgreement:
    """End an agreement's access now."""
    return update_agreement(actor=actor, agreement=agreement, revoked=True)


# -- evidence -----------------------------------------------------------------------------

EVIDENCE_FIELDS = [
    "title",
    "kind",
    "issue_area",
    "authors",
    "year",
    "summary",
    "url",
    "file",
    "visibility",
]


@transaction.atomic
def add_evidence(
    *,
    actor: User,
    organization: Organization | None = None,
    campaigns: list[Campaign] | None = None,
    asks: list[Ask] | None = None,
    at: datetime | None = None,
    **fields: Any,
) -> EvidenceItem:
    """Add an item to the evidence library; a partner's belongs to their organization."""
    check_new_document(fields.get("file"))
    if organization is not None and not is_member_of(actor, organization.pk):
        raise PermissionDenied
    if organization is None and not actor.is_department:
        raise PermissionDenied
    if organization is None and fields.get("visibility") not in (
        Visibility.DEPARTMENT,
        Visibility.PUBLIC,
    ):
        fields["visibility"] = Visibility.DEPARTMENT
    item = EvidenceItem(
        organization=organization, created_by=actor, created=at or timezone.now(), **fields
    )
    item.full_clean()
    item.save()
    item.campaigns.set(campaigns or [])
    item.asks.set(asks or [])
    record(
        actor=actor, event="evidence.added", target=item, changes=snapshot(item, EVIDENCE_FIELDS)
    )
    return item


@transaction.atomic
def update_evidence(
    *,
    actor: User,
    item: EvidenceItem,
    campaigns: list[Campaign] | None = None,
    asks: list[Ask] | None = None,
    **fields: Any,
) -> EvidenceItem:
    """Change an evidence item and its links."""
    check_new_document(fields.get("file"))
    before = snapshot(item, EVIDENCE_FIELDS)
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    if campaigns is not None:
        item.campaigns.set(campaigns)
    if asks is not None:
        item.asks.set(asks)
    changes = diff(before, snapshot(item, EVIDENCE_FIELDS))
    if changes:
        record(actor=actor, event="evidence.updated", target=item, changes=changes)
    return item


@transaction.atomic
def delete_evidence(*, actor: User, item: EvidenceItem) -> None:
    """Remove an evidence item."""
    record(
        actor=actor, event="evidence.deleted", target=item, changes=snapshot(item, EVIDENCE_FIELDS)
    )
    item.delete()


# -- data requests (asks of kind "data") -----------------------------------------------------


def file_data_request(
    *,
    actor: User,
    organization: Organization,
    question: str,
    geography: str,
    groups: str = "",
    details: str = "",
    campaign: Campaign | None = None,
    needed_by: date | None = None,
    visibility: str = Visibility.DEPARTMENT,
    at: datetime | None = None,
) -> Ask:
    """A partner asks the department for data the portal doesn't answer (an Ask of kind data)."""
    lines = [
        _("Question: %(text)s") % {"text": question},
        _("Places: %(text)s") % {"text": geography},
    ]
    if groups:
        lines.append(_("Groups: %(text)s") % {"text": groups})
    if details:
        lines += ["", details]
    return support_actions.submit_ask(
        actor=actor,
        organization=organization,
        kind=Ask.Kind.DATA,
        title=question[:200],
        description="\n".join(lines),
        campaign=campaign,
        needed_by=needed_by,
        visibility=visibility,
        at=at,
    )


@transaction.atomic
def answer_data_request(
    *,
    actor: User,
    ask: Ask,
    explanation: str,
    saved_query: SavedQuery | None = None,
    query_link: str = "",
    query_csv: bytes | None = None,
    query_readme: str = "",
    file: UploadedFile | None = None,
    at: datetime | None = None,
) -> Ask:
    """An analyst answers a data request: a saved query (link, its suppressed CSV and the
    README saying what the table is), a file or an explanation; the ask is delivered and its
    timeline shows what was sent."""
    _require_staff(actor)
    if ask.kind != Ask.Kind.DATA:
        raise ValidationError(_("This ask is not a data request."))
    files: list[UploadedFile] = []
    if query_csv is not None and saved_query is not None:
        stem = f"query-{saved_query.pk}"
        files.append(SimpleUploadedFile(f"{stem}.csv", query_csv, "text/csv"))
        if query_readme:
            readme = query_readme.encode()
            files.append(SimpleUploadedFile(f"{stem}-README.txt", readme, "text/plain"))
    if file is not None:
        files.append(file)
    if ask.status == Ask.Status.NEW:
        support_actions.acknowledge(actor=actor, ask=ask, at=at)
        ask.refresh_from_db()
    return support_actions.deliver(
        actor=actor,
        ask=ask,
        summary=explanation,
        links=[query_link] if query_link else [],
        files=files,
        at=at,
    )
