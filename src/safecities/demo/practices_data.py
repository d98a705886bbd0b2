"""The knowledge bank's demo: twenty illustrative practices (and one awaiting review) in Norwegian, Swedish, Danish and
English across the charter's six goals, a few translated, and two reports.

Every practice here is marked illustrative: the descriptions are written for the demo. "Oslo
snakker" is a real initiative of the City of Oslo with the Nobel Peace Center; its text and
figures here are illustrative, and it is linked to the demo's grant award of the same name.
Written through `practices.services` by the loader (drafted, submitted, published).
"""

from datetime import date

ILLUSTRATIVE_NOTE = "Illustrative example written for the demo."

# Each practice: language, title, summary, problem, approach, goals, target_groups, phenomena,
# arenas, cities, organisations, evidence, evaluation, activity, period, author (e-mail),
# optional grant (the demo award's application title), translations, visibility.
PRACTICES = [
    {
        "language": "nb",
        "title": "Oslo snakker",
        "summary": "Byomfattende debatter om kanselleringskultur og tillit til politikere, "
        "arrangert av Oslo kommune sammen med Nobels Fredssenter. Debattene skal styrke "
        "ytringsfriheten og forebygge polarisering.",
        "problem": "Mange unge og voksne opplever at det er vanskelig å si sin mening, og "
        "tilliten til politikere synker.",
        "approach": "- Åtte åpne debatter i ulike bydeler\n- Unge ordstyrere og panel med "
        "politikere\n- Strømming for dem som ikke kan komme",
        "results": "Illustrative tall: rundt 2 400 deltakere i salene og 11 000 på nett.",
        "goals": ["safe-public-institutions", "safe-communities"],
        "target_groups": ["general-public", "politicians"],
        "phenomena": ["polarisation", "hate-against-politicians"],
        "arenas": ["public-debate"],
        "cities": ["Oslo"],
        "organisations": ["nobel-peace-center"],
        "evidence": "documented",
        "evaluation": "internal",
        "activity": "ended",
        "period": (date(2023, 4, 1), date(2024, 6, 30)),
        "author": "coordinator@example.org",
        "grant": "Oslo snakker",
        "translations": [
            {
                "language": "sv",
                "translator": "Nordic Safe Cities (illustrative)",
                "title": "Oslo pratar",
                "summary": "Debatter i hela staden om cancelkultur och förtroende för "
                "politiker, anordnade av Oslo kommun tillsammans med Nobels fredscenter. "
                "Debatterna ska stärka yttrandefriheten och förebygga polarisering.",
                "problem": "Många unga och vuxna upplever att det är svårt att säga vad de "
                "tycker, och förtroendet för politiker sjunker.",
            },
            {
                "language": "en",
                "translator": "Nordic Safe Cities (illustrative)",
                "title": "Oslo talks",
                "summary": "City-wide debates about cancel culture and trust in politicians, "
                "held by the City of Oslo with the Nobel Peace Center, to strengthen free "
                "speech and prevent polarisation.",
            },
        ],
    },
    {
        "language": "nb",
        "title": "Forebygging av radikalisering i skolen",
        "summary": "Lærere får verktøy for å oppdage og møte elever som utsettes for "
        "ekstreme budskap. Forebygging skjer gjennom samtale, ikke overvåking.",
        "problem": "Lærere vet ofte ikke hva de skal gjøre når en elev uttrykker ekstreme "
        "holdninger.",
        "approach": "Kurs for lærere, en veileder for samtaler og en fast kontakt i "
        "kommunens SLT-team.",
        "goals": ["strong-youth-engagement", "safe-public-institutions"],
        "target_groups": ["teachers", "youth"],
        "phenomena": ["right-wing-extremism", "violent-islamism"],
        "arenas": ["school"],
        "cities": ["Kristiansand"],
        "organisations": [],
        "evidence": "evaluated",
        "evaluation": "external",
        "activity": "ongoing",
        "period": (date(2021, 8, 15), None),
        "author": "member@example.org",
        "translations": [
            {
                "language": "sv",
                "translator": "Anna Lindqvist (illustrative)",
                "title": "Förebyggande av radikalisering i skolan",
                "summary": "Lärare får verktyg för att upptäcka och möta elever som utsätts "
                "för extrema budskap. Förebyggande arbete sker genom samtal, inte "
                "övervakning.",
                "problem": "Lärare vet ofta inte vad de ska göra när en elev uttrycker "
                "extrema åsikter.",
                "approach": "Kurser för lärare, en vägledning för samtal och en fast kontakt "
                "i kommunens samverkansteam.",
            }
        ],
    },
    {
        "language": "sv",
        "title": "Trygga grannar i Borlänge",
        "summary": "Grannar lär känna varandra genom gemensamma aktiviteter och "
        "trygghetsvandringar. Förebyggande arbete mot otrygghet i bostadsområden.",
        "problem": "Otrygghet och ryktesspridning i några bostadsområden.",
        "approach": "Månatliga trygghetsvandringar, grannfester och en digital grannkanal.",
        "goals": ["safe-urban-spaces", "safe-communities"],
        "target_groups": ["general-public"],
        "phenomena": ["gang-crime"],
        "arenas": ["neighbourhood"],
        "cities": ["Borlänge"],
        "organisations": ["foreningen-trygga-grannar"],
        "evidence": "documented",
        "evaluation": "internal",
        "activity": "ongoing",
        "period": (date(2020, 5, 1), None),
        "author": "member@example.org",
    },
    {
        "language": "da",
        "title": "Forebyggelse af ekstremisme gennem mentorer",
        "summary": "Unge i risiko for radikalisering får en mentor, som hjælper med skole, "
        "job og fællesskab. Forebyggelse gennem relationer.",
        "problem": "Unge, der trækkes mod ekstreme miljøer, mangler voksne at tale med.",
        "approach": "Uddannede mentorer, fast ugentlig kontakt i et år og samarbejde med "
        "skole og familie.",
        "goals": ["strong-youth-engagement", "strong-families"],
        "target_groups": ["youth", "parents"],
        "phenomena": ["right-wing-extremism", "violent-islamism"],
        "arenas": ["leisure"],
        "cities": ["Copenhagen"],
        "organisations": ["dialog-og-faellesskab"],
        "evidence": "peer_reviewed",
        "evaluation": "research",
        "activity": "ongoing",
        "period": (date(2017, 1, 1), None),
        "author": "member@example.org",
        "translations": [
            {
                "language": "en",
                "translator": "Dialog og Fællesskab (illustrative)",
                "title": "Preventing extremism through mentors",
                "summary": "Young people at risk of radicalisation get a mentor who helps with "
                "school, work and belonging. Prevention through relationships.",
            }
        ],
    },
    {
        "language": "en",
        "title": "Online hate response team",
        "summary": "A team that answers hate speech against local politicians and "
        "minorities online, supports those targeted and reports illegal content.",
        "problem": "Local politicians and minorities leave public debate after online harassment.",
        "approach": "Trained moderators, a reporting channel and counter-speech guidance.",
        "goals": ["safe-online-sphere", "safe-public-institutions"],
        "target_groups": ["politicians", "general-public"],
        "phenomena": ["online-hate", "hate-against-politicians"],
        "arenas": ["online"],
        "cities": ["Stavanger"],
        "organisations": [],
        "evidence": "documented",
        "evaluation": "internal",
        "activity": "ongoing",
        "period": (date(2022, 9, 1), None),
        "author": "member@example.org",
    },
    {
        "language": "nb",
        "title": "Foreldrenettverk mot hat",
        "summary": "Foreldre møtes for å snakke om barnas nettbruk, hatprat og hvordan de "
        "kan støtte hverandre. Forebyggende arbeid i familien.",
        "problem": "Foreldre føler seg alene når barna møter hat og ekstreme budskap på nett.",
        "approach": "Foreldremøter i skolen, samtaleverktøy og en lokal foreldrekontakt.",
        "goals": ["strong-families", "safe-online-sphere"],
        "target_groups": ["parents"],
        "phenomena": ["online-hate"],
        "arenas": ["school", "online"],
        "cities": ["Skien"],
        "organisations": ["trygge-nabolag-skien"],
        "evidence": "described",
        "evaluation": "none",
        "activity": "pilot",
        "period": (date(2024, 1, 1), None),
        "author": "member@example.org",
        "translations": [
            {
                "language": "da",
                "translator": "Mette Nielsen (illustrative)",
                "title": "Forældrenetværk mod had",
                "summary": "Forældre mødes for at tale om børnenes brug af nettet, hadtale og "
                "hvordan de kan støtte hinanden. Forebyggelse i familien.",
            }
        ],
    },
    {
        "language": "sv",
        "title": "Unga röster i kommunfullmäktige",
        "summary": "Ett ungdomsråd med egen budget som får yttra sig i frågor om trygghet "
        "och fritid.",
        "problem": "Unga känner sig inte lyssnade på av kommunen.",
        "approach": "Valt ungdomsråd, egen budget och fasta möten med kommunstyrelsen.",
        "goals": ["strong-youth-engagement", "safe-public-institutions"],
        "target_groups": ["youth", "politicians"],
        "phenomena": ["polarisation"],
        "arenas": ["public-debate"],
        "cities": ["Gothenburg"],
        "organisations": [],
        "evidence": "documented",
        "evaluation": "internal",
        "activity": "ongoing",
        "period": (date(2019, 1, 1), None),
        "author": "member@example.org",
    },
    {
        "language": "da",
        "title": "Trygge byrum om natten",
        "summary": "Belysning, natteravne og åbne fritidstilbud gør pladser og parker "
        "trygge om aftenen.",
        "problem": "Utryghed og konflikter på bestemte pladser om aftenen.",
        "approach": "Tryghedsvandringer med beboere, ny belysning og natteravne i weekenden.",
        "goals": ["safe-urban-spaces"],
        "target_groups": ["youth", "general-public"],
        "phenomena": ["gang-crime"],
        "arenas": ["neighbourhood", "leisure"],
        "cities": ["Copenhagen"],
        "organisations": [],
        "evidence": "evaluated",
        "evaluation": "external",
        "activity": "ongoing",
        "period": (date(2018, 3, 1), None),
        "author": "member@example.org",
    },
    {
        "language": "en",
        "title": "Faith communities' dialogue forum",
        "summary": "Leaders of faith communities meet the police and the city every quarter "
        "to build trust and respond together to hate incidents.",
        "problem": "Hate incidents against faith communities spread fear and rumours.",
        "approach": "A standing forum, a shared contact list and joint statements after incidents.",
        "goals": ["safe-communities", "safe-public-institutions"],
        "target_groups": ["faith-communities"],
        "phenomena": ["racism", "polarisation"],
        "arenas": ["public-debate"],
        "cities": ["Helsinki"],
        "organisations": [],
        "evidence": "described",
        "evaluation": "none",
        "activity": "ongoing",
        "period": (date(2016, 9, 1), None),
        "author": "member@example.org",
    },
    {
        "language": "nb",
        "title": "Ungdomslos i Tromsø",
        "summary": "Ungdomsloser møter unge der de er, i sentrum og på nett, og hjelper dem "
        "videre til skole, jobb og fritid.",
        "problem": "Unge som faller ut av skolen blir lett rekruttert til kriminelle miljøer.",
        "approach": "Oppsøkende arbeid, samtaler og samarbeid med NAV og skolen.",
        "goals": ["strong-youth-engagement", "safe-urban-spaces"],
        "target_groups": ["youth"],
        "phenomena": ["gang-crime"],
        "arenas": ["neighbourhood", "online"],
        "cities": ["Tromsø"],
        "organisations": [],
        "evidence": "documented",
        "evaluation": "internal",
        "activity": "ongoing",
        "period": (date(2020, 1, 1), None),
        "author": "member@example.org",
    },
    {
        "language": "sv",
        "title": "Digital källkritik för högstadiet",
        "summary": "Elever lär sig att granska källor, känna igen desinformation och svara på "
        "näthat.",
        "problem": "Elever möter desinformation och hat på nätet utan verktyg att hantera det.",
        "approach": "Sex lektioner, övningar med verkliga exempel och ett föräldramöte.",
        "goals": ["safe-online-sphere", "strong-youth-engagement"],
        "target_groups": ["youth", "teachers"],
        "phenomena": ["online-hate", "polarisation"],
        "arenas": ["school", "online"],
        "cities": ["Stockholm"],
        "organisations": [],
        "evidence": "peer_reviewed",
        "evaluation": "research",
        "activity": "ongoing",
        "period": (date(2021, 1, 1), None),
        "author": "member@example.org",
    },
    {
        "language": "en",
        "title": "Frontline staff training on radicalisation",
        "summary": "Social workers, youth workers and health staff learn to recognise signs "
        "of radicalisation and where to refer concerns.",
        "problem": "Frontline staff are unsure when and how to share a concern.",
        "approach": "A one-day course, an e-learning module and a referral checklist.",
        "goals": ["safe-public-institutions"],
        "target_groups": ["frontline-staff"],
        "phenomena": ["right-wing-extremism", "violent-islamism", "left-wing-extremism"],
        "arenas": [],
        "cities": ["Reykjavík"],
        "organisations": ["samtal-reykjavik"],
        "evidence": "documented",
        "evaluation": "internal",
        "activity": "ongoing",
        "period": (date(2022, 2, 1), None),
        "author": "member@example.org",
    },
    {
        "language": "nb",
        "title": "Dialogkafé for nye og gamle naboer",
        "summary": "Et ukentlig kafétilbud der nye og gamle innbyggere møtes, lærer språk og "
        "bygger tillit.",
        "problem": "Lite kontakt mellom nyankomne og andre innbyggere gir fordommer.",
        "approach": "Frivillige verter, samtaletema hver uke og samarbeid med biblioteket.",
        "goals": ["safe-communities"],
        "target_groups": ["general-public"],
        "phenomena": ["racism"],
        "arenas": ["neighbourhood"],
        "cities": ["Fredrikstad"],
        "organisations": [],
        "evidence": "described",
        "evaluation": "none",
        "activity": "ongoing",
        "period": (date(2019, 9, 1), None),
        "author": "member@example.org",
        "visibility": "members",
    },
    {
        "language": "da",
        "title": "Forældrecaféer i boligområder",
        "summary": "Forældre mødes med SSP-medarbejdere for at tale om unge, fællesskab og "
        "bekymringer.",
        "problem": "Forældre mangler et sted at dele bekymringer om deres børn.",
        "approach": "Månedlige caféer, tolke ved behov og opfølgning fra SSP.",
        "goals": ["strong-families", "safe-communities"],
        "target_groups": ["parents"],
        "phenomena": ["gang-crime"],
        "arenas": ["neighbourhood"],
        "cities": ["Copenhagen"],
        "organisations": [],
        "evidence": "documented",
        "evaluation": "internal",
        "activity": "ongoing",
        "period": (date(2018, 1, 1), None),
        "author": "member@example.org",
    },
    {
        "language": "sv",
        "title": "Trygghetsvärdar i centrum",
        "summary": "Trygghetsvärdar finns i centrum på kvällar och helger och samarbetar med "
        "butiker och polis.",
        "problem": "Otrygghet i centrum på kvällstid.",
        "approach": "Anställda värdar, gemensam lägesbild och veckovisa möten.",
        "goals": ["safe-urban-spaces"],
        "target_groups": ["general-public"],
        "phenomena": ["gang-crime"],
        "arenas": ["neighbourhood"],
        "cities": ["Borlänge"],
        "organisations": [],
        "evidence": "documented",
        "evaluation": "internal",
        "activity": "ongoing",
        "period": (date(2022, 5, 1), None),
        "author": "member@example.org",
    },
    {
        "language": "en",
        "title": "Safe spaces for women in local politics",
        "summary": "Mentoring, security advice and peer support for women who stand for local "
        "office and meet threats.",
        "problem": "Threats drive women out of local politics.",
        "approach": "A mentoring network, a security check of homes and online accounts, and "
        "a peer group.",
        "goals": ["safe-public-institutions", "safe-online-sphere"],
        "target_groups": ["politicians"],
        "phenomena": ["hate-against-politicians", "online-hate"],
        "arenas": ["public-debate", "online"],
        "cities": ["Bodø"],
        "organisations": [],
        "evidence": "described",
        "evaluation": "none",
        "activity": "pilot",
        "period": (date(2024, 3, 1), None),
        "author": "member@example.org",
    },
    {
        "language": "nb",
        "title": "Idrett for alle i Drammen",
        "summary": "Gratis idrettstilbud på kveldstid gir unge et trygt sted å være og voksne "
        "å snakke med.",
        "problem": "Unge uten fritidstilbud samles der det oppstår konflikter.",
        "approach": "Åpne haller fredag og lørdag, trenere fra idrettslagene og ungdomsledere.",
        "goals": ["strong-youth-engagement", "safe-urban-spaces"],
        "target_groups": ["youth"],
        "phenomena": ["gang-crime"],
        "arenas": ["leisure"],
        "cities": ["Drammen"],
        "organisations": [],
        "evidence": "documented",
        "evaluation": "internal",
        "activity": "ongoing",
        "period": (date(2017, 8, 1), None),
        "author": "member@example.org",
    },
    {
        "language": "da",
        "title": "Dialog mod polarisering i lokalsamfundet",
        "summary": "Borgermøder med trænede facilitatorer om svære emner, så uenighed ikke "
        "bliver til had.",
        "problem": "Lokale konflikter om f.eks. asylcentre skaber polarisering.",
        "approach": "Facilitatorer, faste spilleregler og opfølgende møder.",
        "goals": ["safe-communities"],
        "target_groups": ["general-public"],
        "phenomena": ["polarisation", "racism"],
        "arenas": ["public-debate"],
        "cities": ["Copenhagen"],
        "organisations": ["dialog-og-faellesskab"],
        "evidence": "documented",
        "evaluation": "internal",
        "activity": "ongoing",
        "period": (date(2020, 1, 1), None),
        "author": "member@example.org",
    },
    {
        "language": "sv",
        "title": "Stöd till föräldrar vars barn dragits in i extremism",
        "summary": "En stödlinje och samtalsgrupper för föräldrar som oroar sig för att deras "
        "barn radikaliseras.",
        "problem": "Föräldrar vet inte vart de ska vända sig.",
        "approach": "Telefonlinje, samtalsgrupper och samverkan med socialtjänsten.",
        "goals": ["strong-families"],
        "target_groups": ["parents"],
        "phenomena": ["right-wing-extremism", "violent-islamism"],
        "arenas": [],
        "cities": ["Stockholm"],
        "organisations": [],
        "evidence": "evaluated",
        "evaluation": "external",
        "activity": "ongoing",
        "period": (date(2018, 6, 1), None),
        "author": "member@example.org",
        "translations": [
            {
                "language": "nb",
                "translator": "Kari Nordmann (illustrative)",
                "title": "Støtte til foreldre med barn i ekstreme miljøer",
                "summary": "En støttelinje og samtalegrupper for foreldre som er bekymret for "
                "at barna radikaliseres.",
            }
        ],
    },
    {
        "language": "en",
        "title": "City counter-narrative campaign",
        "summary": "Young people make short videos that answer extremist propaganda with "
        "their own stories.",
        "problem": "Extremist propaganda reaches young people online with little answer.",
        "approach": "Workshops with media students, a campaign on social media and a "
        "debate evening.",
        "goals": ["safe-online-sphere", "strong-youth-engagement"],
        "target_groups": ["youth"],
        "phenomena": ["online-hate", "right-wing-extremism"],
        "arenas": ["online"],
        "cities": ["Gothenburg"],
        "organisations": [],
        "evidence": "described",
        "evaluation": "none",
        "activity": "ended",
        "period": (date(2021, 1, 1), date(2021, 12, 31)),
        "author": "member@example.org",
    },
    {
        # Submitted, not yet published: it waits in the secretariat's review queue (their
        # start page), as a member's new practice does.
        "language": "nb",
        "title": "Nabolagsvertskap i Skien",
        "summary": "Beboere læres opp som verter som tar imot nye naboer og sier ifra når "
        "noen blir trakassert.",
        "problem": "Nye innbyggere kjenner få i nabolaget, og trakassering blir ofte ikke meldt.",
        "approach": "Kurs for frivillige verter, faste nabolagskvelder og en kontaktperson i "
        "kommunen.",
        "goals": ["safe-communities"],
        "target_groups": ["general-public"],
        "phenomena": ["racism", "polarisation"],
        "arenas": ["neighbourhood"],
        "cities": ["Skien"],
        "organisations": [],
        "evidence": "described",
        "evaluation": "none",
        "activity": "ongoing",
        "period": (date(2026, 1, 1), None),
        "author": "member@example.org",
        "awaiting_review": True,
    },
]

# Reports and publications in the same search.
PUBLICATIONS = [
    {
        "title": "Forebygging av voldelig ekstremisme i nordiske byer",
        "summary": "En illustrativ rapport om hvordan nordiske byer organiserer forebygging "
        "lokalt.",
        "authors": "Nordic Safe Cities (illustrative)",
        "publisher": "Nordic Safe Cities",
        "year": 2023,
        "language": "nb",
        "link": "https://nordicsafecities.org/",
        "goals": ["safe-communities", "safe-public-institutions"],
    },
    {
        "title": "Hate speech against local politicians: a Nordic overview",
        "summary": "An illustrative overview of online hate against local politicians and what "
        "cities do about it.",
        "authors": "Nordic Safe Cities (illustrative)",
        "publisher": "Nordic Safe Cities",
        "year": 2024,
        "language": "en",
        "link": "https://nordicsafecities.org/",
        "goals": ["safe-online-sphere"],
    },
]
