"""How SLA clocks and durations are shown on the complaint pages (text, badge colour, order).

Kept apart from the views so the work queue, the ticket page and the customer 360 panel show a
clock the same way: "2 h 15 min left", "overdue 1 d 3 h", "paused, 5 h left" (the word
"paused" once: the badge adds nothing before it), and a warning mark when the due time was
computed for a year without statutory holiday data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from django.utils.translation import get_language
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


_MINUTE = timedelta(minutes=1)


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


def _clock_text(phase: ClockPhase, breached: bool, remaining: timedelta) -> str:
    """The text shown for a clock: time left, time overdue, paused or done."""
    if phase is ClockPhase.STOPPED:
        return _("met") if not breached else _("missed")
    if breached and phase is ClockPhase.PAUSED:
        return _("paused, overdue %(t)s") % {"t": duration_text(remaining)}
    if breached:
        return _("overdue %(t)s") % {"t": duration_text(remaining)}
    if phase is ClockPhase.PAUSED:
        return _("paused, %(t)s left") % {"t": duration_text(remaining)}
    return _("%(t)s left") % {"t": duration_text(remaining)}


@lru_cache(maxsize=4096)
def _kept_clock_text(phase: ClockPhase, breached: bool, minutes: int, language: str | None) -> str:
    """:func:`_clock_text` of a clock with ``minutes`` whole minutes left or overdue (all that
    :func:`duration_text` shows of it) in ``language``: the queue's clocks share a few hundred
    texts."""
    return _clock_text(phase, breached, timedelta(minutes=minutes))


def clock_view(kind: str, kind_label: str, status: ClockStatus) -> ClockView:
    """The text shown for a clock: time left, time overdue, paused or done."""
    phase = ClockPhase(status.phase)
    minutes = 0 if phase is ClockPhase.STOPPED else abs(status.remaining) // _MINUTE
    text = _kept_clock_text(phase, status.breached, minutes, get_language())
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


def _label(choices: dict[str, str], code: object) -> str:
    """A code's label; an unknown code is left out rather than shown raw."""
    return choices.get(str(code), "") if code not in (None, "") else ""


def _joined(choices: dict[str, str], codes: object) -> str:
    labels = [_label(choices, code) for code in codes or []] if isinstance(codes, list) else []
    return "、".join(label for label in labels if label)


def _promise_text(p: dict) -> str:
    from yuqi.core.choices import choice_set

    actions = {
        "made": _("Promise made"),
        "approved": _("Approved"),
        "rejected": _("Rejected"),
        "fulfilled": _("Fulfilled"),
        "renegotiated": _("Renegotiated"),
        "cancelled": _("Cancelled"),
        "broken": _("Broken"),
    }
    try:
        kinds = {k: str(v) for k, v in choice_set("commitments.CommitmentKind").choices}
    except LookupError:  # the commitments context is not installed
        kinds = {}
    parts = [str(actions.get(p.get("action"), "")), _label(kinds, p.get("kind"))]
    text = " · ".join(part for part in parts if part)
    reason = p.get("reason")
    return f"{text}: {reason}" if reason else text


Names = dict[str, dict[str, str]]


def _opened(p: dict, n: Names) -> str:
    return _("%(number)s at level %(level)s, risk %(risk)s") % {
        "number": p.get("number", ""),
        "level": n["levels"].get(p.get("level"), p.get("level", "")),
        "risk": p.get("risk_score", ""),
    }


def _moved(choices: dict[str, str], p: dict, extra: str) -> str:
    text = f"{choices.get(p.get('from'), p.get('from'))} → {choices.get(p.get('to'), p.get('to'))}"
    return f"{text}: {p[extra]}" if p.get(extra) else text


def _callback(p: dict, n: Names) -> str:
    return _("solved: %(s)s · expectation met: %(e)s · attitude good: %(a)s") % {
        "s": _yes_no(p.get("solved")),
        "e": _yes_no(p.get("expectation_met")),
        "a": _yes_no(p.get("attitude_ok")),
    }


def _recovery_added(p: dict, n: Names) -> str:
    amount = f" {p['amount']}" if p.get("amount") else ""
    kind_label = _label(n["recovery_kinds"], p.get("kind"))
    status = _label(n["recovery_statuses"], p.get("status"))
    return f"{kind_label}{amount} ({status})" if status else f"{kind_label}{amount}"


def _recovery_decided(p: dict, n: Names) -> str:
    status = _label(n["recovery_statuses"], p.get("status"))
    return f"{status}: {p['note']}" if p.get("note") else status


def _reopened(p: dict, n: Names) -> str:
    source = _label(n["states"], p.get("from"))
    reason = str(p.get("reason") or "")
    return f"{source} → {reason}" if source and reason else source or reason


def _sla_alert(p: dict, n: Names) -> str:
    clock = _label(n["clocks"], p.get("clock"))
    threshold = {"breach": _("Breached"), "at_risk": _("At risk")}.get(p.get("threshold"), "")
    return " · ".join(str(part) for part in (clock, threshold) if part)


def _agreement(p: dict, n: Names) -> str:
    parts = [_("accepted: %(v)s") % {"v": _yes_no(p.get("accepted"))}]
    if p.get("shelved"):
        parts.append(_("shelved, forwarded to %(d)s") % {"d": p.get("department") or "—"})
    return " · ".join(parts)


def _checklist(p: dict, n: Names) -> str:
    items = p.get("items") or {}
    return _joined(n["checklist"], [code for code, done in items.items() if done])


_EVENT_TEXT = {
    "opened": _opened,
    "transitioned": lambda p, n: _moved(n["states"], p, "note"),
    "escalated": lambda p, n: _moved(n["levels"], p, "reason"),
    "callback_recorded": _callback,
    "recovery_added": _recovery_added,
    "recovery_decided": _recovery_decided,
    "note": lambda p, n: str(p.get("text") or ""),
    "reopened": _reopened,
    "sla_alert": _sla_alert,
    "sla_alert_deferred": _sla_alert,
    "closed": lambda p, n: _label(n["root_causes"], p.get("root_cause")),
    "agreement_recorded": _agreement,
    "checklist_updated": _checklist,
    "type_confirmed": lambda p, n: _label(n["types"], p.get("type")),
    "risk_refreshed": lambda p, n: f"{p.get('before', '')} → {p.get('after', '')}",
    "updated": lambda p, n: _joined(n["fields"], p.get("fields")),
    "customer_notified": lambda p, n: _joined(n["channels"], p.get("channels")),
    "promise": lambda p, n: _promise_text(p),
    "email_received": lambda p, n: _email_text(p),
}


def _email_text(p: dict) -> str:
    """An e-mail's line: who (masked), the subject, an excerpt, what was kept or refused."""
    parts = [str(p.get("sender") or _("no sender")), str(p.get("subject") or "")]
    if p.get("excerpt"):
        parts.append(str(p["excerpt"]))
    if p.get("attachments"):
        parts.append(_("%(n)s attachment(s) kept") % {"n": p["attachments"]})
    parts.extend(str(note) for note in p.get("notes") or [])
    return " · ".join(part for part in parts if part)


def _event_text(kind: str, p: dict, names: Names) -> str:
    """A short text per event kind. Parameters are codes and ids written for machines: each
    kind says what people need in their words, and nothing is dumped raw. Kinds without a
    text here (assigned: the new owner is on the ticket; clocks recomputed; kinds written by
    other contexts) show their label alone."""
    text = _EVENT_TEXT.get(kind)
    if text is not None:
        return text(p, names)
    book = BOOK_TEXTS.get(kind)  # the complaint book's events (playbooks, contact, appeals)
    return book(p) if book is not None else ""


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


def _static_names() -> dict[str, dict[str, str]]:
    """The timeline's names that come from code, not data (choices, field names, event
    kinds), in the active language: worked out once per language and process."""
    from yuqi.complaints.choices import (
        ChecklistItem,
        ClockKind,
        ComplainerType,
        ComplaintState,
        EventKind,
        RecoveryKind,
        RecoveryStatus,
        SourceChannel,
    )
    from yuqi.complaints.choices_book import BOOK_EVENT_LABELS
    from yuqi.complaints.models import Complaint

    language = get_language()
    found = _STATIC_NAMES.get(language)
    if found is not None:
        return found

    def labels(choices: type) -> dict[str, str]:
        return {k: str(v) for k, v in choices.choices}

    found = {
        "states": labels(ComplaintState),
        "recovery_kinds": labels(RecoveryKind),
        "recovery_statuses": labels(RecoveryStatus),
        "clocks": labels(ClockKind),
        "checklist": labels(ChecklistItem),
        "types": labels(ComplainerType),
        # the channels a customer is told on (sms, email) are among the source channels
        "channels": labels(SourceChannel),
        "fields": {
            f.name: str(f.verbose_name)
            for f in Complaint._meta.get_fields()
            if hasattr(f, "verbose_name")
        },
        "kinds": {k: str(v) for k, v in (*EventKind.choices, *BOOK_EVENT_LABELS.items())},
    }
    _STATIC_NAMES[language] = found
    return found


#: ``_static_names`` per language code.
_STATIC_NAMES: dict[str | None, dict[str, dict[str, str]]] = {}


class _Names(dict[str, dict[str, str]]):
    """The names an event text may need, each worked out when first asked for: the levels
    and root causes are the page's reads (``complaint_levels``, ``root_causes``), the rest
    the language's names from code (``_static_names``)."""

    def __missing__(self, key: str) -> dict[str, str]:
        from yuqi.complaints.selectors import complaint_levels, root_causes

        if key == "levels":
            value = {lv.code: lv.label for lv in complaint_levels()}
        elif key == "root_causes":
            value = {rc.code: rc.label for rc in root_causes()}
        else:
            value = _static_names()[key]
        self[key] = value
        return value


def timeline_lines(events: list) -> list[TimelineLine]:
    """The ticket's events as lines (state and level codes turned into names)."""
    names = _Names()
    kinds = _static_names()["kinds"]
    return [
        TimelineLine(
            at=event.at,
            kind=event.kind,
            label=kinds.get(event.kind, _("Event")),
            by=str(event.by) if event.by_id else "",
            text=_event_text(event.kind, event.parameters or {}, names),
        )
        for event in events
    ]
