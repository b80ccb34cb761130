from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = _("Shared power: advisory board and accountability")

    def ready(self) -> None:
        from accountability import webhooks

        webhooks.connect()
