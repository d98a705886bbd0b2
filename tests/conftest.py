"""Fixtures shared by the whole suite: the demo network, its users per role, signed-in clients.

The demo network is loaded through `safecities.demo.loader.Loader`, the same code `safecities
loaddemo` runs, so tests see the data people see. Uploaded files go to a per-test folder.
"""

import atexit
import shutil
import tempfile
import warnings
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.test.utils import override_settings, setup_databases, teardown_databases
from django.utils import translation

from safecities.charter.models import CharterVersion
from safecities.core.models import User
from safecities.demo.loader import Loader
from safecities.network.models import (
    MembershipApplication,
    Municipality,
    NationalProgramme,
    Organisation,
)
from tests.utils import sign_in


# The SQLite test database is a file, as SQLite is in production. Django's default in-memory
# test database uses a shared cache whose table locks do not wait (the busy timeout does not
# apply), so concurrent writers fail at once and the services' serialisation (IMMEDIATE
# transactions) could not be observed by the ledger's concurrency tests. Done at import, before
# pytest-django creates the test database; a name given through SQLITE_TEST_NAME is kept.
def _file_backed_sqlite_test_database() -> None:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return
    test = database.setdefault("TEST", {})
    if test.get("NAME"):
        return
    folder = tempfile.mkdtemp(prefix="safecities-test-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    test["NAME"] = str(Path(folder) / "test.sqlite3")


_file_backed_sqlite_test_database()

DEMO_PASSWORD = "safecities-demo"

# The demo logins, one per role the permission table speaks of.
ROLE_EMAILS = {
    "member": "member@example.org",
    "coordinator": "coordinator@example.org",  # Oslo (member) and Drammen (not a member)
    "organisation_contact": "contact@example.org",  # Nuorten ääni ry
    "reviewer": "reviewer@example.org",
    "funder_officer": "funder@example.org",  # Gjensidigestiftelsen
    "secretariat": "secretariat@example.org",
}
ROLES = ["anonymous", *ROLE_EMAILS]


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
_demo_media: list[Path] = []  # where the session's demo network keeps its uploaded files


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo network, loaded once into the test database (once per xdist worker, each of
    which has its own test database).

    Each test runs in a transaction rolled back at its end, so every test starts from the demo
    as loaded. Tests on a transactional database (the browser and concurrency tests, which
    pytest-django runs last) empty the tables after them; `demo` then loads it again.
    """
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock():
        own_test_database = _test_database_unless_set_up()
        with override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHERS):
            Loader().run()
    _demo_media.append(media)
    yield
    if own_test_database:
        with django_db_blocker.unblock():
            try:
                teardown_databases(own_test_database, verbosity=0)
            except Exception as error:  # as pytest-django does: a warning, not a failed test
                warnings.warn(f"The test database was not dropped: {error!r}", stacklevel=1)


def _test_database_unless_set_up():
    """pytest-django creates the test database only when a collected test asks for the database
    by its fixtures or marker. The browser tests that only read pages (`shared_demo`) use it
    without either; run alone, they would otherwise reach the developer's own database. The
    test database is made here then, and its configuration returned for the teardown."""
    connection = connections["default"]
    if connection.settings_dict["NAME"] == connection.creation._get_test_db_name():
        return None
    return setup_databases(verbosity=0, interactive=False, aliases={"default"})


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads go to a throw-away folder holding a copy of the demo's files, never the
    developer's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OPEN_DATA_DIR = tmp_path / "open-data"  # the kept open-data ZIP, likewise
    if _demo_media:
        shutil.copytree(_demo_media[0], settings.MEDIA_ROOT, dirs_exist_ok=True)
    return settings.MEDIA_ROOT


@pytest.fixture
def empty_db(db):
    """A database without the demo network, for tests that count every row they made.

    The tables are emptied inside the test's transaction, so the demo is back for the next test.
    """
    call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hashing the demo users' passwords with PBKDF2 would dominate the suite's run time."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _mail_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _english_to_start():
    """Each test starts in the site's default language, whatever language a page request of
    the test before left active in this process (messages are checked in English)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def demo_namespace() -> SimpleNamespace:
    """The demo records tests refer to by name."""
    users = {role: User.objects.get(email=email) for role, email in ROLE_EMAILS.items()}
    return SimpleNamespace(
        users=users,
        stockholm_coordinator=User.objects.get(email="stockholm@example.org"),
        oslo=Municipality.objects.get(slug="oslo"),
        drammen=Municipality.objects.get(slug="drammen"),
        stockholm=Municipality.objects.get(slug="stockholm"),
        nuorten_aani=Organisation.objects.get(slug="nuorten-aani"),
        trygge_nabolag=Organisation.objects.get(slug="trygge-nabolag-skien"),
        funder=Organisation.objects.get(slug="gjensidigestiftelsen"),
        programme=NationalProgramme.objects.get(slug="safe-cities-norway"),
        charter_version=CharterVersion.objects.order_by("-adopted_on").first(),
        stockholm_application=MembershipApplication.objects.get(municipality__slug="stockholm"),
    )


@pytest.fixture
def demo(db):
    """The demo network, loaded through the loader `safecities loaddemo` uses: once per session
    (see `django_db_setup`), again after a transactional test emptied the tables."""
    if not User.objects.filter(email=ROLE_EMAILS["secretariat"]).exists():
        Loader().run()
    return demo_namespace()


@pytest.fixture
def secretariat(demo):
    return demo.users["secretariat"]


@pytest.fixture
def coordinator(demo):
    """Coordinator of Oslo (an active member) and Drammen (not a member yet)."""
    return demo.users["coordinator"]


@pytest.fixture
def stockholm_coordinator(demo):
    return demo.stockholm_coordinator


@pytest.fixture
def contact(demo):
    """Organisation contact of Nuorten ääni ry."""
    return demo.users["organisation_contact"]


@pytest.fixture
def reviewer(demo):
    return demo.users["reviewer"]


@pytest.fixture
def funder_officer(demo):
    return demo.users["funder_officer"]


@pytest.fixture
def member(demo):
    return demo.users["member"]


@pytest.fixture
def client_for():
    """client_for(user) -> a test client signed in as `user` (None: anonymous)."""

    def make(user):
        c = Client()
        if user is not None:
            sign_in(c, user)  # with the second step through its page where the role needs it
        return c

    return make


@pytest.fixture
def secretariat_client(client_for, secretariat):
    return client_for(secretariat)


@pytest.fixture
def coordinator_client(client_for, coordinator):
    return client_for(coordinator)


@pytest.fixture
def contact_client(client_for, contact):
    return client_for(contact)


@pytest.fixture
def member_client(client_for, member):
    return client_for(member)


@pytest.fixture
def reviewer_client(client_for, reviewer):
    return client_for(reviewer)


@pytest.fixture
def funder_client(client_for, funder_officer):
    return client_for(funder_officer)
