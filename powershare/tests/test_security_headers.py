"""Pages carry a Content-Security-Policy that forbids inline scripts and other sites."""

from django.test import Client


def test_csp_forbids_inline_scripts_and_other_sites(db):
    response = Client().get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "default-src 'self'" in policy
    assert "<script>" not in response.content.decode()
