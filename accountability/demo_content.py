"""What the demo county's advisory board is made of. Plain data for ``accountability/demo.py``."""

from __future__ import annotations

BOARD = {
    "name": "Riverbend Community Health Advisory Board",
    "purpose": "Residents most affected by health inequities advise the Riverbend health department on its "
    "priorities, budget and programs, and hold it to account for what it does with their advice.",
    "powers": "Adopts recommendations addressed to any unit of the department, which must answer each one in "
    "public within 60 days. Reviews the department's budget request each year. Sits on the panels that score "
    "community grants.",
}

# seat name, kind, nominating CPBO index or None, is chair
SEATS = [
    ("Chair (resident)", "resident", None, True),
    ("Resident seat 2", "resident", None, False),
    ("Resident seat 3", "resident", None, False),
    ("Resident seat 4", "resident", None, False),
    ("Resident seat 5", "resident", None, False),
    ("Youth seat", "youth", None, False),
    ("Worker seat", "worker", None, False),
    ("Eastside Tenants Union seat", "cpbo", 0, False),
    ("Clean Air Eastside Coalition seat", "cpbo", 1, False),
]

# email local part ("board" is the printed login), name, seat index, eligibility, payment, tax form
MEMBERS = [
    ("board-chair", "Marisol Vega", 0, "lived", "deposit", True),
    ("board", "Teresa Alvarez", 1, "low_income", "check", False),
    ("board-derrick", "Derrick Owens", 2, "self_attested", "check", True),
    ("board-lin", "Lin Chen", 3, "lived", "gift_card", False),
    ("board-walter", "Walter Price", 4, "self_attested", "check", False),
    ("board-jayden", "Jayden Ruiz", 5, "lived", "gift_card", False),
    ("board-fatima", "Fatima Diallo", 6, "low_income", "deposit", True),
    ("board-carmen", "Carmen Flores", 7, "none", "declined", False),
    ("board-marcus", "Marcus Bell", 8, "lived", "check", False),
]
ENDED_EARLY = ("board-walter", "Moved out of the county.")

AGENDA = [
    "Welcome, interpretation and community agreements",
    "Public comment",
    "Department update and responses due",
    "Working group reports",
]

# days ago of each past meeting and its topic
MEETINGS = [
    (12, "Monthly meeting: heat and cooling centers"),
    (55, "Monthly meeting: language access"),
    (75, "Monthly meeting: inspections backlog"),
    (105, "Monthly meeting: budget priorities"),
    (135, "Monthly meeting: truck routes and asthma"),
    (165, "Monthly meeting: worker heat safety"),
    (195, "Monthly meeting: data releases"),
    (225, "Monthly meeting (summer)"),
    (255, "Monthly meeting: lead in older homes"),
    (285, "Monthly meeting: community grants"),
    (315, "Monthly meeting: mold complaints"),
    (345, "Monthly meeting: the board's first year"),
]
UPCOMING = [(16, "Monthly meeting: winter shelter health"), (46, "Annual retreat and priorities")]
LOW_ATTENDANCE_MEETING = 225  # only three members came: no quorum, an informal motion

# meeting (days ago), unit index, title, text, rationale, plan
# plan: list of steps (days after adoption, step, decision or status, text)
RECOMMENDATIONS = [
    (
        345,
        1,
        "Proactive rental inspections in Eastside",
        "Inspect every rental building in Eastside built before 1978 for mold, pests and lead within two years, "
        "starting with buildings that have open complaints.",
        "Complaint-driven inspection leaves tenants who fear retaliation in unsafe homes; asthma ED visits in "
        "Eastside are twice the county rate.",
        [
            (
                40,
                "respond",
                "accept",
                "The division will move two inspectors to a proactive Eastside program.",
            ),
            (45, "commit", "Publish a two-year inspection schedule by building", 80),
            (48, "commit", "Hire two inspectors for the proactive program", 150),
            (
                78,
                "update",
                "done",
                "The schedule is on the division's web page, in English and Spanish.",
            ),
            (140, "update", "done", "Both inspectors started; 120 buildings inspected so far."),
        ],
    ),
    (
        315,
        0,
        "Mold complaint hotline in Spanish and Vietnamese",
        "Staff the housing complaint hotline with Spanish- and Vietnamese-speaking staff during evening hours.",
        "Most complaints come from tenants who work days; a third of Eastside households speak Spanish or "
        "Vietnamese at home.",
        [
            (
                72,
                "respond",
                "accept",
                "Evening hours begin with the next budget; bilingual staff are being hired.",
            ),
            (75, "commit", "Evening hotline hours two days a week", 200),
            (76, "commit", "Vietnamese-speaking hotline staff", 120),
            (
                150,
                "update",
                "in_progress",
                "Evening hours approved in the budget; hiring under way.",
            ),
        ],
    ),
    (
        285,
        0,
        "Community members on every grant panel",
        "Put at least two board members on every panel that scores community grants.",
        "Residents should decide how money meant for their neighborhoods is spent.",
        [
            (
                30,
                "withdraw",
                "The department adopted this in its grant rules before it was answered; no response needed.",
            )
        ],
    ),
    (
        255,
        1,
        "Lead testing for every child in pre-1978 rentals",
        "Offer free blood-lead testing at home for every child under six living in a pre-1978 rental, and "
        "inspect the home when a child tests above the reference value.",
        "Lead poisoning is concentrated in the county's oldest rentals and is fully preventable.",
        [
            (
                50,
                "respond",
                "partial",
                "Home testing will be offered in Eastside and Riverside first; countywide needs new state funds.",
            ),
            (52, "commit", "Home blood-lead testing in Eastside and Riverside", 120),
            (53, "commit", "Ask the state for funds to test countywide", 200),
            (115, "update", "done", "Home testing runs weekly; 310 children tested."),
            (190, "update", "in_progress", "The request is in the state budget proposal."),
        ],
    ),
    (
        195,
        2,
        "Publish asthma data by census tract every quarter",
        "Release asthma ED visit rates by census tract every quarter, with small numbers suppressed.",
        "Campaigns need current local data; yearly county figures hide the hot spots.",
        [
            (
                45,
                "respond",
                "decline",
                "Quarterly tract rates would be suppressed almost everywhere; we will publish them twice a year with two-year averages instead.",
            )
        ],
    ),
    (
        165,
        0,
        "Heat-illness protections for outdoor workers",
        "Ask the Board of Supervisors for a heat-illness ordinance covering water, shade and rest for outdoor "
        "and warehouse workers.",
        "Heat-related ED visits among workers doubled in the last three summers.",
        [
            (
                65,
                "respond",
                "under_study",
                "County counsel is reviewing what the department may recommend to the Board without lobbying.",
            )
        ],
    ),
    (
        135,
        1,
        "Truck routes away from schools",
        "Work with the transportation agency to move freight truck routes at least 500 feet away from schools "
        "and enforce idling limits.",
        "Children at three Eastside schools breathe the highest diesel exposure in the county.",
        [
            (
                80,
                "respond",
                "partial",
                "The division will enforce idling limits near schools; route changes belong to the transportation agency, which we will ask.",
            ),
            (82, "commit", "Idling enforcement sweeps near the three schools", 40),
        ],
    ),
    (
        105,
        0,
        "Participatory budgeting for prevention funds",
        "Let residents decide how 10% of the prevention budget is spent, through neighborhood assemblies.",
        "People closest to the problems know what would help.",
        [],
    ),
    (
        75,
        2,
        "Data walk in every neighborhood",
        "Hold a community data walk in each neighborhood before the health assessment is final.",
        "Residents should check and explain the data about them.",
        [],
    ),
    (
        55,
        0,
        "Interpretation at every public meeting",
        "Provide Spanish and Vietnamese interpretation at every public meeting of the department without a request.",
        "Requests in advance exclude people who don't know they can ask.",
        [],
    ),
    (
        12,
        1,
        "Cooling centers open until 10 p.m.",
        "Keep cooling centers open until 10 p.m. on heat-advisory days.",
        "Apartments stay hottest in the evening.",
        [(3, "draft", "accept", "")],
    ),
]
DRAFT_RECOMMENDATION = (
    "Free transit passes to cooling centers",
    "Give free transit passes to residents going to cooling centers on heat-advisory days.",
    "Older residents without cars can't reach the centers.",
)

APPLICATIONS = [
    (
        "Rosa Elena Quintero",
        "es",
        "Harbor Flats",
        "resident",
        "Quiero que la voz de mi vecindario se escuche en las decisiones de salud.",
        "received",
    ),
    (
        "Tom Nguyen",
        "en",
        "Northgate",
        "resident",
        "I have lived next to the freight corridor for 20 years and want the department to hear from us.",
        "shortlisted",
    ),
    (
        "Brianna Scott",
        "en",
        "Eastside",
        "youth",
        "Youth in my school have asthma and nobody asks us.",
        "received",
    ),
    (
        "Luis Ortega",
        "es",
        "Riverside",
        "worker",
        "Trabajo en un almacén y conozco el calor.",
        "not_selected",
    ),
]

# title, unit index, status, description, community input, partnership indexes, posted/hired days ago
ORGANIZER_POSITIONS = [
    (
        "Community organizer, Eastside housing",
        1,
        "filled",
        "Supports tenant committees in pre-1978 buildings, connects tenants with inspectors, and brings what "
        "tenants say back into the division's inspection priorities.",
        "The Eastside Tenants Union and the board rewrote the draft: the organizer answers to the partnership's "
        "steering group as well as the division, does not enforce, and must speak Spanish.",
        [0, 3],
        (300, 240),
    ),
    (
        "Community organizer, worker health",
        0,
        "posted",
        "Builds relationships with worker centers and brings workers' knowledge of heat and chemical exposure "
        "into the department's surveillance.",
        "Worker-center members chose the title, asked for evening hours and a paid trial period, and sit on "
        "the hiring panel.",
        [2],
        (40, None),
    ),
]
