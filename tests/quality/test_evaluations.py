"""Evaluation rules (issue 18): form versions kept, no self-evaluation, the dispute window,
a second evaluator for disputes, the promise-ledger cross-check."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.accounts.factories import UserFactory
from tests.interactions.factories import AgentFactory, InteractionFactory
from tests.quality.conftest import full_marks
from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.domain.qa_forms import parse_form
from yuqi.quality import services
from yuqi.quality.choices import EvaluationStatus, ReviewOutcome
from yuqi.quality.models import QualitySettings

pytestmark = pytest.mark.django_db


def _submit(version, contact, evaluator, **overrides):
    return services.evaluation_submit(
        form_version=version,
        subject_kind="interaction",
        subject_id=contact.pk,
        evaluator=evaluator,
        answers=full_marks(version, promise_standard=None, **overrides),
    )


def test_evaluation_scores_and_records_agent_and_evidence(call_version, contact, supervisor):
    row = _submit(call_version, contact, supervisor, courtesy=5)
    assert row.agent_code == "A0001"
    assert row.agent_user_id == contact.agent.user_id
    assert float(row.score) == pytest.approx(100 * 80 / 85, abs=0.05)  # promise N/A: 85 possible
    assert row.evidence["notes"] == "客户查询话费，已解答。"
    assert row.status == EvaluationStatus.SUBMITTED
    assert row.dispute_until == row.submitted_at + timedelta(days=7)


def test_auto_fail_item_zeroes_the_score(call_version, contact, supervisor):
    row = _submit(call_version, contact, supervisor, accuracy=10)
    assert row.auto_failed
    assert float(row.score) == 0


def test_evaluation_keeps_its_form_version_after_the_form_changes(
    call_form, call_version, contact, supervisor, manager
):
    row = _submit(call_version, contact, supervisor)
    structure = dict(call_version.structure)
    structure["sections"] = [*structure["sections"][:1]]  # a much shorter new version
    new = services.qa_form_publish(form=call_form, structure=structure, by=manager)
    assert new.number == call_version.number + 1
    row.refresh_from_db()
    assert row.form_version_id == call_version.pk
    assert set(row.answers) == {i.key for i in parse_form(call_version.structure).items}
    assert services.latest_version(call_form) == new


def test_an_evaluator_cannot_evaluate_their_own_contacts(call_version, agent, lina_agent):
    agent_who_evaluates = UserFactory(username="lead", roles=["supervisor"])
    AgentFactory(code="A0100", user=agent_who_evaluates)
    own = InteractionFactory(agent=lina_agent.__class__.objects.get(code="A0100"))
    with pytest.raises(DomainError, match="own contacts"):
        _submit(call_version, own, agent_who_evaluates)


def test_agent_acknowledges_own_evaluation(call_version, contact, supervisor, agent):
    row = _submit(call_version, contact, supervisor)
    row = services.evaluation_acknowledge(evaluation=row, by=agent)
    assert row.status == EvaluationStatus.ACKNOWLEDGED
    with pytest.raises(DomainError, match="already answered"):
        services.evaluation_dispute(evaluation=row, by=agent, reason="晚了")


def test_only_the_agent_answers(call_version, contact, supervisor, manager):
    row = _submit(call_version, contact, supervisor)
    with pytest.raises(DomainError, match="Only the evaluated agent"):
        services.evaluation_acknowledge(evaluation=row, by=manager)


def test_dispute_after_the_window_is_refused_with_the_date(
    call_version, contact, supervisor, agent
):
    QualitySettings.objects.update_or_create(pk=1, defaults={"dispute_days": 3})
    row = _submit(call_version, contact, supervisor)
    late = row.submitted_at + timedelta(days=3, minutes=1)
    with pytest.raises(DomainError, match="closed on") as error:
        services.evaluation_dispute(evaluation=row, by=agent, reason="不同意", at=late)
    from django.utils import timezone

    assert timezone.localtime(row.dispute_until).strftime("%Y") in error.value.message
    ok = services.evaluation_dispute(
        evaluation=row, by=agent, reason="不同意", at=row.submitted_at + timedelta(days=2)
    )
    assert ok.status == EvaluationStatus.DISPUTED


def test_dispute_needs_a_reason(call_version, contact, supervisor, agent):
    row = _submit(call_version, contact, supervisor)
    with pytest.raises(DomainError, match="why"):
        services.evaluation_dispute(evaluation=row, by=agent, reason="  ")


def test_dispute_goes_to_a_second_evaluator(call_version, contact, supervisor, agent, manager):
    row = _submit(call_version, contact, supervisor, courtesy=0)
    row = services.evaluation_dispute(evaluation=row, by=agent, reason="我很礼貌")
    with pytest.raises(DomainError, match="second evaluator"):
        services.evaluation_review(evaluation=row, by=supervisor, answers=None, comment="")
    with pytest.raises(DomainError, match="own contacts"):
        services.evaluation_review(evaluation=row, by=agent, answers=None, comment="")
    before = row.score
    row = services.evaluation_review(
        evaluation=row,
        by=manager,
        answers=full_marks(call_version, promise_standard=None),
        comment="录音里态度良好",
    )
    assert row.status == EvaluationStatus.REVIEWED
    assert row.review_outcome == ReviewOutcome.CHANGED
    assert row.original_score == before
    assert float(row.score) == 100.0


def test_promise_item_cannot_be_na_when_the_ledger_has_a_promise(
    call_version, contact, supervisor, monkeypatch
):
    from yuqi.quality import ports

    class Line:
        id, flags, status, text, status_label, interaction_id = (
            9,
            ("too_fast",),
            "open",
            "三天内",
            "Open",
            contact.pk,
        )

    monkeypatch.setattr(ports, "promises_for", lambda **kw: [Line()])
    with pytest.raises(DomainError, match="cannot be N/A"):
        _submit(call_version, contact, supervisor)
    row = services.evaluation_submit(
        form_version=call_version,
        subject_kind="interaction",
        subject_id=contact.pk,
        evaluator=supervisor,
        answers=full_marks(call_version),
    )
    assert row.evidence["promises"][0]["outside_standard"] is True
    assert row.evidence["warnings"]  # full marks on a flagged promise: kept with a warning


@pytest.mark.parametrize("bad", ["x", "-1", "99", "1e3", "<script>"])
def test_hostile_answers_are_refused(call_version, contact, supervisor, bad):
    with pytest.raises(DomainError):
        _submit(call_version, contact, supervisor, greeting=bad)


def test_unknown_contact_is_refused(call_version, supervisor):
    with pytest.raises(DomainError, match="No handled contact"):
        services.evaluation_submit(
            form_version=call_version,
            subject_kind="interaction",
            subject_id=999999,
            evaluator=supervisor,
            answers={},
        )


def test_evidence_masks_personal_data(call_version, lina_agent, supervisor):
    contact = InteractionFactory(agent=lina_agent, notes="客户手机13912345678要求回电")
    row = _submit(call_version, contact, supervisor)
    assert "13912345678" not in row.evidence["notes"]


def test_dispute_window_follows_the_setting(call_version, contact, supervisor):
    QualitySettings.objects.update_or_create(pk=1, defaults={"dispute_days": 2})
    at = now()
    row = services.evaluation_submit(
        form_version=call_version,
        subject_kind="interaction",
        subject_id=contact.pk,
        evaluator=supervisor,
        answers=full_marks(call_version, promise_standard=None),
        at=at,
    )
    assert row.dispute_until == at + timedelta(days=2)


def test_install_defaults_is_idempotent():
    from yuqi.quality.models import QaForm

    assert services.qa_forms_install_defaults() == 0  # the migration already made them
    assert QaForm.objects.filter(builtin=True).count() == 3


def test_complaint_evaluation_carries_text_and_timeline(call_version, supervisor, manager, agent):
    from tests.complaints.factories import open_complaint
    from yuqi.quality.models import QaForm

    ticket = open_complaint(by=agent)
    form = QaForm.objects.get(code="complaint-handling")
    version = services.latest_version(form)
    row = services.evaluation_submit(
        form_version=version,
        subject_kind="complaint",
        subject_id=ticket.pk,
        evaluator=manager,
        answers=full_marks(version, promise_standard=None, matter=None, person=None),
    )
    assert "多扣" in row.evidence["text"]
    assert row.evidence["timeline"]
    assert row.evidence["number"] == ticket.number
