"""Telling when two records are the same person or organization: similar names, the same
email or the same website. Pure functions (no database), so import (``network``) and entry
(``partners``) ask the same questions; they live here because apps depend on ``partners``."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

SIMILARITY = 0.86
# Honorifics and legal suffixes that do not tell two records apart.
NOISE = {
    "rev",
    "dr",
    "mr",
    "mrs",
    "ms",
    "hon",
    "the",
    "inc",
    "llc",
    "of",
    "sr",
    "jr",
}


def normalize_name(name: str) -> str:
    """Lower case, accents and punctuation removed, honorifics dropped."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w and w not in NOISE]
    return " ".join(words)


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def normalize_site(url: str) -> str:
    """``https://www.Example.org/about`` and ``example.org`` are the same site."""
    text = (url or "").strip().lower()
    if not text:
        return ""
    if "://" not in text:
        text = "http://" + text
    host = urlsplit(text).hostname or ""
    return host.removeprefix("www.")


def similar_names(a: str, b: str) -> bool:
    """Names close enough to be the same, e.g. "Maria Delgado" and "María Delgado"."""
    na, nb = normalize_name(a), normalize_name(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    return SequenceMatcher(None, na, nb).ratio() >= SIMILARITY


@dataclass(frozen=True)
class Candidate:
    """A record seen as a possible match: key, name, email, website and the record itself."""

    key: str
    name: str
    email: str = ""
    website: str = ""
    record: Any = None


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    reason: str
    exact: bool


def match(name: str, email: str, website: str, candidates: Iterable[Candidate]) -> list[Match]:
    """Candidates that are the same record (same email, website or name) or may be (similar
    name), exact matches first."""
    found: list[Match] = []
    email_n, site_n, name_n = normalize_email(email), normalize_site(website), normalize_name(name)
    for c in candidates:
        if email_n and normalize_email(c.email) == email_n:
            found.append(Match(c, _("same email"), True))
        elif site_n and normalize_site(c.website) == site_n:
            found.append(Match(c, _("same website"), True))
        elif name_n and normalize_name(c.name) == name_n:
            found.append(Match(c, _("same name"), True))
        elif similar_names(name, c.name):
            found.append(Match(c, _("similar name"), False))
    return sorted(found, key=lambda m: (not m.exact, m.candidate.name.lower()))


def pairs(candidates: list[Candidate]) -> list[tuple[Candidate, Candidate, str]]:
    """Every pair of candidates that looks like one record twice, with the reason."""
    result = []
    for i, a in enumerate(candidates):
        for b in candidates[i + 1 :]:
            found = match(b.name, b.email, b.website, [a])
            if found:
                result.append((a, b, found[0].reason))
    return result
