"""What a proposed policy would do to published tables: the pure comparison of two answers, and
the published queries run under both policies on the synthetic county."""

from __future__ import annotations

from typing import Any

from data import actions, policy_impact
from data.models import PolicySetting
from data.policy_impact import Answer, compare
from powershare.audit.log import snapshot


def row(area: str, race: str, *, suppressed: bool, count: float | None = 12.0) -> dict[str, Any]:
    return {
        "level": "neighborhood",
        "area": area,
        "area_name": {"N01": "Eastside", "N02": "Northgate"}[area],
        "race": race,
        "count": None if suppressed else count,
        "suppressed": suppressed,
    }


def test_cells_newly_shown_and_newly_hidden() -> None:
    now = Answer(
        (
            row("N01", "nh_black", suppressed=True),
            row("N01", "total", suppressed=False),
            row("N02", "nh_black", suppressed=False),
        )
    )
    then = Answer(
        (
            row("N01", "nh_black", suppressed=False, count=7),
            row("N01", "total", suppressed=False),
            row("N02", "nh_black", suppressed=True),
        )
    )
    result = compare(now, then)
    assert result.status == "changed"
    assert result.newly_shown == [{"area": "N01", "race": "nh_black", "area_name": "Eastside"}]
    assert result.newly_hidden == [{"area": "N02", "race": "nh_black", "area_name": "Northgate"}]
    assert (result.newly_shown_count, result.newly_hidden_count) == (1, 1)
    assert (result.shown_now, result.shown_proposed) == (2, 2)
    # Cells are named, never their values.
    assert "7" not in str(result.newly_shown)


def test_the_same_answer_is_unchanged() -> None:
    rows = (row("N01", "total", suppressed=False), row("N02", "total", suppressed=True))
    assert compare(Answer(rows), Answer(rows)).status == "same"


def test_queries_newly_refused_and_newly_answered() -> None:
    rows = (row("N01", "total", suppressed=False),)
    refused = Answer(None, "level")
    gone = compare(Answer(rows), refused)
    assert gone.status == "newly_refused" and gone.refusal_proposed == "level"
    assert gone.shown_now == 1 and gone.shown_proposed == 0
    back = compare(refused, Answer(rows))
    assert back.status == "newly_answered" and back.refusal_now == "level"
    assert compare(refused, Answer(None, "small")).status == "refused"


def test_the_cells_listed_are_capped_but_all_counted() -> None:
    now = Answer(tuple(row("N01", f"r{i}", suppressed=True) for i in range(5)))
    then = Answer(tuple(row("N01", f"r{i}", suppressed=False) for i in range(5)))
    result = compare(now, then, limit=2)
    assert len(result.newly_shown) == 2 and result.newly_shown_count == 5


def proposed(**fields: Any) -> PolicySetting:
    current = PolicySetting.current()
    return PolicySetting(**{**snapshot(current, PolicySetting.ENGINE_FIELDS), **fields})


def test_a_smaller_minimum_count_shows_published_cells(catalog: dict) -> None:
    current = PolicySetting.current()
    assert current.min_count == 11
    result = policy_impact.preview(current, proposed(min_count=5), limit=2)
    assert result["compared"] == 2 and result["total"] > 2  # capped, and says so
    # Mostly shown; a few others may be hidden instead (the new protection picks its own
    # complementary cells), and the comparison says so.
    assert result["newly_shown"] > result["newly_hidden"]
    first = result["queries"][0]
    assert first["status"] == "changed" and first["params"]["years"] == "2020-2024"
    assert first["newly_shown"][0]["area_name"]


def test_a_published_table_the_proposal_would_refuse_is_listed(cast: Any, catalog: dict) -> None:
    current = PolicySetting.current()
    # Council districts are no longer released under the proposal.
    result = policy_impact.preview(
        current, proposed(released_levels="neighborhood,county"), limit=3
    )
    refused = [q for q in result["queries"] if q["status"] == "newly_refused"]
    assert result["newly_refused"] == len(refused) == 1
    assert refused[0]["params"]["level"] == "council_district"
    assert refused[0]["refusal_proposed"] == "level"
    assert "geography" in policy_impact.refusal_label(refused[0]["refusal_proposed"])


def test_public_saved_queries_are_compared(cast: Any, catalog: dict) -> None:
    from data.demo import demo_params

    actions.save_query(
        actor=cast.analyst, title="Children's asthma for everyone", params=demo_params(),
        visibility="public",
    )  # fmt: skip
    actions.save_query(
        actor=cast.analyst, title="Kept inside", params=demo_params(), visibility="department"
    )
    found = policy_impact.published_queries(PolicySetting.current(), proposed(min_count=5))
    titles = [q.title for q in found if q.saved_id]
    assert titles == ["Children's asthma for everyone"]
