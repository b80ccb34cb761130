"""The CLI: a department's operator loads files, queries and describes the store."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from powershare.stats.cli import main

from .conftest import tiny_event_rows, tiny_population_rows, write_csv, write_tiny_geography


def test_load_query_describe(tmp_path: Path, capsys):
    root = str(tmp_path / "store")
    geo = write_tiny_geography(tmp_path / "geo")
    pop = write_csv(
        tmp_path / "pop.csv",
        ["year", "geo", "age_group", "sex", "race", "population"],
        tiny_population_rows(),
    )
    ev = write_csv(
        tmp_path / "ev.csv", ["date", "tract_id", "age", "sex", "race", "cause"], tiny_event_rows()
    )
    assert main(["--root", root, "-q", "load-geography", str(geo)]) == 0
    assert main(["--root", root, "-q", "load-population", str(pop)]) == 0
    assert (
        main(
            [
                "--root",
                root,
                "-q",
                "load-events",
                str(ev),
                "--dataset",
                "ed_visits",
                "--map",
                "geo=tract_id",
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "--root",
                root,
                "-q",
                "load-events",
                str(ev),
                "--dataset",
                "ed_visits",
                "--map",
                "geo=tract_id",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "unchanged (same checksum)" in out
    assert (
        main(
            [
                "--root",
                root,
                "query",
                "asthma_ed",
                "--years",
                "2020-2021",
                "--level",
                "neighborhood",
            ]
        )
        == 0
    )
    csv_text = capsys.readouterr().out
    assert csv_text.splitlines()[0].startswith('"level","area","area_name","count"')
    assert len(csv_text.splitlines()) == 5
    out_json = tmp_path / "q.json"
    assert (
        main(
            [
                "--root",
                root,
                "query",
                "asthma_ed",
                "--years",
                "2020",
                "--by",
                "sex",
                "-o",
                str(out_json),
            ]
        )
        == 0
    )
    data = json.loads(out_json.read_text())
    assert {r["sex"] for r in data["rows"]} == {"F", "M", "total"}
    assert (
        main(
            [
                "--root",
                root,
                "query",
                "asthma_ed",
                "--years",
                "2020",
                "--format",
                "parquet",
                "-o",
                str(tmp_path / "q.parquet"),
            ]
        )
        == 0
    )
    assert main(["--root", root, "describe", "--json"]) == 0
    described = json.loads(capsys.readouterr().out)
    assert [d["name"] for d in described["datasets"]] == ["ed_visits", "population"]


def test_refusals_exit_1_with_a_message(tmp_path: Path, capsys, monkeypatch):
    root = str(tmp_path / "store")
    main(["--root", root, "-q", "load-geography", str(write_tiny_geography(tmp_path / "geo"))])
    bad = write_csv(
        tmp_path / "bad.csv",
        ["year", "geo", "age", "sex", "race", "cause"],
        [(2020, "T1", 200, "F", "nh_white", "J45")],
    )
    assert main(["--root", root, "-q", "load-events", str(bad), "--dataset", "x"]) == 1
    err = capsys.readouterr().err
    assert "row 1, column 'age', value '200': age outside 0-120" in err
    monkeypatch.delenv("POWERSHARE_STATS_ROOT", raising=False)
    assert main(["describe"]) == 2  # no data directory given


def test_python_dash_m(tmp_path: Path):
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, "-m", "powershare.stats", "--root", str(tmp_path), "describe"],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert "geography: none loaded" in done.stdout
