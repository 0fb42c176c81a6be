"""Turning raw interaction values (a file row, a JSON item) into clean field values.

Cross-field rules: answered and ended times may not precede arrival; an abandoned contact has
no answer time; wait and talk seconds are derived from the times when a file leaves them out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from yuqi.domain import contacts
from yuqi.domain.contacts import CHANNEL_LABELS, DIRECTION_LABELS
from yuqi.ingest import FieldError
from yuqi.ingest.parse import parse_bool, parse_choice, parse_datetime, parse_seconds
from yuqi.interactions.choices import Direction

MAX_TEXT = {
    "source": 40,
    "external_id": 64,
    "queue": 40,
    "team": 40,
    "agent": 40,
    "customer_external_id": 64,
    "category": 60,
}


@dataclass
class Cleaned:
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)


def _text(name: str) -> Callable[[str], str]:
    limit = MAX_TEXT[name]

    def clean(value: str) -> str:
        if len(value) > limit:
            raise FieldError(_("longer than %(n)d characters") % {"n": limit})
        return value

    return clean


@lru_cache(maxsize=8)
def cleaners_for(zone: ZoneInfo) -> dict[str, Callable[[str], Any]]:
    """Each field's cleaner for one cell's stripped, non-blank text (times read in ``zone``)."""
    when = lambda v: parse_datetime(v, zone)  # noqa: E731
    return {
        **{name: _text(name) for name in MAX_TEXT},
        "channel": lambda v: parse_choice(v, CHANNEL_LABELS),
        "direction": lambda v: parse_choice(v, DIRECTION_LABELS),
        "caller_number": str,
        "arrived_at": when,
        "answered_at": when,
        "ended_at": when,
        "abandoned": parse_bool,
        "wait_seconds": parse_seconds,
        "talk_seconds": parse_seconds,
        "wrap_seconds": parse_seconds,
        "hold_seconds": parse_seconds,
        "transferred": parse_bool,
        "first_contact_resolved": parse_bool,
        "notes": str,
    }


REQUIRED = ("external_id", "channel", "arrived_at")


@lru_cache(maxsize=1)
def _default_zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def clean_interaction(raw: Mapping[str, Any], *, zone: ZoneInfo | None = None) -> Cleaned:
    cleaners = cleaners_for(zone or _default_zone(settings.TIME_ZONE))
    result = Cleaned()
    values, errors = result.values, []
    # A file row's cells come stripped (None when blank); API and XLSX values may not.
    for name, value in raw.items():
        if value is None or (cleaner := cleaners.get(name)) is None:
            continue
        if type(value) is not str and not isinstance(value, datetime):
            value = str(value)
        if type(value) is str and not (value := value.strip()):
            continue
        try:
            values[name] = cleaner(value)
        except FieldError as exc:
            errors.append((name, str(exc)))
    failed = {name for name, _reason in errors}
    result.errors = [
        (name, _("required")) for name in REQUIRED if name not in values and name not in failed
    ] + errors
    if not result.errors:
        apply_cross_field_rules(result)
    return result


def _seconds_between(start: datetime, end: datetime) -> int:
    return max(0, round((end - start).total_seconds()))


def apply_cross_field_rules(result: Cleaned) -> None:
    """The rules between fields and the derived defaults, on a row whose cells all passed."""
    v = result.values
    arrived, answered, ended = v["arrived_at"], v.get("answered_at"), v.get("ended_at")
    if answered and answered < arrived:
        result.errors.append(("answered_at", _("answered before it arrived")))
    if ended and ended < arrived:
        result.errors.append(("ended_at", _("ended before it arrived")))
    if answered and ended and ended < answered:
        result.errors.append(("ended_at", _("ended before it was answered")))
    if v.get("abandoned") and answered:
        result.errors.append(("abandoned", _("marked abandoned but has an answer time")))
    if result.errors:
        return
    v.setdefault("direction", Direction.INBOUND)
    v["abandoned"] = contacts.abandoned(
        flagged=v.get("abandoned"),
        answered=answered is not None,
        direction=v["direction"],
        channel=v["channel"],
        queued=bool(v.get("queue")),
    )
    if "wait_seconds" not in v:
        waited_until = answered or (ended if v["abandoned"] else None)
        v["wait_seconds"] = _seconds_between(arrived, waited_until) if waited_until else 0
    if "talk_seconds" not in v:
        v["talk_seconds"] = _seconds_between(answered, ended) if answered and ended else 0
    v.setdefault("wrap_seconds", 0)
    v.setdefault("hold_seconds", 0)
    v.setdefault("transferred", False)
    v.setdefault("first_contact_resolved", None)
    if v["abandoned"] and v["talk_seconds"]:
        result.errors.append(("talk_seconds", _("an abandoned contact has no talk time")))
