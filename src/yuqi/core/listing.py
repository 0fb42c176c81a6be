"""Paginated list pages: the page of rows and the query string to keep in pager links."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


@dataclass(frozen=True)
class Listing:
    page: Page
    query: str  # the request's filters without ``page``, for pager links


def paginate(
    request: HttpRequest,
    rows: Any,
    per_page: int = 50,
    *,
    first_page: Callable[[], list[Any] | None] | None = None,
    count: Callable[[], int | None] | None = None,
) -> Listing:
    """The requested page of ``rows`` (a bad or missing page number: the first; past the end:
    the last), as Django's ``Paginator.get_page``.

    The first page is read before the rows are counted: when it holds fewer than ``per_page``
    rows they are all there is, and the count (a second pass over every match: two thirds of a
    customer search by name) is not asked of the database. ``first_page()``, if given, reads
    that page (``rows[:per_page]``) another way, or answers None to leave it to ``rows``;
    ``count()``, if given, counts the rows another way (or None: ``rows.count()``).

    ``rows`` may be a function that makes the queryset: it is called only when the first page
    or its count is not answered another way (building a joined, annotated queryset is Python
    work a page read another way does not need)."""
    made: list[Any] = []

    def queryset() -> Any:
        if not made:
            made.append(rows() if callable(rows) else rows)
        return made[0]

    number = request.GET.get("page")
    if number in (None, "", "1"):
        first = first_page() if first_page is not None else None
        if first is None:
            first = list(queryset()[:per_page])
        total: int | None = None
        if len(first) < per_page:
            total = len(first)
        elif count is not None:
            total = count()
        if total is None:
            paginator = Paginator(queryset(), per_page)
        else:  # the rows, if they were never made, are not needed: the page and count are in
            paginator = Paginator(made[0] if made else (), per_page)
            paginator.count = total  # sets the cached property
        page = Page(first, 1, paginator)
    else:
        page = Paginator(queryset(), per_page).get_page(number)
    query = request.GET.copy()
    query.pop("page", None)
    return Listing(page, query.urlencode())
