"""The charter's six goals in every UI language, and the shared vocabularies."""

from datetime import date

GOALS = [
    (
        "safe-urban-spaces",
        {
            "en": "Safe urban spaces",
            "nb": "Trygge byrom",
            "sv": "Säkra urbana områden",
            "da": "Trygge byrum",
            "fi": "Turvalliset kaupunkitilat",
            "is": "Örugg borgarrými",
        },
        {
            "en": "Streets, squares and neighbourhoods where everyone can move freely and feel safe.",
            "nb": "Gater, plasser og nabolag der alle kan ferdes fritt og føle seg trygge.",
            "sv": "Gator, torg och bostadsområden där alla kan röra sig fritt och känna sig trygga.",
            "da": "Gader, pladser og kvarterer, hvor alle kan færdes frit og føle sig trygge.",
            "fi": "Kadut, aukiot ja asuinalueet, joilla jokainen voi liikkua vapaasti ja turvallisesti.",
            "is": "Götur, torg og hverfi þar sem allir geta farið frjálsir ferða sinna og verið öruggir.",
        },
    ),
    (
        "safe-online-sphere",
        {
            "en": "Safe online sphere",
            "nb": "Trygt nettmiljø",
            "sv": "Säkra platser på internet",
            "da": "Trygt onlinemiljø",
            "fi": "Turvallinen verkkoympäristö",
            "is": "Öruggt netumhverfi",
        },
        {
            "en": "Online spaces where hate and extremist recruitment are countered and people can "
            "take part without fear.",
            "nb": "Nettmiljøer der hat og ekstrem rekruttering motarbeides og folk kan delta uten frykt.",
            "sv": "Digitala miljöer där hat och extremistisk rekrytering motverkas och alla kan delta "
            "utan rädsla.",
            "da": "Onlinemiljøer, hvor had og ekstremistisk rekruttering modarbejdes, og alle kan "
            "deltage uden frygt.",
            "fi": "Verkkoympäristöt, joissa vihaa ja ääriliikkeiden värväystä torjutaan ja joihin "
            "jokainen voi osallistua pelkäämättä.",
            "is": "Netumhverfi þar sem unnið er gegn hatri og nýliðun öfgahópa og allir geta tekið "
            "þátt án ótta.",
        },
    ),
    (
        "strong-families",
        {
            "en": "Strong families",
            "nb": "Sterke familier",
            "sv": "Starka familjer",
            "da": "Stærke familier",
            "fi": "Vahvat perheet",
            "is": "Sterkar fjölskyldur",
        },
        {
            "en": "Parents and families who get support to protect their children from "
            "radicalisation.",
            "nb": "Foreldre og familier som får støtte til å beskytte barna sine mot radikalisering.",
            "sv": "Föräldrar och familjer som får stöd att skydda sina barn mot radikalisering.",
            "da": "Forældre og familier, der får støtte til at beskytte deres børn mod radikalisering.",
            "fi": "Vanhemmat ja perheet saavat tukea lastensa suojaamiseen radikalisoitumiselta.",
            "is": "Foreldrar og fjölskyldur fá stuðning til að vernda börn sín gegn róttækni.",
        },
    ),
    (
        "safe-public-institutions",
        {
            "en": "Safe public institutions",
            "nb": "Trygge offentlige institusjoner",
            "sv": "Säkra offentliga institutioner",
            "da": "Trygge offentlige institutioner",
            "fi": "Turvalliset julkiset instituutiot",
            "is": "Öruggar opinberar stofnanir",
        },
        {
            "en": "Schools, services and local democracy that people trust and that know how to "
            "act on concerns.",
            "nb": "Skoler, tjenester og lokaldemokrati som folk har tillit til, og som vet hvordan de "
            "skal handle ved bekymring.",
            "sv": "Skolor, verksamheter och lokal demokrati som invånarna litar på och som vet hur de "
            "ska agera vid oro.",
            "da": "Skoler, tilbud og lokaldemokrati, som borgerne har tillid til, og som ved, hvordan "
            "de skal handle ved bekymring.",
            "fi": "Koulut, palvelut ja paikallisdemokratia, joihin ihmiset luottavat ja jotka osaavat "
            "toimia huolen herätessä.",
            "is": "Skólar, þjónusta og staðbundið lýðræði sem fólk treystir og kunna að bregðast við "
            "áhyggjum.",
        },
    ),
    (
        "strong-youth-engagement",
        {
            "en": "Strong youth engagement",
            "nb": "Sterkt ungdomsengasjement",
            "sv": "Stärkt delaktighet av ungdomar",
            "da": "Stærkt ungdomsengagement",
            "fi": "Vahva nuorten osallisuus",
            "is": "Öflug þátttaka ungs fólks",
        },
        {
            "en": "Young people who have a voice, a place and a role in their city.",
            "nb": "Unge som har en stemme, et sted å være og en rolle i byen sin.",
            "sv": "Unga som har en röst, en plats och en roll i sin stad.",
            "da": "Unge, der har en stemme, et sted og en rolle i deres by.",
            "fi": "Nuoret, joilla on ääni, paikka ja rooli kaupungissaan.",
            "is": "Ungt fólk sem hefur rödd, stað og hlutverk í borginni sinni.",
        },
    ),
    (
        "safe-communities",
        {
            "en": "Safe communities",
            "nb": "Trygge lokalsamfunn",
            "sv": "Säkra samhällen",
            "da": "Trygge lokalsamfund",
            "fi": "Turvalliset yhteisöt",
            "is": "Örugg samfélög",
        },
        {
            "en": "Local communities with trust between groups, where civil society and the city "
            "work together.",
            "nb": "Lokalsamfunn med tillit mellom grupper, der sivilsamfunnet og kommunen samarbeider.",
            "sv": "Lokalsamhällen med tillit mellan grupper, där civilsamhället och staden "
            "samarbetar.",
            "da": "Lokalsamfund med tillid mellem grupper, hvor civilsamfundet og kommunen "
            "samarbejder.",
            "fi": "Paikallisyhteisöt, joissa ryhmien välillä vallitsee luottamus ja kansalaisyhteiskunta "
            "ja kaupunki toimivat yhdessä.",
            "is": "Nærsamfélög með trausti milli hópa, þar sem borgaralegt samfélag og borgin vinna "
            "saman.",
        },
    ),
]

CHARTER_VERSION = {
    "version": "2016",
    "adopted_on": date(2016, 11, 1),
    "preamble": {
        "en": "Member cities strive for safe, trusting, tolerant and resilient cities for all "
        "citizens by actively preventing radicalisation and violent extremism.",
        "sv": "Medlemsstäderna verkar för säkra, tillitsfulla, toleranta och motståndskraftiga "
        "städer för alla medborgare genom att aktivt förebygga radikalisering och "
        "våldsbejakande extremism.",
        "nb": "Medlemsbyene arbeider for trygge, tillitsfulle, tolerante og motstandsdyktige byer "
        "for alle innbyggere ved å forebygge radikalisering og voldelig ekstremisme.",
    },
}

# vocabulary: [(code, {language: label})]
TERMS = {
    "target_group": [
        (
            "youth",
            {
                "en": "Young people",
                "nb": "Unge",
                "sv": "Unga",
                "da": "Unge",
                "fi": "Nuoret",
                "is": "Ungt fólk",
            },
        ),
        (
            "parents",
            {
                "en": "Parents and families",
                "nb": "Foreldre og familier",
                "sv": "Föräldrar och familjer",
                "da": "Forældre og familier",
            },
        ),
        (
            "frontline-staff",
            {
                "en": "Frontline professionals",
                "nb": "Førstelinjeansatte",
                "sv": "Förstalinjens personal",
                "da": "Frontmedarbejdere",
            },
        ),
        (
            "teachers",
            {
                "en": "Teachers and schools",
                "nb": "Lærere og skoler",
                "sv": "Lärare och skolor",
                "da": "Lærere og skoler",
            },
        ),
        (
            "politicians",
            {
                "en": "Local politicians",
                "nb": "Lokalpolitikere",
                "sv": "Lokala politiker",
                "da": "Lokalpolitikere",
            },
        ),
        (
            "faith-communities",
            {
                "en": "Faith communities",
                "nb": "Tros- og livssynssamfunn",
                "sv": "Trossamfund",
                "da": "Trossamfund",
            },
        ),
        (
            "general-public",
            {
                "en": "The general public",
                "nb": "Befolkningen",
                "sv": "Allmänheten",
                "da": "Borgerne",
            },
        ),
    ],
    "phenomenon": [
        (
            "right-wing-extremism",
            {
                "en": "Right-wing extremism",
                "nb": "Høyreekstremisme",
                "sv": "Högerextremism",
                "da": "Højreekstremisme",
                "fi": "Äärioikeisto",
                "is": "Hægriöfgahyggja",
            },
        ),
        (
            "violent-islamism",
            {
                "en": "Violent Islamism",
                "nb": "Voldelig islamisme",
                "sv": "Våldsbejakande islamism",
                "da": "Voldelig islamisme",
            },
        ),
        (
            "left-wing-extremism",
            {
                "en": "Left-wing extremism",
                "nb": "Venstreekstremisme",
                "sv": "Vänsterextremism",
                "da": "Venstreekstremisme",
            },
        ),
        (
            "gang-crime",
            {
                "en": "Gang crime",
                "nb": "Gjengkriminalitet",
                "sv": "Gängkriminalitet",
                "da": "Bandekriminalitet",
            },
        ),
        ("online-hate", {"en": "Online hate", "nb": "Netthets", "sv": "Näthat", "da": "Onlinehad"}),
        (
            "hate-against-politicians",
            {
                "en": "Hate crime against politicians",
                "nb": "Hatkriminalitet mot politikere",
                "sv": "Hatbrott mot politiker",
                "da": "Hadforbrydelser mod politikere",
            },
        ),
        (
            "polarisation",
            {
                "en": "Polarisation",
                "nb": "Polarisering",
                "sv": "Polarisering",
                "da": "Polarisering",
                "fi": "Polarisaatio",
                "is": "Skautun",
            },
        ),
        ("racism", {"en": "Racism", "nb": "Rasisme", "sv": "Rasism", "da": "Racisme"}),
    ],
    "arena": [
        ("school", {"en": "School", "nb": "Skole", "sv": "Skola", "da": "Skole"}),
        ("online", {"en": "Online", "nb": "På nett", "sv": "På nätet", "da": "Online"}),
        (
            "neighbourhood",
            {"en": "Neighbourhood", "nb": "Nabolag", "sv": "Bostadsområde", "da": "Boligområde"},
        ),
        (
            "leisure",
            {
                "en": "Leisure and sport",
                "nb": "Fritid og idrett",
                "sv": "Fritid och idrott",
                "da": "Fritid og idræt",
            },
        ),
        (
            "public-debate",
            {
                "en": "Public debate",
                "nb": "Offentlig debatt",
                "sv": "Offentlig debatt",
                "da": "Offentlig debat",
            },
        ),
    ],
}
