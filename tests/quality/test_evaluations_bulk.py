"""Many evaluations at once (``evaluations_submit``, the demo's month of evaluations): the same
rows, in the same order, and the same refusals as one ``evaluation_submit`` per contact."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.interactions.factories import InteractionFactory
from tests.quality.conftest import full_marks
from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.quality import ports, services
from yuqi.quality.models import Evaluation

pytestmark = pytest.mark.django_db


def _audit() -> list[tuple]:
    """The audit log's entries for evaluations (action, changed fields but the id)."""
    from auditlog.models import LogEntry

    entries = LogEntry.objects.get_for_model(Evaluation).order_by("pk")
    return [
        (e.action, {k: v for k, v in e.changes_dict.items() if k not in ("id", "form_version")})
        for e in entries
    ]


def _rows() -> list[dict]:
    return [
        {k: v for k, v in row.items() if k != "id"}
        for row in Evaluation.objects.order_by("pk").values()
    ]


def test_bulk_evaluations_equal_one_submit_each(
    call_version, lina_agent, other_agent, supervisor, manager, agent, monkeypatch
):
    lina = InteractionFactory(agent=lina_agent, notes="客户手机13912345678要求回电")
    others = [InteractionFactory(agent=other_agent, category=f"c{i}") for i in range(3)]
    promised = others[2]
    real = ports.promises_for

    class Line:
        id, flags, status, text, status_label = 9, ("too_fast",), "open", "三天内", "Open"
        interaction_id = promised.pk

    def promises_for(*, interaction_ids=(), complaint_ids=()):
        lines = real(interaction_ids=interaction_ids, complaint_ids=complaint_ids)
        return [*lines, Line()] if promised.pk in set(interaction_ids) else lines

    monkeypatch.setattr(ports, "promises_for", promises_for)
    at = now() - timedelta(days=1)
    na = full_marks(call_version, promise_standard=None)
    drafts = [
        services.EvaluationDraft(lina.pk, supervisor, na, "注意复述", at),
        services.EvaluationDraft(lina.pk, agent, na),  # 李娜 scoring herself
        services.EvaluationDraft(others[0].pk, manager, full_marks(call_version, greeting="x")),
        services.EvaluationDraft(999_999, manager, na),  # no such contact
        services.EvaluationDraft(promised.pk, supervisor, na),  # N/A on a promised contact
        services.EvaluationDraft(promised.pk, manager, full_marks(call_version), "", at),
        services.EvaluationDraft(others[1].pk, manager, full_marks(call_version, accuracy=10)),
    ]
    fixed = now()
    monkeypatch.setattr(services, "now", lambda: fixed)
    bulk = services.evaluations_submit(form_version=call_version, drafts=drafts)
    bulk_rows, bulk_audit = _rows(), _audit()
    from auditlog.models import LogEntry

    Evaluation.objects.all().delete()
    LogEntry.objects.get_for_model(Evaluation).delete()
    single: list = []
    for draft in drafts:
        try:
            single.append(
                services.evaluation_submit(
                    form_version=call_version,
                    subject_kind="interaction",
                    subject_id=draft.contact_id,
                    evaluator=draft.evaluator,
                    answers=draft.answers,
                    comment=draft.comment,
                    at=draft.at,
                )
            )
        except DomainError as error:
            single.append(error)
    assert bulk_rows == _rows()
    assert bulk_audit == _audit()  # save()'s audit entries, one per evaluation
    assert len(bulk_audit) == 3
    assert len(bulk_rows) == 3
    assert [isinstance(r, DomainError) for r in bulk] == [
        isinstance(r, DomainError) for r in single
    ]
    assert [str(r) for r in bulk if isinstance(r, DomainError)] == [
        str(r) for r in single if isinstance(r, DomainError)
    ]
    saved = [r for r in bulk if isinstance(r, Evaluation)]
    assert all(r.pk for r in saved)
    assert saved[1].evidence["warnings"]  # full marks on a flagged promise, kept with a warning
