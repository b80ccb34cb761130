"""The data portal: datasets and measures in the catalog, the department's suppression policy,
uploads, saved queries, data-sharing agreements, the query log and the evidence library.

Record-level data and denominators live in the statistics engine's store
(``settings.DATA_ROOT``); these models hold what the department says about them.

One module per part; every model is importable from here."""

from data.models.access import (
    AgreementQuerySet,
    DataAgreement,
    QueryLog,
    SavedQuery,
    SavedQueryQuerySet,
)
from data.models.catalog import Dataset, Measure, MeasureQuerySet, Upload, slug_validator
from data.models.evidence import EvidenceItem, EvidenceKind, EvidenceQuerySet
from data.models.policy import PolicyChange, PolicySetting, PolicyVersion

__all__ = [
    "AgreementQuerySet",
    "DataAgreement",
    "Dataset",
    "EvidenceItem",
    "EvidenceKind",
    "EvidenceQuerySet",
    "Measure",
    "MeasureQuerySet",
    "PolicyChange",
    "PolicySetting",
    "PolicyVersion",
    "QueryLog",
    "SavedQuery",
    "SavedQueryQuerySet",
    "Upload",
    "slug_validator",
]
