"""Pagination and sorting for list pages, the same everywhere."""

from django.core.paginator import Paginator

PAGE_SIZE = 25


def paginate(request, queryset, *, per_page: int = PAGE_SIZE, param: str = "page"):
    """The page of `queryset` (or a list) that the request's `param` asks for, and the request's
    other parameters, for the pages' links (core/includes/pagination.html)."""
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get(param))
    params = request.GET.copy()
    params.pop(param, None)
    return page, params.urlencode()
