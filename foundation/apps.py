from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_defaults(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """After ``migrate`` (and a test database flush), make sure the default instruments exist."""
    from django.db import connections

    from foundation.defaults import load_default_instruments
    from foundation.models import Domain, Instrument, Question

    tables = set(connections[using].introspection.table_names())
    needed = {Instrument._meta.db_table, Domain._meta.db_table, Question._meta.db_table}
    if needed <= tables:
        load_default_instruments()


class FoundationConfig(AppConfig):
    name = "foundation"
    verbose_name = _("Internal foundation")

    def ready(self) -> None:
        post_migrate.connect(_load_defaults, sender=self, dispatch_uid="foundation_defaults")
