"""Settings, read from the environment.

SAFECITIES_VAR    absolute path of the data folder (SQLite database, uploads, static files);
                  required in production; a checkout's var/ folder by default in development
DATABASE_URL      sqlite:////<SAFECITIES_VAR>/safecities.sqlite3 by default; postgres://… in production
SECRET_KEY        required when SAFECITIES_ENV=production
ALLOWED_HOSTS     comma-separated host names
SAFECITIES_ENV    "development" (default) or "production"
SITE_URL          the address links in e-mails point to, e.g. https://safecities.example
SAFECITIES_360G_PREFIX  the 360Giving publisher prefix of exported grants (360G-safecities)
SAFECITIES_TRUSTED_PROXY_COUNT  proxies in front that append to X-Forwarded-For (0; 1 behind nginx)
SAFECITIES_SESSION_IDLE_MINUTES / SAFECITIES_SESSION_MAX_HOURS  session limits (120 / 12)
(docs/security.md lists every setting of the sign-in hardening)
"""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent

ENV = os.environ.get("SAFECITIES_ENV", "development")
if ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"SAFECITIES_ENV must be 'development' or 'production', not {ENV!r}."
    )
PRODUCTION = ENV == "production"


def _absolute_path(variable: str, default: Path | None = None) -> Path:
    """A folder or file named by the environment: never relative, so no command's result
    depends on the folder it was started from."""
    value = os.environ.get(variable)
    if not value:
        return default
    if not Path(value).is_absolute():
        raise ImproperlyConfigured(
            f"{variable} must be an absolute path, not {value!r} (a relative path would depend "
            "on the folder each command is started from)."
        )
    return Path(value)


# The checkout this code runs from (src/safecities inside a folder with pyproject.toml), or None
# for an installed package.
BASE_DIR = (
    PACKAGE_DIR.parent.parent
    if PACKAGE_DIR.parent.name == "src" and (PACKAGE_DIR.parent.parent / "pyproject.toml").is_file()
    else None
)
# Where the data lives: SAFECITIES_VAR, which production requires; in development from a
# checkout, the checkout's var/ folder, whichever folder a command is started from.
VAR_DIR = _absolute_path("SAFECITIES_VAR")
if VAR_DIR is None:
    if PRODUCTION or BASE_DIR is None:
        raise ImproperlyConfigured(
            "SAFECITIES_VAR is not set. "
            + (
                "In production (SAFECITIES_ENV=production) "
                if PRODUCTION
                else "Outside a checkout "
            )
            + "set SAFECITIES_VAR to the absolute path of the folder that holds the SQLite "
            "database, uploads and collected static files, e.g. /srv/safecities/var."
        )
    VAR_DIR = BASE_DIR / "var"
DEBUG = not PRODUCTION and os.environ.get("DEBUG", "1") == "1"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production (SAFECITIES_ENV=production) set SECRET_KEY "
            "to a long random value, e.g. `python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = "development-only-key-not-for-production-use-0123456789abcdefghijkl"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if not ALLOWED_HOSTS and not PRODUCTION:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # core before django_tasks_db: its `db_worker` command (kept alive through a locked
    # database) is the one `safecities db_worker` runs.
    "safecities.core",
    "django_tasks",
    "django_tasks_db",
    "safecities.search",
    "safecities.network",
    "safecities.charter",
    "safecities.grants",
    "safecities.practices",
    "safecities.indicators",
    "safecities.plans",
    "safecities.events",
    "safecities.opendata",
    "safecities.reports",
    "safecities.api",
    "safecities.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A database still locked after the busy timeout is answered 503 "try again", not 500.
    "safecities.core.middleware.DatabaseBusyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "safecities.core.security.SessionLimitsMiddleware",
    "safecities.core.security.SecurityHeadersMiddleware",
    "safecities.core.two_factor.TwoFactorMiddleware",
]

if PRODUCTION:  # static files from gunicorn; the development server serves them itself
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "safecities.urls"
# A form sent with an expired token gets a page of the site saying: go back, reload, send again.
CSRF_FAILURE_VIEW = "safecities.core.error_views.csrf_failure"
WSGI_APPLICATION = "safecities.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            # `{% url %}` through core.quick_reverse: a list's link per row without a reverse.
            "builtins": ["safecities.core.templatetags.quick_url"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safecities.core.context_processors.site",
                "safecities.core.context_processors.navigation",
                "safecities.network.context_processors.roles",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'safecities.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _sqlite_name = str(DATABASES["default"]["NAME"])
    if _sqlite_name != ":memory:" and not Path(_sqlite_name).is_absolute():
        raise ImproperlyConfigured(
            f"DATABASE_URL names the SQLite file {_sqlite_name!r} by a relative path, which "
            "depends on the folder each command is started from; give an absolute path "
            "(four slashes: sqlite:////srv/safecities/var/safecities.sqlite3)."
        )
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            # IMMEDIATE transactions serialise writers, so the ledger's checks hold under load.
            "transaction_mode": "IMMEDIATE",
            # Seconds a writer waits for another's write lock (SQLite's busy timeout); past it
            # the request is answered 503 "try again" (core.middleware). Imports write in short
            # batches, so no writer holds the lock for long (docs/imports.md).
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # ASVS 2.1.1: at least 12 characters.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password-reset and sign-up mails per address, and reset mails per client address, per hour.
SAFECITIES_RESET_MAILS_PER_ADDRESS = int(os.environ.get("SAFECITIES_RESET_MAILS_PER_ADDRESS", "3"))
SAFECITIES_RESET_MAILS_PER_CLIENT = int(os.environ.get("SAFECITIES_RESET_MAILS_PER_CLIENT", "10"))

# Sessions end after this long without a request, and after SAFECITIES_SESSION_MAX_HOURS at most.
SESSION_COOKIE_AGE = int(os.environ.get("SAFECITIES_SESSION_IDLE_MINUTES", "120")) * 60
SAFECITIES_SESSION_MAX_SECONDS = int(os.environ.get("SAFECITIES_SESSION_MAX_HOURS", "12")) * 3600
SAFECITIES_SESSION_REFRESH_SECONDS = min(300, SESSION_COOKIE_AGE // 4)

# Two-factor sign-in (django-otp): the issuer name authenticator apps show.
OTP_TOTP_ISSUER = os.environ.get("SITE_NAME", "Nordic Safe Cities")

LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:start"
LOGOUT_REDIRECT_URL = "network:home"

# Failed logins (docs/security.md). Per account: the first SAFECITIES_LOGIN_FREE_FAILURES in a
# day are free, then each try waits 2, 4, 8 … seconds after the last failure, at most
# SAFECITIES_LOGIN_MAX_WAIT; the owner is never locked out and can reset the password.
SAFECITIES_LOGIN_FREE_FAILURES = int(os.environ.get("SAFECITIES_LOGIN_FREE_FAILURES", "5"))
SAFECITIES_LOGIN_MAX_WAIT = int(os.environ.get("SAFECITIES_LOGIN_MAX_WAIT", "3600"))
# How many proxies in front of the app append to X-Forwarded-For (1 behind the nginx of
# docs/deploy.md); the client's address is the one the outermost of them saw.
SAFECITIES_TRUSTED_PROXY_COUNT = int(os.environ.get("SAFECITIES_TRUSTED_PROXY_COUNT", "0"))
# Per client address (django-axes): a hard lock after many failures from one address, whatever
# the account; high enough that an office behind one address is not locked out by a few typos.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "30"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_CLIENT_IP_CALLABLE = "safecities.core.auth.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "safecities.core.auth.axes_username"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("nb", "Norsk bokmål"),
    ("sv", "Svenska"),
    ("da", "Dansk"),
    ("fi", "Suomi"),
    ("is", "Íslenska"),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = _absolute_path("STATIC_ROOT", VAR_DIR / "static")
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = _absolute_path("MEDIA_ROOT", VAR_DIR / "media")

# Uploaded files and built PDFs: on local disk under MEDIA_ROOT by default; in an S3-compatible
# bucket when SAFECITIES_S3_BUCKET is set, so that several app servers and the worker share them
# (docs/deploy.md). Every file is read and written through the storage API (`FieldFile.open`,
# `storage.save`/`delete`), never through a local path, and served by a view that checks who
# asks; objects are private (no ACL, signed URLs only). Names are never overwritten, as on disk.
S3_BUCKET = os.environ.get("SAFECITIES_S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            # e.g. https://s3.eu-north-1.amazonaws.com or a MinIO/Ceph endpoint; empty: AWS
            "endpoint_url": os.environ.get("SAFECITIES_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("SAFECITIES_S3_REGION") or None,
            # empty: boto3 finds credentials itself (AWS_* environment, instance role)
            "access_key": os.environ.get("SAFECITIES_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("SAFECITIES_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("SAFECITIES_S3_PREFIX", ""),
            "addressing_style": os.environ.get("SAFECITIES_S3_ADDRESSING_STYLE") or None,
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "safecities <noreply@safecities.invalid>")
SITE_NAME = os.environ.get("SITE_NAME", "Nordic Safe Cities")
# Where the platform is reached, for links in e-mails sent without a request at hand.
SITE_URL = os.environ.get("SITE_URL") or (
    f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
    if PRODUCTION and ALLOWED_HOSTS
    else "http://127.0.0.1:8000"
)

# Counts under this are shown as "<5" on every page, chart, export and API answer; rates built
# on them are withheld.
SMALL_NUMBER_THRESHOLD = int(os.environ.get("SAFECITIES_SMALL_NUMBER_THRESHOLD", "5"))

# Retention (see the privacy page and `safecities retention`): accounts nobody has logged in to
# for this many days are erased; login records (e-mail and IP address) are kept this many days.
INACTIVE_ACCOUNT_DAYS = int(os.environ.get("SAFECITIES_INACTIVE_ACCOUNT_DAYS", "1095"))
LOGIN_RECORD_DAYS = int(os.environ.get("SAFECITIES_LOGIN_RECORD_DAYS", "90"))
# Records of mail sent or dropped (`core.OwedMail`, no address or text) are kept this many days.
SENT_MAIL_DAYS = int(os.environ.get("SAFECITIES_SENT_MAIL_DAYS", "30"))

# A PDF build or a statistics import `running` in the background that has not progressed for
# this many minutes is taken for stopped (its worker process died) and shown as failed, to be
# tried again, when its page is read.
STALLED_TASK_MINUTES = int(os.environ.get("SAFECITIES_STALLED_TASK_MINUTES", "30"))

# Prefix of the 360Giving identifiers of exported grants: the one 360Giving registered for us.
GRANTS_360_PREFIX = os.environ.get("SAFECITIES_360G_PREFIX", "360G-safecities")
if not re.fullmatch(r"360G-[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*", GRANTS_360_PREFIX):
    raise ImproperlyConfigured(
        f"SAFECITIES_360G_PREFIX must be a 360Giving publisher prefix: '360G-' followed by "
        f"letters and digits, e.g. '360G-safecities', not {GRANTS_360_PREFIX!r}."
    )

# The licence every open dataset (/open-data/) is published under, as a Data Package lists it.
SAFECITIES_OPEN_DATA_LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    CSRF_TRUSTED_ORIGINS = [
        o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
    ]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Background work (django-tasks, database backend): `safecities db_worker` runs the queued tasks;
# `make run` starts one beside the server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The cache is per process and holds nothing another process or server must see (a running
# import's progress is on its row, see `indicators.services.run_import`).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The open-data ZIP is built to a file here and kept until the data changes.
OPEN_DATA_DIR = Path(os.environ.get("SAFECITIES_OPEN_DATA_DIR", VAR_DIR / "cache" / "open-data"))

# Statistics imports: up to this many rows are committed while the user waits; larger ones are
# queued for the worker and the import's page shows a progress bar.
INDICATOR_IMPORT_IN_REQUEST_ROWS = int(os.environ.get("SAFECITIES_IMPORT_IN_REQUEST_ROWS", "5000"))
INDICATOR_IMPORT_MAX_BYTES = 50 * 1024 * 1024

# Membership decisions arrive as PDFs of at most this many bytes.
MAX_DECISION_DOCUMENT_BYTES = 10 * 1024 * 1024
# The largest attachment (PDF) a practice or publication may carry.
PRACTICE_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# A relevance search filters, collapses and counts the objects of the engine's this many best
# documents; when more matched, its total and facet counts are shown as lower bounds.
SEARCH_BOUND = 1_000
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

TRANSLATED_LANGUAGE_NAMES = {
    "en": _("English"),
    "nb": _("Norwegian Bokmål"),
    "sv": _("Swedish"),
    "da": _("Danish"),
    "fi": _("Finnish"),
    "is": _("Icelandic"),
}
FORM_RENDERER = "safecities.core.forms.Renderer"
FORMAT_MODULE_PATH = ["safecities.formats"]
