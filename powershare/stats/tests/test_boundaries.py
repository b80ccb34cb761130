"""Real boundary files load; bad ones are refused with a message that names the problem.

The real files come from registry packages installed by `make setup`, not from this
repository: the U.S. Census Bureau's counties and states as TopoJSON (the `us-atlas` npm
package) and Natural Earth's countries as a shapefile (a fixture pyogrio ships in its wheel).
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pyogrio
import pyogrio.raw
import pytest
import shapely
from pyproj import Transformer

from powershare.stats import GeographyError, Store, load_current
from powershare.stats.cli import main

ROOT = Path(__file__).resolve().parents[3]
US_ATLAS = ROOT / "node_modules" / "us-atlas" / "counties-10m.json"
NATURAL_EARTH = Path(pyogrio.__file__).parent / "tests" / "fixtures" / "naturalearth_lowres"


def load(root: Path, *args: str) -> int:
    return main(["--root", str(root), "-q", "load-geography", *args])


def counties(root: Path, *more: str) -> int:
    return load(
        root, str(US_ATLAS), "--layer", "counties", "--level", "county", "--code", "id",
        "--name", "name", *more,
    )  # fmt: skip


def geography_sha(root: Path) -> str | None:
    return (Store(root).manifest().get("geography") or {}).get("sha256")


def read_shapes(root: Path, level: str) -> dict[str, shapely.Geometry]:
    path = load_current(Store(root)).shapes(level)
    assert path is not None
    features = json.loads(path.read_text())["features"]
    return {f["properties"]["code"]: shapely.geometry.shape(f["geometry"]) for f in features}


def test_the_census_counties_of_us_atlas_load_with_states_from_their_codes(tmp_path, capsys):
    assert US_ATLAS.exists(), "make setup installs the us-atlas npm package"
    root = tmp_path / "store"
    assert counties(root, "--prefix", "state:2", "--total", "nation", "--repair") == 0
    out = capsys.readouterr().out
    assert "22 invalid shapes repaired" in out and "'51610'" in out  # Falls Church: no shape
    geo = load_current(Store(root))
    assert geo.levels == ("county", "state", "nation")
    assert len(geo.codes("county")) == 3231 and len(geo.codes("state")) == 56
    assert geo.name("county", "06075") == "San Francisco"
    assert geo.name("county", "17031") == "Cook"
    codes, matrix = geo.matrix("state")
    california = np.asarray(matrix)[codes.index("06")]
    assert california.sum() == 58  # California's 58 counties, from their GEOID prefix
    shapes = read_shapes(root, "county")
    assert "51610" not in shapes and len(shapes) == 3230
    assert all(g.is_valid for g in shapes.values())
    # Stored in lon/lat, wound as RFC 7946 asks: San Francisco lies where it does.
    sf = shapes["06075"]
    assert -123.2 < sf.centroid.x < -122.3 and 37.6 < sf.centroid.y < 37.9
    assert shapely.is_ccw(sf.geoms[0].exterior if sf.geom_type == "MultiPolygon" else sf.exterior)
    assert geo.display_crs and "+proj=aea" in geo.display_crs


def test_simplified_neighbours_keep_their_shared_edges(tmp_path):
    root = tmp_path / "store"
    assert counties(root, "--repair") == 0
    shapes = read_shapes(root, "county")
    ca = [g for code, g in shapes.items() if code.startswith("06")]
    original = pyogrio.raw.read(str(US_ATLAS), layer="counties")
    before = sum(
        len(shapely.get_coordinates(shapely.from_wkb(g)))
        for code, g in zip(original[3][0], original[2], strict=True)
        if code.startswith("06") and g is not None
    )
    after = sum(len(shapely.get_coordinates(g)) for g in ca)
    assert after < 0.8 * before  # simplified for display
    # No slivers between neighbours: together they cover what the originals covered, and
    # they don't overlap.
    union = shapely.union_all(ca)
    overlap = sum(g.area for g in ca) - union.area
    assert overlap < 1e-6 * union.area
    assert len(shapely.get_parts(union)) < 12  # the mainland and a few islands, no holes torn
    assert all(len(p.interiors) == 0 for p in shapely.get_parts(union))


def test_a_projected_census_shapefile_is_read_in_its_coordinate_system(tmp_path):
    """Counties written as a zipped shapefile in Conus Albers (EPSG:5070), as a Census
    boundary file reprojected by a GIS would be."""
    meta, _, wkb, values = pyogrio.raw.read(str(US_ATLAS), layer="counties")
    codes, names = values
    keep = np.array(
        [str(c).startswith("41") and g is not None for c, g in zip(codes, wkb, strict=True)]
    )
    shapes = shapely.make_valid(
        shapely.from_wkb(wkb[keep]), method="structure", keep_collapsed=False
    )
    to = Transformer.from_crs("EPSG:4326", "EPSG:5070", always_xy=True)
    projected = shapely.transform(shapes, lambda xy: np.column_stack(to.transform(*xy.T)))
    folder = tmp_path / "shp"
    folder.mkdir()
    pyogrio.raw.write(
        str(folder / "cb_oregon_county.shp"),
        geometry=shapely.to_wkb(projected),
        field_data=[codes[keep].astype(str), names[keep].astype(str)],
        fields=["GEOID", "NAME"],
        crs="EPSG:5070",
        driver="ESRI Shapefile",
        geometry_type="MultiPolygon",
    )
    archive = tmp_path / "cb_oregon_county.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in folder.iterdir():
            z.write(f, f.name)
    root = tmp_path / "store"
    assert load(root, str(archive), "--level", "county", "--code", "GEOID", "--name", "NAME") == 0
    geo = load_current(Store(root))
    assert len(geo.codes("county")) == 36 and geo.name("county", "41051") == "Multnomah"
    portland = read_shapes(root, "county")["41051"].centroid
    assert -122.7 < portland.x < -121.8 and 45.4 < portland.y < 45.7  # back in lon/lat


def test_a_real_shapefile_with_duplicate_codes_is_refused_by_name(tmp_path, capsys):
    archive = tmp_path / "naturalearth_lowres.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in NATURAL_EARTH.iterdir():
            z.write(f, f.name)
    root = tmp_path / "store"
    # Natural Earth codes France, Norway and Kosovo "-99" in iso_a3.
    assert load(root, str(archive), "--level", "country", "--code", "iso_a3") == 1
    assert "iso_a3 codes that appear more than once: '-99'" in capsys.readouterr().err
    assert geography_sha(root) is None
    assert load(root, str(archive), "--level", "country", "--code", "name", "--total", "") == 0
    geo = load_current(Store(root))
    assert len(geo.codes("country")) == 177 and "Tanzania" in geo.codes("country")


def _zip_without(tmp_path: Path, suffix: str) -> Path:
    archive = tmp_path / f"without{suffix}.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in NATURAL_EARTH.iterdir():
            if f.suffix != suffix:
                z.write(f, f.name)
    return archive


def _geojson(tmp_path: Path, name: str, features: list[dict], **extra) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features, **extra}))
    return path


def _feature(code: str, ring: list[list[float]]) -> dict:
    return {
        "type": "Feature",
        "properties": {"GEOID": code, "NAME": code},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


SQUARE = [[-90, 40], [-89, 40], [-89, 41], [-90, 41], [-90, 40]]
NEXT = [[-89, 40], [-88, 40], [-88, 41], [-89, 41], [-89, 40]]
BOWTIE = [[-90, 40], [-89, 41], [-89, 40], [-90, 41], [-90, 40]]


def _bad_files(tmp_path: Path) -> list[tuple[Path, str]]:
    truncated = tmp_path / "truncated.zip"
    _zip_without(tmp_path, ".none")
    truncated.write_bytes((tmp_path / "without.none.zip").read_bytes()[:5000])
    topo = json.loads(US_ATLAS.read_text())
    topo["objects"] = {"counties": topo["objects"]["counties"]}
    topo["arcs"] = topo["arcs"][:10]  # the counties' arcs mostly gone
    for g in topo["objects"]["counties"]["geometries"]:
        g["properties"]["GEOID"] = g["id"]
    broken_topo = tmp_path / "missing_arcs.topojson"
    broken_topo.write_text(json.dumps(topo))
    projected = [[[x * 100000, y * 100000] for x, y in SQUARE]]
    return [
        (truncated, "not a readable zip file"),
        (_zip_without(tmp_path, ".dbf"), "has no .dbf file beside it"),
        (_zip_without(tmp_path, ".prj"), "has no .prj file beside it (its coordinate system)"),
        (_geojson(tmp_path, "empty.geojson", []), "has no features"),
        (_geojson(tmp_path, "bowtie.geojson", [_feature("A", BOWTIE)]), "A (Self-intersection"),
        (
            _geojson(tmp_path, "twice.geojson", [_feature("A", SQUARE), _feature("A", NEXT)]),
            "codes that appear more than once: 'A'",
        ),
        (
            _geojson(tmp_path, "projected.geojson", [_feature("A", projected[0])]),
            "are not longitude/latitude",
        ),
        (broken_topo, "refer to arcs the file doesn't hold (it has 10): '"),
        (tmp_path / "notes.txt", "is not a boundary file"),
    ]


def test_every_bad_boundary_file_is_refused_and_the_geography_kept(tmp_path, capsys):
    root = tmp_path / "store"
    good = _geojson(tmp_path, "good.geojson", [_feature("A", SQUARE), _feature("B", NEXT)])
    assert load(root, str(good), "--level", "tract", "--code", "GEOID", "--name", "NAME") == 0
    kept = geography_sha(root)
    (tmp_path / "notes.txt").write_text("not shapes")
    for path, message in _bad_files(tmp_path):
        capsys.readouterr()
        code = load(root, str(path), "--level", "tract", "--code", "GEOID", "--name", "NAME")
        err = capsys.readouterr().err
        assert code == 1, (path.name, err)
        assert message in err, (path.name, err)
        assert "Traceback" not in err
        assert geography_sha(root) == kept, path.name


def test_a_missing_field_is_named_with_the_fields_there_are(tmp_path, capsys):
    good = _geojson(tmp_path, "good.geojson", [_feature("A", SQUARE)])
    assert load(tmp_path / "s", str(good), "--level", "tract", "--code", "TRACTCE") == 1
    assert "has no field 'TRACTCE'; its fields are GEOID, NAME" in capsys.readouterr().err


def test_clockwise_rings_are_turned_and_said(tmp_path, capsys):
    clockwise = _geojson(tmp_path, "cw.geojson", [_feature("A", SQUARE[::-1])])
    assert load(tmp_path / "s", str(clockwise), "--level", "tract", "--code", "GEOID") == 0
    assert "1 shape wound clockwise turned" in capsys.readouterr().out
    ring = read_shapes(tmp_path / "s", "tract")["A"].exterior
    assert ring.is_ccw


def test_a_crosswalk_splits_an_area_between_two(tmp_path):
    tracts = _geojson(tmp_path, "t.geojson", [_feature("T1", SQUARE), _feature("T2", NEXT)])
    whole = [[-90, 40], [-88, 40], [-88, 41], [-90, 41], [-90, 40]]
    zones = _geojson(tmp_path, "z.geojson", [_feature("Z1", whole), _feature("Z2", whole)])
    xwalk = tmp_path / "x.csv"
    xwalk.write_text(
        "base_code,level,code,weight\nT1,zone,Z1,1\nT2,zone,Z1,0.25\nT2,zone,Z2,0.75\n"
    )
    root = tmp_path / "store"
    args = [
        str(tracts),
        "--level",
        "tract",
        "--code",
        "GEOID",
        "--also",
        f"zone={zones},GEOID,NAME",
    ]
    assert load(root, *args, "--crosswalk", str(xwalk)) == 0
    geo = load_current(Store(root))
    codes, matrix = geo.matrix("zone")
    z2 = dict(zip(geo.base_codes, np.asarray(matrix)[codes.index("Z2")], strict=True))
    assert z2 == {"T1": 0, "T2": 0.75}
    xwalk.write_text("base_code,level,code,weight\nT1,zone,Z1,1\nT2,zone,Z1,0.5\n")
    shutil.rmtree(root)
    assert load(root, *args, "--crosswalk", str(xwalk)) == 1
    assert geography_sha(root) is None


def test_a_geography_that_lacks_the_loaded_datas_areas_is_refused(tmp_path, capsys):
    from .conftest import tiny_population_rows, write_csv, write_tiny_geography

    root = tmp_path / "store"
    assert load(root, str(write_tiny_geography(tmp_path / "geo"))) == 0
    header = ["year", "geo", "age_group", "sex", "race", "population"]
    pop = write_csv(tmp_path / "pop.csv", header, tiny_population_rows())
    assert main(["--root", str(root), "-q", "load-population", str(pop)]) == 0
    kept = geography_sha(root)
    tracts = [_feature(c, ring) for c, ring in (("T1", SQUARE), ("T2", NEXT))]
    other = _geojson(tmp_path, "t.geojson", tracts)
    capsys.readouterr()
    assert load(root, str(other), "--level", "tract", "--code", "GEOID") == 1
    err = capsys.readouterr().err
    assert (
        "the population dataset 'population' is coded with areas that are no tract of this geography"
        in err
    )
    assert "'T3', 'T4'" in err
    assert geography_sha(root) == kept


def test_the_states_counties_are_added_to_compare_with_and_refused_for_records(tmp_path, capsys):
    from powershare.stats.synth import generate_county

    root = tmp_path / "store"
    generate_county(root, seed=2, scale=2_000)
    before = load_current(Store(root))
    args = [str(US_ATLAS), "--layer", "counties", "--code", "id", "--name", "name"]
    cli = ["--root", str(root), "-q", "add-comparison", *args, "--level", "or_counties"]
    assert main([*cli, "--within", "99"]) == 1  # no such state: refused, geography kept
    assert "no area's id starts with '99'" in capsys.readouterr().err
    assert load_current(Store(root)).version == before.version
    named = ["--label", "Oregon counties", "--label-es", "Condados de Oregón"]
    assert main([*cli, "--within", "41", *named]) == 0
    assert "36 or_counties to compare with" in capsys.readouterr().out
    geo = load_current(Store(root))
    assert geo.levels == before.levels and geo.comparison_levels == ("or_counties",)
    assert geo.label("or_counties") == "Oregon counties"
    assert geo.label("or_counties", "es") == "Condados de Oregón"
    assert geo.label("or_counties", "fr") == "Oregon counties"  # English when not given
    assert geo.name("or_counties", "41039") == "Lane"
    assert "+proj=aea" in (geo.display_crs_for("or_counties") or "")
    assert geo.display_crs_for("tract") == before.display_crs
    shapes = read_shapes(root, "or_counties")
    assert len(shapes) == 36 and shapes["41051"].contains(shapely.Point(-122.68, 45.52))
    # The county's own data can't reach them: no crosswalk, and a query names why.
    with pytest.raises(GeographyError, match="comparison level"):
        geo.matrix("or_counties")
    query = ["--root", str(root), "-q", "query", "asthma_ed", "--years", "2020-2024"]
    assert main([*query, "--level", "or_counties"]) != 0
    assert "comparison level" in capsys.readouterr().err
