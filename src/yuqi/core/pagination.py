"""The API's list pagination: ninja's limit/offset with an upper bound on ``offset``.

ninja's own ``LimitOffsetPagination`` accepts any non-negative offset; one past 2⁶³ makes
SQLite raise "datatype mismatch" (a 500). Set as ``NINJA_PAGINATION_CLASS``.
"""

from __future__ import annotations

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from yuqi.core.api_types import MAX_OFFSET


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(
            settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
