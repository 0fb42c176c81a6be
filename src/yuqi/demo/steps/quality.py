"""Demo step: quality monitoring (质检) on the simulated centre.

* a month of evaluations (up to ``PER_AGENT`` contacts per agent from the last 30 days of
  contacts): each agent has a skill drawn once (chance of full points per item ≈ 0.74,
  sd 0.09), each item earns full points with that chance, and a rare auto-fail — so the agents'
  scores spread believably; 李娜 (the agent login) acknowledges most of hers, disputes one, and
  the manager settles the dispute as a second evaluator;
* one calibration session: the supervisor and the manager score the same six contacts (the
  manager a little stricter), so the page shows a spread and a moderate agreement;
* our mystery shopping: two tasks, one scored on the mystery-shopping form;
* peer test calls to two of the demo's peer centres over the last two weeks, written to the
  benchmarks through the insights facade (source: the test calls) next to the imported values;
* training records for every agent and coaching notes for the three lowest scorers;
* the automatic checks run once over the last week.

Everything goes through ``yuqi.quality.services`` (the month of evaluations in one
``evaluations_submit``: the same checks and rows as one ``evaluation_submit`` each) and, for
the agents and contacts, the interactions facade; nothing is written to the tables directly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from yuqi.core.errors import DomainError
from yuqi.domain.qa_forms import parse_form
from yuqi.interactions.facade import agent_contact_keys, agent_refs
from yuqi.quality import services
from yuqi.quality.models import QaForm

PER_AGENT = 6
PEERS = ("某省移动10086客服中心", "某股份制银行信用卡中心")
COURSES = (
    ("新员工业务知识", Decimal("8")),
    ("投诉处理六步法", Decimal("4")),
    ("所答为所问：倾听与复述", Decimal("2")),
    ("承诺管理与服务标准", Decimal("3")),
    ("服务礼仪", Decimal("2")),
)


@dataclass(frozen=True)
class QualityDemo:
    evaluations: int
    agents: int
    disputes: int
    calibration_evaluations: int
    peer_calls: int
    peer_values: int
    training_records: int
    coaching_notes: int
    flags: int


def _answers(spec: Any, skill: float, rng: random.Random, strict: float = 0.0) -> dict:
    answers: dict[str, Any] = {}
    for item in spec.items:
        if item.na_allowed and (item.tag == "promise" or rng.random() < 0.15):
            answers[item.key] = "na"
            continue
        if item.auto_fail:
            answers[item.key] = item.points if rng.random() > 0.03 * (1.2 - skill) else 0
            continue
        chance = max(0.05, min(0.98, skill - strict))
        if rng.random() < chance:
            answers[item.key] = item.points
        else:
            answers[item.key] = max(0, item.points - rng.randint(1, max(1, item.points * 3 // 4)))
    return answers


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def load_demo_quality(*, seed: int, end_date: date) -> QualityDemo:
    rng = random.Random(seed * 7919 + 18)
    supervisor, manager = _user("wangqiang"), _user("zhangwei")
    analyst, agent_user = _user("chenjing"), _user("lina")
    if supervisor is None or manager is None:
        return QualityDemo(0, 0, 0, 0, 0, 0, 0, 0, 0)
    end = timezone.make_aware(datetime.combine(end_date + timedelta(days=1), time.min))
    start = end - timedelta(days=30)
    call_form = QaForm.objects.get(code="call-handling")
    version = services.latest_version(call_form)
    spec = parse_form(version.structure)
    agents = agent_refs()
    skills = {code: max(0.45, min(0.97, rng.gauss(0.74, 0.09))) for code in sorted(agents)}
    contacts = agent_contact_keys(start=start, end=end)
    by_agent: dict[str, list[Any]] = {}
    for contact in contacts:
        by_agent.setdefault(contact.agent_code, []).append(contact)
    lowest: list[tuple[float, str]] = []
    drafts: list[services.EvaluationDraft] = []
    second: list[Any] = []
    for code in sorted(by_agent):
        pool = sorted(by_agent[code], key=lambda c: c.id)
        chosen = rng.sample(pool, min(PER_AGENT, len(pool)))
        for contact in sorted(chosen, key=lambda c: c.arrived_at):
            evaluator = supervisor if rng.random() < 0.75 else manager
            at = min(contact.arrived_at + timedelta(hours=rng.randint(4, 60)), end)
            drafts.append(
                services.EvaluationDraft(
                    contact_id=contact.id,
                    evaluator=evaluator,
                    answers=_answers(spec, skills.get(code, 0.85), rng),
                    comment="" if rng.random() < 0.7 else "注意复述客户问题后再作答。",
                    at=at,
                )
            )
            second.append(manager if evaluator == supervisor else supervisor)
        lowest.append((skills.get(code, 0.85), code))
    # in one batch (the same checks and rows as one ``evaluation_submit`` each); a contact
    # refused (a promise on it makes N/A refused) is skipped
    evaluations = 0
    linas: list[tuple[Any, Any, datetime]] = []
    submitted = services.evaluations_submit(form_version=version, drafts=drafts)
    for draft, row, other in zip(drafts, submitted, second, strict=True):
        if isinstance(row, DomainError):
            continue
        evaluations += 1
        if agent_user is not None and row.agent_user_id == agent_user.pk and draft.at:
            linas.append((row, other, draft.at))  # every demo draft is timed
    disputes = _answer_as_agent(linas, agent_user)
    calibration = _calibration(contacts, version, spec, supervisor, manager, rng, end)
    calls, values = _peer_calls(analyst or manager, end_date, rng)
    _mystery(manager, supervisor, end_date, rng, sorted(agents))
    training = _training(sorted(agents), end_date, rng)
    notes = 0
    for _skill, code in sorted(lowest)[:3]:
        services.coaching_note_add(
            agent_code=code,
            coach=supervisor,
            topic="所答为所问",
            note="回放两通录音：先复述客户的问题再作答；承诺前先查服务标准。",
            coached_on=end_date - timedelta(days=5),
            follow_up_on=end_date + timedelta(days=9),
        )
        notes += 1
    flags = services.checks_run(since=end - timedelta(days=7), until=end).created
    return QualityDemo(
        evaluations, len(by_agent), disputes, calibration, calls, values, training, notes, flags
    )


def _answer_as_agent(rows: list[tuple[Any, Any, datetime]], agent_user: Any) -> int:
    """李娜 disputes her lowest score (a second evaluator upholds it), leaves her newest one
    open to answer, and acknowledges the rest."""
    if not rows:
        return 0
    lowest = min(rows, key=lambda r: (r[0].score is None, r[0].score or 0, r[0].pk))
    newest = max(rows, key=lambda r: r[2])
    disputes = 0
    for row, second, at in rows:
        if row is newest[0] and row is not lowest[0]:
            continue
        if row is lowest[0]:
            services.evaluation_dispute(
                evaluation=row,
                by=agent_user,
                reason="客户的问题当场已经解答，录音可以证明，请复核“所答为所问”一项。",
                at=at + timedelta(hours=3),
            )
            services.evaluation_review(
                evaluation=row,
                by=second,
                answers=None,
                comment="复听录音后维持原分：答复未针对客户所问的套餐差异。",
                at=at + timedelta(days=1),
            )
            disputes += 1
        else:
            services.evaluation_acknowledge(
                evaluation=row, by=agent_user, at=at + timedelta(hours=5)
            )
    return disputes


def _calibration(contacts, version, spec, supervisor, manager, rng, end) -> int:
    pool = sorted(contacts, key=lambda c: c.id)[: max(0, len(contacts))]
    if len(pool) < 6:
        return 0
    chosen = rng.sample(pool, 6)
    session = services.calibration_create(
        name="月度校准会",
        form_version=version,
        subjects=[("interaction", c.id) for c in chosen],
        evaluators=[supervisor, manager],
        by=supervisor,
    )
    done = 0
    for contact in chosen:
        base = rng.uniform(0.7, 0.95)
        seed = rng.randint(0, 10**6)
        for evaluator, strict in ((supervisor, 0.0), (manager, 0.08)):
            answers = _answers(spec, base, random.Random(seed + int(strict * 100)), strict)
            answers["promise_standard"] = "na"
            try:
                services.calibration_score(
                    session=session,
                    evaluator=evaluator,
                    subject_kind="interaction",
                    subject_id=contact.id,
                    answers=answers,
                    at=end - timedelta(days=2),
                )
                done += 1
            except DomainError:
                continue
    return done


def _peer_calls(caller, end_date: date, rng: random.Random) -> tuple[int, int]:
    first = end_date - timedelta(days=13)
    calls = 0
    for peer, quality in zip(PEERS, (0.85, 0.95), strict=True):
        for day in range(0, 14, 2):
            called = timezone.make_aware(
                datetime.combine(first + timedelta(days=day), time(10 + rng.randint(0, 6)))
            )
            answered = rng.random() < quality
            services.peer_call_log(
                peer=peer,
                called_at=called,
                number_called="10086" if "10086" in peer else "95555",
                answered=answered,
                wait_seconds=int(rng.uniform(15, 90) / quality) if answered else None,
                ivr_steps=rng.randint(2, 5),
                question_answered=(rng.random() < quality) if answered else None,
                notes="咨询套餐变更的生效时间" if day % 4 == 0 else "咨询账单明细",
                by=caller,
            )
            calls += 1
    published = services.peer_calls_publish(period_start=first, period_end=end_date)
    return calls, published.values


def _mystery(manager, supervisor, end_date: date, rng: random.Random, codes: list[str]) -> None:
    form = QaForm.objects.get(code="mystery-shopping")
    scored = services.mystery_task_create(
        title="咨询5G套餐升级",
        scenario="以普通客户身份来电，询问升级5G套餐后原有流量包是否保留。",
        script="您好，我想把套餐升级成5G的，我现在的流量包还能用吗？",
        shopper="王芳（外聘神秘顾客）",
        channel="phone",
        planned_on=end_date - timedelta(days=6),
        form=form,
        by=manager,
    )
    answers = _answers(parse_form(services.latest_version(form).structure), 0.8, rng)
    services.mystery_task_score(
        task=scored,
        evaluator=supervisor,
        answers=answers,
        agent_code=codes[0] if codes else "",
        done_on=end_date - timedelta(days=5),
        comment="等待 40 秒接通；答复准确，但未主动说明生效时间。",
    )
    services.mystery_task_create(
        title="投诉账单多扣费",
        scenario="以账单多扣 30 元为由投诉，观察是否按投诉处理六步法降低期望并达成协议。",
        script="我这个月话费怎么多了30块？你们必须马上退给我！",
        shopper="李明（外聘神秘顾客）",
        channel="phone",
        planned_on=end_date + timedelta(days=3),
        form=form,
        by=manager,
    )


def _training(codes: list[str], end_date: date, rng: random.Random) -> int:
    count = 0
    for code in codes:
        for course, hours in rng.sample(COURSES, rng.randint(1, 3)):
            services.training_record_add(
                agent_code=code,
                course=course,
                hours=hours,
                taken_on=end_date - timedelta(days=rng.randint(1, 28)),
                result=rng.choice(("合格", "合格", "优秀", "")),
            )
            count += 1
    return count
