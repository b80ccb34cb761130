"""``manage.py send_response_reminders``: schedule it daily (cron, a systemd timer)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from accountability import actions
from accountability.tasks import send_response_reminders


class Command(BaseCommand):
    help = (
        "Email the department about recommendations whose response is due within 7 days "
        "(once per recommendation). Schedule it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
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

    def handle(self, *args: Any, queue: bool, today: date | None, **options: Any) -> None:
        if queue:
            result = send_response_reminders.enqueue()
            self.stdout.write(f"Queued reminder run {result.id}.")
            return
        reminded = actions.send_response_reminders(today=today)
        for recommendation in reminded:
            self.stdout.write(
                f"Reminded: {recommendation.number} (due {recommendation.response_due})"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(reminded)} reminder(s) sent."))
