"""Analyses are stored when a complaint opens (after commit) and by the backfill."""

from __future__ import annotations

import pytest

from tests.complaints.factories import open_complaint
from yuqi.core.errors import DomainError
from yuqi.textmining.models import ComplaintAnalysis
from yuqi.textmining.services import analysis_backfill, analysis_run

pytestmark = pytest.mark.django_db


def test_opening_a_complaint_analyses_it_after_commit(
    frozen, outbox, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = open_complaint(
            by=supervisor,
            account="上个月账单多扣了30元，打13812345678也没人回电，再不退我就投诉到工信部！！",
            demand="三天内退还30元",
        )
    analysis = ComplaintAnalysis.objects.get(complaint_id=complaint.pk)
    assert analysis.source == "rules"
    assert analysis.category == "billing"
    assert "138****5678" in analysis.masked_text
    assert "13812345678" not in analysis.masked_text
    assert analysis.amount == 30
    assert analysis.wanted_by is not None
    assert [t["kind"] for t in analysis.signals["threats"]] == ["regulator"]


def test_a_complaint_is_not_analysed_before_its_transaction_commits(frozen, outbox, supervisor):
    open_complaint(by=supervisor)  # test transaction never commits: no callback runs
    assert ComplaintAnalysis.objects.count() == 0


def test_backfill_analyses_only_complaints_without_an_analysis(frozen, outbox, supervisor):
    first = open_complaint(by=supervisor)
    open_complaint(by=supervisor, account="家里宽带每天断线，报修三次没人来")
    analysis_run(complaint_id=first.pk)
    assert analysis_backfill() == 1
    assert ComplaintAnalysis.objects.count() == 2
    assert analysis_backfill() == 0


def test_backfill_honours_its_limit(frozen, outbox, supervisor):
    for _ in range(3):
        open_complaint(by=supervisor)
    assert analysis_backfill(limit=2) == 2
    assert ComplaintAnalysis.objects.count() == 2


def test_reanalysis_keeps_the_handlers_unreasonable_mark(frozen, outbox, supervisor):
    from yuqi.textmining.services import mark_unreasonable

    complaint = open_complaint(by=supervisor)
    analysis_run(complaint_id=complaint.pk)
    mark_unreasonable(complaint_id=complaint.pk, by=supervisor)
    analysis = analysis_run(complaint_id=complaint.pk)
    assert analysis.reasonable["unreasonable"] is True
    assert analysis.excluded


def test_analysing_an_unknown_complaint_is_refused(db):
    with pytest.raises(DomainError):
        analysis_run(complaint_id=999_999)


def test_wanted_time_is_resolved_in_the_local_day(frozen, outbox, supervisor):
    from tests.complaints.factories import sh

    complaint = open_complaint(by=supervisor, account="宽带断了，今天之内必须修好")
    analysis = analysis_run(complaint_id=complaint.pk)
    assert analysis.wanted_by == sh(2026, 3, 2, 23, 59, 59)
    assert analysis.wanted_by_span


def test_a_quoted_promise_is_stored_as_evidence_not_as_the_wanted_time(frozen, outbox, supervisor):
    complaint = open_complaint(by=supervisor, account="你们说好三天内修好的，现在都一个星期了")
    analysis = analysis_run(complaint_id=complaint.pk)
    promise = analysis.quoted_promise
    assert (promise["kind"], promise["within"], promise["within_unit"]) == ("repair", 3, "day")
    assert promise["deadline"] is None
    assert analysis.wanted_by is None


def test_a_complaint_without_a_quoted_promise_stores_none(frozen, outbox, supervisor):
    complaint = open_complaint(by=supervisor, account="家里宽带每天断线，今天必须修好")
    assert analysis_run(complaint_id=complaint.pk).quoted_promise == {}
