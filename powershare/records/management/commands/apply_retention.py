"""``manage.py apply_retention``: schedule it daily (cron, a systemd timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from powershare.records import actions, queries
from powershare.records.tasks import apply_retention


class Command(BaseCommand):
    help = (
        "Delete or anonymize the records past their date under the department's retention "
        "schedule, and nothing else; open records and records on legal hold are left alone. "
        "Every run writes one audit entry with the counts per kind. Schedule it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would be deleted or anonymized, per kind, and change nothing.",
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue the run for the task worker (db_worker) instead of doing it now.",
        )

    def handle(self, *args: Any, dry_run: bool, queue: bool, **options: Any) -> None:
        if queue and not dry_run:
            result = apply_retention.enqueue()
            self.stdout.write(f"Queued retention run {result.id}.")
            return
        report = actions.preview_retention() if dry_run else actions.apply_retention().report
        verb = "would be" if dry_run else "were"
        for row in queries.report_rows(report):
            if row["action"] == "off":
                self.stdout.write(f"{row['kind']}: not applied")
                continue
            done = "deleted" if row["action"] == "delete" else "anonymized"
            held = f" ({row['held']} on legal hold, kept)" if row["held"] else ""
            self.stdout.write(f"{row['kind']}: {row['count']} {verb} {done}{held}")
        total = sum(row["count"] for row in report.values())
        summary = f"{total} record(s) {verb} deleted or anonymized."
        self.stdout.write(summary if dry_run else self.style.SUCCESS(summary))
