"""The API's page-number pagination, with the page number bounded.

django-ninja's `PageNumberPagination` takes any page number from 1 up; a huge one
(`?page=9223372036854775807`) overflows the database's OFFSET and answered 500. Here the page is
at most `MAX_PAGE` (far past any list the network has), and a larger one is refused with 422
naming `page`, as the OpenAPI document says (`maximum`).
"""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination

MAX_PAGE = 1_000_000


class PageNumberPagination(NinjaPageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)
