"""Human sentences for the guard's flags and the ledger's events (translated at display time)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from yuqi.commitments.choices import CommitmentKind, DurationUnit, EventKind


def _when(text: str | None) -> str:
    if not text:
        return "—"
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _label(choices: type, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def flag_message(flag: Mapping[str, Any]) -> str:
    """``{"code": ..., "params": {...}}`` → one sentence in the active language."""
    code = flag.get("code", "")
    p = dict(flag.get("params") or {})
    if code == "too_fast":
        return _(
            "Faster than the service standard: %(kind)s takes %(standard)s %(unit)s, "
            "achievable by %(achievable)s at the earliest."
        ) % {
            "kind": _label(CommitmentKind, p.get("kind", "")),
            "standard": p.get("standard", ""),
            "unit": _label(DurationUnit, p.get("unit", "")),
            "achievable": _when(p.get("achievable_due")),
        }
    if code == "over_authority":
        return _("%(amount)s yuan is beyond the promiser's authority of %(limit)s yuan.") % p
    if code == "over_standard_amount":
        return _("%(amount)s yuan is beyond the standard's limit of %(limit)s yuan.") % p
    if code == "perk_above_tier":
        return _("The perk %(perk)s is reserved for a higher tier than the customer's.") % {
            "perk": p.get("perk", "")
        }
    return code


def flag_messages(flags: list[Mapping[str, Any]] | None) -> list[str]:
    return [flag_message(flag) for flag in flags or ()]


def event_summary(kind: str, parameters: Mapping[str, Any]) -> str:
    """One line describing a ledger event (the page escapes it)."""
    p = dict(parameters or {})
    if kind == EventKind.MADE:
        text = _("Due %(due)s.") % {"due": _when(p.get("due"))}
        if p.get("flags"):
            text += " " + _("Flagged; awaiting approval.")
        return text
    if kind == EventKind.RENEGOTIATED:
        return _("Due moved from %(old)s to %(new)s: %(reason)s") % {
            "old": _when(p.get("old_due")),
            "new": _when(p.get("new_due")),
            "reason": p.get("reason", ""),
        }
    if kind == EventKind.FULFILLED:
        on_time = _("on time") if p.get("on_time") else _("late")
        return f"{on_time} · {p.get('evidence', '')}"
    if kind in (EventKind.REJECTED, EventKind.CANCELLED, EventKind.BROKEN):
        return str(p.get("reason", ""))
    if kind == EventKind.APPROVED:
        return str(p.get("note", ""))
    return ""
