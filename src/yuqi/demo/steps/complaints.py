"""Demo step: complaints that follow from the demo's contacts, with clocks, timelines and
promises — deterministic from the seed.

Where the complaints come from (read from the interactions just loaded, oldest first):

* **long waits and abandons**: a customer who gave up waiting at least twice, or waited more
  than :data:`LONG_WAIT` seconds, complains about the hotline (热线难打通 / 客服态度);
* **repeat contacts**: a customer who called :data:`REPEATS` times or more about the same
  category complains about that matter (网络信号差, 话费多扣, 宽带报装慢, 套餐变更, 携号转网…);
* **complaint calls** (disposition 投诉) become complaints directly.

Each ticket then follows a seeded story through the workflow (acknowledge, investigate,
propose, agree or shelve-and-forward, recovery, resolve, callback 对事/对人, close; some wait
for the customer or another department, some are reopened, some are raised to 越级投诉 and a
few to 监管申诉), stopping wherever "now" is reached, so recent tickets are still open. At
least one regulator appeal is left unanswered long enough to breach its clock.

Speed: tickets, clocks and events are written with ``yuqi.core.bulk.insert_created`` (what
``bulk_create`` writes, without its per-value SQL compilation). The clocks are simulated
with the same pure functions the services use (``yuqi.domain.complaint_workflow.clock_effects``
for what each move does to each clock, ``yuqi.domain.sla`` for the segments, and
``yuqi.complaints.clocks`` for policy targets and the stored columns), so the stored clocks
are exactly what the services would have produced. Promises go through the commitments
facade (``commitment_record`` then ``commitment_settle``), which keeps its own ledger.

What still goes straight to another context's tables, and why: the tickets, clocks, events,
recovery actions and day sequences are bulk-written to ``complaints`` models, because the
complaint services write one ticket at a time at "now" and cannot replay a backdated story
(about 50 ms a ticket with its clock derivation, notifications and signals); and the triggers
are read with aggregate queries on ``interactions.Interaction`` (the interactions facade has no
per-customer contact aggregates).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from yuqi.complaints import clocks as clock_rows
from yuqi.complaints import outbound
from yuqi.complaints.choices import (
    CLOCK_STATE_URGENCY,
    ClockPhase,
    ClockState,
    ComplaintState,
    EventKind,
    RecoveryKind,
    RecoveryStatus,
)
from yuqi.complaints.models import (
    Complaint,
    ComplaintCategory,
    ComplaintDaySequence,
    ComplaintEvent,
    ComplaintLevel,
    RecoveryAction,
    RootCause,
    SlaClock,
)
from yuqi.core import clock
from yuqi.core.bulk import insert_created
from yuqi.demo.steps.complaint_texts import complaint_text
from yuqi.domain.complainer import ComplainerSignals, assess
from yuqi.domain.complaint_workflow import ClockMode, ClockOp, clock_effects, clock_mode, transition
from yuqi.domain.sla import pause_clock, restart_clock, resume_clock, start_clock, stop_clock

__all__ = ["DemoComplaints", "load_demo_complaints"]

LONG_WAIT = 300  # seconds
REPEATS = 3  # contacts on the same category
#: At most this many complaints per 1,000 customers (small ≈ 40, medium ≈ 300).
PER_THOUSAND = 70
MAX_COMPLAINTS = 400

#: Interaction disposition → (text category of complaint_texts, complaint category code).
CATEGORY_MAP: dict[str, tuple[str, str]] = {
    "网络信号": ("network_signal", "network-coverage"),
    "上网故障": ("network_signal", "network-speed"),
    "故障报修": ("network_signal", "network-voice"),
    "账单异议": ("overcharge", "billing-unexpected"),
    "话费查询": ("overcharge", "billing-dispute"),
    "缴费充值": ("overcharge", "billing-dispute"),
    "宽带安装": ("broadband_install", "broadband"),
    "宽带移机": ("broadband_install", "broadband"),
    "宽带故障": ("broadband_fault", "broadband"),
    "套餐变更": ("plan_change", "service-change"),
    "业务办理": ("plan_change", "service-change"),
    "携号转网": ("number_porting", "porting"),
}
COMPLAINT_CALL = (
    ("agent_attitude", "attitude"),
    ("privacy_leak", "privacy-leak"),
    ("overcharge", "billing-unexpected"),
)
HOTLINE = ("hotline_wait", "attitude")
ROOT_CAUSES = {
    "network_signal": "network-fault",
    "broadband_fault": "network-fault",
    "overcharge": "billing-error",
    "broadband_install": "process-gap",
    "plan_change": "insufficient-info",
    "number_porting": "policy-limit",
    "privacy_leak": "process-gap",
    "agent_attitude": "staff-conduct",
    "hotline_wait": "process-gap",
}
#: Handlers and how reliably they keep promises (so kept-on-time by agent differs).
HANDLERS = (("lina", 0.55), ("wangqiang", 0.85), ("zhangwei", 0.95))
DEPARTMENTS = ("网络优化中心", "计费中心", "装维中心", "政企客户部")


@dataclass(frozen=True)
class DemoComplaints:
    complaints: int
    open: int
    over_level: int
    regulator: int
    breached_regulator: int
    promises: int


@dataclass(frozen=True)
class Trigger:
    customer_id: int
    at: dt.datetime
    text_key: str
    category_code: str
    team_id: int | None
    contacts: int


@dataclass
class Story:
    """A ticket being written: its fields, clocks (segments per kind), events, extras."""

    ticket: Complaint
    tier_code: str | None
    text_key: str
    clocks: dict[str, tuple] = field(default_factory=dict)  # kind → segments (open)
    done: list[tuple[str, tuple, str]] = field(default_factory=list)  # kind, segments, level
    levels: dict[str, str] = field(default_factory=dict)  # kind → level code of the clock
    events: list[ComplaintEvent] = field(default_factory=list)
    recovery: list[RecoveryAction] = field(default_factory=list)
    promises: list[dict[str, Any]] = field(default_factory=list)
    at: dt.datetime | None = None


# ------------------------------------------------------------------ triggers
def _triggers(rng: random.Random, limit: int) -> list[Trigger]:
    """Customers whose contacts would make them complain (see the module docstring)."""
    from yuqi.interactions.models import Interaction  # demo only: reads the loaded history

    inbound = Interaction.objects.filter(direction="inbound", customer__isnull=False)
    found: dict[int, Trigger] = {}
    repeats = (
        inbound.exclude(category="")
        .values("customer_id", "category")
        .annotate(n=Count("id"), last=Max("arrived_at"), team=Max("team_id"))
        .filter(n__gte=REPEATS)
        .order_by("last", "customer_id")
    )
    for row in repeats:
        if row["category"] == "投诉":
            text_key, code = COMPLAINT_CALL[row["customer_id"] % len(COMPLAINT_CALL)]
        elif row["category"] in CATEGORY_MAP:
            text_key, code = CATEGORY_MAP[row["category"]]
        else:
            continue
        found.setdefault(
            row["customer_id"],
            Trigger(row["customer_id"], row["last"], text_key, code, row["team"], row["n"]),
        )
    # the long waits and the complaint calls in one pass over the contacts (grouped per
    # customer with filtered aggregates), each list then ordered as its own query was
    waited = Q(abandoned=True) | Q(wait_seconds__gte=LONG_WAIT)
    complained = Q(category="投诉")
    per_customer = list(
        inbound.filter(waited | complained)
        .values("customer_id")
        .annotate(
            n=Count("id", filter=waited),
            abandons=Count("id", filter=Q(abandoned=True)),
            longest=Max("wait_seconds", filter=waited),
            last=Max("arrived_at", filter=waited),
            team=Max("team_id", filter=waited),
            c_n=Count("id", filter=complained),
            c_first=Min("arrived_at", filter=complained),
            c_team=Max("team_id", filter=complained),
        )
        .order_by()
    )
    waits = sorted(
        (
            row
            for row in per_customer
            if row["n"] and (row["abandons"] >= 2 or (row["longest"] or 0) >= LONG_WAIT)
        ),
        key=lambda row: (row["last"], row["customer_id"]),
    )
    for row in waits:
        found.setdefault(
            row["customer_id"],
            Trigger(row["customer_id"], row["last"], *HOTLINE, row["team"], row["n"] + 1),
        )
    calls = sorted(
        (row for row in per_customer if row["c_n"]),
        key=lambda row: (row["c_first"], row["customer_id"]),
    )
    for row in calls:
        text_key, code = COMPLAINT_CALL[row["customer_id"] % len(COMPLAINT_CALL)]
        found.setdefault(
            row["customer_id"],
            Trigger(row["customer_id"], row["c_first"], text_key, code, row["c_team"], row["c_n"]),
        )
    chosen = sorted(found.values(), key=lambda t: (t.at, t.customer_id))
    if len(chosen) > limit:
        chosen = sorted(rng.sample(chosen, limit), key=lambda t: (t.at, t.customer_id))
    return chosen


# ------------------------------------------------------------------ the writer
class _Writer:
    """Simulates each ticket's story on the pure clock functions, then writes in bulk."""

    def __init__(self, *, rng: random.Random, now: dt.datetime, promises: int) -> None:
        self.rng = rng
        self.now = now
        self.promise_budget = promises
        self.levels = {lv.code: lv for lv in ComplaintLevel.objects.all()}
        self.categories = {c.code: c for c in ComplaintCategory.objects.all()}
        self.root_causes = {r.code: r for r in RootCause.objects.all()}
        users = get_user_model().objects.filter(username__in=[u for u, _ in HANDLERS])
        by_name = {u.username: u for u in users}
        self.handlers = [(by_name[u], p) for u, p in HANDLERS if u in by_name]
        self._calendars: dict[int | None, Any] = {}
        self._policies: dict[tuple, Any] = {}
        self.numbers: dict[date, int] = defaultdict(int)

    # -- helpers
    def calendar(self, team_id: int | None) -> Any:
        if team_id not in self._calendars:
            self._calendars[team_id] = outbound.calendar_for(team_id=team_id)
        return self._calendars[team_id]

    def policy(self, level_code: str, kind: str, tier: str | None) -> Any:
        key = (level_code, kind, tier)
        if key not in self._policies:
            self._policies[key] = clock_rows.policy_for(self.levels[level_code], kind, tier)
        return self._policies[key]

    def number(self, at: dt.datetime) -> str:
        day = timezone.localdate(at)
        self.numbers[day] += 1
        return f"TS-{day:%Y%m%d}-{self.numbers[day]:04d}"

    def event(self, story: Story, kind: str, parameters: dict, by: Any = None) -> None:
        story.events.append(
            ComplaintEvent(kind=kind, parameters=parameters, by=by, at=story.at or self.now)
        )

    # -- clocks (the same effects as services._move / clocks.apply_clock_actions)
    def _clock_ops(self, story: Story, source: str, target: str, at: dt.datetime) -> None:
        for action in clock_effects(source, target):
            kind, segments = action.kind, story.clocks.get(action.kind)
            if action.op is ClockOp.START:
                if segments is not None:
                    story.done.append((kind, stop_clock(segments, at), story.levels[kind]))
                story.clocks[kind] = start_clock(at, reason=target)
                story.levels[kind] = story.ticket.level.code
            elif segments is not None:
                if action.op is ClockOp.PAUSE:
                    story.clocks[kind] = pause_clock(segments, at, reason=target)
                elif action.op is ClockOp.RESUME:
                    story.clocks[kind] = resume_clock(segments, at, reason=target)
                else:
                    story.done.append((kind, stop_clock(segments, at), story.levels[kind]))
                    del story.clocks[kind]

    def move(self, story: Story, target: str, by: Any, note: str = "") -> None:
        ticket = story.ticket
        entry = transition(ticket.state, target)
        if entry is None:  # a bug in a story, not in the data
            raise ValueError(f"demo story: {ticket.state} → {target} is not allowed")
        self._clock_ops(story, ticket.state, target, story.at)
        self.event(
            story,
            EventKind.TRANSITIONED,
            {"from": ticket.state, "to": target, "action": entry.action, "note": note},
            by,
        )
        ticket.state = target
        if target == ComplaintState.ACKNOWLEDGED and ticket.acknowledged_at is None:
            ticket.acknowledged_at = story.at
        elif target == ComplaintState.RESOLVED:
            ticket.resolved_at = story.at
        elif target == ComplaintState.CLOSED:
            ticket.closed_at = story.at
        ticket.version += 1

    def escalate(self, story: Story, level_code: str, by: Any, reason: str) -> None:
        ticket = story.ticket
        previous = ticket.level.code
        ticket.level = self.levels[level_code]
        for kind, segments in list(story.clocks.items()):
            restart = restart_clock(segments, story.at, reason="escalated")
            story.done.append((kind, restart.previous, story.levels[kind]))
            fresh = restart.current
            if clock_mode(ticket.state, kind) is ClockMode.PAUSED:
                fresh = pause_clock(fresh, story.at, reason=ticket.state)
            story.clocks[kind] = fresh
            story.levels[kind] = level_code
        self.event(
            story, EventKind.ESCALATED, {"from": previous, "to": level_code, "reason": reason}, by
        )
        ticket.version += 1

    def advance(self, story: Story, hours: float) -> bool:
        """Move the story's time on by about ``hours``; False once that passes "now"."""
        step = timedelta(hours=hours * self.rng.uniform(0.5, 1.5))
        if story.at + step >= self.now:
            return False
        story.at += step
        return True

    # -- one ticket
    def open(
        self, trigger: Trigger, tier: tuple[str | None, bool], index: int, *, regulator: bool
    ) -> Story:
        rng = self.rng
        text_key = trigger.text_key
        direct_regulator = regulator or index % 23 == 11
        escalating = direct_regulator or rng.random() < 0.18
        text = complaint_text(text_key, rng, escalating=escalating, calls=trigger.contacts)
        level = self.levels["regulator" if direct_regulator else "local"]
        owner, _ = self.handlers[index % len(self.handlers)] if self.handlers else (None, 0)
        if direct_regulator and len(self.handlers) > 1:
            owner = self.handlers[1 + index % (len(self.handlers) - 1)][0]
        at = trigger.at + timedelta(minutes=rng.randint(5, 90))
        ticket = Complaint(
            number=self.number(at),
            customer_id=trigger.customer_id,
            channel="regulator" if direct_regulator else "phone",
            level=level,
            category=self.categories.get(trigger.category_code),
            account=text.account,
            demand=text.demand,
            owner=owner,
            team_id=trigger.team_id,
            state=ComplaintState.NEW,
            opened_at=at,
            created_by=owner,
            version=1,
        )
        suggestion, risk = assess(
            ComplainerSignals(
                text=f"{text.account}\n{text.demand}",
                repeat_complaints=0,
                window_days=30,
                broken_promises=0,
                vip=tier[1],
                previous_escalations=0,
            )
        )
        ticket.complainer_type_suggested = suggestion.type.value
        ticket.complainer_reasons = [[r.code, r.points, r.detail] for r in suggestion.reasons]
        ticket.risk_score = risk.score
        ticket.risk_reasons = [[r.code, r.points, r.detail] for r in risk.reasons]
        story = Story(ticket=ticket, tier_code=tier[0], text_key=text_key, at=at)
        for kind in ("first_response", "resolution"):
            story.clocks[kind] = start_clock(at, reason="opened")
            story.levels[kind] = level.code
        self.event(
            story,
            EventKind.OPENED,
            {
                "number": ticket.number,
                "level": level.code,
                "channel": ticket.channel,
                "risk_score": ticket.risk_score,
                "complainer_type_suggested": ticket.complainer_type_suggested,
            },
            owner,
        )
        return story

    def play(self, story: Story, index: int, *, keep_new: bool) -> None:
        """Walk the ticket through a seeded story until it ends or reaches "now"."""
        rng, t = self.rng, story.ticket
        by = t.owner
        if keep_new:  # left unanswered: its first-response clock runs out
            return
        # Most are answered within the hour or two; a few wait into the next day.
        if not self.advance(story, 1.5 if rng.random() > 0.12 else 16):
            return
        self.move(story, ComplaintState.ACKNOWLEDGED, by)
        t.chk_expectations_ranked = t.chk_understanding_shown = True
        escalate_to = None
        roll = rng.random()
        if t.level.code == "local" and roll < 0.16:
            escalate_to = "over_level"
        if escalate_to and rng.random() < 0.3:
            escalate_to = "regulator"
        if escalate_to and self.advance(story, 20):
            self.escalate(story, "over_level", by, "客户再次来电，要求上级处理")
            if escalate_to == "regulator" and self.advance(story, 48):
                self.escalate(story, "regulator", by, "客户已向工信部申诉，通管局转来工单")
        if not self.advance(story, 3):
            return
        self.move(story, ComplaintState.INVESTIGATING, by)
        t.chk_possible_explained = t.chk_reason_given = rng.random() < 0.8
        plot = rng.random()
        if plot < 0.12:  # waiting for the customer or a department, still open
            target = rng.choice(
                (ComplaintState.WAITING_CUSTOMER, ComplaintState.WAITING_DEPARTMENT)
            )
            if self.advance(story, 6):
                self.move(story, target, by, "等待回复")
            return
        if plot < 0.2 and t.level.code == "regulator" and index % 2 == 0:
            return  # an appeal still under investigation (its 15 days may run out)
        if not self.advance(story, 20):
            return
        self.move(story, ComplaintState.SOLUTION_PROPOSED, by)
        t.chk_attention_shown = True
        if plot < 0.28:  # shelve and forward with a promised answer (a promise)
            department = rng.choice(DEPARTMENTS)
            due = story.at + timedelta(days=rng.randint(2, 6))
            t.shelved_need, t.forwarded_department, t.promised_answer_at = (
                t.demand or "需相关部门答复",
                department,
                due,
            )
            t.chk_solution_agreed = True
            self._promise(story, "department_reply", f"{department}答复：{t.demand}", due, by)
            self.event(
                story,
                EventKind.AGREEMENT_RECORDED,
                {"accepted": None, "shelved": True, "department": department},
                by,
            )
            if self.advance(story, 2):
                self.move(story, ComplaintState.SHELVED_FORWARDED, by, department)
            return
        t.agreement_solution, t.agreement_accepted, t.chk_solution_agreed = t.demand, True, True
        self.event(story, EventKind.AGREEMENT_RECORDED, {"accepted": True, "shelved": False}, by)
        if rng.random() < 0.3:
            self._promise(
                story, "callback", "三天内回电告知处理结果", story.at + timedelta(days=3), by
            )
        if not self.advance(story, 2):
            return
        self.move(story, ComplaintState.AGREED, by)
        self._recovery(story, by)
        if not self.advance(story, 30):
            return
        self.move(story, ComplaintState.RESOLVED, by)
        if not self.advance(story, 20):
            return
        self._callback(story, by)

    def _recovery(self, story: Story, by: Any) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.35:
            kind, amount = RecoveryKind.APOLOGY, None
        elif roll < 0.6:
            kind, amount = RecoveryKind.COMPENSATION, Decimal(rng.choice((20, 30, 50, 100)))
        elif roll < 0.8:
            kind, amount = RecoveryKind.FEE_WAIVER, Decimal(rng.choice((10, 18, 30, 56)))
        elif roll < 0.9:
            kind, amount = RecoveryKind.REPAIR, None
        else:
            return
        cost = amount if amount is not None else Decimal(rng.choice((0, 15, 40)))
        story.recovery.append(
            RecoveryAction(
                kind=kind,
                amount=amount,
                cost=cost,
                status=RecoveryStatus.APPROVED,
                created_by=by,
                created_at=story.at,
            )
        )
        self.event(
            story,
            EventKind.RECOVERY_ADDED,
            {
                "kind": kind.value,
                "amount": None if amount is None else str(amount),
                "status": "approved",
            },
            by,
        )
        if amount is not None and rng.random() < 0.4:
            self._promise(
                story,
                "compensation" if kind == RecoveryKind.COMPENSATION else "fee_change",
                f"{kind.label}: {amount} 元，下个账期到账",
                story.at + timedelta(days=rng.randint(3, 10)),
                by,
                amount=amount,
            )

    def _callback(self, story: Story, by: Any) -> None:
        rng, t = self.rng, story.ticket
        solved = rng.random() < 0.85
        expectation = solved and rng.random() < 0.9
        attitude = rng.random() < 0.8
        t.callback_solved, t.callback_expectation_met, t.callback_attitude_ok = (
            solved,
            expectation,
            attitude,
        )
        t.callback_at = story.at
        self.event(
            story,
            EventKind.CALLBACK_RECORDED,
            {
                "solved": solved,
                "expectation_met": expectation,
                "attitude_ok": attitude,
                "satisfied": solved and expectation and attitude,
            },
            by,
        )
        if not (solved and expectation and attitude):
            self.move(story, ComplaintState.RECOVERY, by, "回访不满意，重新补救")
            return
        self.move(story, ComplaintState.CALLBACK_DONE, by)
        if not self.advance(story, 4):
            return
        t.root_cause = self.root_causes.get(ROOT_CAUSES.get(story.text_key, "other"))
        self.move(story, ComplaintState.CLOSED, by)
        self.event(story, EventKind.CLOSED, {"root_cause": t.root_cause.code}, by)
        if rng.random() < 0.08 and self.advance(story, 72):  # the problem came back
            self.move(story, ComplaintState.INVESTIGATING, by, "问题复现，客户再次投诉")
            self.event(story, EventKind.REOPENED, {"from": "closed", "reason": "问题复现"}, by)
            t.reopen_count += 1

    def _promise(
        self,
        story: Story,
        kind: str,
        text: str,
        due: dt.datetime,
        by: Any,
        amount: Decimal | None = None,
    ) -> None:
        if by is None or self.promise_budget <= 0:
            return
        self.promise_budget -= 1
        story.promises.append(
            {"kind": kind, "text": text, "due": due, "by": by, "at": story.at, "amount": amount}
        )

    # -- writing
    def clock_row(self, story: Story, kind: str, segments: tuple, level_code: str) -> SlaClock:
        t = story.ticket
        policy = self.policy(level_code, kind, story.tier_code)
        unit, amount = (
            (policy.target_unit, policy.target_amount)
            if policy is not None
            else clock_rows.FALLBACK_TARGET
        )
        start = segments[0].start
        row = SlaClock(
            complaint=t,
            kind=kind,
            policy=policy,
            level_code=level_code,
            target_amount=amount,
            target_unit=unit,
            warn_fraction=policy.warn_fraction if policy is not None else Decimal("0.75"),
            calendar_name=policy.calendar_name if policy is not None else "",
            segments=clock_rows.dump_segments(segments),
            started_at=start,
            stopped_at=segments[-1].end,
        )
        calendar = (
            outbound.calendar_for(name=row.calendar_name)
            if row.calendar_name
            else self.calendar(t.team_id)
        )
        seconds, basis = clock_rows.target_seconds(unit, amount, start=start, calendar=calendar)
        row.target_seconds, row.basis = seconds, basis.value
        clock_rows._derive(row, calendar, self.now)  # the services' own column derivation
        # The sweep would have sent these alerts when they fell due: mark them sent.
        if row.warn_at and row.warn_at <= self.now:
            row.alerted_at_risk_at = row.warn_at
        if row.state in (ClockState.BREACHED, ClockState.MISSED) and row.due_at:
            row.alerted_breach_at = row.due_at
        return row


def _summarise(ticket: Complaint, rows: list[SlaClock]) -> None:
    """``sla_state``/``next_due_at`` as ``clocks.summarise`` computes them."""
    live = [c for c in rows if c.phase != ClockPhase.STOPPED]
    pool = live or rows
    ticket.sla_state = min(
        (c.state for c in pool), key=lambda s: CLOCK_STATE_URGENCY[s], default=""
    )
    dues = [c.due_at for c in live if c.phase == ClockPhase.RUNNING and c.due_at]
    ticket.next_due_at = min(dues, default=None)


def _tiers(customer_ids: list[int]) -> dict[int, tuple[str | None, bool]]:
    from yuqi.customers.facade import customer_refs

    refs = customer_refs(customer_ids)
    return {pk: (ref.tier_code, ref.tier_is_vip) for pk, ref in refs.items()}


def _write(writer: _Writer, stories: list[Story]) -> None:
    tickets = [s.ticket for s in stories]
    for ticket in tickets:
        ticket.updated_at = writer.now
    insert_created(tickets)
    clocks: list[SlaClock] = []
    for story in stories:
        rows = [writer.clock_row(story, k, seg, lv) for k, seg, lv in story.done]
        rows += [
            writer.clock_row(story, k, seg, story.levels[k]) for k, seg in story.clocks.items()
        ]
        _summarise(story.ticket, rows)
        clocks += rows
        for event in story.events:
            event.complaint = story.ticket
        for action in story.recovery:
            action.complaint = story.ticket
    insert_created(clocks)
    insert_created([e for s in stories for e in s.events])
    insert_created([a for s in stories for a in s.recovery])
    Complaint.objects.bulk_update(tickets, ["sla_state", "next_due_at"], batch_size=500)
    for day, last in writer.numbers.items():
        ComplaintDaySequence.objects.update_or_create(day=day, defaults={"last": last})


def _promises(writer: _Writer, stories: list[Story]) -> int:
    """Promises through the commitments facade; those due before now are settled as the
    handler's reliability says (fulfilled on time, late, or broken).

    A flagged promise is decided by an approver first (see :func:`_decide`), except one made in
    the last two days and not yet due, which stays in the approval queue: so no promise is ever
    shown kept or broken while still "awaiting approval"."""
    from yuqi.commitments.facade import commitment_record, commitment_settle

    reliability = {user.pk: p for user, p in writer.handlers}
    count = 0
    for story in stories:
        for promise in story.promises:
            by = promise["by"]
            line = commitment_record(
                customer_id=story.ticket.customer_id,
                kind=promise["kind"],
                text=promise["text"],
                promised_by_id=by.pk,
                due_at=promise["due"],
                complaint_id=story.ticket.pk,
                amount=promise["amount"],
                promised_at=promise["at"],
                notify=False,
            )
            count += 1
            if line.approval_state == "pending" and not _decide(writer, line, promise):
                continue
            if promise["due"] > writer.now:
                continue
            kept = writer.rng.random() < reliability.get(by.pk, 0.8)
            if kept:
                span = (promise["due"] - promise["at"]).total_seconds()
                at = promise["at"] + timedelta(seconds=span * writer.rng.uniform(0.3, 0.95))
                commitment_settle(
                    commitment_id=line.id,
                    outcome="fulfilled",
                    at=at,
                    by_id=by.pk,
                    evidence="已回电/已到账，客户确认",
                )
            else:
                commitment_settle(
                    commitment_id=line.id,
                    outcome="broken",
                    at=promise["due"] + timedelta(hours=1),
                )
    return count


def _decide(writer: _Writer, line: Any, promise: dict) -> bool:
    """An approver (the supervisor, or the manager for the supervisor's own promises) approves
    most flagged promises a few hours after they were made and rejects the rest; True if the
    promise was approved. Recent promises not yet due are left pending."""
    from yuqi.commitments.facade import commitment_decide

    if promise["due"] > writer.now and promise["at"] > writer.now - timedelta(days=2):
        return False
    approvers = [user for user, _p in writer.handlers if user.pk != promise["by"].pk]
    approver = next((u for u in approvers if u.username == "wangqiang"), None) or approvers[-1]
    at = promise["at"] + timedelta(hours=writer.rng.uniform(1, 6))
    at = max(promise["at"], min(at, promise["due"] - timedelta(minutes=5), writer.now))
    approve = writer.rng.random() < 0.8
    decided = commitment_decide(
        commitment_id=line.id,
        by_id=approver.pk,
        approve=approve,
        at=at,
        reason="" if approve else "超出标准，请与客户另行约定合规的承诺",
    )
    return decided.approval_state == "approved"


def load_demo_complaints(
    *, seed: int, say: Callable[[str], None] | None = None, limit: int | None = None
) -> DemoComplaints:
    """Complaints, clocks, timelines and promises from the loaded interactions."""
    from yuqi.customers.facade import customer_counts_by_tier

    rng = random.Random(f"complaints-{seed}")
    now = clock.now()
    customers = sum(customer_counts_by_tier().values())
    limit = limit or min(MAX_COMPLAINTS, max(12, customers * PER_THOUSAND // 1000))
    triggers = _triggers(rng, limit)
    if not triggers:
        return DemoComplaints(0, 0, 0, 0, 0, 0)
    # Each promise goes through the commitments guard (≈ 50 ms): keep their number modest.
    writer = _Writer(rng=rng, now=now, promises=max(12, len(triggers) // 4))
    tiers = _tiers([t.customer_id for t in triggers])
    # The first ticket old enough is an appeal left unanswered: it breaches its clock.
    unanswered = next((i for i, t in enumerate(triggers) if now - t.at > timedelta(days=1)), None)
    stories = []
    # each business calendar read once for the whole step (the clocks' and every promise's
    # guard), as a request reads it once (the step changes no calendar)
    with outbound.cached_calendars():
        for index, trigger in enumerate(triggers):
            tier = tiers.get(trigger.customer_id, (None, False))
            story = writer.open(trigger, tier, index, regulator=index == unanswered)
            writer.play(story, index, keep_new=index == unanswered)
            stories.append(story)
        with transaction.atomic():
            _write(writer, stories)
            promises = _promises(writer, stories)
    tickets = [s.ticket for s in stories]
    regulator = [t for t in tickets if t.level.code == "regulator"]
    result = DemoComplaints(
        complaints=len(tickets),
        open=sum(1 for t in tickets if t.state != ComplaintState.CLOSED),
        over_level=sum(1 for t in tickets if t.level.code == "over_level"),
        regulator=len(regulator),
        breached_regulator=sum(
            1 for t in regulator if t.sla_state in (ClockState.BREACHED, ClockState.MISSED)
        ),
        promises=promises,
    )
    if say:
        say(
            f"  complaints: {result.complaints} ({result.open} open, {result.over_level} "
            f"over-level, {result.regulator} regulator appeals, {result.breached_regulator} "
            f"of them breached), promises: {result.promises}"
        )
    return result
