"""Indicators, their figures and the cities' action plans, as data; `Loader.indicators` and
`Loader.plans` play them through the services.

Real: the network's charter goals, Ungdata as the kind of survey Norwegian cities measure young
people's sense of safety with, SaLTo (Oslo's cooperation between the city and the police),
Stockholm's programme for safety and security and its city-wide strategy against violent
extremism (adopted 2016), and the city debates "Oslo snakker". Synthetic and said so on every
page that shows them: every figure, baseline and target, every plan's title, decision, case
number and budget, and every progress update.

A series is a year's value per place, 2019–2025; the latest year is provisional, older years
final. Hate crimes are given as reported counts with the population they are counted in, so
the rate per 100,000 carries its numerator and a small count withholds it.
"""

from datetime import date

SYNTHETIC = {
    "en": "Synthetic demo figures: made up to show how the platform works, not real statistics.",
    "nb": "Syntetiske demotall: laget for å vise hvordan plattformen virker, ikke ekte statistikk.",
    "sv": "Syntetiska demosiffror: påhittade för att visa hur plattformen fungerar, inte verklig "
    "statistik.",
}
SYNTHETIC_NOTE = "Synthetic demo figure."
YEARS = list(range(2019, 2026))
PROVISIONAL_FROM = 2025  # the latest year is provisional, older years final
CURRENCY = {"Oslo": "NOK", "Kristiansand": "NOK", "Stockholm": "SEK"}


def _described(en: str, nb: str, sv: str) -> dict:
    """A description that ends by saying its figures are synthetic, in each language."""
    return {
        "en": f"{en} {SYNTHETIC['en']}",
        "nb": f"{nb} {SYNTHETIC['nb']}",
        "sv": f"{sv} {SYNTHETIC['sv']}",
    }


# The indicators the secretariat defines, tied to charter goals.
INDICATORS = [
    {
        "code": "safe-at-night",
        "name": {
            "en": "Pupils who feel safe in their neighbourhood at night",
            "nb": "Elever som føler seg trygge i nærmiljøet om kvelden",
            "sv": "Elever som känner sig trygga i sitt bostadsområde på kvällen",
        },
        "description": _described(
            "Share of pupils in lower and upper secondary school answering that they feel safe "
            "moving about their neighbourhood at night, from an Ungdata-like survey.",
            "Andel elever i ungdomsskolen og videregående som svarer at de føler seg trygge når "
            "de ferdes i nærmiljøet om kvelden, fra en Ungdata-lignende undersøkelse.",
            "Andel elever i högstadiet och gymnasiet som svarar att de känner sig trygga i sitt "
            "bostadsområde på kvällen, från en Ungdata-liknande enkät.",
        ),
        "kind": "outcome",
        "unit_type": "percentage",
        "better": "higher",
        "source": "ungdata",
        "source_name": "Ungdata-like pupil survey (synthetic demo figures)",
        "period_type": "year",
        "goal": "safe-urban-spaces",
    },
    {
        "code": "hate-crime-rate",
        "name": {
            "en": "Reported hate crimes per 100,000 inhabitants",
            "nb": "Anmeldt hatkriminalitet per 100 000 innbyggere",
            "sv": "Anmälda hatbrott per 100 000 invånare",
        },
        "description": _described(
            "Hate crimes reported to the police in the year, per 100,000 inhabitants.",
            "Hatkriminalitet anmeldt til politiet i året, per 100 000 innbyggere.",
            "Hatbrott anmälda till polisen under året, per 100 000 invånare.",
        ),
        "numerator_description": {
            "en": "Hate crimes reported to the police",
            "nb": "Anmeldt hatkriminalitet",
            "sv": "Anmälda hatbrott",
        },
        "denominator_description": {
            "en": "Inhabitants on 1 January",
            "nb": "Innbyggere 1. januar",
            "sv": "Invånare den 1 januari",
        },
        "kind": "outcome",
        "unit_type": "rate_100k",
        "better": "lower",
        "source": "police",
        "source_name": "Police district statistics (synthetic demo figures)",
        "period_type": "year",
        "goal": "safe-communities",
    },
    {
        "code": "trust-in-municipality",
        "name": {
            "en": "Residents' trust in the municipality",
            "nb": "Innbyggernes tillit til kommunen",
            "sv": "Invånarnas förtroende för kommunen",
        },
        "description": _described(
            "Mean answer, on a scale from 0 (none) to 10 (full), to how much residents trust "
            "the municipality, from the city's own survey every other year.",
            "Gjennomsnittlig svar, på en skala fra 0 (ingen) til 10 (full), på hvor mye "
            "innbyggerne stoler på kommunen, fra byens egen undersøkelse annethvert år.",
            "Genomsnittligt svar, på en skala från 0 (inget) till 10 (fullt), på hur mycket "
            "invånarna litar på kommunen, från stadens egen enkät vartannat år.",
        ),
        "kind": "outcome",
        "unit_type": "score",
        "better": "higher",
        "source": "city_survey",
        "source_name": "Resident survey (synthetic demo figures)",
        "period_type": "year",
        "goal": "safe-public-institutions",
    },
    {
        "code": "dialogue-meetings",
        "name": {
            "en": "Dialogue meetings held",
            "nb": "Dialogmøter holdt",
            "sv": "Dialogmöten som hållits",
        },
        "description": _described(
            "Dialogue meetings and debates the city held or hosted with residents, young "
            "people and civil society in the year, from the city's own records.",
            "Dialogmøter og debatter byen holdt eller var vert for med innbyggere, unge og "
            "sivilsamfunnet i året, fra byens egne tall.",
            "Dialogmöten och debatter som staden höll eller stod värd för med invånare, unga "
            "och civilsamhället under året, från stadens egna siffror.",
        ),
        "kind": "output",
        "unit_type": "count",
        "better": "higher",
        "source": "other",
        "source_name": "The city's own figures (synthetic demo figures)",
        "period_type": "year",
        "goal": "strong-youth-engagement",
    },
    {
        "code": "people-reached",
        "name": {
            "en": "People reached by the measures",
            "nb": "Personer nådd av tiltakene",
            "sv": "Personer som nåtts av insatserna",
        },
        "description": _described(
            "People who took part in or were reached by the action plan's measures in the "
            "year, from the city's own records.",
            "Personer som deltok i eller ble nådd av handlingsplanens tiltak i året, fra byens "
            "egne tall.",
            "Personer som deltog i eller nåddes av handlingsplanens insatser under året, från "
            "stadens egna siffror.",
        ),
        "kind": "output",
        "unit_type": "count",
        "better": "higher",
        "source": "other",
        "source_name": "The city's own figures (synthetic demo figures)",
        "period_type": "year",
        "goal": "safe-communities",
    },
]

# Series per indicator and place (city, district), one value a year for YEARS (None: not
# measured that year; the resident survey is every other year). For "hate-crime-rate" the values
# are the reported counts; the loader divides them by the place's population into a rate.
# Counts under 5 (Skien's first dialogue meetings, Grünerløkka's hate crimes in 2021) show how
# the small-number rule hides them.
#            2019  2020  2021  2022  2023  2024  2025
SERIES = {
    "safe-at-night": {
        ("Oslo", ""): [71, 72, 70, 73, 74, 75, 76],
        ("Oslo", "Grünerløkka"): [64, 66, 63, 67, 69, 70, 72],
        ("Stockholm", ""): [68, 67, 66, 68, 69, 71, 72],
        ("Kristiansand", ""): [78, 79, 77, 78, 80, 80, 81],
        ("Skien", ""): [80, 81, 79, 78, 80, 82, 82],
        ("Stavanger", ""): [79, 80, 80, 81, 81, 82, 83],
    },
    "hate-crime-rate": {
        ("Oslo", ""): [590, 612, 575, 560, 548, 530, 512],
        ("Oslo", "Grünerløkka"): [9, 7, 4, 6, 8, 6, 5],
        ("Stockholm", ""): [1180, 1215, 1150, 1120, 1096, 1064, 1030],
        ("Kristiansand", ""): [38, 41, 36, 35, 33, 31, 30],
        ("Skien", ""): [19, 17, 18, 16, 15, 15, 13],
        ("Stavanger", ""): [52, 55, 50, 49, 47, 46, 44],
    },
    "trust-in-municipality": {
        ("Oslo", ""): ["5.9", None, "6.1", None, "6.3", None, "6.4"],
        ("Stockholm", ""): ["5.6", None, "5.7", None, "5.9", None, "6.0"],
        ("Kristiansand", ""): ["6.4", None, "6.5", None, "6.5", None, "6.7"],
        ("Skien", ""): ["6.2", None, "6.3", None, "6.4", None, "6.4"],
        ("Stavanger", ""): ["6.6", None, "6.6", None, "6.8", None, "6.9"],
    },
    "dialogue-meetings": {
        ("Oslo", ""): [14, 9, 18, 24, 31, 36, 40],
        ("Stockholm", ""): [22, 12, 25, 28, 33, 37, 41],
        ("Kristiansand", ""): [6, 5, 8, 10, 12, 12, 14],
        ("Skien", ""): [3, 4, 6, 7, 9, 10, 11],
        ("Stavanger", ""): [8, 6, 9, 11, 13, 15, 16],
    },
    "people-reached": {
        ("Oslo", ""): [1200, 800, 1650, 2400, 3900, 4600, 5100],
        ("Stockholm", ""): [2100, 1300, 2500, 3100, 3600, 4200, 4700],
        ("Kristiansand", ""): [310, 220, 400, 520, 610, 700, 760],
        ("Skien", ""): [140, 95, 210, 260, 330, 380, 420],
        ("Stavanger", ""): [420, 300, 520, 610, 700, 820, 880],
    },
}
# Inhabitants a district's counts are divided by (the cities use their own population).
DISTRICT_POPULATION = {("Oslo", "Grünerløkka"): 65_000}
# Pupils who answered the survey, for "safe-at-night".
SAMPLE_SIZE = {
    ("Oslo", ""): 9_800,
    ("Oslo", "Grünerløkka"): 760,
    ("Stockholm", ""): 12_400,
    ("Kristiansand", ""): 2_300,
    ("Skien", ""): 1_100,
    ("Stavanger", ""): 2_900,
}

# Baselines of the cities with a plan: (indicator, city, period); the value is the city's own
# figure for that period in SERIES. Targets for 2026: (indicator, city, period, value).
BASELINES = [
    ("safe-at-night", "Oslo", "2019"),
    ("hate-crime-rate", "Oslo", "2019"),
    ("trust-in-municipality", "Oslo", "2019"),
    ("safe-at-night", "Stockholm", "2020"),
    ("hate-crime-rate", "Stockholm", "2020"),
    ("trust-in-municipality", "Stockholm", "2019"),
    ("safe-at-night", "Kristiansand", "2020"),
    ("hate-crime-rate", "Kristiansand", "2020"),
]
TARGETS = [
    ("safe-at-night", "Oslo", "2026", 78),
    ("hate-crime-rate", "Oslo", "2026", "70"),
    ("trust-in-municipality", "Oslo", "2026", "6.5"),
    ("safe-at-night", "Stockholm", "2026", 73),
    ("hate-crime-rate", "Stockholm", "2026", "100"),
    # Stockholm sets no target for trust: the effect page lists it as lacking one.
    ("safe-at-night", "Kristiansand", "2026", 82),
    ("hate-crime-rate", "Kristiansand", "2026", "25"),
]

# --- the network's template: one section per charter goal -------------------------------
TEMPLATE_SECTIONS = {
    "safe-urban-spaces": (
        {"en": "Safe urban spaces", "nb": "Trygge byrom", "sv": "Trygga stadsmiljöer"},
        {
            "en": "Which streets, squares and neighbourhoods feel unsafe, to whom, and what will "
            "the city do about it? Name the outcome you measure, e.g. the share of pupils who "
            "feel safe at night.",
            "nb": "Hvilke gater, plasser og nabolag oppleves utrygge, for hvem, og hva vil byen "
            "gjøre? Nevn hvilket resultat dere måler, f.eks. andelen elever som føler seg trygge "
            "om kvelden.",
            "sv": "Vilka gator, torg och bostadsområden upplevs otrygga, för vem, och vad ska "
            "staden göra? Ange vilket utfall ni mäter, t.ex. andelen elever som känner sig "
            "trygga på kvällen.",
        },
    ),
    "safe-online-sphere": (
        {"en": "Safe online sphere", "nb": "Trygt nettmiljø", "sv": "Trygga digitala miljöer"},
        {
            "en": "How will the city counter online hate and recruitment, and support those "
            "targeted by it?",
            "nb": "Hvordan vil byen motvirke hat og rekruttering på nett, og støtte dem som "
            "rammes?",
            "sv": "Hur ska staden motverka hat och rekrytering på nätet och stödja dem som "
            "drabbas?",
        },
    ),
    "strong-families": (
        {"en": "Strong families", "nb": "Sterke familier", "sv": "Starka familjer"},
        {
            "en": "What support do parents get to protect their children from violent "
            "environments, and who gives it?",
            "nb": "Hvilken støtte får foreldre til å beskytte barna mot voldelige miljøer, og "
            "hvem gir den?",
            "sv": "Vilket stöd får föräldrar för att skydda sina barn från våldsamma miljöer, "
            "och vem ger det?",
        },
    ),
    "safe-public-institutions": (
        {
            "en": "Safe public institutions",
            "nb": "Trygge offentlige institusjoner",
            "sv": "Trygga offentliga institutioner",
        },
        {
            "en": "How will the city protect politicians and staff from hate and threats, and "
            "build residents' trust in its institutions?",
            "nb": "Hvordan vil byen beskytte politikere og ansatte mot hat og trusler, og bygge "
            "innbyggernes tillit til institusjonene?",
            "sv": "Hur ska staden skydda förtroendevalda och anställda mot hat och hot, och "
            "bygga invånarnas förtroende för institutionerna?",
        },
    ),
    "strong-youth-engagement": (
        {
            "en": "Strong youth engagement",
            "nb": "Sterkt ungdomsengasjement",
            "sv": "Starkt engagemang bland unga",
        },
        {
            "en": "How do young people take part in shaping the measures meant for them?",
            "nb": "Hvordan er unge med på å forme tiltakene som er ment for dem?",
            "sv": "Hur är unga med och formar de insatser som är till för dem?",
        },
    ),
    "safe-communities": (
        {"en": "Safe communities", "nb": "Trygge lokalsamfunn", "sv": "Trygga lokalsamhällen"},
        {
            "en": "Which partners in civil society share the work, and how will the city know "
            "that hate and polarisation decrease?",
            "nb": "Hvilke partnere i sivilsamfunnet deler arbeidet, og hvordan vil byen vite at "
            "hat og polarisering går ned?",
            "sv": "Vilka partner i civilsamhället delar arbetet, och hur ska staden veta att hat "
            "och polarisering minskar?",
        },
    ),
}

# --- the cities' plans -----------------------------------------------------------------------
#
# A measure: its status is reached through its progress updates, in order (the workflow
# planned → ongoing → done). "links" are (indicator, role, expected direction). "grant" names
# the demo award (by its application's title) that funds the measure.

PLANS = [
    {
        "city": "Oslo",
        "coordinator": "coordinator@example.org",
        "title": "Handlingsplan mot hat, radikalisering og voldelig ekstremisme 2023–2026",
        "period": (date(2023, 1, 1), date(2026, 12, 31)),
        "sections": {
            "safe-urban-spaces": "Tryggere kvelder i bydelene gjennom SaLTo-samarbeidet mellom "
            "kommunen og politiet.",
            "safe-public-institutions": "Åpne byspråk og debatter som bygger tillit mellom "
            "innbyggere og folkevalgte.",
        },
        "adoption": {
            "body": "Bystyret (City council)",
            "on": date(2023, 6, 14),
            "case_number": "23/04471 (synthetic)",
            "filename": "oslo-bystyret-sak-23-04471.pdf",
            "pdf_lines": [
                "Oslo kommune - Bystyret",
                "Sak 23/04471: Handlingsplan mot hat, radikalisering og",
                "voldelig ekstremisme 2023-2026",
                "Vedtak 14.06.2023: Handlingsplanen vedtas.",
                "Synthetic demo decision: not a real council decision.",
            ],
        },
        "measures": [
            {
                "title": "Oslo snakker",
                "description": "City debates about cancel culture and trust towards "
                "politicians, held with the Nobel Peace Center. The initiative is real; the "
                "budget, dates and figures here are synthetic.",
                "goals": ["safe-public-institutions", "safe-communities"],
                "target_groups": ["general-public", "politicians"],
                "phenomena": ["polarisation", "hate-against-politicians"],
                "owner_department": "Byrådsavdeling for kultur og næring",
                "partners": ["nobel-peace-center"],
                "budget": 1_000_000,
                "period": (date(2023, 4, 1), date(2024, 6, 30)),
                "grant": "Oslo snakker",
                "progress": [
                    (
                        date(2023, 9, 20),
                        "ongoing",
                        "Four debates held at the Nobel Peace Center, "
                        "about 900 in the audience and online.",
                    ),
                    (
                        date(2024, 6, 28),
                        "done",
                        "The series ended with a debate at the city "
                        "hall; the final report went to Gjensidigestiftelsen.",
                    ),
                ],  # fmt: skip
                "links": [
                    ("dialogue-meetings", "output", "increase"),
                    ("people-reached", "output", "increase"),
                    ("trust-in-municipality", "outcome", "increase"),
                ],
            },
            {
                "title": "SaLTo: trygge kvelder i Grünerløkka",
                "description": "Night walks, open youth clubs and a youth worker on the streets "
                "on Friday and Saturday evenings, planned together with the police (SaLTo).",
                "goals": ["safe-urban-spaces", "strong-youth-engagement"],
                "target_groups": ["youth"],
                "phenomena": ["gang-crime"],
                "owner_department": "Bydel Grünerløkka",
                "budget": 2_400_000,
                "period": (date(2023, 8, 1), date(2026, 6, 30)),
                "progress": [
                    (
                        date(2024, 2, 1),
                        "ongoing",
                        "Two youth clubs open until 23:00 on weekends; night walks every Friday.",
                    ),
                    (
                        date(2025, 3, 1),
                        "ongoing",
                        "A third club opened; pupils report feeling "
                        "safer on the way home (synthetic survey figures).",
                    ),
                ],  # fmt: skip
                "links": [
                    ("people-reached", "output", "increase"),
                    ("safe-at-night", "outcome", "increase"),
                    ("hate-crime-rate", "outcome", "decrease"),
                ],
            },
            {
                "title": "Dialoggrupper i ungdomsskolen",
                "description": "Trained facilitators from Ungdom i dialog run dialogue groups "
                "on identity, religion and hate speech in lower secondary schools. The city "
                "has not yet chosen an outcome to follow.",
                "goals": ["strong-youth-engagement"],
                "target_groups": ["youth", "teachers"],
                "phenomena": ["polarisation"],
                "owner_department": "Utdanningsetaten",
                "partners": ["ungdom-i-dialog"],
                "budget": 650_000,
                "period": (date(2024, 1, 1), date(2026, 12, 31)),
                "progress": [
                    (date(2024, 10, 15), "ongoing", "Dialogue groups in six schools this autumn."),
                ],  # fmt: skip
                "links": [("dialogue-meetings", "output", "increase")],
            },
        ],
    },
    {
        "city": "Stockholm",
        "coordinator": "stockholm@example.org",
        "title": "Lokal handlingsplan för trygghet och mot våldsbejakande extremism 2024–2027",
        "period": (date(2024, 1, 1), date(2027, 12, 31)),
        "sections": {
            "safe-urban-spaces": "Genomför stadens program för trygghet och säkerhet i "
            "stadsdelarna, med trygghetsvandringar tillsammans med invånarna.",
            "safe-public-institutions": "Bygger vidare på den stadsövergripande strategin mot "
            "våldsbejakande extremism från 2016.",
        },
        "adoption": {
            "body": "Kommunfullmäktige (City council)",
            "on": date(2024, 2, 5),
            "case_number": "KS 2023/1187 (synthetic)",
            "filename": "stockholm-kf-ks-2023-1187.pdf",
            "pdf_lines": [
                "Stockholms stad - Kommunfullmäktige",
                "Dnr KS 2023/1187: Lokal handlingsplan för trygghet och",
                "mot våldsbejakande extremism 2024-2027",
                "Beslut 2024-02-05: Handlingsplanen antas.",
                "Synthetic demo decision: not a real council decision.",
            ],
        },
        "measures": [
            {
                "title": "Trygghetsvandringar i stadsdelarna",
                "description": "Residents, housing companies and the police walk the "
                "neighbourhood together and agree on what to fix: lighting, paths, meeting "
                "places.",
                "goals": ["safe-urban-spaces", "safe-communities"],
                "target_groups": ["general-public"],
                "phenomena": ["gang-crime", "polarisation"],
                "owner_department": "Stadsledningskontoret, trygghetsavdelningen",
                "partners": ["foreningen-trygga-grannar"],
                "budget": 600_000,
                "period": (date(2024, 3, 1), date(2027, 12, 31)),
                "progress": [
                    (
                        date(2024, 11, 30),
                        "ongoing",
                        "Twelve walks in four districts; 40 "
                        "proposals handed to the district councils.",
                    ),
                ],  # fmt: skip
                "links": [
                    ("people-reached", "output", "increase"),
                    ("safe-at-night", "outcome", "increase"),
                ],
            },
            {
                "title": "Stöd till förtroendevalda utsatta för hat och hot",
                "description": "A contact point, security advice and dialogue meetings for "
                "elected representatives and staff targeted by hate and threats.",
                "goals": ["safe-public-institutions"],
                "target_groups": ["politicians", "frontline-staff"],
                "phenomena": ["hate-against-politicians"],
                "owner_department": "Stadsledningskontoret",
                "budget": 850_000,
                "period": (date(2024, 6, 1), date(2027, 12, 31)),
                "progress": [
                    (
                        date(2024, 9, 1),
                        "ongoing",
                        "The contact point opened; 31 requests in the first quarter.",
                    ),
                ],  # fmt: skip
                "links": [
                    ("dialogue-meetings", "output", "increase"),
                    ("trust-in-municipality", "outcome", "increase"),
                    ("hate-crime-rate", "outcome", "decrease"),
                ],
            },
            {
                "title": "Kunskapshöjning för förstalinjens personal",
                "description": "Training on violent extremism and where to turn for teachers, "
                "social workers and youth workers.",
                "goals": ["safe-communities", "strong-families"],
                "target_groups": ["frontline-staff", "teachers"],
                "phenomena": ["right-wing-extremism", "violent-islamism"],
                "owner_department": "Socialförvaltningen",
                "budget": 400_000,
                "period": (date(2024, 2, 1), date(2025, 6, 30)),
                "progress": [
                    (date(2024, 5, 15), "ongoing", "First three courses held."),
                    (
                        date(2025, 6, 30),
                        "done",
                        "Fourteen courses held; the material is on the intranet.",
                    ),
                ],  # fmt: skip
                "links": [("people-reached", "output", "increase")],
            },
        ],
    },
    {
        "city": "Kristiansand",
        "coordinator": "kristiansand@example.org",
        "title": "Handlingsplan for trygge lokalsamfunn 2026–2029 (utkast)",
        "period": (date(2026, 1, 1), date(2029, 12, 31)),
        "sections": {
            "strong-families": "Foreldreveiledning i alle bydeler innen 2027.",
        },
        "measures": [
            {
                "title": "Foreldreveiledning mot gjengrekruttering",
                "description": "Parent groups in the districts where young people are "
                "recruited into gangs, led by family counsellors.",
                "goals": ["strong-families"],
                "target_groups": ["parents"],
                "phenomena": ["gang-crime"],
                "owner_department": "Barne- og familietjenesten",
                "budget": 300_000,
                "period": (date(2026, 1, 1), date(2027, 12, 31)),
                "links": [("safe-at-night", "outcome", "increase")],
            },
            {
                "title": "Ungdomsråd i bydelene",
                "description": "A youth council in each district that is heard on the plan's "
                "measures.",
                "goals": ["strong-youth-engagement"],
                "target_groups": ["youth"],
                "owner_department": "Kultur",
                "budget": 120_000,
                "period": (date(2026, 1, 1), date(2029, 12, 31)),
                "links": [("dialogue-meetings", "output", "increase")],
            },
        ],
    },
]
