"""docs/stats.md documents every policy field, CLI subcommand and default measure."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from powershare.stats import DEFAULT_MEASURES, SuppressionPolicy
from powershare.stats.cli import SUBCOMMANDS, build_parser

DOC = (Path(__file__).resolve().parents[3] / "docs" / "stats.md").read_text()


def test_every_policy_field_is_documented():
    for field in dataclasses.fields(SuppressionPolicy):
        if field.name != "extra":
            assert f"| `{field.name}` |" in DOC, field.name


def test_every_subcommand_and_query_option_is_documented():
    for name in SUBCOMMANDS:
        assert f"`{name}" in DOC, name
    query = next(
        a for a in build_parser()._subparsers._group_actions[0].choices.items() if a[0] == "query"
    )[1]
    for action in query._actions:
        for option in action.option_strings:
            if option.startswith("--") and option != "--help":
                assert option in DOC, option


def test_every_default_measure_is_documented():
    for name in DEFAULT_MEASURES:
        assert f"`{name}`" in DOC, name
