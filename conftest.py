"""Shared pytest fixtures: the cast of users every test reuses."""

import pytest
from django.conf import settings
from django.utils import translation

from powershare.testing import Cast, make_cast


def pytest_configure(config):
    # WhiteNoise indexes every collected static file for each new test client; tests never
    # serve collected files (the live server uses the finders), so look files up lazily.
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture
def cast(db) -> Cast:
    return make_cast()


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    # A fast hasher: the cast signs in many times and PBKDF2 would dominate the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_ROOT = tmp_path / "data"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _english_after_each_test():
    # A request in Spanish leaves Spanish active in the thread (LocaleMiddleware never resets
    # it), so a later test calling queries or actions directly would read Spanish.
    yield
    translation.deactivate()
