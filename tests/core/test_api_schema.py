"""The published OpenAPI document is exact (security review 2026-12, F-11)."""

from __future__ import annotations

import typing
from collections import defaultdict

import pytest
from pydantic import BaseModel

from yuqi.config.api import api

# Bounded inputs (F-9): every integer a client sends has a maximum, every free string a
# maximum length (or is an enum, a date/time, or a pattern-checked code).
FORMATS_WITHOUT_LENGTH = {"date", "date-time", "time", "uuid", "binary", "email", "duration"}


def _operations():
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            yield from path_view.operations


def _models_in(annotation, found: set[type]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models_in(field.annotation, found)
        return
    for arg in typing.get_args(annotation):
        _models_in(arg, found)


def test_no_two_schema_classes_share_a_name():
    """ninja keeps one OpenAPI component per class name: two classes with one name make the
    document describe one of them wrongly (PeriodOut, EventOut and AnalysisOut did)."""
    found: set[type] = set()
    for operation in _operations():
        for model in operation.models:
            _models_in(model, found)
        for model in operation.response_models.values():
            _models_in(model, found)
    by_name: dict[str, set[str]] = defaultdict(set)
    for model in found:
        if model.__module__.startswith("yuqi."):
            by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    assert len(by_name) > 50
    clashes = {name: sorted(classes) for name, classes in by_name.items() if len(classes) > 1}
    assert clashes == {}


@pytest.fixture(scope="module")
def document():
    return api.get_openapi_schema(path_prefix="/api")


def test_components_describe_their_own_classes(document):
    components = document["components"]["schemas"]
    assert "weekday" in components["OpeningPeriodOut"]["properties"]
    assert components["ComplaintEventOut"]["properties"]["by"]["anyOf"][0]["type"] == "integer"
    assert "complaint_id" in components["ComplaintAnalysisOut"]["properties"]
    assert "complaint_id" not in components["SurveyAnalysisOut"]["properties"]


def _unbounded(schema: dict, components: dict, where: str, out: list[str]) -> None:
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            _unbounded(sub, components, where, out)
    kind = schema.get("type")
    if kind == "integer" and "maximum" not in schema and "enum" not in schema:
        out.append(f"{where}: integer without maximum")
    if (
        kind == "string"
        and "maxLength" not in schema
        and "enum" not in schema
        and schema.get("format") not in FORMATS_WITHOUT_LENGTH
        and "pattern" not in schema
    ):
        out.append(f"{where}: string without maxLength")
    for name, sub in schema.get("properties", {}).items():
        _unbounded(sub, components, f"{where}.{name}", out)
    if kind == "array" and "items" in schema:
        _unbounded(schema["items"], components, f"{where}[]", out)


def test_every_integer_input_has_a_maximum(document):
    components = document["components"]["schemas"]
    problems: list[str] = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                _unbounded(
                    parameter["schema"], components, f"{where} {parameter['name']}", problems
                )
            for content in operation.get("requestBody", {}).get("content", {}).values():
                _unbounded(content["schema"], components, f"{where} body", problems)
    assert [p for p in problems if "integer" in p] == []


def test_error_answers_are_documented(document):
    """401/403 on every non-public operation, 404 with a path parameter, 409/413/422 on
    writes, so that a client (or a fuzzer) finds each answer in the document."""
    operations = {
        (method.upper(), path): operation
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }
    assert len(operations) >= 80
    for (method, path), operation in operations.items():
        codes = set(operation["responses"])
        if path != "/api/v1/health":
            assert {"401", "403"} <= codes, (method, path)
        if "{" in path:
            assert "404" in codes, (method, path)
        if method != "GET":
            assert {"409", "413", "422"} <= codes, (method, path)
    escalate = operations[("POST", "/api/v1/complaints/{complaint_id}/escalations")]
    schema = escalate["responses"]["409"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["error"]
