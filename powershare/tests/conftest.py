"""Fixtures shared by the project-wide tests."""

import pytest


@pytest.fixture
def small_limit(settings):
    """An upload limit of 256 KB, so that a file over it is quick to make."""
    settings.UPLOAD_MAX_BYTES = 256 * 1024
    return settings.UPLOAD_MAX_BYTES
