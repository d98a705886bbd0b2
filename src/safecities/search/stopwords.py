"""Common words per language, dropped from queries (not from the index).

Short lists after the Snowball projects' stop lists. A word that is common in one language but
a content word in another (English "by" is Norwegian and Danish for town; "man", "men", "far",
"hat") is kept out, so it can still be searched.
"""

_LISTS = {
    "en": """
        a about above after again against all am an and any are as at be because been before
        being below between both but can could did do does doing down during each few for from
        further had has have having he her here hers herself him himself his how i if in into is
        it its itself just me more most my myself no nor not now of off on once only or other
        our ours ourselves out over own same she should so some such than that the their theirs
        them themselves then there these they this those through to too under until up very was
        we were what when where which while who whom why will with would you your yours yourself
    """,
    "nb": """
        alle at av bare begge ble blei bli blir blitt både da dag de deg dei deim deira deires
        dem den denne der dere deres det dette di din disse ditt du dykk dykkar då eg ein eit
        eitt eller elles en ene eneste enhver enn er et ett etter for fordi fra før ha hadde han
        hans har hennar henne hennes her hjå ho hoe honom hoss hossen hun hva hvem hver hvilke
        hvilken hvis hvor hvordan hvorfor i ikke ikkje ingen ingi inkje inn inni ja jeg kan kom
        korleis korso kun kunne kva kvar kvarhelst kven kvi kvifor me med medan meg meget mellom
        mer mi min mine mitt mot mykje ned no noe noen noka noko nokon nokor nokre nå når og også
        om opp oss over på samme seg selv si sia sidan siden sin sine sitt sjøl skal skulle slik
        so som somme somt så sånn til um upp ut uten var vart varte ved vere verte vi vil ville
        vore vors vort vår være vært å
    """,
    "sv": """
        alla allt att av blev bli blir blivit de dem den denna deras dess dessa det detta dig
        din dina ditt du där då efter ej eller en er era ert ett från för ha hade han hans har
        henne hennes hon honom hur här i icke ingen inom inte jag ju kan kunde med mellan mig
        min mina mitt mot mycket ni nu när någon något några och om oss på samma sedan sig sin
        sina sitta själv skulle som så sådan sådana sådant till under upp ut utan vad var vara
        varför varit varje vars vart vem vi vid vilka vilkas vilken vilket vår våra vårt än är
        åt över
    """,
    "da": """
        af alle andet andre at begge blev blive bliver da de dem den denne der deres det dette
        dig din dine disse dit dog du efter eller en end er et for fra ham han hans har havde
        have hende hendes her hos hun hvad hvis hvor i ikke ind jeg jer jo kunne lille mange
        med meget mig min mine mit mod ned noget nogle nu når og også om op os over på sig sin
        sine sit skal skulle som sådan thi til ud under var vi vil ville vor være været
    """,
    "fi": """
        ei eivät emme en et ette että he heidän heille heillä heiltä heissä heistä heitä hän
        häneen hänelle hänellä häneltä hänen hänessä hänestä hänet häntä itse ja johon joiden
        joihin joiksi joilla joille joilta joina joissa joista joita joka joksi jolla jolle
        jolta jona jonka jos jossa josta jota jotka kanssa keiden keihin keiksi keille keillä
        keiltä keinä keissä keistä keitä keneen keneksi kenelle kenellä keneltä kenen kenenä
        kenessä kenestä kenet ketkä ketä koska kuin kuka kun me meidän meille meillä meiltä
        meissä meistä meitä mihin miksi mikä mille millä miltä minkä minua minulla minulle
        minulta minun minussa minusta minuun minä missä mistä mitkä mitä mukaan mutta ne niiden
        niihin niiksi niille niillä niiltä niin niinä niissä niistä niitä noiden noihin noiksi
        noilla noille noilta noin noina noissa noista noita nuo nyt näiden näihin näiksi näille
        näillä näiltä näinä näissä näistä näitä nämä ole olemme olen olet olette oli olimme
        olin olisi olisimme olisin olisit olisitte olisivat olit olitte olivat olla olleet
        ollut on ovat poikki se sekä sen siihen siinä siitä siksi sille sillä siltä sinua
        sinulla sinulle sinulta sinun sinussa sinusta sinuun sinä sitä tai te teidän teille
        teillä teiltä teissä teistä teitä tuo tuohon tuoksi tuolla tuolle tuolta tuon tuona
        tuossa tuosta tuota tähän täksi tälle tällä tältä tämä tämän tänä tässä tästä tätä
        vaan vai vaikka yli
    """,
    "is": """
        að af alla allan allar allir allra allt alls annar annað annarra á án og eða en ef eftir
        ekki ég hann hans hún hennar hjá hvað hvar hver hvernig í inn með meðan mér mig mín
        mínir minn mitt nei nú of okkar okkur sem sig sín sinn sitt sjálf skal til um undir upp
        úr út við vil vera verið var voru það þar þau þegar þeir þess þessi þetta þig þín þinn
        þitt þó þú
    """,
}

# Common in one language, content in another: never dropped.
CONTENT_WORDS = frozenset({"by", "man", "men", "far", "hat", "ja", "dag", "kom", "lille", "mange"})

STOP_WORDS: frozenset[str] = frozenset(
    word for text in _LISTS.values() for word in text.split() if word not in CONTENT_WORDS
)
