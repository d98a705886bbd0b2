"""The events' demo: the network's meetings, past and coming, and a closed small group.

Facts from the public source texts the demo is drawn from: Nordic Safe Cities held a summit in
Stockholm in early 2020, where the General Secretary of the Nordic Council of Ministers, Paula
Lehtomäki, spoke; all members of Safe Cities Norway gathered for a meeting in Oslo in 2022;
"Oslo snakker" are city-wide debates of the City of Oslo with the Nobel Peace Center; and
practitioners from Helsinki and Borlänge said that in smaller groups one can speak openly about
what is hard. Everything else here — exact days, programmes, reports, the coming events, the
group and its note — is illustrative and marked so.

Written through `events.services` by the loader: each event is drafted and published, people
sign up, and a past event is then moved to its days, its attendance marked and the event closed,
so attendance reaches the computed indicator "network-events-attended".

Days: a `date` is a fixed day; an `int` is that many days from the day the demo is loaded.
"""

from datetime import date

ILLUSTRATIVE = "Illustrative: written for the demo."

# Demo people of the small group who have no login yet: they get one without a password,
# attached to their illustrative profile (`network_loader.ILLUSTRATIVE_PEOPLE`).
GROUP_PEOPLE = [
    ("aino.virtanen@example.org", "Aino Virtanen"),
    ("maria.lindqvist@example.org", "Maria Lindqvist"),
]

# Illustrative city staff who came to the past meetings, with a login without a password and a
# profile at their city, so the attendance indicator has figures above the small-number rule.
STAFF = [
    ("kari.hansen@oslo.example.org", "Kari Hansen", "Oslo", "Adviser, SaLTo"),
    ("per.olsen@oslo.example.org", "Per Olsen", "Oslo", "Youth worker"),
    ("ingrid.larsen@oslo.example.org", "Ingrid Larsen", "Oslo", "School adviser"),
    ("ahmed.ali@oslo.example.org", "Ahmed Ali", "Oslo", "Outreach worker"),
    ("silje.berg@oslo.example.org", "Silje Berg", "Oslo", "Police liaison"),
    ("anna.karlsson@stockholm.example.org", "Anna Karlsson", "Stockholm", "Safety strategist"),
    ("erik.johansson@stockholm.example.org", "Erik Johansson", "Stockholm", "Youth worker"),
    ("sara.nilsson@stockholm.example.org", "Sara Nilsson", "Stockholm", "Social worker"),
    ("johan.eriksson@stockholm.example.org", "Johan Eriksson", "Stockholm", "Analyst"),
    ("fatima.hassan@stockholm.example.org", "Fatima Hassan", "Stockholm", "Dialogue worker"),
]


def staff_of(city: str) -> list[str]:
    return [email for email, _name, at, _title in STAFF if at == city]


GROUP = {
    "name": "Youth workers Helsinki–Borlänge",
    "description": "A closed peer-learning group of youth workers from Helsinki and Borlänge, "
    "meeting a few times a year to talk about what is hard, not only what works. "
    "What is said in the group stays in the group (Chatham House rule). " + ILLUSTRATIVE,
    "notes_retention_days": 365,
    "owner": "contact@example.org",
    "members": ["member@example.org", "aino.virtanen@example.org", "maria.lindqvist@example.org"],
    "note": {
        "author": "aino.virtanen@example.org",
        "meeting": 0,
        "text": "From the first meeting (illustrative): we compared how our youth clubs reach "
        "young people who stop coming, and agreed that each of us brings one approach that did "
        "not work as hoped to the next meeting in Borlänge.",
    },
}

# Each event: key, the fields of `services.create_event` (city and organisers by name, goals by
# code), when (start day, start hour, hours long), registrations (e-mail addresses, in order),
# attended (e-mail addresses), and for a past one its closing (report, follow-ups, practices).
EVENTS = [
    {
        "key": "summit-2020",
        "type": "summit",
        "title": {
            "en": "Nordic Safe Cities Summit",
            "sv": "Nordic Safe Cities toppmöte",
            "nb": "Nordic Safe Cities toppmøte",
        },
        "description": {
            "en": "The network's summit in Stockholm, where Nordic Safe Cities continued as an "
            "independent association of cities. The General Secretary of the Nordic Council of "
            "Ministers, Paula Lehtomäki, spoke. The day and programme here are illustrative.",
        },
        "day": date(2020, 2, 13),
        "hour": 9,
        "hours": 7,
        "time_zone": "Europe/Stockholm",
        "venue": "Stockholm City Hall (illustrative)",
        "city": "Stockholm",
        "audience": "public",
        "languages": ["en", "sv"],
        "goals": ["safe-communities", "safe-public-institutions"],
        "organiser": "secretariat@example.org",
        "organising_organisations": ["nordic-safe-cities"],
        "registrations": [
            "coordinator@example.org",
            "stockholm@example.org",
            "skien@example.org",
            "kristiansand@example.org",
            "contact@example.org",
            *staff_of("Stockholm"),
        ],
        "attended": [
            "coordinator@example.org",
            "stockholm@example.org",
            "skien@example.org",
            "contact@example.org",
            *staff_of("Stockholm")[:4],
        ],
        "close": {
            "report": "Cities from all five Nordic countries met in Stockholm. The network "
            "continues as an independent association of cities. " + ILLUSTRATIVE,
            "follow_ups": "- Each city names a contact for the network\n- A working group on "
            "online hate (illustrative)",
        },
    },
    {
        "key": "norway-2022",
        "type": "conference",
        "title": {
            "en": "Safe Cities Norway gathering",
            "nb": "Samling for Trygg by Norge",
        },
        "description": {
            "en": "All the member cities of Safe Cities Norway meet in Oslo. Programme "
            "illustrative.",
            "nb": "Alle kommunene i Trygg by Norge møtes i Oslo. Programmet er illustrativt.",
        },
        "day": date(2022, 9, 20),
        "hour": 10,
        "hours": 6,
        "time_zone": "Europe/Oslo",
        "venue": "Oslo (illustrative venue)",
        "city": "Oslo",
        "audience": "members",
        "languages": ["nb"],
        "goals": ["safe-communities", "strong-youth-engagement"],
        "organiser": "secretariat@example.org",
        "organising_organisations": ["nordic-safe-cities"],
        "registrations": [
            "coordinator@example.org",
            "kristiansand@example.org",
            "skien@example.org",
            "stavanger@example.org",
            *staff_of("Oslo"),
        ],
        "attended": [
            "coordinator@example.org",
            "kristiansand@example.org",
            "skien@example.org",
            "stavanger@example.org",
            *staff_of("Oslo"),
        ],
        "close": {
            "report": "The twelve cities of the programme shared their local action plans and "
            "their collaboration projects with voluntary organisations. " + ILLUSTRATIVE,
            "follow_ups": "- A shared template for local action plans (illustrative)",
        },
    },
    {
        "key": "oslo-snakker-2024",
        "type": "public_debate",
        "title": {
            "nb": "Oslo snakker: tillit til politikere",
            "en": "Oslo talks: trust in politicians",
        },
        "description": {
            "nb": "En åpen debatt i Oslo snakker-serien, med Nobels Fredssenter. Illustrativ.",
            "en": "An open debate of the Oslo snakker series, with the Nobel Peace Center. "
            "Illustrative.",
        },
        "day": date(2024, 3, 14),
        "hour": 18,
        "hours": 2,
        "time_zone": "Europe/Oslo",
        "venue": "Deichman Bjørvika (illustrative)",
        "city": "Oslo",
        "audience": "public",
        "languages": ["nb"],
        "goals": ["safe-public-institutions", "safe-communities"],
        "organiser": "coordinator@example.org",
        "organising_municipalities": ["Oslo"],
        "registrations": ["coordinator@example.org", "member@example.org", *staff_of("Oslo")],
        "attended": ["coordinator@example.org", "member@example.org", *staff_of("Oslo")[:3]],
        "close": {
            "report": "A full hall debated trust in politicians with young moderators. "
            + ILLUSTRATIVE,
            "follow_ups": "",
            "practices": ["Oslo snakker"],
        },
    },
    {
        "key": "group-meeting-helsinki",
        "type": "closed_group_meeting",
        "title": {"en": "Youth workers Helsinki–Borlänge: first meeting"},
        "description": {"en": "The group's first meeting. " + ILLUSTRATIVE},
        "day": -60,
        "hour": 13,
        "hours": 3,
        "time_zone": "Europe/Helsinki",
        "venue": "Helsinki (illustrative)",
        "city": "Helsinki",
        "audience": "group",
        "languages": ["en", "sv"],
        "goals": ["strong-youth-engagement"],
        "organiser": "contact@example.org",
        "organising_organisations": ["nuorten-aani"],
        "registrations": [
            "contact@example.org",
            "member@example.org",
            "aino.virtanen@example.org",
            "maria.lindqvist@example.org",
        ],
        "attended": [
            "contact@example.org",
            "member@example.org",
            "aino.virtanen@example.org",
            "maria.lindqvist@example.org",
        ],
        "close": {"report": "The group met; its notes are for its members. " + ILLUSTRATIVE},
    },
    {
        "key": "group-meeting-borlange",
        "type": "closed_group_meeting",
        "title": {"en": "Youth workers Helsinki–Borlänge: second meeting"},
        "description": {"en": "The group meets again, in Borlänge. " + ILLUSTRATIVE},
        "day": 45,
        "hour": 13,
        "hours": 3,
        "time_zone": "Europe/Stockholm",
        "venue": "Borlänge (illustrative)",
        "city": "Borlänge",
        "audience": "group",
        "languages": ["en", "sv"],
        "goals": ["strong-youth-engagement"],
        "organiser": "contact@example.org",
        "organising_organisations": ["nuorten-aani"],
        "registrations": ["contact@example.org", "aino.virtanen@example.org"],
    },
    {
        "key": "webinar",
        "type": "webinar",
        "title": {
            "en": "Webinar: online hate against local politicians",
            "nb": "Webinar: netthat mot lokalpolitikere",
        },
        "description": {
            "en": "An hour online on how cities support local politicians who meet hate "
            "online. " + ILLUSTRATIVE,
        },
        "day": 21,
        "hour": 14,
        "hours": 1,
        "time_zone": "Europe/Copenhagen",
        "online_url": "https://meet.example.org/nsc-webinar",
        "audience": "members",
        "languages": ["en"],
        "goals": ["safe-online-sphere"],
        "organiser": "secretariat@example.org",
        "organising_organisations": ["nordic-safe-cities"],
        "registrations": ["member@example.org", "coordinator@example.org"],
    },
    {
        "key": "summit-coming",
        "type": "summit",
        "title": {
            "en": "Nordic Safe Cities Summit: the next one",
            "sv": "Nordic Safe Cities toppmöte: nästa",
        },
        "description": {
            "en": "The coming summit in Stockholm: few places in this demo, so its waiting list "
            "shows. " + ILLUSTRATIVE,
        },
        "day": 90,
        "hour": 9,
        "hours": 8,
        "time_zone": "Europe/Stockholm",
        "venue": "Stockholm (illustrative venue)",
        "city": "Stockholm",
        "audience": "public",
        "capacity": 4,
        "languages": ["en", "sv"],
        "goals": ["safe-communities"],
        "organiser": "secretariat@example.org",
        "organising_organisations": ["nordic-safe-cities"],
        "registrations": [
            "stockholm@example.org",
            "coordinator@example.org",
            "contact@example.org",
            "kristiansand@example.org",
            "member@example.org",
        ],
    },
]

# The small group's meetings: the events above it meets at.
GROUP_MEETINGS = ["group-meeting-helsinki", "group-meeting-borlange"]
