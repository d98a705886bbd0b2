"""Facts and stories of the demo grants, as data; `Loader.grants` plays them through the services.

Real: Gjensidigestiftelsen's two programmes and their totals (NOK 38.4 million for Safe Cities
Norway 2020–2023, of which NOK 10 million for Safer Norwegian Cities in 2020, and NOK 25 million
for 2024–2026: NOK 63.4 million in all) and the city debates "Oslo snakker", held by the City of
Oslo with the Nobel Peace Center. Fictional and marked illustrative: the split of the programmes
into lines beyond the 2020 pot, the calls' terms, every application, every amount, date, score
and report, and the coordinators of Kristiansand, Skien and Stavanger.

Amounts are whole kroner. A date is a `date`, or `FromToday(n)`: n days from the day the demo
is loaded, for what must stay current (the open call, a scheduled payment, an overdue report).
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class FromToday:
    days: int


@dataclass(frozen=True)
class Pdf:
    """A file answer: a one-page PDF made by `simple_pdf`."""

    filename: str
    lines: tuple[str, ...]


FUNDER = "gjensidigestiftelsen"
CURRENCY = "NOK"
# The terms of every demo grant agreement (the grantee accepts them in the product).
AGREEMENT_TERMS = (
    "1. The grant is used for the project as the application describes it, within the approved "
    "budget lines. Moving money between lines needs a change request.\n"
    "2. The grantee reports by the reporting dates: what was done, the money spent per budget "
    "line and the results against the indicators the application named.\n"
    "3. Money not used for the project is paid back to the programme.\n"
    "4. Gjensidigestiftelsen is named as the funder in what the project publishes."
)
ILLUSTRATIVE_NOTE = "Illustrative demo application: the amounts and dates are made up."

# Coordinators of the other applicant cities (the demo logins cover Oslo and Stockholm). They
# hold no password: they exist to sign their cities' applications and reports.
# (e-mail, full name, municipality, title)
COORDINATORS = [
    ("kristiansand@example.org", "Lise Nilsen", "Kristiansand", "Prevention coordinator"),
    ("skien@example.org", "Nils Moen", "Skien", "SLT coordinator"),
    ("stavanger@example.org", "Tone Dahl", "Stavanger", "Adviser, safe city"),
]

# The contacts of the partner organisations, who confirm their participation in each project
# before the lead submits it: (e-mail, name, organisation slug, title).
PARTNER_CONTACTS = [
    ("ungdom-i-dialog@example.org", "Amina Haddad", "ungdom-i-dialog", "Project leader"),
    ("trygge-nabolag@example.org", "Kari Berg", "trygge-nabolag-skien", "Volunteer coordinator"),
    ("nobel-peace-center@example.org", "Ola Strand", "nobel-peace-center", "Head of learning"),
]

# --- the calls' terms ----------------------------------------------------------------------

OPEN_CALL_CRITERIA = [
    {
        "name": {
            "en": "Relevance to the charter",
            "nb": "Relevans for charteret",
            "sv": "Relevans för chartret",
        },
        "description": {
            "en": "How directly the project works towards the call's charter goals.",
            "nb": "Hvor direkte prosjektet arbeider mot utlysningens mål i charteret.",
            "sv": "Hur direkt projektet arbetar mot utlysningens mål i chartret.",
        },
        "weight": 3,
    },
    {
        "name": {
            "en": "Strength of the partnership",
            "nb": "Styrken i partnerskapet",
            "sv": "Partnerskapets styrka",
        },
        "description": {
            "en": "Municipality and civil society share the work and the decisions.",
            "nb": "Kommunen og sivilsamfunnet deler arbeidet og beslutningene.",
            "sv": "Kommunen och civilsamhället delar arbetet och besluten.",
        },
        "weight": 2,
    },
    {
        "name": {"en": "Measurable effect", "nb": "Målbar effekt", "sv": "Mätbar effekt"},
        "description": {
            "en": "The project says what will change and how it will know.",
            "nb": "Prosjektet sier hva som skal endres, og hvordan det skal måles.",
            "sv": "Projektet säger vad som ska förändras och hur det ska mätas.",
        },
        "weight": 3,
    },
]

# One question of every kind; the last one is optional. Answers refer to them by position.
OPEN_CALL_QUESTIONS = [
    {
        "kind": "text",
        "label": {
            "en": "Which local problem does the project address?",
            "nb": "Hvilket lokalt problem tar prosjektet tak i?",
            "sv": "Vilket lokalt problem tar projektet itu med?",
        },
        "help_text": {
            "en": "Describe what you see in your city, with figures if you have them.",
            "nb": "Beskriv hva dere ser i byen, gjerne med tall.",
            "sv": "Beskriv vad ni ser i staden, gärna med siffror.",
        },
    },
    {
        "kind": "number",
        "label": {
            "en": "How many people do you expect to reach?",
            "nb": "Hvor mange personer regner dere med å nå?",
            "sv": "Hur många personer räknar ni med att nå?",
        },
    },
    {
        "kind": "choice",
        "label": {
            "en": "Where does the project mainly take place?",
            "nb": "Hvor foregår prosjektet hovedsakelig?",
            "sv": "Var äger projektet huvudsakligen rum?",
        },
        "choices": [
            {
                "value": "neighbourhood",
                "label": {
                    "en": "In a neighbourhood",
                    "nb": "I et nabolag",
                    "sv": "I ett bostadsområde",
                },
            },
            {"value": "school", "label": {"en": "At school", "nb": "På skolen", "sv": "I skolan"}},
            {"value": "online", "label": {"en": "Online", "nb": "På nett", "sv": "På nätet"}},
        ],
    },
    {
        "kind": "date",
        "label": {
            "en": "When is the first activity planned?",
            "nb": "Når er den første aktiviteten planlagt?",
            "sv": "När är den första aktiviteten planerad?",
        },
    },
    {
        "kind": "file",
        "label": {
            "en": "Letter of intent from the partner organisation",
            "nb": "Intensjonsavtale fra partnerorganisasjonen",
            "sv": "Avsiktsförklaring från partnerorganisationen",
        },
        "help_text": {
            "en": "One PDF, signed by the organisation's chair or leader.",
            "nb": "Én PDF, signert av organisasjonens leder.",
            "sv": "En PDF, undertecknad av organisationens ordförande.",
        },
    },
    {
        "kind": "text",
        "required": False,
        "label": {
            "en": "Anything else the panel should know?",
            "nb": "Er det noe mer panelet bør vite?",
            "sv": "Något mer som panelen bör veta?",
        },
    },
]

YOUTH_CRITERIA = [
    {
        "name": {
            "en": "Youth participation",
            "nb": "Ungdomsmedvirkning",
            "sv": "Ungas delaktighet",
        },
        "weight": 3,
    },
    {"name": {"en": "Lasting effect", "nb": "Varig effekt", "sv": "Varaktig effekt"}, "weight": 2},
]

YOUTH_QUESTIONS = [
    {
        "kind": "text",
        "stage": "concept",
        "label": {
            "en": "In a few sentences: what will young people do in the project?",
            "nb": "Med noen få setninger: hva skal ungdommene gjøre i prosjektet?",
            "sv": "Med några få meningar: vad ska de unga göra i projektet?",
        },
    },
    {
        "kind": "text",
        "label": {
            "en": "How will you know whether young people's trust in democracy grows?",
            "nb": "Hvordan vil dere vite om ungdommenes tillit til demokratiet øker?",
            "sv": "Hur vet ni om de ungas tillit till demokratin ökar?",
        },
    },
]


def _collaboration_call(year: int, opens: date, closes: date, *, partnership: bool = True):
    """The yearly call for collaboration projects of the earlier rounds (terms illustrative)."""
    return {
        "title": {
            "en": f"Collaboration projects {year}",
            "nb": f"Samarbeidsprosjekter {year}",
            "sv": f"Samarbetsprojekt {year}",
        },
        "text": {
            "en": "Support for collaboration projects between member municipalities and voluntary "
            "organisations that prevent hate, violence and extremism. The terms of this demo "
            "call are illustrative.",
            "nb": "Støtte til samarbeidsprosjekter mellom medlemskommuner og frivillige "
            "organisasjoner som forebygger hat, vold og ekstremisme.",
            "sv": "Stöd till samarbetsprojekt mellan medlemskommuner och ideella organisationer "
            "som förebygger hat, våld och extremism.",
        },
        "opens": opens,
        "closes": closes,
        "max": 1_500_000,
        "min": 100_000,
        "requires_partnership": partnership,
    }


def _letter(organisation: str, project: str) -> Pdf:
    return Pdf(
        "letter-of-intent.pdf",
        (
            f"{organisation}",
            "Letter of intent",
            f"We take part in the project “{project}” as a partner.",
            "(Demo copy made for the safecities demo network.)",
        ),
    )


# --- programmes, calls and applications ----------------------------------------------------
# An application's story: "submitted" (or, in a two-stage call, "concept" and then "submitted"
# for the full proposal), "withdrawn", "reviews" and the "decision". "status" is where the story
# ends; the loader checks that it got there.

# "Safer Norwegian Cities" handed out NOK 10 million in 2020: the first of the NOK 38.4 million
# allocated for 2020–2023, so a pot of that programme, not a programme of its own (the funder's
# support sums to NOK 63.4 million, the two programmes' budgets).
SAFER_NORWEGIAN_CITIES_2020 = {
    "name": "Safer Norwegian Cities 2020",
    "amount": 10_000_000,
    "description": {
        "en": "Gjensidigestiftelsen handed NOK 10 million to Norwegian cities in the Nordic "
        "Safe Cities network through “Safer Norwegian Cities”, to strengthen Norwegian urban "
        "communities and help residents feel safe: new, solid efforts that promote open and "
        "safe cities and prevent hate, violence and extremism.",
        "nb": "Gjensidigestiftelsen ga 10 millioner kroner til norske byer i Nordic Safe "
        "Cities gjennom «Tryggere norske byer», for å styrke norske bysamfunn og bidra til at "
        "innbyggerne føler seg trygge: nye, solide tiltak som fremmer åpne og trygge byer og "
        "forebygger hat, vold og ekstremisme.",
        "sv": "Gjensidigestiftelsen gav 10 miljoner norska kronor till norska städer i Nordic "
        "Safe Cities genom ”Tryggare norska städer”, för att stärka norska stadssamhällen och "
        "hjälpa invånarna att känna sig trygga.",
    },
    "calls": [
        {
            "title": {
                "en": "Safer Norwegian Cities 2020: local projects",
                "nb": "Tryggere norske byer 2020: lokale prosjekter",
                "sv": "Tryggare norska städer 2020: lokala projekt",
            },
            "text": {
                "en": "Grants for local projects in the Norwegian member cities that make "
                "residents feel safe. The terms of this demo call are illustrative.",
                "nb": "Tilskudd til lokale prosjekter i de norske medlemsbyene som gjør at "
                "innbyggerne føler seg trygge.",
                "sv": "Bidrag till lokala projekt i de norska medlemsstäderna som gör att "
                "invånarna känner sig trygga.",
            },
            "opens": date(2020, 3, 2),
            "closes": date(2020, 4, 30),
            "max": 1_000_000,
            "min": 100_000,
            "applications": [
                {
                    "title": "Safe youth arenas Kristiansand",
                    "summary": "Youth workers keep three youth clubs open on weekend evenings "
                    "and train young hosts to welcome everyone.",
                    "lead": "Kristiansand",
                    "requested": 850_000,
                    "budget": [
                        ("Youth workers", 520_000),
                        ("Venues and equipment", 230_000),
                        ("Evaluation", 100_000),
                    ],
                    "period": (date(2020, 8, 1), date(2021, 6, 30)),
                    "goals": ["strong-youth-engagement", "safe-urban-spaces"],
                    "target_groups": ["youth"],
                    "indicators": ["safe-at-night", "people-reached"],
                    "submitted": date(2020, 4, 24),
                    "decision": {
                        "on": date(2020, 6, 10),
                        "award": 800_000,
                        "conditions": "The evaluation is shared with the network.",
                        "payments": [
                            ("Grant", 700_000, date(2020, 7, 1), date(2020, 7, 1)),
                        ],
                        "reports": [
                            {
                                "kind": "final",
                                "due": date(2021, 8, 31),
                                "submitted": date(2021, 8, 20),
                                "narrative": "Three youth clubs stayed open on Friday and "
                                "Saturday evenings from September to June.",
                                "results": "1,900 visits; 24 young hosts trained.",
                                "spent": 700_000,
                                "accepted": date(2021, 9, 10),
                            },
                        ],
                        # Closed after the final report: the NOK 100,000 never paid out
                        # goes back to the programme.
                        "closed": date(2021, 9, 15),
                    },
                    "status": "awarded",
                },
                {
                    "title": "Neighbours in dialogue Skien",
                    "summary": "Neighbourhood meetings where residents, police and the "
                    "municipality talk about what makes the area feel unsafe.",
                    "lead": "Skien",
                    "partners": [("trygge-nabolag-skien", "Runs the neighbourhood meetings")],
                    "requested": 450_000,
                    "budget": [("Facilitators", 300_000), ("Meeting costs", 150_000)],
                    "period": (date(2020, 9, 1), date(2021, 8, 31)),
                    "goals": ["safe-communities"],
                    "target_groups": ["general-public"],
                    "indicators": ["trust-in-municipality", "dialogue-meetings"],
                    "submitted": date(2020, 4, 28),
                    "decision": {
                        "on": date(2020, 6, 10),
                        "award": 450_000,
                        "payments": [("Grant", 450_000, date(2020, 7, 1), date(2020, 7, 3))],
                        "reports": [
                            {
                                "kind": "final",
                                "due": date(2021, 10, 31),
                                "submitted": date(2021, 10, 15),
                                "narrative": "Eleven neighbourhood meetings in four areas.",
                                "results": "Street lighting improved on two paths that "
                                "residents named as unsafe.",
                                "spent": 438_000,
                                "accepted": date(2021, 11, 2),
                            },
                        ],
                    },
                    "status": "awarded",
                },
            ],
        },
    ],
}

# The lines of each programme beyond the 2020 pot: the split is illustrative, the totals real.
# (name, kind, whole kroner); a call names the pot it draws on by its name, or draws on the
# programme's last pot.
NETWORK_LINE = "Network activities and secretariat"
PROGRAMMES = [
    {
        "slug": "safe-cities-norway-2020-2023",
        "name": "Safe Cities Norway 2020–2023",
        "budget": 38_400_000,
        "lines": [
            (SAFER_NORWEGIAN_CITIES_2020["name"], "pot", SAFER_NORWEGIAN_CITIES_2020["amount"]),
            ("Collaboration projects 2021–2023", "pot", 20_000_000),
            (NETWORK_LINE, "reserved", 8_400_000),
        ],
        "starts_on": date(2020, 1, 1),
        "ends_on": date(2023, 12, 31),
        "description": {
            "en": "Safe Cities Norway brings authorities and civil society together in twelve "
            "Norwegian cities to prevent hate, violence and extremism. Since 2020 "
            "Gjensidigestiftelsen has allocated NOK 38.4 million to the initiative: for stronger "
            "network activities for the Norwegian member municipalities and for collaboration "
            "projects between municipalities and voluntary organisations, granted on application.",
            "nb": "Trygg by Norge samler aktører på tvers av myndigheter og sivilsamfunn i tolv "
            "norske byer for å forebygge hat og vold fra ekstreme grupper. Siden 2020 har "
            "Gjensidigestiftelsen satt av 38,4 millioner kroner til satsingen: til forsterkede "
            "nettverksaktiviteter for de norske medlemskommunene og til samarbeidsprosjekter "
            "mellom kommuner og frivillige organisasjoner etter søknad.",
            "sv": "Trygg by Norge samlar myndigheter och civilsamhälle i tolv norska städer för "
            "att förebygga hat, våld och extremism. Sedan 2020 har Gjensidigestiftelsen avsatt "
            "38,4 miljoner norska kronor till satsningen: till nätverksaktiviteter och till "
            "samarbetsprojekt mellan kommuner och ideella organisationer.",
        },
        "calls": [
            *(
                {**call, "line": SAFER_NORWEGIAN_CITIES_2020["name"]}
                for call in SAFER_NORWEGIAN_CITIES_2020["calls"]
            ),
            {
                **_collaboration_call(2021, date(2021, 1, 11), date(2021, 3, 15)),
                "line": "Collaboration projects 2021–2023",
                "applications": [
                    {
                        "title": "Online hate response team",
                        "summary": "Young moderators answer hate in the city's online "
                        "discussions and support the people it targets.",
                        "lead": "Kristiansand",
                        "partners": [("ungdom-i-dialog", "Trains the young moderators")],
                        "requested": 1_200_000,
                        "budget": [
                            ("Project lead", 700_000),
                            ("Training of moderators", 300_000),
                            ("Campaign", 200_000),
                        ],
                        "period": (date(2021, 6, 1), date(2022, 12, 31)),
                        "goals": ["safe-online-sphere"],
                        "target_groups": ["youth", "politicians"],
                        "indicators": ["safe-at-night", "people-reached"],
                        "submitted": date(2021, 3, 10),
                        "decision": {
                            "on": date(2021, 5, 20),
                            "award": 1_200_000,
                            "payments": [
                                ("Grant", 1_200_000, date(2021, 6, 15), date(2021, 6, 15)),
                            ],
                            "reports": [
                                {
                                    "kind": "final",
                                    "due": date(2023, 2, 28),
                                    "submitted": date(2023, 2, 14),
                                    "narrative": "18 moderators answered in the city's "
                                    "comment fields and groups for eighteen months.",
                                    "results": "Fewer hateful comments left standing; a guide "
                                    "for the city's own pages.",
                                    "spent": 1_180_000,
                                    "accepted": date(2023, 3, 1),
                                },
                            ],
                        },
                        "status": "awarded",
                    },
                ],
            },
            {
                **_collaboration_call(2022, date(2022, 1, 10), date(2022, 3, 14)),
                "applications": [
                    {
                        "title": "Parents' network against hate Skien",
                        "summary": "Parents meet to learn how hate and extremism reach their "
                        "children online, and what they can do.",
                        "lead": "Skien",
                        "partners": [("trygge-nabolag-skien", "Hosts the parents' evenings")],
                        "requested": 700_000,
                        "budget": [
                            ("Parents' evenings", 400_000),
                            ("Course material", 150_000),
                            ("Conference trip", 150_000),
                        ],
                        "period": (date(2022, 8, 1), date(2023, 6, 30)),
                        "goals": ["strong-families", "safe-online-sphere"],
                        "target_groups": ["parents"],
                        "indicators": ["people-reached"],
                        "submitted": date(2022, 3, 9),
                        "decision": {
                            "on": date(2022, 5, 18),
                            "award": 650_000,
                            "conditions": "Awarded NOK 650,000 of the 700,000 asked for: the "
                            "panel left out the conference trip.",
                            "payments": [
                                ("Grant", 650_000, date(2022, 6, 1), date(2022, 6, 1)),
                            ],
                            "reports": [
                                {
                                    "kind": "final",
                                    "due": date(2023, 9, 30),
                                    "submitted": date(2023, 9, 25),
                                    "narrative": "Fourteen parents' evenings in six schools.",
                                    "results": "A parents' guide in five languages.",
                                    "spent": 650_000,
                                    "accepted": date(2023, 10, 5),
                                },
                            ],
                        },
                        "status": "awarded",
                    },
                ],
            },
            {
                **_collaboration_call(
                    2023, date(2022, 11, 7), date(2023, 1, 31), partnership=False
                ),
                "applications": [
                    {
                        "title": "Oslo snakker",
                        "summary": "“Oslo snakker” (Oslo talks) gathers the whole city in "
                        "debates about cancel culture and trust towards politicians, held by the "
                        "City of Oslo with the Nobel Peace Center. The initiative is real; the "
                        "amounts and dates of this demo application are illustrative.",
                        "lead": "Oslo",
                        "partners": [("nobel-peace-center", "Co-host of the city debates")],
                        "requested": 1_000_000,
                        "budget": [
                            ("Debate series and venues", 450_000),
                            ("Moderators and speakers", 300_000),
                            ("Communication", 250_000),
                        ],
                        "period": (date(2023, 4, 1), date(2024, 6, 30)),
                        "goals": ["safe-public-institutions", "safe-communities"],
                        "target_groups": ["general-public", "politicians"],
                        "indicators": ["trust-in-municipality", "dialogue-meetings"],
                        "submitted": date(2023, 1, 27),
                        "decision": {
                            "on": date(2023, 3, 22),
                            "award": 1_000_000,
                            "payments": [
                                ("First tranche", 600_000, date(2023, 4, 15), date(2023, 4, 14)),
                                ("Second tranche", 400_000, date(2024, 1, 15), date(2024, 1, 16)),
                            ],
                            "reports": [
                                {
                                    "kind": "final",
                                    "due": date(2024, 8, 31),
                                    "submitted": date(2024, 8, 26),
                                    "narrative": "Debates across the city about cancel culture "
                                    "and trust towards politicians, hosted with the Nobel Peace "
                                    "Center and streamed for those who could not come.",
                                    "results": "Illustrative figures: eight debates, about 2,400 "
                                    "people in the halls and 11,000 online.",
                                    "spent": 985_000,
                                    "links": [
                                        {
                                            "title": "Safe Cities Norway (Nordic Safe Cities)",
                                            "url": "https://nordicsafecities.org/",
                                        },
                                    ],
                                },
                            ],
                        },
                        "status": "awarded",
                    },
                    {
                        "title": "Digital town hall Stavanger",
                        "summary": "An online town hall where residents question local "
                        "politicians every month.",
                        "lead": "Stavanger",
                        "requested": 800_000,
                        "budget": [("Platform", 350_000), ("Moderation", 450_000)],
                        "period": (date(2023, 5, 1), date(2024, 4, 30)),
                        "goals": ["safe-public-institutions"],
                        "target_groups": ["general-public", "politicians"],
                        "indicators": ["trust-in-municipality", "dialogue-meetings"],
                        "submitted": date(2023, 1, 30),
                        "decision": {
                            "on": date(2023, 3, 22),
                            "decline": "The panel ranked other proposals higher, and the "
                            "project does not say how it will reach residents who do not already "
                            "take part. You are welcome to apply again.",
                        },
                        "status": "declined",
                    },
                ],
            },
        ],
    },
    {
        "slug": "safe-cities-norway-2024-2026",
        "name": "Safe Cities Norway 2024–2026",
        "budget": 25_000_000,
        "lines": [
            ("Collaboration projects 2024–2026", "pot", 18_000_000),
            (NETWORK_LINE, "reserved", 7_000_000),
        ],
        "starts_on": date(2024, 1, 1),
        "ends_on": date(2026, 12, 31),
        "description": {
            "en": "Gjensidigestiftelsen continues to support Nordic Safe Cities through Safe "
            "Cities Norway with NOK 25 million for 2024–2026: stronger prevention efforts, safe "
            "local democracies across the twelve cities, and new concepts launched across Norway. "
            "With the funding since 2020, the support amounts to NOK 63.4 million.",
            "nb": "Gjensidigestiftelsen viderefører støtten til Nordic Safe Cities gjennom Trygg "
            "by Norge med 25 millioner kroner for 2024–2026: sterkere forebygging, trygge lokale "
            "demokratier i de tolv byene og nye konsepter over hele Norge. Sammen med midlene "
            "siden 2020 utgjør støtten 63,4 millioner kroner.",
            "sv": "Gjensidigestiftelsen fortsätter att stödja Nordic Safe Cities genom Trygg by "
            "Norge med 25 miljoner norska kronor för 2024–2026: starkare förebyggande arbete och "
            "trygga lokala demokratier i de tolv städerna. Tillsammans med medlen sedan 2020 "
            "uppgår stödet till 63,4 miljoner norska kronor.",
        },
        "calls": [
            {
                **_collaboration_call(2024, date(2024, 1, 15), date(2024, 3, 15)),
                "applications": [
                    {
                        "title": "Hate speech first aid Skien",
                        "summary": "A short course for staff in shops, buses and libraries on "
                        "what to do when they witness hate speech.",
                        "lead": "Skien",
                        "partners": [("trygge-nabolag-skien", "Gives the courses")],
                        "requested": 600_000,
                        "budget": [("Course leaders", 420_000), ("Course material", 180_000)],
                        "period": (date(2024, 6, 1), date(2025, 5, 31)),
                        "goals": ["safe-urban-spaces", "safe-communities"],
                        "target_groups": ["frontline-staff"],
                        "indicators": ["hate-crime-rate", "people-reached"],
                        "submitted": date(2024, 3, 11),
                        "decision": {
                            "on": date(2024, 5, 14),
                            "award": 600_000,
                            "payments": [
                                ("First tranche", 300_000, date(2024, 6, 3), date(2024, 6, 3)),
                                ("Second tranche", 300_000, date(2025, 1, 10), date(2025, 1, 10)),
                            ],
                            "reports": [
                                {
                                    "kind": "final",
                                    "due": date(2025, 8, 31),
                                    "submitted": date(2025, 8, 29),
                                    "narrative": "26 courses for 410 employees.",
                                    "results": "The bus company made the course part of its "
                                    "training for new drivers.",
                                    "spent": 590_000,
                                    "accepted": date(2025, 9, 12),
                                },
                            ],
                        },
                        "status": "awarded",
                    },
                ],
            },
            {
                "title": {
                    "en": "Youth and democracy 2025",
                    "nb": "Unge og demokrati 2025",
                    "sv": "Unga och demokrati 2025",
                },
                "text": {
                    "en": "Two stages: a short concept note first; the panel invites the most "
                    "promising to write a full proposal. Reviewers do not see who applies. The "
                    "terms of this demo call are illustrative.",
                    "nb": "To trinn: først et kort konseptnotat; panelet inviterer de mest "
                    "lovende til å skrive en full søknad. Fagvurdererne ser ikke hvem som søker.",
                    "sv": "Två steg: först en kort projektskiss; panelen bjuder in de mest "
                    "lovande att skriva en fullständig ansökan. Granskarna ser inte vem som söker.",
                },
                "eligibility": {
                    "en": "A member municipality and a voluntary organisation, applying together.",
                    "nb": "En medlemskommune og en frivillig organisasjon som søker sammen.",
                    "sv": "En medlemskommun och en ideell organisation som söker tillsammans.",
                },
                "opens": date(2024, 9, 2),
                "concept_closes": date(2024, 10, 31),
                "closes": date(2025, 2, 28),
                "stages": 2,
                "blind_review": True,
                "max": 1_500_000,
                "min": 200_000,
                "requires_partnership": True,
                "goals": [
                    "strong-youth-engagement",
                    "safe-public-institutions",
                    "safe-online-sphere",
                ],
                "criteria": YOUTH_CRITERIA,
                "questions": YOUTH_QUESTIONS,
                "applications": [
                    {
                        "title": "Young voices Oslo East",
                        "summary": "A youth panel in Oslo East meets local politicians, runs "
                        "workshops in schools and hosts debates where young people set the agenda.",
                        "lead": "Oslo",
                        "partners": [("ungdom-i-dialog", "Recruits and trains the youth panel")],
                        "requested": 1_200_000,
                        "budget": [
                            ("Youth panel coordinator", 650_000),
                            ("Workshops in schools", 350_000),
                            ("Debates with local politicians", 200_000),
                        ],
                        "period": (date(2025, 5, 1), date(2027, 4, 30)),
                        "goals": ["strong-youth-engagement", "safe-public-institutions"],
                        "target_groups": ["youth", "politicians", "teachers"],
                        "indicators": ["safe-at-night", "people-reached"],
                        "answers": {
                            1: "Young people in Oslo East form a panel, meet the district's "
                            "politicians every term and run debates in their schools.",
                            2: "By a survey of trust at the start and the end, and by counting "
                            "the panel's proposals the district council takes up.",
                        },
                        "concept": {"submitted": date(2024, 10, 28), "invited": date(2024, 11, 20)},
                        "submitted": date(2025, 2, 25),
                        "decision": {
                            "on": date(2025, 4, 10),
                            "award": 1_200_000,
                            "payments": [
                                ("First tranche", 600_000, date(2025, 5, 2), date(2025, 5, 5)),
                                ("Second tranche", 600_000, FromToday(45), None),
                            ],
                            "reports": [
                                {"kind": "interim", "due": FromToday(-21)},  # overdue
                                {"kind": "final", "due": date(2027, 6, 30)},
                            ],
                        },
                        "status": "awarded",
                    },
                    {
                        "title": "Debate club for all Kristiansand",
                        "summary": "One big debate day for the city's pupils.",
                        "lead": "Kristiansand",
                        "partners": [("ungdom-i-dialog", "Moderates the debates")],
                        "requested": 400_000,
                        "answers": {1: "Pupils prepare and hold debates on one day in May."},
                        "concept": {
                            "submitted": date(2024, 10, 30),
                            "decided": date(2024, 11, 20),
                            "decline": "The concept describes a single event; this call funds "
                            "projects that build lasting youth participation.",
                        },
                        "status": "declined",
                    },
                    {
                        "title": "Youth council on tour Skien",
                        "summary": "The youth council visits every secondary school to collect "
                        "young people's proposals for the city.",
                        "lead": "Skien",
                        "partners": [("trygge-nabolag-skien", "Arranges the school visits")],
                        "requested": 500_000,
                        "answers": {1: "The youth council meets pupils in their own schools."},
                        # Invited, but the full proposal was never handed in.
                        "concept": {"submitted": date(2024, 10, 25), "invited": date(2024, 11, 20)},
                        "status": "invited",
                    },
                ],
            },
            {
                **_collaboration_call(2026, date(2026, 1, 12), date(2026, 3, 16)),
                "applications": [
                    {
                        "title": "Safe nightlife Kristiansand",
                        "summary": "Bar staff, taxi drivers and volunteers learn to spot and stop "
                        "harassment and hate in the city centre at night.",
                        "lead": "Kristiansand",
                        "partners": [("ungdom-i-dialog", "Trains the volunteer night hosts")],
                        "requested": 750_000,
                        "budget": [("Night hosts", 450_000), ("Training", 300_000)],
                        "period": (date(2026, 6, 1), date(2027, 5, 31)),
                        "goals": ["safe-urban-spaces"],
                        "target_groups": ["frontline-staff", "general-public"],
                        "indicators": ["hate-crime-rate", "people-reached"],
                        "submitted": date(2026, 3, 12),
                        "decision": {
                            "on": date(2026, 5, 20),
                            "award": 750_000,
                            # The newest grant: its agreement is sent and awaits Kristiansand's
                            # acceptance, so no tranche is paid yet.
                            "agreement": "sent",
                            "payments": [
                                ("First tranche", 375_000, FromToday(14), None),
                                ("Second tranche", 375_000, FromToday(75), None),
                            ],
                            "reports": [{"kind": "final", "due": date(2027, 8, 31)}],
                        },
                        "status": "awarded",
                    },
                ],
            },
            {
                "title": {
                    "en": "Local partnerships against hate 2027",
                    "nb": "Lokale partnerskap mot hat 2027",
                    "sv": "Lokala partnerskap mot hat 2027",
                },
                "text": {
                    "en": "Gjensidigestiftelsen invites member municipalities of Safe Cities Norway "
                    "and voluntary organisations to apply together for projects in 2027 that "
                    "prevent hate, hate speech and extremism where people live. A project may "
                    "receive from NOK 50,000 to NOK 500,000. This is a demo call: its terms, "
                    "amounts and dates are illustrative.",
                    "nb": "Gjensidigestiftelsen inviterer medlemskommuner i Trygg by Norge og "
                    "frivillige organisasjoner til å søke sammen om prosjekter i 2027 som "
                    "forebygger hat, hatefulle ytringer og ekstremisme der folk bor. Et prosjekt "
                    "kan få fra 50 000 til 500 000 kroner. Dette er en demo-utlysning: vilkår, "
                    "beløp og datoer er illustrasjoner.",
                    "sv": "Gjensidigestiftelsen bjuder in medlemskommuner i Trygg by Norge och "
                    "ideella organisationer att tillsammans söka stöd för projekt under 2027 som "
                    "förebygger hat, hatretorik och extremism där människor bor. Ett projekt kan "
                    "få från 50 000 till 500 000 norska kronor. Detta är en demoutlysning: villkor, "
                    "belopp och datum är påhittade.",
                },
                "eligibility": {
                    "en": "A member municipality of Safe Cities Norway and at least one voluntary "
                    "organisation, applying together; either may lead.",
                    "nb": "En medlemskommune i Trygg by Norge og minst én frivillig organisasjon "
                    "som søker sammen; begge kan stå som søker.",
                    "sv": "En medlemskommun i Trygg by Norge och minst en ideell organisation som "
                    "söker tillsammans; båda kan stå som sökande.",
                },
                "opens": FromToday(-21),
                "closes": FromToday(60),
                "open": True,
                "max": 500_000,
                "min": 50_000,
                "requires_partnership": True,
                # Every party must be in, or be seated in, a member city of the programme.
                "national_programme": "safe-cities-norway",
                "goals": [
                    "safe-urban-spaces",
                    "safe-online-sphere",
                    "strong-youth-engagement",
                    "safe-communities",
                ],
                "criteria": OPEN_CALL_CRITERIA,
                "questions": OPEN_CALL_QUESTIONS,
                "applications": [
                    {
                        "title": "Safe summer nights",
                        "summary": "Youth hosts in the parks on summer evenings, with activities "
                        "and a listening ear. " + ILLUSTRATIVE_NOTE,
                        "lead": "Oslo",
                        "partners": [("ungdom-i-dialog", "Recruits and trains the youth hosts")],
                        "requested": 400_000,
                        "budget": [("Youth hosts", 300_000)],  # a draft: not complete yet
                        "period": (date(2027, 6, 1), date(2027, 8, 31)),
                        "goals": ["safe-urban-spaces", "strong-youth-engagement"],
                        "answers": {
                            1: "Fights and harassment in the parks of Grønland and Tøyen on "
                            "summer nights.",
                        },
                        "created": FromToday(-4),
                        "status": "draft",
                    },
                    {
                        "title": "Dialogue cafés",
                        "summary": "Monthly cafés in libraries where residents with different "
                        "views talk about what divides them, with trained hosts. "
                        + ILLUSTRATIVE_NOTE,
                        "lead": "Oslo",
                        "partners": [("ungdom-i-dialog", "Hosts the cafés")],
                        "requested": 350_000,
                        "budget": [
                            ("Café hosts", 200_000),
                            ("Venues and refreshments", 90_000),
                            ("Training of hosts", 60_000),
                        ],
                        "period": (date(2027, 2, 1), date(2027, 12, 31)),
                        "goals": ["safe-communities"],
                        "target_groups": ["general-public", "faith-communities"],
                        "indicators": ["trust-in-municipality", "dialogue-meetings"],
                        "answers": {
                            1: "Polarised debates about the new mosque and the asylum reception "
                            "centre have left neighbours not talking to each other.",
                            2: "600",
                            3: "neighbourhood",
                            4: date(2027, 2, 10),
                            5: _letter("Ungdom i dialog", "Dialogue cafés"),
                        },
                        "submitted": FromToday(-6),
                        "reviews": [{"assigned": FromToday(-2)}],
                        "status": "submitted",
                    },
                    {
                        "title": "Neighbourhood hosts Skien",
                        "summary": "Residents are trained as hosts who welcome newcomers and "
                        "step in when neighbours are harassed. " + ILLUSTRATIVE_NOTE,
                        "lead": "Skien",
                        "partners": [("trygge-nabolag-skien", "Trains and supports the hosts")],
                        "requested": 480_000,
                        "budget": [
                            ("Host coordinator", 330_000),
                            ("Training and meetings", 150_000),
                        ],
                        "period": (date(2027, 1, 15), date(2027, 12, 15)),
                        "goals": ["safe-communities", "safe-urban-spaces"],
                        "target_groups": ["general-public"],
                        "indicators": ["trust-in-municipality", "dialogue-meetings"],
                        "answers": {
                            1: "Newcomers in two housing estates report harassment.",
                            2: "350",
                            3: "neighbourhood",
                            4: date(2027, 1, 20),
                            5: _letter("Trygge nabolag Skien", "Neighbourhood hosts Skien"),
                            6: "The housing company has promised rooms for the meetings.",
                        },
                        "submitted": FromToday(-10),
                        "reviews": [
                            {
                                "assigned": FromToday(-8),
                                "submitted": FromToday(-3),
                                "scores": [4, 4, 3],
                                "recommendation": "fund_with_changes",
                                "comment": "A well-rooted partnership. Say how you will measure "
                                "whether harassment goes down, not only how many hosts you train.",
                            }
                        ],
                        "status": "submitted",
                    },
                    {
                        "title": "Football against hate Stavanger",
                        "summary": "Football tournaments where teams of mixed backgrounds play "
                        "and talk about racism. " + ILLUSTRATIVE_NOTE,
                        "lead": "Stavanger",
                        "partners": [("ungdom-i-dialog", "Runs the talks after the matches")],
                        "requested": 250_000,
                        "budget": [("Tournaments", 180_000), ("Talk leaders", 70_000)],
                        "period": (date(2027, 4, 1), date(2027, 10, 31)),
                        "goals": ["strong-youth-engagement"],
                        "target_groups": ["youth"],
                        "indicators": ["safe-at-night", "people-reached"],
                        "answers": {
                            1: "Racist slurs at youth matches.",
                            2: "400",
                            3: "neighbourhood",
                            4: date(2027, 4, 12),
                            5: _letter("Ungdom i dialog", "Football against hate Stavanger"),
                        },
                        "submitted": FromToday(-12),
                        "withdrawn": FromToday(-7),
                        "status": "withdrawn",
                    },
                ],
            },
        ],
    },
]
