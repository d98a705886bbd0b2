"""WSGI entry point: `gunicorn safecities.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecities.settings")
application = get_wsgi_application()
