"""``GET /statistics/query`` answers in typed shapes (rows with their numbers, confidence limits
and suppression; meta with the query, measure, policy and release) that say what the engine
gives, and the answer is the same data as the data pages' JSON twin."""

from __future__ import annotations

import json

from django.test import Client

from data import exports, portal
from data.models import Measure
from powershare.api.stats import policy
from powershare.api.stats_schemas import ComputedMeta, PublishedMeta, StatsOut, StatsRow
from powershare.stats import Query as StatsQuery

QUERY = "/api/v1/statistics/query?measure=asthma_ed&years=2020-2024&level=neighborhood&by=race"
VOLATILE = {"created_at", "seconds"}


def _stable(meta):
    return {k: v for k, v in meta.items() if k not in VOLATILE}


def _declared(model):
    return set(model.model_fields)


def test_the_schema_types_rows_and_meta(cast):
    schema = Client().get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    answer = schema["paths"]["/api/v1/statistics/query"]["get"]["responses"]["200"]
    out = components[answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]
    assert out["properties"]["rows"]["items"] == {"$ref": "#/components/schemas/StatsRow"}
    kinds = {ref["$ref"].rsplit("/", 1)[1] for ref in out["properties"]["meta"]["oneOf"]}
    assert kinds == {"ComputedMeta", "PublishedMeta"}
    row = components["StatsRow"]
    assert row["properties"]["suppressed"]["type"] == "boolean"
    assert {"rate_lower", "rate_upper", "adjusted_lower", "suppression_reason"} <= set(
        row["required"]
    )
    meta = components["ComputedMeta"]
    assert meta["properties"]["policy"] == {"$ref": "#/components/schemas/Policy"}
    assert components["Policy"]["properties"]["min_count"]["type"] == "integer"


def test_a_computed_answer_is_the_json_twin_with_every_field_named(stats_root, cast):
    response = Client().get(QUERY)
    assert response.status_code == 200, response.content[:300]
    answer = response.json()
    measure = Measure.objects.get(name="asthma_ed")
    spec = StatsQuery(
        "asthma_ed", years=tuple(range(2020, 2025)), level="neighborhood", by=("race",)
    )
    result = portal.run(spec, policy=policy(), measure=portal.engine_measure(measure))
    twin = json.loads(json.dumps(exports.json_export(result, measure), default=str))
    for got, want in zip(answer["rows"], twin["rows"], strict=True):
        assert got == want, {
            k: (got.get(k), want.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)
        }
    assert _stable(answer["meta"]) == _stable(twin["meta"])
    suppressed = [row for row in answer["rows"] if row["suppressed"]]
    assert suppressed and all(
        row["count"] is None and row["denominator"] is None for row in suppressed
    )
    assert all(row["suppression_reason"] and row["suppression_note"] for row in suppressed)
    # The schema names every field the engine gives (none passes through untyped).
    for row in answer["rows"]:
        assert set(row) <= _declared(StatsRow), set(row) - _declared(StatsRow)
    assert set(answer["meta"]) == _declared(ComputedMeta)
    for name in ("query", "measure", "policy", "release", "methods", "data_versions", "source"):
        model = ComputedMeta.model_fields[name].annotation
        assert set(answer["meta"][name]) <= _declared(model), (name, answer["meta"][name])


def test_a_field_the_engine_adds_passes_through(stats_root, cast):
    # The engine grows settings and columns; the API hands them on rather than failing.
    answer = Client().get(QUERY).json()
    answer["meta"]["policy"]["a_new_setting"] = 3
    answer["rows"][0]["a_new_column"] = 1.5
    again = StatsOut.model_validate(answer).model_dump(exclude_unset=True)
    assert again["meta"]["policy"]["a_new_setting"] == 3
    assert again["rows"][0]["a_new_column"] == 1.5
    assert again["rows"][1:] == answer["rows"][1:]


def test_published_estimates_answer_in_their_own_meta(stats_root, cast):
    from data.demo import _load_places

    _load_places(cast.analyst)
    measure = Measure.objects.filter(status=Measure.Status.PUBLISHED, indicator="CASTHMA").first()
    assert measure is not None
    years = measure.dataset.years
    response = Client().get(
        "/api/v1/statistics/query",
        {"measure": measure.name, "years": f"{min(years)}-{max(years)}", "level": "tract"},
    )
    assert response.status_code == 200, response.content[:300]
    answer = response.json()
    assert answer["meta"]["kind"] == "indicator"
    assert set(answer["meta"]) == _declared(PublishedMeta)
    for row in answer["rows"]:
        assert set(row) <= _declared(StatsRow), set(row) - _declared(StatsRow)
        assert row["count"] is None and "published_value" in row
