"""System checks of ours: the front-end files every page links to are there to be served.

The pages link `static/vendor/…` (Designsystemet and htmx), which `npm ci && npm run build` puts
in the package before it is built or installed (docs/deploy.md). Without them, or with a
static files manifest collected before they were there, production serves an error on every
page. `safecities check` and `collectstatic` say so; `check --deploy` also reads the manifest.
"""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core import checks
from django.core.files.storage import storages

# The files scripts/build-assets.mjs writes (and setup.py refuses to build a package without).
VENDOR_FILES = (
    "vendor/designsystemet.css",
    "vendor/designsystemet-theme.css",
    "vendor/htmx.min.js",
)
BUILD_HINT = (
    "Run `npm ci && npm run build` in the checkout, then build or install the package "
    "(see docs/deploy.md)."
)


@checks.register(checks.Tags.staticfiles)
def vendor_files_present(app_configs=None, **kwargs):
    """Every vendor file is found where Django looks for static files (an error in production,
    where collectstatic must not run without them; a warning in development)."""
    missing = [name for name in VENDOR_FILES if not finders.find(name)]
    if not missing:
        return []
    level = checks.Error if settings.PRODUCTION else checks.Warning
    return [
        level(
            f"The front-end files {', '.join(missing)} are missing from the static files; "
            "every page links them.",
            hint=BUILD_HINT,
            id="safecities.E001" if settings.PRODUCTION else "safecities.W001",
        )
    ]


@checks.register(checks.Tags.staticfiles, deploy=True)
def vendor_files_collected(app_configs=None, **kwargs):
    """The collected static files' manifest (hashed names) lists every vendor file."""
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return []
    try:
        paths, _hash = storage.load_manifest()
    except ValueError as error:
        paths, problem = {}, str(error)
    else:
        problem = None
    if not paths:
        return [
            checks.Error(
                problem
                or f"The static files manifest ({storage.manifest_name} in {settings.STATIC_ROOT})"
                " is missing, so no page can link its stylesheets.",
                hint="Run `safecities collectstatic --no-input`.",
                id="safecities.E002",
            )
        ]
    missing = [name for name in VENDOR_FILES if name not in paths]
    if not missing:
        return []
    return [
        checks.Error(
            f"The static files manifest in {settings.STATIC_ROOT} lacks {', '.join(missing)}, so "
            "every page fails with “Missing staticfiles manifest entry”.",
            hint=BUILD_HINT + " Then run `safecities collectstatic --no-input` again.",
            id="safecities.E003",
        )
    ]
