"""Facts of the demo network, from the public texts the platform is drawn from.

Real: the cities, their official codes, the national programme, the foundation, the
Nordic Council of Ministers, the Nobel Peace Center and Stockholm's 2018 application.
Fictional and marked illustrative: civil-society organisations and people (placeholder
names such as Kari Nordmann, the Norwegian "Jane Doe").
"""

from datetime import date

COUNTRIES = {
    "NO": {
        "en": "Norway",
        "nb": "Norge",
        "sv": "Norge",
        "da": "Norge",
        "fi": "Norja",
        "is": "Noregur",
    },
    "SE": {
        "en": "Sweden",
        "nb": "Sverige",
        "sv": "Sverige",
        "da": "Sverige",
        "fi": "Ruotsi",
        "is": "Svíþjóð",
    },
    "DK": {
        "en": "Denmark",
        "nb": "Danmark",
        "sv": "Danmark",
        "da": "Danmark",
        "fi": "Tanska",
        "is": "Danmörk",
    },
    "FI": {
        "en": "Finland",
        "nb": "Finland",
        "sv": "Finland",
        "da": "Finland",
        "fi": "Suomi",
        "is": "Finnland",
    },
    "IS": {
        "en": "Iceland",
        "nb": "Island",
        "sv": "Island",
        "da": "Island",
        "fi": "Islanti",
        "is": "Ísland",
    },
}

# (country, official code, name, region, population, member since or None)
MUNICIPALITIES = [
    ("NO", "0301", "Oslo", "Oslo", 717_710, date(2020, 3, 1)),
    ("NO", "3201", "Bærum", "Akershus", 131_000, date(2020, 3, 1)),
    ("NO", "1103", "Stavanger", "Rogaland", 149_000, date(2020, 3, 1)),
    ("NO", "4204", "Kristiansand", "Agder", 117_000, date(2020, 3, 1)),
    ("NO", "3107", "Fredrikstad", "Østfold", 85_000, date(2020, 3, 1)),
    ("NO", "3105", "Sarpsborg", "Østfold", 59_000, date(2020, 3, 1)),
    ("NO", "4003", "Skien", "Telemark", 56_000, date(2020, 3, 1)),
    ("NO", "3909", "Larvik", "Vestfold", 48_000, date(2020, 3, 1)),
    ("NO", "1106", "Haugesund", "Rogaland", 38_000, date(2020, 3, 1)),
    ("NO", "4203", "Arendal", "Agder", 46_000, date(2020, 3, 1)),
    ("NO", "5501", "Tromsø", "Troms", 78_000, date(2020, 3, 1)),
    ("NO", "1804", "Bodø", "Nordland", 53_000, date(2020, 3, 1)),
    ("NO", "3301", "Drammen", "Buskerud", 103_000, None),
    ("SE", "0180", "Stockholm", "Stockholms län", 984_000, None),  # joins by the worked example
    ("SE", "1480", "Gothenburg", "Västra Götalands län", 604_000, date(2016, 11, 1)),
    ("SE", "2081", "Borlänge", "Dalarnas län", 52_000, date(2016, 11, 1)),
    ("DK", "101", "Copenhagen", "Region Hovedstaden", 660_000, date(2016, 11, 1)),
    ("FI", "091", "Helsinki", "Uusimaa", 675_000, date(2016, 11, 1)),
    ("IS", "0000", "Reykjavík", "Höfuðborgarsvæðið", 140_000, date(2016, 11, 1)),
]

# (slug, name, type, country, seat, illustrative, member since or None, description)
ORGANISATIONS = [
    (
        "nordic-safe-cities",
        "Nordic Safe Cities",
        "secretariat",
        "DK",
        "Copenhagen",
        False,
        None,
        "The network's secretariat. An independent, non-profit association since 2020; "
        "initiated by the Nordic Council of Ministers in 2016.",
    ),
    (
        "gjensidigestiftelsen",
        "Gjensidigestiftelsen",
        "foundation",
        "NO",
        "Oslo",
        False,
        None,
        "The foundation that funds Safe Cities Norway: NOK 38.4 million in 2020–2023 and "
        "NOK 25 million for 2024–2026.",
    ),
    (
        "nordic-council-of-ministers",
        "Nordic Council of Ministers",
        "public_agency",
        "DK",
        "Copenhagen",
        False,
        None,
        "Started Nordic Safe Cities in 2016 and still supports the network financially.",
    ),
    (
        "nobel-peace-center",
        "Nobel Peace Center",
        "foundation",
        "NO",
        "Oslo",
        False,
        date(2022, 9, 1),
        "Partner of the city debates “Oslo snakker” together with the City of Oslo.",
    ),
    (
        "ungdom-i-dialog",
        "Ungdom i dialog",
        "cso",
        "NO",
        "Oslo",
        True,
        date(2021, 2, 1),
        "Illustrative youth organisation running dialogue groups in schools.",
    ),
    (
        "trygge-nabolag-skien",
        "Trygge nabolag Skien",
        "cso",
        "NO",
        "Skien",
        True,
        None,
        "Illustrative neighbourhood association.",
    ),
    (
        "foreningen-trygga-grannar",
        "Föreningen Trygga grannar",
        "cso",
        "SE",
        "Borlänge",
        True,
        date(2019, 5, 1),
        "Illustrative Swedish neighbourhood network.",
    ),
    (
        "dialog-og-faellesskab",
        "Foreningen Dialog og Fællesskab",
        "cso",
        "DK",
        "Copenhagen",
        True,
        date(2018, 3, 1),
        "Illustrative Danish association for dialogue between communities.",
    ),
    (
        "nuorten-aani",
        "Nuorten ääni ry",
        "cso",
        "FI",
        "Helsinki",
        True,
        date(2018, 9, 1),
        "Illustrative Finnish youth-work association.",
    ),
    (
        "samtal-reykjavik",
        "Samtal – félag um samræðu",
        "cso",
        "IS",
        "Reykjavík",
        True,
        None,
        "Illustrative Icelandic dialogue association.",
    ),
]

# base digits of fictional organisation numbers; the check digit is computed
ILLUSTRATIVE_ORG_NUMBERS = {
    "ungdom-i-dialog": ("NO-BRC", "91234567"),
    "trygge-nabolag-skien": ("NO-BRC", "92345678"),
    "foreningen-trygga-grannar": ("SE-ON", "802412345"),
    "dialog-og-faellesskab": ("DK-CVR", "3456789"),
    "nuorten-aani": ("FI-PRO", "3123456"),
    "samtal-reykjavik": ("IS-KEN", "560710129"),
}

PROGRAMME = {
    "slug": "safe-cities-norway",
    "name": "Safe Cities Norway",
    "local_name": "Trygg by Norge",
    "country": "NO",
    "funder": "gjensidigestiftelsen",
    "starts_on": date(2020, 1, 1),
    "ends_on": date(2026, 12, 31),
    "description": {
        "en": "Safe Cities Norway brings authorities and civil society together in twelve "
        "Norwegian cities to prevent hate, violence and extremism, funded by "
        "Gjensidigestiftelsen with NOK 63.4 million in all.",
        "nb": "Trygg by Norge samler aktører på tvers av myndigheter og sivilsamfunn i tolv "
        "norske byer for å forebygge hat og vold fra ekstreme grupper, finansiert av "
        "Gjensidigestiftelsen med til sammen 63,4 millioner kroner.",
        "sv": "Trygg by Norge samlar myndigheter och civilsamhälle i tolv norska städer för att "
        "förebygga hat, våld och extremism, finansierat av Gjensidigestiftelsen.",
    },
    "cities": [
        "Oslo",
        "Bærum",
        "Stavanger",
        "Kristiansand",
        "Fredrikstad",
        "Sarpsborg",
        "Skien",
        "Larvik",
        "Haugesund",
        "Arendal",
        "Tromsø",
        "Bodø",
    ],
}

DEMO_PASSWORD = "safecities-demo"


def demo_totp_key(email: str) -> str:
    """The demo authenticator key (hex) of a login that needs two-factor sign-in: public, like
    the demo password; `safecities demologins` prints it in the form apps take."""
    import hashlib

    return hashlib.sha1(f"safecities-demo-totp:{email}".encode()).hexdigest()


# (e-mail, full name, role, scope kind, scope names, title, listed)
LOGINS = [
    (
        "secretariat@example.org",
        "Kari Nordmann",
        "secretariat",
        "organisation",
        ["nordic-safe-cities"],
        "Programme manager, Nordic Safe Cities",
        True,
    ),
    (
        "coordinator@example.org",
        "Ola Nordmann",
        "coordinator",
        "municipality",
        ["Oslo", "Drammen"],
        "Prevention coordinator",
        True,
    ),
    (
        "stockholm@example.org",
        "Sven Svensson",
        "coordinator",
        "municipality",
        ["Stockholm"],
        "Strategist, City Executive Office",
        True,
    ),
    (
        "contact@example.org",
        "Matti Meikäläinen",
        "organisation_contact",
        "organisation",
        ["nuorten-aani"],
        "Executive director",
        True,
    ),
    ("reviewer@example.org", "Jens Hansen", "reviewer", None, [], "Researcher", False),
    (
        "funder@example.org",
        "Anne Hansen",
        "funder_officer",
        "organisation",
        ["gjensidigestiftelsen"],
        "Programme officer",
        False,
    ),
    ("member@example.org", "Jón Jónsson", "member", None, [], "Youth worker", True),
]

STOCKHOLM_APPLICATION = {
    "case_number": "KS 2018/550",
    "decision_date": date(2018, 4, 11),
    "submitted_on": date(2018, 4, 20),
    "approved_on": date(2018, 5, 15),
    "motivation": (
        "The city's work against violent extremism needs an active exchange of knowledge at many "
        "levels. The local knowledge must be complemented by an exchange of experience "
        "internationally; Nordic Safe Cities complements Strong Cities Network and RAN, and its "
        "goals are in line with the city's vision of a Stockholm for everyone."
    ),
    "pdf_lines": [
        "Stockholms stad - Kommunstyrelsen",
        "PM Rotel I (Dnr KS 2018/550)",
        "Medlemskap i Nordic Safe Cities",
        "Staden ansöker om medlemskap i nätverket Nordic Safe Cities.",
        "Stockholm den 11 april 2018",
        "(Demo copy made for the safecities demo network.)",
    ],
}
