"""Docs are part of the code: every setting and management command is documented."""

import re
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
OUR_APPS = {
    "powershare",
    "accounts",
    "partners",
    "support",
    "data",
    "accountability",
    "grants",
    "regulatory",
    "network",
    "foundation",
    "powershare.records",
}


def test_every_environment_setting_is_documented():
    settings_source = (ROOT / "powershare" / "settings.py").read_text()
    names = set(re.findall(r'env(?:str|bool|int|list)\("([A-Z_]+)"', settings_source))
    operating = (ROOT / "docs" / "operating.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in operating)
    assert names and not missing, f"settings missing from docs/operating.md: {missing}"


def test_every_management_command_is_documented():
    ours = sorted(name for name, app in get_commands().items() if app in OUR_APPS)
    operating = (ROOT / "docs" / "operating.md").read_text()
    missing = [name for name in ours if f"`{name}" not in operating]
    assert ours and not missing, f"commands missing from docs/operating.md: {missing}"
