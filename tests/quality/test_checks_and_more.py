"""Sample lists, automatic checks and their precision, mystery shopping to the benchmarks,
coaching, training records (entered and imported), the scorecard measures."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.customers.factories import CustomerFactory
from tests.interactions.factories import AgentFactory, InteractionFactory, QueueFactory
from tests.quality.conftest import full_marks
from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.core.measures import measure_source
from yuqi.quality import selectors, services
from yuqi.quality.choices import FlagRule, FlagStatus
from yuqi.quality.importers import TrainingImporter
from yuqi.quality.models import AutoFlag, MysteryTask, QaForm, TrainingRecord

pytestmark = pytest.mark.django_db


def test_stratified_sample_is_per_agent_and_queue_and_reproducible(supervisor):
    agents = [AgentFactory(code=f"S{i}") for i in range(3)]
    queues = [QueueFactory(code="general"), QueueFactory(code="vip", name="VIP")]
    for agent in agents:
        for queue in queues:
            for _ in range(5):
                InteractionFactory(agent=agent, queue=queue)
    today = timezone.localdate()
    draw = lambda seed: services.sample_draw(  # noqa: E731
        name="周抽检",
        method="stratified",
        period_start=today - timedelta(days=1),
        period_end=today,
        per_agent=4,
        seed=seed,
        by=supervisor,
    )
    first, again = draw(7), draw(7)
    items = list(first.items.all())
    assert len(items) == 12
    assert {(i.agent_code, i.queue_code) for i in items} == {
        (a.code, q.code) for a in agents for q in queues
    }
    assert [i.subject_id for i in items] == [i.subject_id for i in again.items.all()]


def test_targeted_long_handle_times(supervisor):
    agent = AgentFactory(code="L1")
    for seconds in range(100, 1100, 100):
        InteractionFactory(agent=agent, talk_seconds=seconds, wrap_seconds=0)
    today = timezone.localdate()
    sample = services.sample_draw(
        name="长通话",
        method="long_handle",
        period_start=today - timedelta(days=1),
        period_end=today,
        per_agent=5,
        seed=1,
        by=supervisor,
    )
    assert [i.reason for i in sample.items.all()] == ["Handle time 1000 s"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"per_agent": 0}, "per agent"), ({"method": "evil"}, "method"), ({"days": 200}, "92 days")],
)
def test_bad_sample_requests_are_refused(supervisor, kwargs, message):
    today = timezone.localdate()
    with pytest.raises(DomainError, match=message):
        services.sample_draw(
            name="x",
            method=kwargs.get("method", "random"),
            period_start=today - timedelta(days=kwargs.get("days", 1)),
            period_end=today,
            per_agent=kwargs.get("per_agent", 2),
            seed=1,
            by=supervisor,
        )


def test_checks_flag_phrases_promises_and_repeats_once(supervisor):
    agent = AgentFactory(code="C1")
    customer = CustomerFactory()
    start = now() - timedelta(hours=5)
    rude = InteractionFactory(agent=agent, notes="我也不知道，这不归我们管", arrived_at=start)
    promise = InteractionFactory(agent=agent, notes="已答应客户明天回电", arrived_at=start)
    first = InteractionFactory(
        agent=agent,
        customer=customer,
        category="账单",
        arrived_at=start,
        first_contact_resolved=True,
    )
    unresolved = InteractionFactory(
        agent=agent,
        customer=CustomerFactory(),
        category="宽带",
        arrived_at=start,
        first_contact_resolved=False,
    )
    InteractionFactory(
        agent=agent,
        customer=unresolved.customer,
        category="宽带",
        arrived_at=start + timedelta(hours=1),
    )
    again = InteractionFactory(
        agent=agent, customer=customer, category="账单", arrived_at=start + timedelta(hours=2)
    )
    result = services.checks_run(since=now() - timedelta(days=1))
    flags = {(f.rule, f.subject_id, f.key) for f in AutoFlag.objects.all()}
    assert (FlagRule.PHRASE, rude.pk, "不知道") in flags
    assert (FlagRule.PHRASE, rude.pk, "这不归我们管") in flags
    assert (FlagRule.UNRECORDED_PROMISE, promise.pk, "promise") in flags
    # the contact marked resolved is flagged, not the repeat; no flag without the claim
    assert (FlagRule.REPEAT_CONTACT, first.pk, "账单") in flags
    assert not any(f[1] == again.pk for f in flags)
    assert not any(f[0] == FlagRule.REPEAT_CONTACT and f[2] == "宽带" for f in flags)
    assert result.created == len(flags)
    assert services.checks_run(since=now() - timedelta(days=1)).created == 0  # idempotent


def test_phrases_in_the_notes_written_on_tickets_are_flagged_once_per_note(supervisor):
    from tests.accounts.factories import UserFactory
    from tests.complaints.factories import open_complaint
    from yuqi.complaints.services import complaint_add_note
    from yuqi.quality.choices import SubjectKind

    writer = UserFactory(roles=["agent"])
    AgentFactory(code="N7", user=writer)
    ticket = open_complaint(by=supervisor, account="宽带三天没网，师傅一直没来。")
    first = complaint_add_note(complaint=ticket, by=writer, text="跟客户说这不归我们管，让他找装维")
    complaint_add_note(complaint=ticket, by=writer, text="已联系装维，约了明早上门")
    second = complaint_add_note(complaint=ticket, by=supervisor, text="客户又问，我说不知道")
    result = services.checks_run(since=now() - timedelta(days=1))
    flags = AutoFlag.objects.filter(subject_kind=SubjectKind.COMPLAINT, subject_id=ticket.pk)
    assert sorted(flags.values_list("key", "agent_code")) == [
        (f"不知道#{second.pk}", ""),  # the supervisor is no agent: flagged, no work number
        (f"这不归我们管#{first.pk}", "N7"),
    ]
    assert "这不归我们管，让他找装维" in flags.get(agent_code="N7").detail
    assert result.scanned_notes == 3
    assert services.checks_run(since=now() - timedelta(days=1)).created == 0  # idempotent


def test_ticket_notes_since_reads_writers_in_a_constant_number_of_queries(supervisor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.accounts.factories import UserFactory
    from tests.complaints.factories import open_complaint
    from yuqi.complaints.services import complaint_add_note
    from yuqi.quality import ports

    ticket = open_complaint(by=supervisor, account="宽带三天没网，师傅一直没来。")
    since = now() - timedelta(days=1)

    def notes_by(writers: int) -> tuple[int, list]:
        for i in range(writers):
            writer = UserFactory(roles=["agent"])
            AgentFactory(code=f"W{writers}{i}", user=writer)
            complaint_add_note(complaint=ticket, by=writer, text=f"第{i}条")
        with CaptureQueriesContext(connection) as queries:
            notes = ports.ticket_notes_since(since, now() + timedelta(minutes=1))
        return len(queries), notes

    few, _ = notes_by(1)
    many, notes = notes_by(6)
    assert many == few  # not one query per writer
    assert {code for *_, code in notes} >= {"W10", "W60", "W65"}


def test_flag_precision_per_rule(supervisor):
    agent = AgentFactory(code="C2")
    for text in ("不知道", "没办法", "不知道呀"):
        InteractionFactory(agent=agent, notes=text)
    services.checks_run(since=now() - timedelta(days=1))
    flags = list(AutoFlag.objects.filter(rule=FlagRule.PHRASE))
    services.flag_decide(flag=flags[0], by=supervisor, confirm=True)
    services.flag_decide(flag=flags[1], by=supervisor, confirm=False)
    phrase = next(r for r in selectors.flag_precision() if r.rule == FlagRule.PHRASE)
    assert (phrase.confirmed, phrase.dismissed, phrase.open) == (1, 1, 1)
    assert phrase.precision == 0.5
    assert AutoFlag.objects.get(pk=flags[0].pk).status == FlagStatus.CONFIRMED


def test_phrase_list_is_editable(manager):
    services.phrase_rule_add(phrase="  找别人去  ", severity="forbidden")
    with pytest.raises(DomainError):
        services.phrase_rule_add(phrase="x" * 61, severity="forbidden")
    with pytest.raises(DomainError):
        services.phrase_rule_add(phrase="好", severity="evil")


def test_mystery_task_scored_on_the_form(supervisor, lina_agent):
    form = QaForm.objects.get(code="mystery-shopping")
    task = services.mystery_task_create(
        title="咨询套餐",
        scenario="问5G套餐区别",
        script="我想换套餐",
        shopper="王芳",
        channel="phone",
        planned_on=timezone.localdate(),
        form=form,
        by=supervisor,
    )
    version = services.latest_version(form)
    row = services.mystery_task_score(
        task=task,
        evaluator=supervisor,
        answers=full_marks(version, promise_standard=None),
        agent_code="A0001",
        done_on=timezone.localdate(),
    )
    assert row.subject_kind == "mystery"
    assert row.agent_code == "A0001"
    assert MysteryTask.objects.get(pk=task.pk).status == "done"
    with pytest.raises(DomainError, match="already"):
        services.mystery_task_score(
            task=task, evaluator=supervisor, answers={}, agent_code="", done_on=timezone.localdate()
        )


def test_peer_test_calls_become_benchmark_values_with_provenance(analyst):
    from yuqi.insights.models import PeerIndicatorValue

    at = now() - timedelta(days=1)
    for wait, answered, solved in ((30, True, True), (90, True, False), (None, False, None)):
        services.peer_call_log(
            peer="某银行信用卡中心",
            called_at=at,
            number_called="95555",
            answered=answered,
            wait_seconds=wait,
            ivr_steps=3,
            question_answered=solved,
            notes="",
            by=analyst,
        )
    day = timezone.localdate()
    result = services.peer_calls_publish(period_start=day - timedelta(days=7), period_end=day)
    assert (result.peers, result.values) == (1, 3)
    values = {v.indicator: v for v in PeerIndicatorValue.objects.all()}
    assert values["answer_rate"].value == Decimal("0.6667")
    assert values["asa_seconds"].value == Decimal("60.0000")
    assert values["fcr"].value == Decimal("0.5000")
    assert "test calls" in values["fcr"].source


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"wait_seconds": -1}, "wait_seconds"),
        ({"ivr_steps": 99}, "ivr_steps"),
        ({"peer": " "}, "peer"),
        ({"called_at": "future"}, "called_at"),
    ],
)
def test_bad_test_calls_are_refused(analyst, kwargs, field):
    data = {
        "peer": "某中心",
        "called_at": now(),
        "number_called": "1",
        "answered": True,
        "wait_seconds": 10,
        "ivr_steps": 1,
        "question_answered": True,
        "notes": "",
        "by": analyst,
    }
    data.update(kwargs)
    if data["called_at"] == "future":
        data["called_at"] = now() + timedelta(days=1)
    with pytest.raises(DomainError) as error:
        services.peer_call_log(**data)
    assert error.value.field == field


def test_coaching_note_rules(supervisor, lina_agent):
    today = timezone.localdate()
    note = services.coaching_note_add(
        agent_code="A0001",
        coach=supervisor,
        topic="所答为所问",
        note="先复述客户问题",
        coached_on=today,
        follow_up_on=today + timedelta(days=7),
    )
    assert note.follow_up_on == today + timedelta(days=7)
    with pytest.raises(DomainError, match="before"):
        services.coaching_note_add(
            agent_code="A0001",
            coach=supervisor,
            topic="t",
            note="n",
            coached_on=today,
            follow_up_on=today - timedelta(days=1),
        )
    with pytest.raises(DomainError, match="Unknown agent"):
        services.coaching_note_add(
            agent_code="NOPE", coach=supervisor, topic="t", note="n", coached_on=today
        )


def test_training_import_checks_rows_and_stores(lina_agent):
    importer = TrainingImporter()
    good = importer.check(
        {"agent_code": "A0001", "course": "投诉处理六步法", "hours": "4", "taken_on": "2026-11-20"}
    )
    assert good.record is not None
    for bad in (
        {"agent_code": "A0001", "course": "x", "hours": "0", "taken_on": "2026-11-20"},
        {"agent_code": "A0001", "course": "x", "hours": "500", "taken_on": "2026-11-20"},
        {"agent_code": "A0001", "course": "", "hours": "2", "taken_on": "2026-11-20"},
        {"agent_code": "A0001", "course": "x", "hours": "2", "taken_on": "not a date"},
        {"agent_code": "A0001", "course": "x" * 200, "hours": "2", "taken_on": "2026-11-20"},
    ):
        assert importer.check(bad).record is None, bad
    unknown = importer.check(
        {"agent_code": "ZZZ", "course": "x", "hours": "1", "taken_on": "2026-11-20"}
    )
    result = importer.store([good.record, unknown.record])
    assert result.created == 1
    assert result.rejected[0][1] == "agent_code"
    assert TrainingRecord.objects.get().source == "imported"


def test_scorecard_measures_have_real_values(supervisor, lina_agent, contact, call_version):
    services.evaluation_submit(
        form_version=call_version,
        subject_kind="interaction",
        subject_id=contact.pk,
        evaluator=supervisor,
        answers=full_marks(call_version, promise_standard=None),
    )
    today = timezone.localdate()
    services.training_record_add(
        agent_code="A0001", course="礼仪", hours=Decimal("6"), taken_on=today
    )
    services.coaching_note_add(
        agent_code="A0001", coach=supervisor, topic="t", note="n", coached_on=today
    )
    start = today - timedelta(days=30)
    assert measure_source("qa_score")(start, today).value == 100.0
    assert measure_source("training_hours")(start, today).value == 6.0  # one agent handled contacts
    assert measure_source("coaching_done")(start, today).value == 1.0


def test_agent_quality_rows(supervisor, lina_agent, contact, call_version):
    services.evaluation_submit(
        form_version=call_version,
        subject_kind="interaction",
        subject_id=contact.pk,
        evaluator=supervisor,
        answers=full_marks(call_version, promise_standard=None, accuracy=0),
    )
    today = timezone.localdate()
    rows = selectors.agent_quality(start=today - timedelta(days=7), end=today)
    lina = next(r for r in rows if r.code == "A0001")
    assert (lina.evaluations, lina.auto_fails, lina.mean_score) == (1, 1, 0.0)
    assert lina.contacts == 1
    assert lina.aht_seconds == 210
    teams = selectors.team_quality(rows)
    assert teams[0].evaluations == 1
