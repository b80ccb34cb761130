"""Background work of the data portal: validating and loading uploaded files, protecting the
release after a load or a policy change, comparing a proposed policy with the current one."""

from __future__ import annotations

from django_tasks import task

from data import uploads


@task()
def load_upload(upload_id: int) -> str:
    """Validate and load one staged upload; returns its final status."""
    return uploads.run_upload(upload_id=upload_id).status


@task()
def protect_release() -> int:
    """Protect every measure's release cubes under the department's policy; returns how many."""
    from data import portal
    from data.models import Measure
    from data.queries import policy

    measures = Measure.objects.exclude(kind=Measure.Kind.INDICATOR).select_related("dataset")
    return len(portal.protect(list(measures), policy()))


@task()
def preview_policy_change(change_id: int) -> str:
    """Compare the published queries under the current and a proposed policy; returns how
    the comparison ended."""
    from data import policy_changes

    return policy_changes.run_preview(change_id=change_id).preview_status
