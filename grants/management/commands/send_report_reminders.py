"""``manage.py send_report_reminders``: schedule it daily (cron, a systemd timer)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grants import reminders
from grants.queries import REPORT_REMINDER_DAYS
from grants.tasks import send_report_reminders


class Command(BaseCommand):
    help = (
        "Email grantee organizations' members about progress reports due within 7 days (or "
        "--days) and about overdue ones, once per report as it comes due and once when late. "
        "Schedule it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=REPORT_REMINDER_DAYS,
            help=f"Remind about reports due within this many days (default {REPORT_REMINDER_DAYS}).",
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue the work for the task worker (db_worker) instead of doing it now.",
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="Pretend today is this date (YYYY-MM-DD).",
        )

    def handle(
        self, *args: Any, days: int, queue: bool, today: date | None, **options: Any
    ) -> None:
        if days < 0:
            raise CommandError("--days must be zero or more.")
        if queue:
            result = send_report_reminders.enqueue(days=days)
            self.stdout.write(f"Queued report reminder run {result.id}.")
            return
        reminded = reminders.send_report_reminders(today=today, days=days)
        for report in reminded:
            application = report.award.application
            self.stdout.write(
                f"Reminded: {application.organization.name}, “{application.project_title}” "
                f"(due {report.due})"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(reminded)} reminder(s) sent."))
