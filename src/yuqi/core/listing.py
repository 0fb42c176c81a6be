"""Paginated list pages: the page of rows and the query string to keep in pager links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


@dataclass(frozen=True)
class Listing:
    page: Page
    query: str  # the request's filters without ``page``, for pager links


def paginate(request: HttpRequest, rows: Any, per_page: int = 50) -> Listing:
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return Listing(page, query.urlencode())
