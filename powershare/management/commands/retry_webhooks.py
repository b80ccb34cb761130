"""``manage.py retry_webhooks``: attempt the webhook deliveries whose retry is due.

The task worker retries failed deliveries at their time by itself; where tasks run at once
(``TASKS_IMMEDIATE=true``) nothing can wait, so schedule this command instead (every minute or
few). A delivery is due when it is waiting for a retry (status ``retrying``), its next attempt
time has passed and it is under ``WEBHOOK_MAX_ATTEMPTS``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django_tasks import default_task_backend

from powershare.api import webhooks


class Command(BaseCommand):
    help = (
        "Attempt every webhook delivery whose retry is due (needed when tasks run at once, "
        "TASKS_IMMEDIATE=true). Schedule it every few minutes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the deliveries that are due without sending anything.",
        )

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        if default_task_backend.supports_defer:
            self.stderr.write(
                "Note: the task worker (db_worker) already retries deliveries at their time; "
                "a delivery retried here as well may arrive twice."
            )
        if dry_run:
            due = list(webhooks.due())
            for delivery in due:
                since = timezone.localtime(delivery.next_attempt_at)
                self.stdout.write(
                    f"Due: delivery {delivery.pk} ({delivery.event} to {delivery.webhook}), "
                    f"attempt {delivery.attempts + 1}, due since {since:%Y-%m-%d %H:%M}"
                )
            self.stdout.write(f"{len(due)} delivery(ies) due; nothing sent (--dry-run).")
            return
        attempted = webhooks.retry_due()
        for delivery in attempted:
            outcome = delivery.status
            if delivery.last_error:
                outcome += f" ({delivery.last_error})"
            self.stdout.write(
                f"Delivery {delivery.pk} ({delivery.event} to {delivery.webhook}): {outcome}"
            )
        delivered = sum(1 for d in attempted if d.status == "delivered")
        self.stdout.write(self.style.SUCCESS(f"{len(attempted)} attempted, {delivered} delivered."))
