from typing import Any

from ninja import Field, Schema

from yuqi.imports.bulk import MAX_ITEMS, ItemResult


class BulkIn(Schema):
    source: str = Field("", max_length=40, description="source system (interactions only)")
    items: list[dict[str, Any]] = Field(
        ...,
        min_length=1,
        max_length=MAX_ITEMS,
        description="at most 5,000 items, and the request body at most YUQI_MAX_BODY_KB "
        "(2,560 KB by default; larger bodies answer 413): send fewer items per request when "
        "they are long",
    )


class BulkError(Schema):
    field: str
    message: str


class BulkItemResult(Schema):
    index: int
    status: str = Field(..., description="created, updated, unchanged or rejected")
    errors: list[BulkError]


class BulkOut(Schema):
    created: int
    updated: int
    unchanged: int
    rejected: int
    items: list[BulkItemResult]


def bulk_out(results: list[ItemResult]) -> dict:
    counts = dict.fromkeys(("created", "updated", "unchanged", "rejected"), 0)
    for result in results:
        counts[result.status] += 1
    return {**counts, "items": results}
