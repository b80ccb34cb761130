"""Every field the public-records export writes carries a label in code."""

from __future__ import annotations

import importlib

from powershare.records import labels
from powershare.records.kinds import KINDS, exported_fields


def test_every_field_of_the_covered_models_has_a_default_label():
    missing = [
        labels.field_key(kind.model, f.name)
        for kind in KINDS.values()
        for f in exported_fields(kind.model)
        if labels.field_key(kind.model, f.name) not in labels.DEFAULTS
    ]
    assert not missing, f"fields without a public-records label in records/labels.py: {missing}"


def test_no_label_names_a_field_that_is_gone():
    assert set(labels.DEFAULTS) == set(labels.covered_keys())


def test_every_default_is_a_known_label_and_exemptions_name_a_listed_reason():
    migration = importlib.import_module("powershare.records.migrations.0002_default_reasons")
    assert migration.REASONS == labels.DEFAULT_REASONS
    keys = {key for key, _name in labels.DEFAULT_REASONS}
    for field, (label, reason) in labels.DEFAULTS.items():
        assert label in ("public", "exempt", "personal"), field
        assert (reason in keys) if label == "exempt" else reason is None, field
