"""Bounded field types shared by the API schemas.

Every integer the API accepts has an upper bound that both databases can store (a signed
63-bit integer), so an oversized number is a 422 with the error shape, never an
``OverflowError`` from the database driver. Free text has a documented length limit.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StrictBool, WithJsonSchema

MAX_INT64 = 2**63 - 1
MAX_OFFSET = 1_000_000_000
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"  # = yuqi.core.text.SLUG_RE

# Lengths of free text, in characters (the page forms use the same numbers).
SHORT_TEXT = 200
COMMENT_TEXT = 500
NOTE_TEXT = 4_000
LONG_TEXT = 20_000

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def _refuse_bool(value: Any) -> Any:
    """Pydantic's lax mode reads ``true``/``false`` as 1/0; the document says number."""
    if isinstance(value, bool):
        raise ValueError("a number is required, not true/false")
    return value


def _iso_date(value: Any) -> Any:
    """Lax mode reads ``0`` or ``"0"`` as a Unix time (1970-01-01); only ISO 8601 is a date."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("a date is required as YYYY-MM-DD")
    return value


def _iso_datetime(value: Any) -> Any:
    """As ``_iso_date``: numbers and bare dates are refused, ISO 8601 date-times accepted."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATETIME.match(value):
        raise ValueError("a date and time is required as YYYY-MM-DDTHH:MM[:SS][+HH:MM]")
    return value


def _json_number(value: Any) -> Any:
    """Lax mode reads ``true``/``false`` as 1/0 and ``"5"`` as 5; in a JSON body only a JSON
    number is a number (``5.0`` is still the integer 5, as JSON Schema says)."""
    if isinstance(value, (bool, str, bytes)):
        raise ValueError("a JSON number is required")
    return value


JSON_NUMBER = BeforeValidator(_json_number)
"""Put it after a ``Field(...)`` of constraints: ``Annotated[int, Field(le=9), JSON_NUMBER]``
(before them, the published schema loses ``minimum``/``maximum`` in a ``… | None`` field)."""


def _number_or_text(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("a number is required, not true/false")
    if isinstance(value, str) and not re.fullmatch(r"\d+(\.\d+)?", value):
        raise ValueError("a decimal number is required, as digits with an optional point")
    return value


JSON_NUMBER_OR_TEXT = BeforeValidator(_number_or_text)
Int = Annotated[int, JSON_NUMBER]
"""A JSON body's integer: ``true``/``false`` and ``"5"`` are refused. Not for query
parameters (a query string is text); the bounded types below refuse true/false everywhere."""
Number = Annotated[float, JSON_NUMBER]
"""A JSON body's number: ``true``/``false`` and ``"0.5"`` are refused."""
Flag = StrictBool
"""A JSON body's boolean: only ``true``/``false`` (not ``0``, ``1``, ``"yes"``). Query
parameters keep ``bool``, since a query string is text."""
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
"""A date, only as ISO 8601 text ``YYYY-MM-DD`` (in a body or a query string)."""
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]
"""A date and time, only as ISO 8601 text."""

Id = Annotated[
    int, Field(ge=1, le=MAX_INT64, description="a database id"), BeforeValidator(_refuse_bool)
]
"""The id of a stored object: 1 … 2⁶³−1."""

Version = Annotated[
    int,
    Field(ge=0, le=MAX_INT64, description="the version you read"),
    BeforeValidator(_refuse_bool),
]
Count = Annotated[int, Field(ge=0, le=2**31 - 1), BeforeValidator(_refuse_bool)]
Seconds = Annotated[int, Field(ge=0, le=10 * 365 * 86_400), BeforeValidator(_refuse_bool)]
Code = Annotated[
    str, Field(min_length=1, max_length=50, pattern=SLUG_PATTERN, description="a slug")
]
ShortText = Annotated[str, Field(max_length=SHORT_TEXT)]
CommentText = Annotated[str, Field(max_length=COMMENT_TEXT)]
NoteText = Annotated[str, Field(max_length=NOTE_TEXT)]
LongText = Annotated[str, Field(max_length=LONG_TEXT)]


def _yuan_schema(digits: int) -> WithJsonSchema:
    whole = digits - 2
    return WithJsonSchema(
        {
            "anyOf": [
                {
                    "type": "number",
                    "minimum": 0,
                    "maximum": float("9" * whole + ".99"),
                    "multipleOf": 0.01,
                },
                {"type": "string", "pattern": rf"^\d{{1,{whole}}}(\.\d{{1,2}})?$"},
            ],
            "description": f"yuan, at most {whole} digits and 2 decimal places",
        }
    )


# An amount of money: a JSON number or its text ("225.62", as the API answers), ≥ 0, two
# decimal places. Pydantic publishes a bare ``string`` branch that "", "abc" or "1e5" satisfy
# (schemathesis ST202); the schema here says what is accepted. 12 or 10 digits, as the columns.
Yuan = Annotated[
    Decimal, Field(ge=0, max_digits=12, decimal_places=2), JSON_NUMBER_OR_TEXT, _yuan_schema(12)
]
Yuan10 = Annotated[
    Decimal, Field(ge=0, max_digits=10, decimal_places=2), JSON_NUMBER_OR_TEXT, _yuan_schema(10)
]
