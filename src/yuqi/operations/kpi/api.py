"""``GET /api/v1/kpis``: the KPI table as JSON (the same engine as the KPI page)."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, get_args

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer

from yuqi.core.api_access import api_requires
from yuqi.core.api_types import IsoDate
from yuqi.domain.kpi import (
    DEFAULT_REPEAT_DAYS,
    DEFAULT_SHORT_ABANDON_SECONDS,
    HEADLINE_SCOPE,
    INTERVAL_CHOICES,
    SCOPE_ALL,
    SCOPE_CHANNELS,
    scope_channels,
)
from yuqi.operations.kpi.selectors import DIMENSIONS, KpiRow, kpi_table_as_of

router = Router(tags=["operations"])
MAX_DAYS = 366


class KpiQueryIn(Schema):
    date_from: IsoDate
    date_to: IsoDate
    by: str = ""  # comma list of: interval, day, week, month, queue, team, agent, channel, tier
    queue: str | None = None
    channel: str | None = None
    scope: str | None = Field(
        None,
        description="Channels counted: realtime (phone, web chat, app, WeChat — the default "
        "without a channel), voice, chat, email or all.",
        max_length=10,
    )
    tier: str | None = None
    agent: str | None = None
    interval: int = Field(
        30,
        description="15, 30 or 60 minutes",
        json_schema_extra={"enum": list(INTERVAL_CHOICES)},  # a query string: no Literal
    )
    short_abandon_seconds: int = Field(DEFAULT_SHORT_ABANDON_SECONDS, ge=0, le=86_400)
    repeat_days: int = Field(DEFAULT_REPEAT_DAYS, ge=1, le=366)


class KpiCountsOut(Schema):
    offered: int
    answered: int
    abandoned: int
    short_abandoned: int
    answered_within: int
    answered_wait_seconds: int
    longest_wait_seconds: int | None
    talk_seconds: int
    wrap_seconds: int
    hold_seconds: int = 0
    transferred: int
    fcr_flagged: int
    fcr_resolved: int
    repeat_candidates: int
    repeated: int
    sl_offered: int | None = None
    staffed_seconds: int | None
    busy_seconds: int | None = None


class KpiValuesOut(Schema):
    """Ratios in [0, 1], times in seconds; ``null`` when the denominator is zero (no data)."""

    offered: int
    answered: int
    abandoned: int
    short_abandoned: int
    answer_rate: float | None
    abandon_rate: float | None
    service_level: float | None
    asa: float | None
    longest_wait: int | None
    aht: float | None
    transfer_rate: float | None
    fcr: float | None
    derived_fcr: float | None
    occupancy: float | None


class KpiRowOut(Schema):
    keys: dict[str, str | None]  # interval: ISO datetime (local); day/week/month: ISO date
    labels: dict[str, str]
    counts: KpiCountsOut
    values: KpiValuesOut


class KpiTableOut(Schema):
    by: list[str]
    interval: int
    # When the figures came from the KPI rollups: the time of their last refresh (contacts
    # written after it are not counted yet); null when counted from the contacts just now.
    as_of: datetime | None = None
    items: list[KpiRowOut]


def _iso(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


_NO_DEFAULT = object()
#: The API's renderer (``yuqi.config.api`` keeps ninja's default); a test compares the bytes.
_RENDERER = JSONRenderer()
_RENDERER_TYPE = f"{_RENDERER.media_type}; charset={_RENDERER.charset}"


def _fields(schema: type[Schema]) -> tuple[tuple[str, Callable[[Any], Any], Any], ...]:
    """Each field of a flat schema of numbers: its name, the type pydantic would coerce the
    value to (``float`` where the field is a float, else ``int``) and its default."""
    fields = []
    for name, info in schema.model_fields.items():
        kinds = get_args(info.annotation) or (info.annotation,)
        kind = float if float in kinds else int
        fields.append((name, kind, _NO_DEFAULT if info.is_required() else info.default))
    return tuple(fields)


_COUNTS = _fields(KpiCountsOut)
_VALUES = _fields(KpiValuesOut)


def _numbers(source: object, fields: tuple[tuple[str, Callable[[Any], Any], Any], ...]) -> dict:
    out = {}
    for name, kind, default in fields:
        value = getattr(source, name) if default is _NO_DEFAULT else getattr(source, name, default)
        out[name] = None if value is None else kind(value)
    return out


def _row_out(row: KpiRow) -> dict:
    """One item as :class:`KpiRowOut` dumps it (same keys, order and number types), built
    without validating each of up to thousands of rows (``tests/operations`` compares the
    two)."""
    return {
        "keys": {key: _iso(value) for key, value in row.keys.items()},
        "labels": {key: str(value) for key, value in row.labels.items()},
        "counts": _numbers(row.counts, _COUNTS),
        "values": _numbers(row.values, _VALUES),
    }


def _parse(query: KpiQueryIn) -> list[str]:
    by = [key.strip() for key in query.by.split(",") if key.strip()]
    problems: list[tuple[str, str]] = []
    unknown = [key for key in by if key not in DIMENSIONS]
    if unknown or len(set(by)) != len(by):
        problems.append(
            ("by", _("Group by distinct keys among: %(keys)s.") % {"keys": ", ".join(DIMENSIONS)})
        )
    if query.scope is not None and query.scope not in SCOPE_CHANNELS:
        problems.append(("scope", _("Choose realtime, voice, chat, email or all.")))
    if query.interval not in INTERVAL_CHOICES:
        problems.append(("interval", _("The interval is 15, 30 or 60 minutes.")))
    if query.date_to < query.date_from:
        problems.append(("date_to", _("The end date is before the start date.")))
    elif (query.date_to - query.date_from).days >= MAX_DAYS:
        problems.append(("date_to", _("Choose at most a year.")))
    if not 0 <= query.short_abandon_seconds <= 600 or not 1 <= query.repeat_days <= 90:
        problems.append(("short_abandon_seconds", _("Out of range.")))
    if problems:  # answered as 422 with paths "query.<name>", like ninja's own checks
        raise ValidationError([{"loc": ("query", name), "msg": msg} for name, msg in problems])
    return by


@router.get("/kpis", response=KpiTableOut)
@api_requires("operations.view_operations")
def kpis(request: HttpRequest, query: Query[KpiQueryIn]) -> HttpResponse:
    """Call-centre KPIs of inbound queued contacts, from ``date_from`` to ``date_to`` (local
    days, both included), one item per group of ``by``. Without ``channel`` or ``scope`` the
    real-time channels are counted (an e-mail's hours of waiting would swamp ASA and service
    level). Formulas: the KPI definitions page.

    The answer is rendered as ``KpiTableOut`` would dump it (the schema stays the published
    one) but not validated row by row: pydantic's check of 1,800 rows took a quarter of the
    request."""
    by = _parse(query)
    rows, as_of = kpi_table_as_of(
        date_from=query.date_from,
        date_to=query.date_to,
        by=by,
        queue=query.queue,
        channel=query.channel,
        channels=scope_channels(query.scope or (SCOPE_ALL if query.channel else HEADLINE_SCOPE)),
        tier=query.tier,
        agent=query.agent,
        interval_minutes=query.interval,
        short_abandon_seconds=query.short_abandon_seconds,
        repeat_days=query.repeat_days,
    )
    body = {
        "by": by,
        "interval": query.interval,
        "as_of": as_of,
        "items": [_row_out(r) for r in rows],
    }
    return HttpResponse(
        _RENDERER.render(request, body, response_status=200), content_type=_RENDERER_TYPE
    )
