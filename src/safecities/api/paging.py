"""The API's page numbers: `?page=` as django-ninja's page-number pagination, bounded.

A page number past what any list could hold (`?page=9223372036854775807`) would make an
offset the database cannot take; it is refused with 422 naming `page`, like any bad input.
A page past the end of a list is an empty page.
"""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 100_000
MAX_PAGE_SIZE = 500


class Pagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)
