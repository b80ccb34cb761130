"""Duplicate matching for import and the merge page: the pure functions live in
``partners.duplicates`` so entry in ``partners`` asks the same questions."""

from partners.duplicates import (
    NOISE,
    SIMILARITY,
    Candidate,
    Match,
    match,
    normalize_email,
    normalize_name,
    normalize_site,
    pairs,
    similar_names,
)

__all__ = [
    "NOISE",
    "SIMILARITY",
    "Candidate",
    "Match",
    "match",
    "normalize_email",
    "normalize_name",
    "normalize_site",
    "pairs",
    "similar_names",
]
