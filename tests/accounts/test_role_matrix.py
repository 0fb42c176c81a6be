"""Role × operation → status, generated from ``accounts/roles.py`` and the access declarations.

For every API operation (from the published OpenAPI document) and every page route (from the
URL map), for every role: a signed-in request answers 403 when the role lacks one of the
permissions the route declares (``requires``/``api_requires``), and anything but 403 when it
has them all. What a role has comes from ``ROLE_PERMISSIONS``, not from the database, so the
declarations, the role table and the permission check are held to each other.

Requests are built to pass validation where that is easy (a minimal body from the schema,
ids of objects that do not exist), so the permission decides; a 403 that comes before a 422 is
what we want. Object-level and state rules (a colleague's promise, the call-list channel) are
tested where they live; here a missing object answers 404, which is "not 403".

One test per role and surface, looping over the routes with one signed-in client.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.accounts.factories import UserFactory
from yuqi.accounts.roles import ROLE_NAMES, ROLE_PERMISSIONS
from yuqi.config.api import api
from yuqi.core.access import Access, declared_access

pytestmark = pytest.mark.django_db

MISSING_ID = 987654321
MISSING_CODE = "no-such-thing"


@dataclass(frozen=True)
class Call:
    """One route as the table sees it: how to call it and what it declares."""

    name: str  # "GET /api/v1/users" or "page surveys:detail"
    method: str
    url: str
    access: Access
    json: Any = None

    def expected_forbidden(self, role: str) -> bool:
        return not set(self.access.permissions) <= ROLE_PERMISSIONS[role]


# ----------------------------------------------------------------------- API operations
def _resolve(schema: dict, node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def sample(schema: dict, node: Any, depth: int = 0) -> Any:
    """A small value that satisfies ``node`` (required properties only)."""
    node = _resolve(schema, node)
    if depth > 8 or not isinstance(node, dict):
        return None
    if "default" in node:
        return node["default"]
    if "enum" in node:
        return node["enum"][0]
    for key in ("anyOf", "oneOf"):
        if key in node:
            options = [o for o in node[key] if _resolve(schema, o).get("type") != "null"]
            return sample(schema, options[0] if options else None, depth + 1)
    if "allOf" in node:
        return sample(schema, node["allOf"][0], depth + 1)
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        properties = node.get("properties", {})
        return {
            name: sample(schema, properties[name], depth + 1) for name in node.get("required", [])
        }
    if kind == "array":
        return [sample(schema, node.get("items"), depth + 1)] * node.get("minItems", 0)
    if kind == "integer":
        return max(1, node.get("minimum", 1))
    if kind == "number":
        return max(1, node.get("minimum", 1))
    if kind == "boolean":
        return False
    if kind == "string":
        return {
            "date": "2026-11-02",
            "date-time": "2026-11-02T10:00:00+08:00",
            "email": "x@example.cn",
            "time": "08:30:00",
        }.get(node.get("format", ""), "x" * max(1, node.get("minLength", 1)))
    return None


#: Bodies and queries the schema alone does not make valid, keyed by operation.
OVERRIDES: dict[str, dict[str, Any]] = {
    # a target is needed (service level, ASA or abandon rate) unless agents are given
    "POST /api/v1/staffing": {"json": {"calls": 100, "aht": 180, "target_sl": 0.8}},
}


def _operation_access() -> dict[str, Access]:
    found: dict[str, Access] = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                access = declared_access(operation.view_func)
                found[api.get_openapi_operation_id(operation)] = access
    return found


def api_calls() -> Iterator[Call]:
    schema = api.get_openapi_schema()
    access = _operation_access()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            declared = access[operation["operationId"]]
            if declared is None or declared.public:
                continue  # public operations are tested on their own
            url, query = path, {}
            for parameter in operation.get("parameters", []):
                value = sample(schema, parameter.get("schema", {}))
                if parameter["in"] == "path":
                    missing = MISSING_ID if isinstance(value, int) else MISSING_CODE
                    url = url.replace("{" + parameter["name"] + "}", str(missing))
                elif parameter.get("required"):
                    query[parameter["name"]] = value
            if query:
                url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            name = f"{method.upper()} {path}"
            payload = sample(schema, body["schema"]) if body else None
            yield Call(
                name,
                method.upper(),
                url,
                declared,
                **{"json": payload, **OVERRIDES.get(name, {})},
            )


# --------------------------------------------------------------------------- page routes
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[tuple]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry


def _page_url(route: str) -> str:
    def fill(match: re.Match) -> str:
        return str(MISSING_ID) if match.group(1) == "int" else MISSING_CODE

    return "/" + _CONVERTER.sub(fill, route).lstrip("^").rstrip("$")


def page_calls() -> Iterator[Call]:
    for route, namespace, entry in _walk(get_resolver().url_patterns):
        if namespace in {"admin", "api"} or route.startswith("api/"):
            continue  # Django's admin guards itself; the API is the other table
        access = declared_access(entry.callback)
        if access is None or access.public:
            continue
        yield Call(f"page {namespace}:{entry.name} ({route})", "GET", _page_url(route), access)


# ------------------------------------------------------------------------------ running
def role_client(role: str) -> Client:
    user = UserFactory(username=f"matrix-{role}", roles=[role])
    client = Client(raise_request_exception=False)
    client.force_login(user, backend="yuqi.accounts.backends.KeptPermissionsBackend")
    return client


def call(client: Client, entry: Call) -> int:
    if entry.json is not None or entry.method in {"POST", "PATCH", "PUT"}:
        response = client.generic(
            entry.method,
            entry.url,
            data=json.dumps(entry.json if entry.json is not None else {}),
            content_type="application/json",
        )
    else:
        response = client.generic(entry.method, entry.url)
    if response.status_code == 405 and entry.name.startswith("page "):
        response = client.post(entry.url, {})  # a form action (POST only)
    return response.status_code


def mismatches(role: str, calls: list[Call]) -> list[str]:
    client = role_client(role)
    wrong = []
    for entry in calls:
        status = call(client, entry)
        forbidden = entry.expected_forbidden(role)
        if forbidden != (status == 403):
            expected = "403" if forbidden else "not 403"
            wrong.append(f"{entry.name} [{entry.access.describe()}]: {status}, expected {expected}")
    return wrong


@pytest.fixture(scope="module")
def operations() -> list[Call]:
    return list(api_calls())


@pytest.fixture(scope="module")
def pages() -> list[Call]:
    return list(page_calls())


def test_the_table_covers_every_operation_and_page(operations, pages):
    assert len(operations) >= 75
    assert len(pages) >= 80


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_api_operations_answer_403_exactly_when_the_role_lacks_a_declared_permission(
    role, operations
):
    assert mismatches(role, operations) == []


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_pages_answer_403_exactly_when_the_role_lacks_a_declared_permission(role, pages):
    assert mismatches(role, pages) == []
