"""The UI catalogues: complete where the product promises it, compiled, and actually served.

The rule: every string is translatable; English, Norwegian Bokmål and Swedish are complete;
Danish, Finnish and Icelandic cover at least the navigation, the header and footer, and the
charter page. After `make messages` (makemessages + compilemessages) these tests pass again.

The .po files are read with a small parser of our own (polib is not a dependency), and the
committed .mo files with the standard library's gettext module.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
COMPLETE = ["nb", "sv"]
PARTIAL = ["da", "fi", "is"]
ALL = COMPLETE + PARTIAL

# What every language must have: navigation, header, footer, the charter page and logging in.
NAVIGATION = [
    "Skip to main content",
    "Language",
    "Start",
    "Log in",
    "Log out",
    "Main",
    "Home",
    "Members",
    "People",
    "Programmes",
    "Grants",
    "Action plans",
    "Practices",
    "Events",
    "Indicators",
    "Reports",
    "Charter",
    "Become a member",
    "Vocabularies",
    "Audit trail",
    "Roles",
    "Mail owed",
    # The menu's groups and each person's own links (core/navigation.py), the busy buttons.
    "Network",
    "Membership applications",
    "Programmes and calls",
    "My grant applications",
    "My reviews",
    "Decision packs",
    "Plans and indicators",
    "Knowledge bank",
    "Administration",
    "Menu",
    "Saving…",
    "Uploading…",
    "Security",
    "The charter",
    "API",
    "Open data",
    "Privacy",
    "An open platform for cities and civil society working together to prevent hate, "
    "violent extremism and polarisation.",
    # The charter page.
    "Every member city strives for these six goals. Everything on the platform is tagged by them.",
    "Charter versions",
    "Version",
    "Adopted",
    "Endorsements",
    "No charter version has been adopted yet.",
    # The login page.
    "Forgotten your password?",
    "e-mail address",
    # The second step of logging in.
    "Enter your code",
    "Open your authenticator app and give the code it shows for this site. Lost your phone? "
    "Use one of your backup codes.",
]

_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')


def parse_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a list), flags.

    Entries are separated by blank lines, as gettext's tools write them. Obsolete entries (#~)
    are left out; the header (msgid "") is included.
    """
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry = {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}, "flags": set()}
        field = None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {f.strip() for f in line[2:].split(",") if f.strip()}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                if isinstance(field, int):
                    entry["msgstr"][field] += ast.literal_eval(line)
                else:
                    entry[field] += ast.literal_eval(line)
            else:
                match = _LINE.match(line)
                assert match, f"{path}: cannot read {line!r}"
                keyword, index, value = match.groups()
                field = int(index or 0) if keyword.startswith("msgstr") else keyword
                if isinstance(field, int):
                    entry["msgstr"][field] = ast.literal_eval(value)
                else:
                    entry[field] = ast.literal_eval(value)
        if entry["msgid"] is not None:
            entry["msgstr"] = [entry["msgstr"][i] for i in sorted(entry["msgstr"])]
            entries.append(entry)
    return entries


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


def messages(lang: str) -> list[dict]:
    """The entries of a language's catalogue, without the header."""
    return [e for e in parse_po(po_path(lang)) if e["msgid"]]


def translated(entry: dict) -> bool:
    return "fuzzy" not in entry["flags"] and all(entry["msgstr"])


def label(entry: dict) -> str:
    return entry["msgid"] if entry["msgctxt"] is None else f"{entry['msgctxt']}|{entry['msgid']}"


PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdfr]")


@pytest.mark.parametrize("lang", ALL)
def test_catalogue_exists_and_header_is_not_fuzzy(lang):
    entries = parse_po(po_path(lang))
    header = next(e for e in entries if e["msgid"] == "")
    assert "fuzzy" not in header["flags"]
    assert f"Language: {lang}\n" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=" in header["msgstr"][0]
    assert (po_path(lang).with_suffix(".mo")).exists(), "run `make messages` (compilemessages)"


@pytest.mark.parametrize("lang", COMPLETE)
def test_complete_languages_translate_every_message(lang):
    entries = messages(lang)
    assert len(entries) > 100, "the catalogue looks empty: run makemessages from src/safecities"
    fuzzy = [label(e) for e in entries if "fuzzy" in e["flags"]]
    missing = [label(e) for e in entries if not all(e["msgstr"])]
    assert not (fuzzy or missing), f"{lang}: untranslated: {missing}; fuzzy, to review: {fuzzy}"


@pytest.mark.parametrize("lang", ALL)
def test_translations_keep_the_placeholders(lang):
    wrong = []
    for e in messages(lang):
        if not translated(e):
            continue
        sources = [e["msgid"]] if e["msgid_plural"] is None else [e["msgid"], e["msgid_plural"]]
        expected = sorted(set(PLACEHOLDER.findall(" ".join(sources))))
        for text in e["msgstr"]:
            if sorted(set(PLACEHOLDER.findall(text))) != expected:
                wrong.append((e["msgid"], text))
    assert not wrong, f"{lang}: placeholders differ: {wrong}"


@pytest.mark.parametrize("lang", PARTIAL)
def test_partial_languages_cover_navigation_and_the_charter_page(lang):
    # An entry is its msgid, or (context, msgid) where the word has more than one meaning.
    by_id = {
        e["msgid"] if e["msgctxt"] is None else (e["msgctxt"], e["msgid"]): e
        for e in messages(lang)
    }
    unknown = [m for m in NAVIGATION if m not in by_id]
    assert not unknown, f"these msgids are no longer in the templates; update NAVIGATION: {unknown}"
    missing = [m for m in NAVIGATION if not translated(by_id[m])]
    assert not missing, f"{lang}: translate these: {missing}"


@pytest.mark.parametrize("lang", ALL)
def test_compiled_catalogue_matches_the_po_file(lang):
    """The committed .mo holds exactly the .po file's translations: nobody forgot compilemessages."""
    expected = {}
    for e in messages(lang):
        if not translated(e):
            continue  # msgfmt leaves out untranslated and fuzzy entries
        key = e["msgid"] if e["msgctxt"] is None else f"{e['msgctxt']}\x04{e['msgid']}"
        if e["msgid_plural"] is None:
            expected[key] = e["msgstr"][0]
        else:
            for i, text in enumerate(e["msgstr"]):
                expected[(key, i)] = text
    with open(po_path(lang).with_suffix(".mo"), "rb") as f:
        compiled = dict(gettext.GNUTranslations(f)._catalog)
    compiled.pop("", None)  # the header
    stale = sorted(str(k) for k in expected.keys() - compiled.keys())
    extra = sorted(str(k) for k in compiled.keys() - expected.keys())
    changed = sorted(
        str(k) for k in expected.keys() & compiled.keys() if expected[k] != compiled[k]
    )
    assert not (stale or extra or changed), (
        f"{lang}: django.mo is out of date with django.po; run `make messages`. "
        f"Missing: {stale[:5]} Extra: {extra[:5]} Changed: {changed[:5]}"
    )


NAV_EXPECTED = {
    "nb": ("Bli medlem", "Medlemmer", "Gå til hovedinnholdet"),
    "sv": ("Bli medlem", "Medlemmar", "Hoppa till huvudinnehållet"),
    "da": ("Bliv medlem", "Medlemmer", "Spring til hovedindholdet"),
    "fi": ("Liity jäseneksi", "Jäsenet", "Siirry pääsisältöön"),
    "is": ("Gerast aðili", "Aðilar", "Fara beint í meginmál"),
}


@pytest.mark.parametrize("lang", ALL)
def test_home_page_is_served_in_the_visitors_language(client, db, lang):
    response = client.get(reverse("network:home"), HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    for text in NAV_EXPECTED[lang]:
        assert text in html, f"{lang}: {text!r} missing from the home page"
    assert ">Become a member<" not in html


@pytest.mark.parametrize(
    ("lang", "heading"), [("nb", "Charteret"), ("sv", "Chartret"), ("fi", "Peruskirja")]
)
def test_charter_page_in_the_chosen_language(client, db, lang, heading):
    """The language chosen with the switcher (a cookie) wins over the browser's."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(reverse("charter:charter"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    assert heading in html


SECRETARIAT_LINKS = {
    "nb": ("Sikkerhet", "Utestående e-post"),
    "sv": ("Säkerhet", "Utestående e-post"),
    "da": ("Sikkerhed", "Udestående e-mails"),
    "fi": ("Tietoturva", "Lähettämättömät sähköpostit"),
    "is": ("Öryggi", "Ósendur tölvupóstur"),
}


@pytest.mark.parametrize("lang", ALL)
def test_security_and_owed_mail_links_are_translated(secretariat_client, lang):
    """The header's "Security" link and the secretariat's "Mail owed" link in every language."""
    secretariat_client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = secretariat_client.get(reverse("network:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    security, mail_owed = SECRETARIAT_LINKS[lang]
    assert f'href="{reverse("core:security")}">{security}</a>' in html
    assert f">{mail_owed}</a>" in html
    assert ">Security<" not in html and ">Mail owed<" not in html
