from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "powershare.records"
    label = "records"
    verbose_name = _("Records: retention and public-records requests")
