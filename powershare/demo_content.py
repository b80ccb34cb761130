"""What the synthetic demo county is made of: organizations, people, campaigns and asks.

Plain data, so the generator in ``seed_demo`` stays short and the content is easy to read.
"""

from __future__ import annotations

DEPARTMENT_UNITS = [
    (
        "Office of Health Equity",
        "Leads the department's partnerships with community organizations.",
    ),
    (
        "Environmental Health Division",
        "Inspections, permits and enforcement for housing, air and food.",
    ),
    ("Epidemiology and Data Unit", "Surveillance, analysis and data releases."),
]

# name, issue areas, geographies, constituencies, languages, base size, mission, approach, high risk
CPBOS = [
    (
        "Eastside Tenants Union",
        ["housing"],
        "Eastside, Riverside",
        "Renters in older apartment buildings",
        "English, Spanish",
        1400,
        "Tenants organizing for safe, healthy and affordable homes.",
        "Building committees in each complex; house meetings; direct action on landlords.",
        False,
    ),
    (
        "Clean Air Eastside Coalition",
        ["environment", "transport"],
        "Eastside, Harbor Flats, Northgate",
        "Families living next to the freight corridor",
        "English, Spanish, Vietnamese",
        600,
        "Residents and allies fighting diesel pollution from trucks and warehouses.",
        "Coalition of block clubs, parents' groups and faith congregations; community air monitoring.",
        False,
    ),
    (
        "Trabajadores Unidos Worker Center",
        ["workers", "immigration"],
        "County-wide",
        "Day laborers, warehouse and farm workers",
        "Spanish, Mixteco, English",
        900,
        "Low-wage and immigrant workers organizing for dignity and safety on the job.",
        "Worker committees by industry; know-your-rights trainings; collective complaints.",
        False,
    ),
    (
        "Youth Rising for Safe Streets",
        ["transport", "violence"],
        "Northgate, Riverside",
        "High-school students and their families",
        "English, Spanish",
        250,
        "Young people leading campaigns for safe ways to get to school.",
        "Youth organizers trained in school chapters; walk audits; testimony at council.",
        False,
    ),
    (
        "Voces Immigrant Rights Alliance",
        ["language", "immigration"],
        "County-wide",
        "Immigrant families, including members without immigration status",
        "Spanish, Mam, K'iche', Vietnamese",
        2100,
        "Immigrant families building power for dignity, language justice and access to care.",
        "Base-building through promotoras and congregations; accompaniment.",
        True,
    ),
    (
        "Faith in Action Riverbend",
        ["violence", "healthcare"],
        "Southside, Riverside, Eastside",
        "Congregations and their neighborhoods",
        "English, Spanish",
        3000,
        "Congregations organizing for safe neighborhoods and investment in people.",
        "Congregation-based organizing: one-to-ones, research actions, public meetings.",
        False,
    ),
]

# name, kind, mission
OTHER_ORGANIZATIONS = [
    ("Riverbend County Board of Supervisors", "elected", "The county's governing board."),
    (
        "Riverbend City Council, District 3",
        "elected",
        "Council office for Eastside and Harbor Flats.",
    ),
    ("Riverbend Planning Department", "agency", "Land use, zoning and permits."),
    ("Port of Riverbend", "agency", "Operates the harbor and its freight terminals."),
    (
        "Regional Air Quality District",
        "agency",
        "Air monitoring and pollution rules for the region.",
    ),
    ("Riverbend Unified School District", "agency", "Public schools of the county seat."),
    ("Riverbend Community Foundation", "funder", "Grants for community health and organizing."),
    ("Legal Aid of Riverbend", "nonprofit", "Free legal services for low-income residents."),
]

# name, title, organization (None = the department's own record), email
OFFICIALS = [
    (
        "Maria Delgado",
        "Supervisor, District 2",
        "Riverbend County Board of Supervisors",
        "mdelgado@county.example.gov",
    ),
    (
        "James Whitfield",
        "Councilmember",
        "Riverbend City Council, District 3",
        "jwhitfield@city.example.gov",
    ),
    ("Alan Brooks", "Executive Director", "Port of Riverbend", "abrooks@port.example.gov"),
    ("Helen Park", "Planning Director", "Riverbend Planning Department", "hpark@city.example.gov"),
    (
        "Victor Ramos",
        "Air Pollution Control Officer",
        "Regional Air Quality District",
        "vramos@aqd.example.gov",
    ),
    (
        "Denise Carter",
        "Superintendent",
        "Riverbend Unified School District",
        "dcarter@rusd.example.org",
    ),
    ("Olivia Chen", "Program Officer", "Riverbend Community Foundation", "ochen@rcf.example.org"),
]

# cpbo index, leader name, title
LEADERS = [
    (0, "Rosa Martinez", "Lead organizer"),
    (0, "Devon Price", "Building committee chair, Maple Court"),
    (1, "Kwame Johnson", "Coalition coordinator"),
    (1, "Linh Tran", "Air monitoring lead"),
    (2, "Juan Hernández", "Executive director"),
    (3, "Aaliyah Brooks", "Youth organizer"),
    (4, "Ana Lucía Morales", "Co-director"),
    (5, "Rev. Samuel Okafor", "Lead clergy organizer"),
]

# cpbo index, title, issue, status, visibility, goal, demands, geography, targets
CAMPAIGNS = [
    (
        0,
        "Healthy Housing Ordinance",
        "housing",
        "active",
        "public",
        "Every rental home in Riverbend is inspected for mold, pests and lead before problems make children sick.",
        "Proactive rental inspections every 3 years; a tenant-protection fund; no retaliation against tenants who complain.",
        "Eastside and Riverside",
        ["Maria Delgado"],
    ),
    (
        0,
        "Repairs at Maple Court",
        "housing",
        "active",
        "private",
        "Force the owner of Maple Court to fix mold and broken heat in all 120 units.",
        "Repairs within 60 days; rent abatement during repairs.",
        "Maple Court, Eastside",
        [],
    ),
    (
        1,
        "Reroute the Trucks",
        "environment",
        "active",
        "department",
        "Move diesel truck traffic off residential streets next to Eastside schools.",
        "A designated truck route along the freight corridor; enforcement of idling limits; a buffer for new warehouses.",
        "Eastside and Harbor Flats",
        ["James Whitfield", "Alan Brooks"],
    ),
    (
        1,
        "Air Monitors at Every School",
        "environment",
        "planning",
        "liaison",
        "Real-time air monitors at the 12 schools within 500 meters of the freight corridor.",
        "District-funded monitors; public data; action plans on bad-air days.",
        "Eastside",
        ["Denise Carter"],
    ),
    (
        2,
        "Heat Protections for Outdoor and Warehouse Workers",
        "workers",
        "active",
        "public",
        "No worker in Riverbend gets sick or dies from heat on the job.",
        "A county heat-illness order: water, shade, rest breaks above 80°F; indoor heat rules for warehouses.",
        "County-wide",
        ["Maria Delgado"],
    ),
    (
        3,
        "Safe Routes to Northgate Schools",
        "transport",
        "active",
        "public",
        "Students walk and bike to school without being hit by cars.",
        "Crosswalks and speed humps at 8 intersections; crossing guards; a youth seat on the traffic safety committee.",
        "Northgate",
        ["James Whitfield"],
    ),
    (
        4,
        "Language Access in County Health Services",
        "language",
        "active",
        "liaison",
        "Every resident gets county health services in their own language, Indigenous languages included.",
        "Interpreters for Mam and K'iche'; translated notices; a language-access complaint line.",
        "County-wide",
        ["Maria Delgado"],
    ),
    (
        5,
        "Peacekeepers: Fund Community Violence Intervention",
        "violence",
        "won",
        "public",
        "Stable county funding for community violence intervention workers.",
        "$2 million a year for violence interrupters hired from the neighborhoods they serve.",
        "Southside and Riverside",
        ["Maria Delgado"],
    ),
]

# Which campaign (index in CAMPAIGNS) each ask below serves.
ASK_CAMPAIGNS = [
    0,
    0,
    0,
    1,
    2,
    2,
    3,
    2,
    4,
    4,
    4,
    2,
    5,
    5,
    5,
    5,
    5,
    6,
    6,
    6,
    6,
    7,
    7,
    7,
    7,
    1,
    3,
    0,
    3,
    0,
]

# kind, title, description
ASKS = [
    (
        "data",
        "Asthma ED visits by neighborhood",
        "Emergency visits for asthma among children in Eastside compared with the county, last 5 years.",
    ),
    (
        "evidence",
        "Studies on proactive rental inspection",
        "What evidence exists that proactive inspection reduces asthma and lead poisoning?",
    ),
    (
        "testimony",
        "Testimony at the Board of Supervisors",
        "The health officer to testify on housing conditions and health at the March hearing.",
    ),
    (
        "regulatory",
        "Inspect all Maple Court units",
        "Proactive inspection of every unit for mold, heat and pests.",
    ),
    (
        "convening",
        "Meeting with the Planning Department",
        "Convene Planning, the Port and the coalition about truck routes.",
    ),
    (
        "introductions",
        "Introduction to the Community Foundation",
        "Introduce us to the program officer for environmental health.",
    ),
    (
        "funding",
        "Support for community air monitors",
        "Funds for 12 low-cost air sensors and their data plans.",
    ),
    (
        "technical",
        "Help mapping truck counts",
        "Technical help to map our volunteer truck counts against census tracts.",
    ),
    (
        "data",
        "Heat-related illness among workers",
        "Emergency visits for heat illness among working-age adults by month and industry if available.",
    ),
    (
        "evidence",
        "Model heat-illness orders",
        "Examples of local heat-illness orders and their evaluations.",
    ),
    (
        "regulatory",
        "Heat-illness health officer order",
        "Ask the health officer to issue an order protecting outdoor workers.",
    ),
    (
        "testimony",
        "Public comment on the warehouse permit",
        "Comment on the health impacts of the Harbor Logistics warehouse permit.",
    ),
    (
        "data",
        "Pedestrian injuries near Northgate schools",
        "Pedestrian and cyclist injuries within half a mile of Northgate schools.",
    ),
    (
        "convening",
        "Walk audit with traffic engineers",
        "Join our youth walk audit with city traffic engineers.",
    ),
    ("technical", "Survey design for the walk audit", "Help designing a student travel survey."),
    (
        "introductions",
        "Introduction to the school district's facilities lead",
        "We want to meet whoever decides on school-zone improvements.",
    ),
    (
        "other",
        "Space for a community meeting",
        "A meeting room at the Northgate clinic for 60 people.",
    ),
    (
        "data",
        "Language needs of clinic patients",
        "Languages spoken by patients of county clinics, by clinic.",
    ),
    (
        "evidence",
        "Research on Indigenous-language interpretation",
        "Evidence on health outcomes when Indigenous-language interpreters are used.",
    ),
    (
        "funding",
        "Stipends for promotoras",
        "Stipends for promotoras who explain county services in Mam and K'iche'.",
    ),
    (
        "regulatory",
        "Language-access complaint process",
        "A formal process to complain when interpretation is denied.",
    ),
    (
        "testimony",
        "Letter of support for violence intervention funding",
        "A letter from the health officer supporting the Peacekeepers budget request.",
    ),
    (
        "data",
        "Firearm injuries by neighborhood",
        "Firearm injury hospitalizations by neighborhood and age group.",
    ),
    (
        "convening",
        "Hospital-based violence intervention meeting",
        "Bring together the trauma center and our peacekeepers.",
    ),
    (
        "technical",
        "Evaluation plan for the peacekeepers",
        "Help writing an evaluation plan for the county contract.",
    ),
    (
        "other",
        "Translation of the campaign fact sheet",
        "Translate our two-page fact sheet into Spanish and Vietnamese.",
    ),
    (
        "introductions",
        "Meet the Air Quality District's monitoring team",
        "Introduce us to the people who run the regulatory monitors.",
    ),
    (
        "data",
        "Lead poisoning among children by building age",
        "Elevated blood lead tests among children under 6 by neighborhood.",
    ),
    (
        "evidence",
        "Health impacts of diesel exposure near schools",
        "A summary of the evidence on diesel exhaust and children's lungs.",
    ),
    (
        "funding",
        "Interpretation at tenant assemblies",
        "Funding for simultaneous interpretation at three assemblies.",
    ),
]

LEVEL_REASONS = {
    0: "We were not being asked about decisions that affect us.",
    1: "The department shares information, but only after decisions are made.",
    2: "We are asked for input, but we don't see what happened to it.",
    3: "Our members helped shape the plan and saw their ideas in it.",
    4: "We set the agenda together and share the work.",
    5: "The department follows the community's lead on this work.",
}


def demo_pdf() -> bytes:
    """A one-page PDF, empty but real, for the demo's packets and documents."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
