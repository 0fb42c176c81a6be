"""Bounded field types shared by the API schemas.

Every integer the API accepts has an upper bound that both databases can store (a signed
63-bit integer), so an oversized number is a 422 with the error shape, never an
``OverflowError`` from the database driver. Free text has a documented length limit.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

MAX_INT64 = 2**63 - 1
MAX_OFFSET = 1_000_000_000
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"  # = yuqi.core.text.SLUG_RE

# Lengths of free text, in characters (the page forms use the same numbers).
SHORT_TEXT = 200
COMMENT_TEXT = 500
NOTE_TEXT = 4_000
LONG_TEXT = 20_000

Id = Annotated[int, Field(ge=1, le=MAX_INT64, description="a database id")]
"""The id of a stored object: 1 … 2⁶³−1."""

Version = Annotated[int, Field(ge=0, le=MAX_INT64, description="the version you read")]
Count = Annotated[int, Field(ge=0, le=2**31 - 1)]
Seconds = Annotated[int, Field(ge=0, le=10 * 365 * 86_400)]
Code = Annotated[
    str, Field(min_length=1, max_length=50, pattern=SLUG_PATTERN, description="a slug")
]
ShortText = Annotated[str, Field(max_length=SHORT_TEXT)]
CommentText = Annotated[str, Field(max_length=COMMENT_TEXT)]
NoteText = Annotated[str, Field(max_length=NOTE_TEXT)]
LongText = Annotated[str, Field(max_length=LONG_TEXT)]
