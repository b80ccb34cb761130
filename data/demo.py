"""The demo county's data portal: the synthetic county in the engine's store, its datasets and
measures in the catalog, a saved query with its fact sheet on the tenant union's campaign, a
public saved query of the department's, a data-sharing agreement, evidence items and an
answered data request."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings

from data import actions
from data.models import Dataset, Measure
from powershare import stats
from powershare.stats.synth import generate_county

# Events in the synthetic county: enough for neighborhoods by race/ethnicity, quick to build.
DEMO_SCALE = 400_000

DATASETS = [
    (
        "ed_visits",
        "Emergency department visits",
        "events",
        "Every visit to a county emergency department by a county resident, with the first-listed "
        "diagnosis (ICD-10-CM), age, sex, race/ethnicity and home census tract.",
        "County hospital discharge data system (synthetic demo data)",
        "Residents treated outside the county are missing. Race/ethnicity is as recorded at "
        "registration.",
    ),
    (
        "births",
        "Births",
        "events",
        "Live births to county residents, with the mother's age and race/ethnicity and the weeks "
        "of gestation.",
        "Vital records, birth certificates (synthetic demo data)",
        "",
    ),
    (
        "blood_lead",
        "Blood lead tests",
        "events",
        "Blood lead tests of children under 6, with the result in µg/dL.",
        "Childhood lead poisoning prevention program (synthetic demo data)",
        "Only children who were tested are counted; testing rates differ by neighborhood.",
    ),
    (
        "population",
        "Population estimates",
        "population",
        "Residents by census tract, year, age group, sex and race/ethnicity.",
        "Census Bureau estimates, tract-level (synthetic demo data)",
        "",
    ),
]

# engine measure name -> (status, unit, plain subject, Spanish label, Spanish subject)
MEASURES = {
    "asthma_ed": (
        "published",
        "visits per 10,000 residents",
        "Asthma emergency visits",
        "Visitas a emergencias por asma",
        "Las visitas a emergencias por asma",
    ),
    "asthma_ed_children": (
        "published",
        "visits per 10,000 children",
        "Asthma emergency visits among children",
        "Visitas a emergencias por asma, niños de 0 a 17 años",
        "Las visitas a emergencias por asma de niños",
    ),
    "heat_illness": (
        "published",
        "visits per 100,000 residents",
        "Heat illness emergency visits",
        "Visitas a emergencias por calor",
        "Las visitas a emergencias por calor",
    ),
    "injury_ed": (
        "internal",
        "visits per 10,000 residents",
        "Injury emergency visits",
        "Visitas a emergencias por lesiones",
        "Las visitas a emergencias por lesiones",
    ),
    "ed_visits_all": (
        "internal",
        "visits per 1,000 residents",
        "Emergency visits",
        "Todas las visitas a emergencias",
        "Las visitas a emergencias",
    ),
    "preterm_births": (
        "published",
        "% of live births",
        "Preterm births",
        "Nacimientos prematuros",
        "Los nacimientos prematuros",
    ),
    "elevated_blood_lead": (
        "internal",
        "% of children tested",
        "Elevated blood lead results",
        "Plomo elevado en sangre",
        "Los resultados de plomo elevado",
    ),
}


#: The demo department releases five-year blocks (2015-2019, 2020-2024): stable rates for
#: neighborhoods and groups, and never a single year that a pooled span could give away.
DEMO_POLICY = {
    "year_block": 5,
    "year_origin": 2015,
    "method": "suppression",
    "age_groups": "0-4,5-17,18-44,45-64,65+",
    "released_levels": "neighborhood,council_district,county",
}


def _conditions(conditions: tuple[stats.Condition, ...]) -> str:
    return "\n".join(f"{c.column} {c.op} {c.value}" for c in conditions)


def _load_places(analyst: Any) -> None:
    """An indicator file in CDC PLACES layout (made-up values), its current asthma and
    obesity estimates published, current asthma shown beside the county's own asthma visits."""
    from data.indicators import sync_measures
    from powershare.stats.indicators import load_indicators
    from powershare.stats.synth_indicators import synthetic_places

    dataset = actions.create_dataset(
        actor=analyst,
        name="places",
        title="CDC PLACES (demo values)",
        kind=Dataset.Kind.INDICATORS,
        description="Model-based estimates of adult health outcomes and behaviors by census "
        "tract and county, in the layout CDC publishes PLACES in.",
        source="CDC PLACES layout; the values are synthetic, made up for this demo",
        caveats="These are not CDC's estimates: the demo county is not a real place, and "
        "the Oregon counties are real boundaries (the Census Bureau's, from the us-atlas "
        "package) with made-up values.",
    )
    store = stats.Store(settings.DATA_ROOT)
    path = synthetic_places(stats.load_current(store), store.root / ".tmp-places.csv")
    try:
        load_indicators(store, path, dataset=dataset.name)
    finally:
        path.unlink(missing_ok=True)
    actions.refresh_dataset(dataset=dataset)
    spanish = {  # what the analyst writes in the measure's Spanish fields
        "CASTHMA": ("Asma actual en adultos: prevalencia bruta", "Asma actual en adultos"),
        "OBESITY": ("Obesidad en adultos: prevalencia bruta", "Obesidad en adultos"),
    }
    for measure in sync_measures(dataset=dataset, actor=analyst):
        if measure.indicator in spanish and measure.value_type == "CrdPrv":
            measure.status = Measure.Status.PUBLISHED
            measure.label_es, measure.short_label_es = spanish[measure.indicator]
            measure.save(update_fields=["status", "label_es", "short_label_es"])
        if measure.indicator == "CASTHMA":
            measure.related.add(Measure.objects.get(name="asthma_ed"))


#: Real county boundaries from the registry: the us-atlas npm package (the Census Bureau's
#: cartographic boundaries, as TopoJSON), installed with the app's other npm packages.
US_ATLAS = Path(settings.BASE_DIR) / "node_modules" / "us-atlas" / "counties-10m.json"


def _add_real_counties() -> None:
    """Oregon's 36 counties, as the Census Bureau draws them, as a comparison level: the
    demo's PLACES file gives them made-up estimates, so a visitor sees a real map."""
    from powershare.stats.boundaries import LevelFile
    from powershare.stats.comparison import add_comparison_level

    spec = LevelFile("oregon_counties", US_ATLAS, "id", "name", layer="counties")
    store = stats.Store(settings.DATA_ROOT)
    label = {"en": "Oregon counties", "es": "Condados de Oregón"}
    add_comparison_level(store, spec, label, within="41")


def build(builder: Any) -> None:
    analyst = builder.users["analyst"]
    partner = builder.users["partner"]
    generate_county(settings.DATA_ROOT, seed=builder.rng.randint(1, 10_000), scale=DEMO_SCALE)
    _add_real_counties()
    actions.update_policy(actor=builder.users["admin"], **DEMO_POLICY)

    datasets: dict[str, Dataset] = {}
    for name, title, kind, description, source, caveats in DATASETS:
        datasets[name] = actions.create_dataset(
            actor=analyst,
            name=name,
            title=title,
            kind=kind,
            description=description,
            source=source,
            caveats=caveats,
        )
    for name, (status, unit, subject, label_es, subject_es) in MEASURES.items():
        engine = stats.DEFAULT_MEASURES[name]
        actions.create_measure(
            actor=analyst,
            name=name,
            label=engine.label,
            short_label=subject,
            label_es=label_es,
            short_label_es=subject_es,
            dataset=datasets[engine.dataset],
            kind=engine.kind,
            causes=", ".join(engine.causes),
            age_min=engine.age_min,
            age_max=engine.age_max,
            sex=engine.sex or "",
            conditions=_conditions(engine.where),
            numerator_conditions=_conditions(engine.numerator),
            per=engine.per,
            unit=unit,
            standard=engine.standard,
            description=engine.description,
            status=status,
        )

    _load_places(analyst)

    # Protect every measure's release now, so that no page of the demo waits for it.
    from data.tasks import protect_release

    protect_release.call()

    tenants, campaign = builder.cpbos[0], builder.campaigns[0]
    saved = actions.save_query(
        actor=partner,
        title="Asthma ED visits among children, by neighborhood and race/ethnicity",
        params=demo_params(),
        campaign=campaign,
        notes="For the Healthy Housing Ordinance hearing: Eastside kids compared with the county.",
        visibility="liaison",
        at=builder.at(20),
    )
    # A table the department published for everyone: its page and fact sheet are public.
    actions.save_query(
        actor=analyst,
        title="Heat illness emergency visits by council district, 2020–2024",
        params={
            "measure": "heat_illness",
            "years": "2020-2024",
            "level": "council_district",
            "unit": [],
            "area_name": "",
            "by": [],
            "rate": "adjusted",
            "compare": "county",
            "focus": "",
        },
        notes="Published with the county's extreme heat plan.",
        visibility="public",
        at=builder.at(40),
    )
    actions.create_agreement(
        actor=builder.users["admin"],
        organization=tenants,
        title="Eastside Tenants Union: housing and health data",
        parties="County Health Department\nEastside Tenants Union",
        datasets=[datasets["ed_visits"], datasets["blood_lead"]],
        purpose="Injury and blood lead data for the Healthy Housing Ordinance campaign.",
        start=builder.today - timedelta(days=90),
        expires=builder.today + timedelta(days=275),
    )
    actions.add_evidence(
        actor=builder.users["admin"],
        title="Health impact assessment: proactive rental inspection",
        kind="hia",
        issue_area="housing",
        authors="County Health Department",
        year=builder.today.year - 1,
        summary="Proactive inspection of rental housing would find mold, pests and lead hazards "
        "before children get sick; asthma visits fell in cities that adopted it.",
        visibility="public",
        campaigns=[campaign],
        at=builder.at(60),
    )
    actions.add_evidence(
        actor=partner,
        organization=tenants,
        title="Tenant testimony on mold at Maple Court",
        kind="testimony",
        issue_area="housing",
        summary="Twelve tenants describe mold, leaks and their children's asthma attacks.",
        visibility="private",
        campaigns=[campaign],
        at=builder.at(30),
    )
    actions.add_evidence(
        actor=builder.users["analyst"],
        title="Diesel exhaust and childhood asthma: a review",
        kind="study",
        issue_area="environment",
        authors="Journal of Environmental Health",
        year=builder.today.year - 3,
        summary="Children living near truck routes have more asthma attacks and emergency visits.",
        visibility="public",
        campaigns=[builder.campaigns[2]],
        at=builder.at(45),
    )
    request = actions.file_data_request(
        actor=builder.users["partner2"],
        organization=builder.cpbos[1],
        campaign=builder.campaigns[2],
        question="Asthma ED visits near the freight corridor",
        geography="Eastside and Northgate",
        groups="Children under 18",
        at=builder.at(15),
    )
    actions.answer_data_request(
        actor=analyst,
        ask=request,
        explanation="The portal's asthma measure for children answers this; see the saved query.",
        query_link="",
        at=builder.at(10),
    )
    assert saved.pk and Measure.objects.exclude(kind=Measure.Kind.INDICATOR).count() == len(
        MEASURES
    )


def demo_params() -> dict[str, Any]:
    """The query of the issue's story: asthma ED visits, children 0-17, by neighborhood and
    race/ethnicity, 2020-2024, age-adjusted, compared with the county."""
    return {
        "measure": "asthma_ed_children",
        "years": "2020-2024",
        "level": "neighborhood",
        "unit": [],
        "area_name": "",
        "by": ["race"],
        "rate": "adjusted",
        "compare": "county",
        "focus": "N01",
    }
