"""Production settings: `check --deploy` is clean, cookies are secure, HSTS is on, and allauth
throttles repeated failed sign-ins."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.core.cache import cache
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "powershare.county.example.gov",
    "SECURE_SSL_REDIRECT": "true",
}


def _run(*args: str) -> subprocess.CompletedProcess:
    # A production environment: none of the test run's relaxations (the browser suite's
    # DJANGO_ALLOW_ASYNC_UNSAFE is set when its conftest is collected, even if deselected).
    dropped = {"SECURE_COOKIES", "SECURE_HSTS_SECONDS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(PRODUCTION)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _run("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_cookies_are_secure_and_hsts_is_on():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='powershare.settings'; "
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    result = _run("-c", code)
    assert result.stdout.split() == ["True", "True", "True", "True", "True", "False"], result.stderr


def test_sign_in_is_throttled_after_repeated_failures(cast):
    cache.clear()
    client = Client()
    for _ in range(5):
        page = client.post("/accounts/login/", {"login": cast.partner_a.email, "password": "no"})
        assert "Too many failed" not in page.content.decode()
    # The sixth try is refused whatever the password, the right one included.
    from powershare.testing import PASSWORD

    page = client.post("/accounts/login/", {"login": cast.partner_a.email, "password": PASSWORD})
    assert "Too many failed login attempts" in page.content.decode()
    assert "_auth_user_id" not in client.session
    cache.clear()
    signed_in = Client()
    signed_in.post("/accounts/login/", {"login": cast.partner_a.email, "password": PASSWORD})
    assert signed_in.session["_auth_user_id"] == str(cast.partner_a.pk)
