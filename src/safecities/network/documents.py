"""Checks that an uploaded council decision really is a PDF of an allowed size."""

import io

from django.conf import settings
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from safecities.core.errors import DomainError


class InvalidDocument(DomainError):
    field = "decision_document"


def check_pdf(upload, *, field: str = "decision_document") -> None:
    name = getattr(upload, "name", "") or _("the file")
    limit = settings.MAX_DECISION_DOCUMENT_BYTES
    if upload.size > limit:
        raise InvalidDocument(
            _("%(name)s is %(size).1f MB; the limit is %(limit)d MB.")
            % {"name": name, "size": upload.size / 1024 / 1024, "limit": limit // 1024 // 1024},
            field=field,
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" not in head:
        raise InvalidDocument(_("%(name)s is not a PDF file.") % {"name": name}, field=field)
    try:
        reader = PdfReader(io.BytesIO(upload.read()))
        pages = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InvalidDocument(
            _("%(name)s looks like a PDF but cannot be read: it may be damaged.") % {"name": name},
            field=field,
        ) from exc
    finally:
        upload.seek(0)
    if pages < 1:
        raise InvalidDocument(_("%(name)s has no pages.") % {"name": name}, field=field)
