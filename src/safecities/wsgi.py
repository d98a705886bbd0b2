"""WSGI entry point: `gunicorn safecities.wsgi`."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecities.settings")
application = get_wsgi_application()

from safecities.core.database import missing_database  # noqa: E402 — needs the settings

# A server started on a SQLite database that is not there would create an empty one and answer
# every request with an error: refuse to start instead, saying why.
if problem := missing_database():
    raise ImproperlyConfigured(problem)
