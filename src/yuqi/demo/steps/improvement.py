"""Demo step: improvement actions (PDCA) in every state, two of them checked on the demo data.

* the register's free-text actions become linked actions (``actions_from_register``);
* a new action from the root-cause Pareto (plan), one being done with tasks (one overdue),
  one in check whose after window has not ended (the check says on which day it will be);
* two actions checked on the demo's own contacts: the demo's days are split into a baseline
  and an equally long after window, and every contact KPI (answer rate, service level,
  abandon rate, FCR) of every queue is compared with the existing ``yuqi.domain.effect``
  functions. The first KPI whose interval shows a real improvement becomes the action closed
  as *effective*; the first with no change shown becomes the one closed as *no effect*. The
  checks are computed, never written: when the data show no improvement the action stays in
  *act* with its honest verdict.

Writes go through ``yuqi.improvement.services``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from yuqi.domain.improvement import Window, verdict_for
from yuqi.improvement import services
from yuqi.improvement.measures import KPI_PROPORTIONS, direction, sample
from yuqi.improvement.models import ImprovementAction

KPI_TITLES = {
    "answer_rate": ("提升接通率：高峰时段弹性排班", "高峰时段增加弹性班次，午间错峰就餐"),
    "service_level": ("提升服务水平：排队溢出到综合组", "排队超过 20 秒的来电溢出到综合组"),
    "abandon_rate": ("降低放弃率：排队进度播报", "IVR 每 30 秒播报排队位置和预计等待时间"),
    "fcr": ("提升一次解决率：账单问题知识卡片", "为账单类问题制作知识卡片，坐席一次讲清"),
}


@dataclass(frozen=True)
class ImprovementDemo:
    actions: int
    from_register: int
    by_status: dict[str, int]
    effective: str  # number of the action closed as effective ("" when none)
    no_effect: str


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _queues() -> list[str]:
    from yuqi.operations.facade import staffing_queues

    return [""] + [q.code for q in staffing_queues()]


def _checked(manager, ref: str, baseline: tuple[date, date], changed: date, end: date):
    code = ref.split("@", 1)[0]
    title, plan = KPI_TITLES[code]
    action = services.action_create(
        title=title,
        plan=plan,
        owner=manager,
        department="运营部",
        due_date=end,
        measure_kind="contact_kpi",
        measure_ref=ref,
        baseline_start=baseline[0],
        baseline_end=baseline[1],
        links=[("indicator", code if code != "fcr" else "fcr")],
        by=manager,
    )
    services.action_transition(action, to="do", by=manager)
    services.action_transition(action, to="check", by=manager, today=changed)
    check = services.action_check(action, by=manager, today=end)
    return action, check


@transaction.atomic
def load_demo_improvement(*, end_date: date, days: int = 7) -> ImprovementDemo:
    manager, analyst = _user("zhangwei"), _user("chenjing")
    supervisor = _user("wangqiang")
    if manager is None or analyst is None or supervisor is None:
        return ImprovementDemo(0, 0, {}, "", "")
    from_register = services.actions_from_register(by=analyst, today=end_date)
    # two of the register's actions are under way: their measure named, then done
    for started in ImprovementAction.objects.filter(source="register", status="plan").order_by(
        "number"
    )[:2]:
        services.action_update(
            started,
            by=manager,
            measure_kind="complaint_rate",
            measure_ref="",
            baseline_start=end_date - timedelta(days=days - 1),
            baseline_end=end_date,
        )
        services.action_transition(started, to="do", by=manager)
    first = end_date - timedelta(days=days - 1)
    half = max(1, (days - 1) // 2)
    baseline = (first, first + timedelta(days=half - 1))
    changed = baseline[1]

    # plan: from the root-cause Pareto
    services.action_create(
        title="减少“计费差错”导致的投诉",
        plan="梳理计费规则变更流程，上线前双人复核",
        owner=analyst,
        department="计费中心",
        due_date=end_date + timedelta(days=45),
        grade="B",
        measure_kind="complaint_rate",
        measure_ref="",
        links=[("root_cause", "billing-error")],
        source="pareto",
        by=analyst,
    )
    # do: with tasks, one of them late, the action itself overdue
    doing = services.action_create(
        title="回电承诺到期前提醒",
        plan="回电承诺到期前 30 分钟提醒责任人，超时自动升级班长",
        owner=supervisor,
        department="客服一部",
        due_date=end_date - timedelta(days=2),
        grade="A",
        measure_kind="contact_kpi",
        measure_ref="fcr",
        baseline_start=baseline[0],
        baseline_end=baseline[1],
        by=manager,
    )
    services.action_transition(doing, to="do", by=manager)
    services.task_add(
        doing, title="配置提醒规则", owner=supervisor, due_date=end_date - timedelta(days=3)
    )
    done = services.task_add(doing, title="班长培训", owner=supervisor, due_date=end_date)
    services.task_done(done)
    # check: the after window has not ended yet
    waiting = services.action_create(
        title="VIP 专席回访话术",
        plan="VIP 回访统一开场白与结束语",
        owner=manager,
        department="VIP 中心",
        due_date=end_date + timedelta(days=30),
        grade="A",
        measure_kind="csat",
        baseline_start=first,
        baseline_end=end_date - timedelta(days=1),
        by=manager,
    )
    services.action_transition(waiting, to="do", by=manager)
    services.action_transition(waiting, to="check", by=manager, today=end_date)
    services.action_check(waiting, by=manager, today=end_date)

    # actions checked on the demo's contacts: find the KPIs first, then act on them
    after = (changed + timedelta(days=1), changed + timedelta(days=half))
    verdicts: dict[str, str] = {}
    for queue in _queues():
        for code in KPI_PROPORTIONS:
            ref = f"{code}@{queue}" if queue else code
            before = sample("contact_kpi", ref, Window(*baseline))
            later = sample("contact_kpi", ref, Window(*after))
            if min(before.size, later.size) < 30:
                continue
            figures = services.compare(before, later)
            better = direction("contact_kpi", ref)
            verdicts[ref] = verdict_for(figures.change, higher_is_better=better)
    improved = next((r for r, v in verdicts.items() if v == "improved"), None)
    unchanged = next((r for r, v in verdicts.items() if v == "no_evidence"), None)
    other = next((r for r in verdicts if r not in (improved, unchanged)), None)
    effective = no_effect = None
    if improved:
        effective, _check = _checked(manager, improved, baseline, changed, end_date)
    if unchanged:
        no_effect, _check = _checked(manager, unchanged, baseline, changed, end_date)
    for action, outcome in ((effective, "effective"), (no_effect, "no_effect")):
        if action is None:
            continue
        services.action_transition(action, to="act", by=manager)
        services.action_close(action, outcome=outcome, by=manager)
    if other:  # left in act, its check on the page, the decision still to take
        acting, _check = _checked(manager, other, baseline, changed, end_date)
        services.action_transition(acting, to="act", by=manager)
    statuses: dict[str, int] = {}
    for status in ImprovementAction.objects.values_list("status", flat=True):
        statuses[status] = statuses.get(status, 0) + 1
    return ImprovementDemo(
        actions=ImprovementAction.objects.count(),
        from_register=from_register,
        by_status=statuses,
        effective=effective.number if effective else "",
        no_effect=no_effect.number if no_effect else "",
    )
