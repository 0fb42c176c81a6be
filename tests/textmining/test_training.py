"""Handler labels (confirm / correct) feed training; too few labels are refused clearly."""

from __future__ import annotations

import pytest

from tests.textmining.factories import BILLING, NETWORK, analysed
from yuqi.core.errors import DomainError
from yuqi.textmining.models import ComplaintAnalysis, ComplaintLabel, TextModel
from yuqi.textmining.services import (
    label_confirm,
    label_correct,
    model_train,
    model_train_now,
)

pytestmark = pytest.mark.django_db

# A kind of complaint the rules file under "privacy" (身份证), but handlers say it is a
# product-quality fault: the self-service machine swallowed the ID card.
SWALLOWED = (
    "营业厅自助机吞了我的身份证",
    "自助机把身份证吞了，取不出来",
    "营业厅自助机吞证，身份证拿不回来",
    "自助机吞掉了我的身份证件",
)


def category_of(complaint) -> str:
    return ComplaintAnalysis.objects.get(complaint_id=complaint.pk).category


def test_confirm_stores_the_predicted_category_and_correct_replaces_it(frozen, outbox, supervisor):
    complaint = analysed(by=supervisor, text=BILLING[0])
    label = label_confirm(complaint_id=complaint.pk, by=supervisor)
    assert (label.code, label.corrected) == ("billing", False)
    label_correct(complaint_id=complaint.pk, code="privacy", by=supervisor)
    label = ComplaintLabel.objects.get(complaint_id=complaint.pk)
    assert (label.code, label.corrected) == ("privacy", True)
    assert ComplaintLabel.objects.count() == 1


def test_correct_refuses_an_unknown_code(frozen, outbox, supervisor):
    complaint = analysed(by=supervisor, text=BILLING[0])
    with pytest.raises(DomainError):
        label_correct(complaint_id=complaint.pk, code="nonsense", by=supervisor)


def test_training_learns_the_handlers_corrections(frozen, outbox, supervisor, analyst):
    for text in BILLING:
        label_confirm(complaint_id=analysed(by=supervisor, text=text).pk, by=supervisor)
    for text in NETWORK:
        label_correct(
            complaint_id=analysed(by=supervisor, text=text).pk, code="quality", by=supervisor
        )
    for text in SWALLOWED:
        complaint = analysed(by=supervisor, text=text)
        assert category_of(complaint) == "privacy"  # the rules' guess
        label_correct(complaint_id=complaint.pk, code="quality", by=supervisor)
    new = analysed(by=supervisor, text="自助机吞了我的身份证，到现在没取出来")
    assert category_of(new) != "quality"
    model = model_train_now(by=analyst)
    assert model.status == "active"
    assert model.label_counts == {"billing": 4, "quality": 8}
    assert set(model.metrics["per_label"]) == {"billing", "quality"}
    assert model.metrics["folds"] == 4  # reduced to the smallest label's size
    analysis = ComplaintAnalysis.objects.get(complaint_id=new.pk)  # re-analysed open ones
    assert (analysis.source, analysis.model_id) == ("model", model.pk)
    assert analysis.category == "quality"


def test_a_new_version_replaces_the_active_one(frozen, outbox, supervisor, analyst):
    for text in BILLING[:2] + NETWORK[:2]:
        label_confirm(complaint_id=analysed(by=supervisor, text=text).pk, by=supervisor)
    first = model_train_now(by=analyst, reanalyse=False)
    second = model_train_now(by=analyst, reanalyse=False)
    first.refresh_from_db()
    assert (first.version, first.status) == (1, "ready")
    assert (second.version, second.status) == (2, "active")


def test_retraining_with_too_few_labels_is_refused_clearly(frozen, outbox, supervisor, analyst):
    for text in BILLING[:3]:
        label_confirm(complaint_id=analysed(by=supervisor, text=text).pk, by=supervisor)
    label_confirm(complaint_id=analysed(by=supervisor, text=NETWORK[0]).pk, by=supervisor)
    with pytest.raises(DomainError) as refused:
        model_train(by=analyst)
    assert refused.value.code == "too_few_labels"
    assert "训练至少需要 2 个类别，且每个类别至少有 2 件已确认的投诉" in refused.value.message
    assert TextModel.objects.count() == 0


def test_queued_training_runs_in_the_task(
    frozen, outbox, supervisor, analyst, django_capture_on_commit_callbacks
):
    from yuqi.textmining.tasks import train_text_model

    for text in BILLING[:2] + NETWORK[:2]:
        label_confirm(complaint_id=analysed(by=supervisor, text=text).pk, by=supervisor)
    row = model_train(by=analyst)
    assert row.status == "training"
    result = train_text_model.call(row.pk)
    row.refresh_from_db()
    assert row.status == "active"
    assert result == "text model v1: active"


def test_a_second_retrain_waits_for_the_running_one(frozen, outbox, supervisor, analyst):
    for text in BILLING[:2] + NETWORK[:2]:
        label_confirm(complaint_id=analysed(by=supervisor, text=text).pk, by=supervisor)
    model_train(by=analyst)
    with pytest.raises(DomainError) as refused:
        model_train(by=analyst)
    assert refused.value.code == "conflict"
    assert TextModel.objects.count() == 1


def test_a_failed_training_is_recorded_and_the_active_model_stays(
    frozen, outbox, supervisor, analyst, monkeypatch
):
    from yuqi.domain.text import classifier  # services import ``train`` when they train

    for text in BILLING[:2] + NETWORK[:2]:
        label_confirm(complaint_id=analysed(by=supervisor, text=text).pk, by=supervisor)
    first = model_train_now(by=analyst, reanalyse=False)

    def broken(*args, **kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(classifier, "train", broken)
    failed = model_train_now(by=analyst, reanalyse=False)
    first.refresh_from_db()
    assert (failed.status, failed.error) == ("failed", "out of memory")
    assert first.status == "active"


def _store_in_format_1(row) -> None:
    """Overwrite the version's file as Yuqi wrote it before model format 2: the jieba
    pipeline, ``format_version`` 1 (what an upgraded installation finds on disk)."""
    import joblib

    from yuqi.domain.text.classifier import train
    from yuqi.textmining.models_store import forget_models, models_dir
    from yuqi.textmining.services import training_data

    data = training_data()
    old = train(data.texts, data.labels, evaluate=False, features="jieba")
    payload = {"magic": "yuqi-text-classifier", "format_version": 1}
    joblib.dump(
        {**payload, "metadata": old.metadata, "pipeline": old.pipeline},
        models_dir() / row.file_name,
    )
    forget_models()


def test_an_active_model_in_the_old_format_serves_until_it_is_retrained(
    frozen, outbox, supervisor, analyst
):
    from yuqi.textmining.services import active_model, model_build, model_upgrade_outdated

    for text in BILLING[:2] + NETWORK[:2]:
        label_confirm(complaint_id=analysed(by=supervisor, text=text).pk, by=supervisor)
    old = model_train_now(by=analyst, reanalyse=False)
    _store_in_format_1(old)
    row, trained = active_model()
    assert (row.pk, trained.outdated) == (old.pk, True)
    assert trained.predict([BILLING[0]])[0].label == "billing"  # still serves

    queued = model_upgrade_outdated()
    assert (queued.version, queued.status) == (2, "training")
    assert model_upgrade_outdated() is None  # already training: not queued twice
    model_build(model_id=queued.pk, reanalyse=False)
    row, trained = active_model()
    assert (row.pk, trained.outdated) == (queued.pk, False)


def test_an_up_to_date_or_missing_model_is_not_retrained(frozen, outbox, supervisor, analyst):
    from yuqi.textmining.services import model_upgrade_outdated

    assert model_upgrade_outdated() is None  # no model at all
    for text in BILLING[:2] + NETWORK[:2]:
        label_confirm(complaint_id=analysed(by=supervisor, text=text).pk, by=supervisor)
    model_train_now(by=analyst, reanalyse=False)
    assert model_upgrade_outdated() is None
    assert TextModel.objects.count() == 1


def test_the_periodic_backfill_queues_the_upgrade(frozen, outbox, supervisor, analyst):
    from yuqi.textmining.tasks import backfill_analyses

    for text in BILLING[:2] + NETWORK[:2]:
        label_confirm(complaint_id=analysed(by=supervisor, text=text).pk, by=supervisor)
    _store_in_format_1(model_train_now(by=analyst, reanalyse=False))
    assert "queued v2" in backfill_analyses.call()
