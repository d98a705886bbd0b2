"""Pagination and sorting for list pages, the same everywhere."""

from django.core.paginator import Paginator
from django.http import QueryDict

PAGE_SIZE = 25


def paginate(request, queryset, *, per_page: int = PAGE_SIZE):
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def sort_param(request, allowed: dict[str, str], default: str) -> tuple[str, str]:
    """(key, order_by) from ?sort=…, limited to `allowed` {key: order_by expression}."""
    key = request.GET.get("sort", default)
    if key not in allowed:
        key = default
    return key, allowed[key]


def querystring_without(params: QueryDict, *names: str) -> str:
    params = params.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()
