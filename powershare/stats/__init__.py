"""Powershare's statistics engine: record-level health data to safe, age-adjusted rates.

Django-free: the web app, the CLI (`powershare-stats`) and the benchmark are thin callers.

    from powershare.stats import Store, Query, SuppressionPolicy, run_query
    store = Store("var/stats")
    load_geography(store, "county-geography/")
    load_population(store, "population.csv")
    load_events(store, "ed_visits.csv", dataset="ed_visits", mapping={"geo": "tract"})
    result = run_query(store, Query("asthma_ed", years=(2020, 2021), level="neighborhood",
                                    by=("race",)), policy=SuppressionPolicy(min_count=11))
    result.table  # pyarrow.Table; result.meta: query, measure, policy, data versions

See docs/stats.md for columns, codes, policy fields and methods.
"""

from .codes import RACE_CODES, SEX_CODES, AgeGroup, parse_age_groups
from .engine import QueryTimeout, Source
from .geography import CustomArea, Geography, GeographyError, load_current, load_geography
from .ingest import load_events
from .loading import LoadReport
from .measures import DEFAULT_MEASURES, Condition, Measure, get_measure
from .policy import PolicyError, ReleaseRegistry, SuppressionPolicy
from .population import load_population
from .query import Query, run_query
from .result import Result
from .standards import STANDARDS, StandardPopulation, get_standard
from .store import Store
from .validation import LoadError, RowError

__all__ = [
    "DEFAULT_MEASURES",
    "RACE_CODES",
    "SEX_CODES",
    "STANDARDS",
    "AgeGroup",
    "Condition",
    "CustomArea",
    "Geography",
    "GeographyError",
    "LoadError",
    "LoadReport",
    "Measure",
    "PolicyError",
    "Query",
    "QueryTimeout",
    "ReleaseRegistry",
    "Result",
    "RowError",
    "Source",
    "StandardPopulation",
    "Store",
    "SuppressionPolicy",
    "get_measure",
    "get_standard",
    "load_current",
    "load_events",
    "load_geography",
    "load_population",
    "parse_age_groups",
    "run_query",
]
