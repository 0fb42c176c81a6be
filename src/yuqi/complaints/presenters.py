"""How SLA clocks and durations are shown on the complaint pages (text, badge colour, order).

Kept apart from the views so the work queue, the ticket page and the customer 360 panel show a
clock the same way: "2 h 15 min left", "overdue 1 d 3 h", "paused", and a warning mark when the
due time was computed for a year without statutory holiday data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from yuqi.complaints.choices import ClockState
from yuqi.core.choices import Colour
from yuqi.domain.sla import ClockPhase, ClockStatus, SlaState

__all__ = ["ClockView", "clock_view", "duration_text", "urgency_rank"]


@dataclass(frozen=True)
class ClockView:
    """One clock as shown to people; ``remaining`` is negative once overdue."""

    kind: str
    kind_label: str
    phase: str
    state: str
    due_at: datetime | None
    remaining: timedelta
    text: str
    provisional: bool
    provisional_years: tuple[int, ...]

    @property
    def colour(self) -> Colour:
        """The badge colour of the clock's state (:class:`ClockState`), grey if unknown."""
        try:
            return ClockState(self.state).colour
        except ValueError:
            return Colour.GREY

    @property
    def paused(self) -> bool:
        return self.phase == ClockPhase.PAUSED.value

    @property
    def stopped(self) -> bool:
        return self.phase == ClockPhase.STOPPED.value

    @property
    def breached(self) -> bool:
        return self.state == SlaState.BREACHED.value

    @property
    def at_risk(self) -> bool:
        return self.state == SlaState.AT_RISK.value


def duration_text(amount: timedelta) -> str:
    """A short duration for people: "3 d 4 h", "2 h 15 min", "12 min" (never seconds)."""
    minutes = int(abs(amount).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(d)d d %(h)d h") % {"d": days, "h": hours}
    if hours:
        return _("%(h)d h %(m)d min") % {"h": hours, "m": mins}
    return _("%(m)d min") % {"m": mins}


def clock_view(kind: str, kind_label: str, status: ClockStatus) -> ClockView:
    """The text shown for a clock: time left, time overdue, paused or done."""
    phase = ClockPhase(status.phase)
    if phase is ClockPhase.STOPPED:
        text = _("met") if not status.breached else _("missed")
    elif status.breached:
        text = _("overdue %(t)s") % {"t": duration_text(status.remaining)}
    elif phase is ClockPhase.PAUSED:
        text = _("paused, %(t)s left") % {"t": duration_text(status.remaining)}
    else:
        text = _("%(t)s left") % {"t": duration_text(status.remaining)}
    return ClockView(
        kind=kind,
        kind_label=kind_label,
        phase=phase.value,
        state=SlaState(status.state).value,
        due_at=status.due_at,
        remaining=status.remaining,
        text=text,
        provisional=status.provisional,
        provisional_years=tuple(sorted(status.years_without_data)),
    )


def urgency_rank(state: str) -> int:
    """0 for breached, 1 for at risk, 2 for on track (sorted ascending = most urgent first)."""
    return {SlaState.BREACHED.value: 0, SlaState.AT_RISK.value: 1}.get(state, 2)


@dataclass(frozen=True)
class TimelineLine:
    """One timeline entry for people: when, what, by whom, and a short text (always escaped
    by the template: parameters may hold customer-typed text)."""

    at: datetime
    kind: str
    label: str
    by: str
    text: str


def _yes_no(value: object) -> str:
    if value is None:
        return "—"
    return _("yes") if value else _("no")


def _event_text(kind: str, p: dict, names: dict[str, dict[str, str]]) -> str:
    states, levels = names["states"], names["levels"]
    if kind == "opened":
        return _("%(number)s at level %(level)s, risk %(risk)s") % {
            "number": p.get("number", ""),
            "level": levels.get(p.get("level"), p.get("level", "")),
            "risk": p.get("risk_score", ""),
        }
    if kind == "transitioned":
        text = (
            f"{states.get(p.get('from'), p.get('from'))} → {states.get(p.get('to'), p.get('to'))}"
        )
        return f"{text}: {p['note']}" if p.get("note") else text
    if kind == "escalated":
        text = (
            f"{levels.get(p.get('from'), p.get('from'))} → {levels.get(p.get('to'), p.get('to'))}"
        )
        return f"{text}: {p['reason']}" if p.get("reason") else text
    if kind == "callback_recorded":
        return _("solved: %(s)s · expectation met: %(e)s · attitude good: %(a)s") % {
            "s": _yes_no(p.get("solved")),
            "e": _yes_no(p.get("expectation_met")),
            "a": _yes_no(p.get("attitude_ok")),
        }
    if kind == "recovery_added":
        amount = f" {p['amount']}" if p.get("amount") else ""
        return f"{p.get('kind', '')}{amount} ({p.get('status', '')})"
    if kind in ("note", "reopened"):
        return str(p.get("text") or p.get("reason") or "")
    if kind in ("sla_alert", "sla_alert_deferred"):
        return f"{p.get('clock', '')} · {p.get('threshold', '')}"
    if kind == "closed":
        return str(p.get("root_cause", ""))
    if kind in BOOK_TEXTS:
        return BOOK_TEXTS[kind](p)
    return " · ".join(f"{k}: {v}" for k, v in p.items() if v not in (None, "", [], {}))


def _switched(p: dict) -> str:
    parts = []
    if p.get("added"):
        parts.append(_("now: %(codes)s") % {"codes": ", ".join(p["added"])})
    if p.get("removed"):
        parts.append(_("no longer: %(codes)s") % {"codes": ", ".join(p["removed"])})
    if p.get("contact_before") != p.get("contact_after"):
        parts.append(
            _("contact every %(before)s → %(after)s business hours")
            % {"before": p.get("contact_before") or "—", "after": p.get("contact_after") or "—"}
        )
    return " · ".join(parts)


def _attempt(p: dict) -> str:
    from yuqi.complaints.choices_book import ContactChannel

    reached = _("reached") if p.get("reached") else _("not reached")
    channel = dict(ContactChannel.choices).get(p.get("channel", ""), "")
    text = f"{channel} · {reached}"
    return f"{text} · {p['note']}" if p.get("note") else text


#: Timeline text of the complaint book's events.
BOOK_TEXTS = {
    "playbook_switched": _switched,
    "step_ticked": lambda p: str(p.get("text", "")),
    "contact_attempt": _attempt,
    "appeal_recorded": lambda p: (
        _("%(number)s: acceptance due %(a)s, reply due %(r)s")
        % {"number": p.get("number", ""), "a": p.get("acceptance_due"), "r": p.get("reply_due")}
    ),
    "risk_alert": lambda p: (
        _("risk %(risk)s ≥ %(threshold)s")
        % {"risk": p.get("risk_score"), "threshold": p.get("threshold")}
    ),
    "senior_owner": lambda p: str(p.get("name", "")),
    "retention_due": lambda p: str(p.get("due", ""))[:16].replace("T", " "),
    "retention_done": lambda p: str(p.get("note", "")),
    "contact_alert": lambda p: _("lapsed") if p.get("threshold") == "lapsed" else _("due soon"),
    "appeal_alert": lambda p: str(p.get("due", "")),
    "pr_legal_notice": lambda p: "",
}


def timeline_lines(events: list) -> list[TimelineLine]:
    """The ticket's events as lines (state and level codes turned into names)."""
    from yuqi.complaints.choices import ComplaintState, EventKind
    from yuqi.complaints.models import ComplaintLevel

    names = {
        "states": {k: str(v) for k, v in ComplaintState.choices},
        "levels": {lv.code: lv.label for lv in ComplaintLevel.objects.all()},
    }
    from yuqi.complaints.choices_book import BOOK_EVENT_LABELS

    kinds = {k: str(v) for k, v in (*EventKind.choices, *BOOK_EVENT_LABELS.items())}
    return [
        TimelineLine(
            at=event.at,
            kind=event.kind,
            label=kinds.get(event.kind, event.kind.replace("_", " ")),
            by=str(event.by) if event.by_id else "",
            text=_event_text(event.kind, event.parameters or {}, names),
        )
        for event in events
    ]
