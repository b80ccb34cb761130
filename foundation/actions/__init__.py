"""Every change of state in the internal foundation. Each runs in a transaction and writes the
audit log, except that answers to an assessment are logged without who gave them. By part:
``assessments`` (instruments, rounds, answers), ``risks``, ``resources``, ``compliance``."""

from foundation.actions.assessments import (
    MAX_SCALE,
    Outline,
    close_round,
    create_instrument,
    open_round,
    outline_of,
    parse_outline,
    revise_instrument,
    submit_response,
)
from foundation.actions.compliance import LobbyingWarning, classify_ask, needs_classification
from foundation.actions.resources import (
    RESOURCE_FIELDS,
    add_commitment,
    create_resource,
    delete_commitment,
    update_resource,
)
from foundation.actions.risks import RISK_FIELDS, create_risk, delete_risk, update_risk

__all__ = [
    "LobbyingWarning",
    "MAX_SCALE",
    "Outline",
    "RESOURCE_FIELDS",
    "RISK_FIELDS",
    "add_commitment",
    "classify_ask",
    "close_round",
    "create_instrument",
    "create_resource",
    "create_risk",
    "delete_commitment",
    "delete_risk",
    "needs_classification",
    "open_round",
    "outline_of",
    "parse_outline",
    "revise_instrument",
    "submit_response",
    "update_resource",
    "update_risk",
]
