"""Every write of the improvement context: create an action, link it, move it through
plan → do → check → act, run its before/after check, close it, alert overdue owners.

Rules (each raises :class:`yuqi.core.errors.DomainError` with a sentence for people):

* plan → do needs a plan, a measure and a baseline window;
* do → check records the day the change was in place (the after window starts the next day);
* check → act needs a computed check (not "not possible yet");
* an action closes from *act* only; as **effective** only on a check whose interval shows an
  improvement, as **no effect** on a computed check or with a note saying why.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.domain import effect
from yuqi.domain.improvement import (
    MAX_WINDOW_DAYS,
    TRANSITIONS,
    ActionStatus,
    Verdict,
    Window,
    after_window,
    may_close_effective,
    verdict_for,
    window_warnings,
)
from yuqi.improvement import measures
from yuqi.improvement.models import (
    ActionEvent,
    ActionLink,
    ActionTask,
    EffectCheck,
    ImprovementAction,
    LinkKind,
    MeasureKind,
    Outcome,
    Source,
    Status,
)

MAX_TEXT = 4000
MAX_LINKS = 30
MAX_TASKS = 50


def _text(value: str, limit: int, name: str, *, required: bool = False) -> str:
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise DomainError(_("%(name)s is required.") % {"name": name})
    if len(value) > limit:
        raise DomainError(
            _("%(name)s has at most %(limit)d characters.") % {"name": name, "limit": limit}
        )
    return value


def _event(action: ImprovementAction, by: Any, old: str, new: str, note: str = "") -> None:
    ActionEvent.objects.create(
        action=action, at=now(), by=by, from_status=old, to_status=new, note=note[:MAX_TEXT]
    )


def _window(start: date, end: date) -> Window:
    """A window, or a DomainError in the reader's language."""
    if end < start:
        raise DomainError(_("A window cannot end before it starts."))
    if (end - start).days + 1 > MAX_WINDOW_DAYS:
        raise DomainError(_("A window is at most %(n)d days.") % {"n": MAX_WINDOW_DAYS})
    return Window(start, end)


def _baseline(start: date | None, end: date | None) -> tuple[date | None, date | None]:
    if (start is None) != (end is None):
        raise DomainError(_("Give both days of the baseline window, or neither."))
    if start is not None and end is not None:
        _window(start, end)
    return start, end


def _grade_of(links: list[tuple[str, str]]) -> str:
    from yuqi.insights.facade import expectation_links

    codes = [ref for kind, ref in links if kind == LinkKind.EXPECTATION]
    if not codes:
        return ""
    grades = sorted(e.grade for e in expectation_links(codes=codes).values() if e.grade)
    return grades[0] if grades else ""


def _link_label(kind: str, ref: str) -> str:
    from yuqi.improvement.selectors import link_labels

    return link_labels([(kind, ref)]).get((kind, ref), "")[:300]


@transaction.atomic
def action_create(
    *,
    title: str,
    owner: Any,
    due_date: date,
    by: Any,
    plan: str = "",
    department: str = "",
    measure_kind: str = "",
    measure_ref: str = "",
    baseline_start: date | None = None,
    baseline_end: date | None = None,
    links: list[tuple[str, str]] | None = None,
    source: str = Source.MANUAL,
    grade: str = "",
) -> ImprovementAction:
    """A new action in *plan*; ``links`` are ``(kind, ref)`` pairs (see ``LinkKind``)."""
    links = list(dict.fromkeys(links or []))
    if len(links) > MAX_LINKS:
        raise DomainError(_("An action has at most %(n)d links.") % {"n": MAX_LINKS})
    for kind, ref in links:
        if kind not in LinkKind.values or not ref or len(ref) > 80:
            raise DomainError(_("Unknown link."))
    if measure_kind and measure_kind not in MeasureKind.values:
        raise DomainError(_("Unknown measure."))
    try:
        ref = measures.check_ref(measure_kind, measure_ref) if measure_kind else ""
    except measures.MeasureError as error:
        raise DomainError(str(error)) from error
    start, end = _baseline(baseline_start, baseline_end)
    if grade and grade not in ("A", "B", "C"):
        raise DomainError(_("Unknown grade."))
    moment = now()
    action = ImprovementAction.objects.create(
        number=f"tmp-{uuid.uuid4().hex[:12]}",
        title=_text(title, 200, _("Title"), required=True),
        plan=_text(plan, MAX_TEXT, _("Plan")),
        owner=owner,
        department=_text(department, 100, _("Department")),
        grade=grade or _grade_of(links),
        due_date=due_date,
        measure_kind=measure_kind,
        measure_ref=ref,
        higher_is_better=measures.direction(measure_kind, ref) if measure_kind else True,
        baseline_start=start,
        baseline_end=end,
        source=source if source in Source.values else Source.MANUAL,
        created_by=by,
        created_at=moment,
        updated_at=moment,
    )
    action.number = f"IA-{action.pk:04d}"
    action.save(update_fields=["number"])
    ActionLink.objects.bulk_create(
        [ActionLink(action=action, kind=k, ref=r, label=_link_label(k, r)) for k, r in links]
    )
    _event(action, by, "", Status.PLAN, _("Created"))
    return action


def _locked(action: ImprovementAction) -> ImprovementAction:
    return ImprovementAction.objects.select_for_update().get(pk=action.pk)


@transaction.atomic
def action_update(action: ImprovementAction, *, by: Any, **fields: Any) -> ImprovementAction:
    """Change the plan, owner, department, due date, measure or baseline of an open action."""
    row = _locked(action)
    if row.status == Status.CLOSED:
        raise DomainError(_("A closed action cannot be changed."))
    if "title" in fields:
        row.title = _text(fields["title"], 200, _("Title"), required=True)
    if "plan" in fields:
        row.plan = _text(fields["plan"], MAX_TEXT, _("Plan"))
    if "department" in fields:
        row.department = _text(fields["department"], 100, _("Department"))
    if fields.get("owner") is not None:
        row.owner = fields["owner"]
    if fields.get("due_date") is not None and fields["due_date"] != row.due_date:
        row.due_date = fields["due_date"]
        row.overdue_alerted_on = None
    if "measure_kind" in fields:
        kind = fields["measure_kind"] or ""
        if kind and kind not in MeasureKind.values:
            raise DomainError(_("Unknown measure."))
        try:
            ref = measures.check_ref(kind, fields.get("measure_ref", "")) if kind else ""
        except measures.MeasureError as error:
            raise DomainError(str(error)) from error
        row.measure_kind, row.measure_ref = kind, ref
        row.higher_is_better = measures.direction(kind, ref) if kind else True
    if "baseline_start" in fields or "baseline_end" in fields:
        row.baseline_start, row.baseline_end = _baseline(
            fields.get("baseline_start"), fields.get("baseline_end")
        )
    row.updated_at = now()
    row.save()
    return row


@transaction.atomic
def link_add(action: ImprovementAction, *, kind: str, ref: str) -> ActionLink:
    if kind not in LinkKind.values or not ref or len(ref) > 80:
        raise DomainError(_("Unknown link."))
    if action.links.count() >= MAX_LINKS:
        raise DomainError(_("An action has at most %(n)d links.") % {"n": MAX_LINKS})
    link, _created = ActionLink.objects.get_or_create(
        action=action, kind=kind, ref=ref, defaults={"label": _link_label(kind, ref)}
    )
    return link


@transaction.atomic
def task_add(action: ImprovementAction, *, title: str, owner: Any, due_date: date) -> ActionTask:
    if action.status == Status.CLOSED:
        raise DomainError(_("A closed action cannot be changed."))
    if action.tasks.count() >= MAX_TASKS:
        raise DomainError(_("An action has at most %(n)d tasks.") % {"n": MAX_TASKS})
    return ActionTask.objects.create(
        action=action,
        title=_text(title, 200, _("Task"), required=True),
        owner=owner,
        due_date=due_date,
    )


def task_done(task: ActionTask) -> ActionTask:
    if task.done_at is None:
        task.done_at = now()
        task.save(update_fields=["done_at"])
    return task


@transaction.atomic
def action_transition(
    action: ImprovementAction, *, to: str, by: Any, note: str = "", today: date | None = None
) -> ImprovementAction:
    """Move the action one PDCA step (closing is :func:`action_close`)."""
    row = _locked(action)
    if to == Status.CLOSED:
        raise DomainError(_("Close the action with its outcome (effective or no effect)."))
    try:
        target = ActionStatus(to)
    except ValueError:
        raise DomainError(_("Unknown status.")) from None
    if target not in TRANSITIONS[ActionStatus(row.status)]:
        raise DomainError(
            _("An action in %(old)s cannot move to %(new)s.")
            % {"old": Status(row.status).label, "new": Status(target).label}
        )
    if (
        target == ActionStatus.DO
        and row.status == Status.PLAN
        and (not row.plan or not row.measure_kind or row.baseline_start is None)
    ):
        raise DomainError(
            _("Before doing: write the plan, name the measure and its baseline window.")
        )
    if target == ActionStatus.CHECK:
        row.changed_on = today or timezone.localdate(now())
    if target == ActionStatus.ACT:
        latest = row.checks.order_by("-checked_at", "-pk").first()
        if latest is None or latest.verdict == "not_yet":
            raise DomainError(_("Run the before/after check first."))
    old = row.status
    row.status = target.value
    row.updated_at = now()
    row.save(update_fields=["status", "changed_on", "updated_at"])
    _event(row, by, old, row.status, _text(note, MAX_TEXT, _("Note")))
    return row


@transaction.atomic
def action_close(
    action: ImprovementAction, *, outcome: str, by: Any, note: str = ""
) -> ImprovementAction:
    """Close from *act* as effective (needs an improving check) or as no effect."""
    row = _locked(action)
    note = _text(note, MAX_TEXT, _("Note"))
    if row.status != Status.ACT:
        raise DomainError(_("An action closes from Act, after its check."))
    latest = row.checks.order_by("-checked_at", "-pk").first()
    verdict = latest.verdict if latest else None
    if outcome == Outcome.EFFECTIVE:
        if not may_close_effective(verdict):
            raise DomainError(
                _(
                    "An action closes as effective only on a before/after check that shows a "
                    "real improvement; the latest check says: %(verdict)s."
                )
                % {"verdict": latest.get_verdict_display() if latest else _("no check yet")}
            )
    elif outcome == Outcome.NO_EFFECT:
        if (latest is None or verdict in ("not_yet", "not_computable")) and not note:
            raise DomainError(_("Without a computed check, say in a note why it had no effect."))
    else:
        raise DomainError(_("Unknown outcome."))
    row.status = Status.CLOSED
    row.outcome = outcome
    row.outcome_note = note
    row.closed_at = now()
    row.updated_at = row.closed_at
    row.save(update_fields=["status", "outcome", "outcome_note", "closed_at", "updated_at"])
    _event(row, by, Status.ACT, Status.CLOSED, f"{Outcome(outcome).label}. {note}".strip())
    return row


# --- the before/after check -------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    value_before: float | None
    value_after: float | None
    difference: float | None
    low: float | None
    high: float | None
    p_value: float | None
    change: str
    reason: str | None
    method: str


def compare(before: measures.Sample, after: measures.Sample) -> Figures:
    """The two samples through the existing pure functions, scaled for people."""
    if before.is_proportion and after.is_proportion:
        result = effect.compare_proportions(
            int(before.x or 0), int(before.n or 0), int(after.x or 0), int(after.n or 0)
        )
        s = before.scale

        def scaled(v: float | None) -> float | None:
            return None if v is None else v * s

        return Figures(
            scaled(result.p1),
            scaled(result.p2),
            scaled(result.difference),
            scaled(result.low),
            scaled(result.high),
            result.p_value,
            str(result.change),
            result.reason,
            "newcombe",
        )
    means = effect.compare_means(list(before.values or ()), list(after.values or ()))
    return Figures(
        means.mean1,
        means.mean2,
        means.difference,
        means.low,
        means.high,
        means.p_value,
        str(means.change),
        means.reason,
        "welch",
    )


def _fmt(value: float | None, kind: str) -> str:
    if value is None:
        return "–"
    shares = ("contact_kpi", "peer_gap", "csat", "qa_item", "nps", "complaint_rate", "registered")
    digits = 1 if kind in shares else 2
    return f"{round(value, digits) + 0.0:,.{digits}f}"


WARNING_TEXT = {
    "season": lambda: _(
        "The windows fall in different seasons of the year; part of the change may be seasonal."
    ),
    "spring_festival": lambda: _(
        "Only one window holds Spring Festival, when volumes and complaints change by themselves."
    ),
    "volume": lambda: _(
        "The windows differ in volume by more than half; the mix of customers may differ too."
    ),
    "small_sample": lambda: _("Fewer than 30 observations in a window: the interval is wide."),
}


def sentence(check: EffectCheck) -> str:
    """The check in words, in the active language."""
    kind = check.measure_kind
    unit = measures.unit_suffix(kind)
    what = measures.label(kind, check.measure_ref)
    if check.verdict == "not_yet":
        return _(
            "Check not possible yet: the after window %(start)s – %(end)s has not ended; "
            "a check is possible on %(on)s."
        ) % {"start": check.after_start, "end": check.after_end, "on": check.possible_on}
    parts = {
        "what": what,
        "before": _fmt(check.value_before, kind) + unit,
        "after": _fmt(check.value_after, kind) + unit,
        "diff": _fmt(check.difference, kind) + measures.difference_unit(kind),
        "low": _fmt(check.low, kind),
        "high": _fmt(check.high, kind),
        "p": "–" if check.p_value is None else f"{check.p_value:.3f}",
        "n1": check.n_before or 0,
        "n2": check.n_after or 0,
    }
    if check.verdict == "not_computable":
        if not check.n_after:
            return (
                _(
                    "%(what)s: no observations in the after window (n = 0), so there is no "
                    "interval and no verdict."
                )
                % parts
            )
        if not check.n_before:
            return (
                _(
                    "%(what)s: no observations in the baseline window (n = 0), so there is no "
                    "interval and no verdict."
                )
                % parts
            )
        return (
            _("%(what)s: %(before)s before, %(after)s after; too few values for an interval.")
            % parts
        )
    head = (
        _(
            "%(what)s went from %(before)s (n = %(n1)s) to %(after)s (n = %(n2)s): a difference of "
            "%(diff)s, 95%% interval %(low)s to %(high)s, p = %(p)s."
        )
        % parts
    )
    tails = {
        "improved": _("The improvement is real: the whole interval is on the better side."),
        "worsened": _(
            "The change is real, but for the worse: the whole interval is on the worse side."
        ),
        "no_evidence": _(
            "No real change is shown: the interval includes zero, so the difference may be chance."
        ),
    }
    return f"{head} {tails[check.verdict]}"


def _sentences(check: EffectCheck) -> tuple[str, str]:
    with translation.override("zh-hans"):
        zh = sentence(check)
        zh_warnings = [str(WARNING_TEXT[w]()) for w in check.warnings]
    with translation.override("en"):
        en = sentence(check)
        en_warnings = [str(WARNING_TEXT[w]()) for w in check.warnings]
    return " ".join([zh, *zh_warnings]), " ".join([en, *en_warnings])


@transaction.atomic
def action_check(
    action: ImprovementAction,
    *,
    by: Any,
    today: date | None = None,
    after_start: date | None = None,
    after_end: date | None = None,
) -> EffectCheck:
    """Compute the after value over a comparable window and record the check.

    The after window defaults to the baseline's length from the day after the change was in
    place; an explicit window of another length is refused. Before the after window has ended
    the check is recorded as "not possible yet" with the day it will be.
    """
    row = _locked(action)
    today = today or timezone.localdate(now())
    if row.status not in (Status.CHECK, Status.ACT):
        raise DomainError(_("An action is checked in Check or Act."))
    if not row.measure_kind or row.baseline_start is None or row.baseline_end is None:
        raise DomainError(_("Name the measure and its baseline window first."))
    baseline = _window(row.baseline_start, row.baseline_end)
    if after_start is not None or after_end is not None:
        if after_start is None or after_end is None:
            raise DomainError(_("Give both days of the after window."))
        after = _window(after_start, after_end)
        if after.days != baseline.days:
            raise DomainError(
                _(
                    "Windows of different length: baseline %(a)d days, after %(b)d days; "
                    "choose an after window of %(a)d days."
                )
                % {"a": baseline.days, "b": after.days}
            )
        ready = today > after.end
        possible_on = after.end + timedelta(days=1)
    else:
        if (row.changed_on or today) < baseline.end:
            raise DomainError(_("The after window must start after the baseline ends."))
        found = after_window(baseline, changed_on=row.changed_on or today, today=today)
        after, ready, possible_on = found.window, found.ready, found.possible_on
    if after.start <= baseline.end:
        raise DomainError(_("The after window must start after the baseline ends."))
    check = EffectCheck(
        action=row,
        checked_at=now(),
        by=by,
        measure_kind=row.measure_kind,
        measure_ref=row.measure_ref,
        before_start=baseline.start,
        before_end=baseline.end,
        after_start=after.start,
        after_end=after.end,
    )
    if not ready:
        check.verdict = "not_yet"
        check.possible_on = possible_on
    else:
        try:
            before_sample = measures.sample(row.measure_kind, row.measure_ref, baseline)
            after_sample = measures.sample(row.measure_kind, row.measure_ref, after)
        except measures.MeasureError as error:
            raise DomainError(str(error)) from error
        figures = compare(before_sample, after_sample)
        check.method = figures.method
        check.n_before, check.n_after = before_sample.size, after_sample.size
        check.value_before, check.value_after = figures.value_before, figures.value_after
        check.difference, check.low, check.high = figures.difference, figures.low, figures.high
        check.p_value = figures.p_value
        check.verdict = verdict_for(figures.change, higher_is_better=row.higher_is_better).value
        check.warnings = [
            str(w) for w in window_warnings(baseline, after, check.n_before, check.n_after)
        ]
    check.sentence_zh, check.sentence_en = _sentences(check)
    check.save()
    _event(row, by, row.status, row.status, _("Checked"))
    return check


# --- overdue alerts ---------------------------------------------------------------------------


def overdue_alerts(today: date | None = None) -> int:
    """Alert the owner of each open action past its due date, once per due date (claimed by a
    conditional UPDATE, so two workers never send it twice). Returns how many were sent."""
    from yuqi.notifications.facade import notify_users

    today = today or timezone.localdate(now())
    candidates = list(
        ImprovementAction.objects.filter(
            status__in=("plan", "do", "check", "act"),
            due_date__lt=today,
            overdue_alerted_on__isnull=True,
        ).values_list("pk", flat=True)
    )
    sent = 0
    for pk in candidates:
        with transaction.atomic():
            claimed = ImprovementAction.objects.filter(
                pk=pk, overdue_alerted_on__isnull=True
            ).update(overdue_alerted_on=today)
            if claimed != 1:
                continue
            row = ImprovementAction.objects.get(pk=pk)
            open_tasks = row.tasks.filter(done_at__isnull=True).count()
            notify_users(
                user_ids=[row.owner_id],
                template="improvement_overdue",
                context={
                    "number": row.number,
                    "title": row.title,
                    "due": row.due_date,
                    "status": Status(row.status).label,
                    "open_tasks": open_tasks,
                },
                subject=f"improvement:{row.pk}",
            )
            sent += 1
    return sent


# --- the register's free-text actions ---------------------------------------------------------

REGISTER_STATUS = {"planned": Status.PLAN, "in_progress": Status.DO, "achieved": Status.CHECK}


def actions_from_register(*, by: Any = None, today: date | None = None) -> int:
    """Turn each register expectation's free-text action (and due date) into a real action
    linked to it, once: an expectation already linked to an action from the register is left
    alone. Returns how many were created."""
    from django.contrib.auth import get_user_model

    from yuqi.insights.facade import expectation_links

    today = today or timezone.localdate(now())
    done = set(
        ActionLink.objects.filter(
            kind=LinkKind.EXPECTATION, action__source=Source.REGISTER
        ).values_list("ref", flat=True)
    )
    users = get_user_model().objects
    fallback = by or users.filter(is_active=True, is_superuser=True).order_by("pk").first()
    created = 0
    for code, exp in expectation_links(with_action_only=True).items():
        if code in done:
            continue
        owner = users.filter(pk=exp.owner_id).first() if exp.owner_id else None
        owner = owner or fallback
        if owner is None:
            continue
        action = action_create(
            title=exp.action.splitlines()[0][:200] or exp.statement[:200],
            plan=exp.action,
            owner=owner,
            due_date=exp.due_date or today,
            by=by,
            links=[(LinkKind.EXPECTATION, code)],
            source=Source.REGISTER,
        )
        status = REGISTER_STATUS.get(exp.status)
        if status and status != Status.PLAN:
            ImprovementAction.objects.filter(pk=action.pk).update(status=status)
        created += 1
    return created


__all__ = [
    "Verdict",
    "action_check",
    "action_close",
    "action_create",
    "action_transition",
    "action_update",
    "actions_from_register",
    "link_add",
    "overdue_alerts",
    "task_add",
    "task_done",
]
