"""Every route declares who may use it; these tests walk the whole URL map and the API."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

from yuqi.config.api import api
from yuqi.core.access import declared_access

# Django's admin guards its own views (staff sign-in plus per-model permissions), and the
# NinjaAPI's routes are checked operation by operation in the second test.
GUARDED_ELSEWHERE = {"admin", "api"}


Route = tuple[str, str, object]


def walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry.callback


def test_every_page_declares_its_access():
    undeclared = [
        route
        for route, namespace, callback in walk(get_resolver().url_patterns)
        if namespace not in GUARDED_ELSEWHERE and declared_access(callback) is None
    ]
    assert undeclared == [], f"routes without public/signed_in/requires: {undeclared}"


def api_operations() -> Iterator[tuple[str, str, object]]:
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield method, prefix + path, operation.view_func


def test_every_api_operation_declares_its_access():
    operations = list(api_operations())
    assert len(operations) >= 5
    undeclared = [
        f"{method} {path}" for method, path, func in operations if declared_access(func) is None
    ]
    assert undeclared == [], f"API operations without api_public/api_requires: {undeclared}"


def test_the_walk_would_catch_an_undeclared_route():
    from django.urls import path

    def naked(request):
        raise AssertionError

    found = [route for route, _ns, cb in walk([path("naked/", naked)]) if not declared_access(cb)]
    assert found == ["naked/"]
