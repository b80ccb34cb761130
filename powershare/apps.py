from django.apps import AppConfig


class PowershareConfig(AppConfig):
    name = "powershare"
    verbose_name = "Powershare"
