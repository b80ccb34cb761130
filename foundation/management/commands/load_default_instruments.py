"""``manage.py load_default_instruments``: create the assessment instruments that ship with
Powershare (readiness, risk tolerance). Safe to run again: existing families are left alone."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from foundation.defaults import load_default_instruments


class Command(BaseCommand):
    help = "Create the default assessment instruments (readiness, risk tolerance) if missing."

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_default_instruments()
        if created:
            for instrument in created:
                self.stdout.write(f"Created {instrument}.")
        else:
            self.stdout.write("The default instruments are already there.")
