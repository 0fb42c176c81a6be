"""API: models (list, POST retrain), analyses by complaint, labels (confirm/correct)."""

from __future__ import annotations

import pytest

from tests.textmining.factories import BILLING, NETWORK, analysed
from yuqi.textmining.models import ComplaintLabel, TextModel
from yuqi.textmining.services import label_confirm

pytestmark = pytest.mark.django_db


def test_agents_may_not_read_models_or_analyses(agent, as_user):
    client = as_user(agent)
    assert client.get("/api/v1/textmining/models").status_code == 403
    assert client.get("/api/v1/textmining/analyses").status_code == 403


def test_analyses_filter_by_complaint(frozen, outbox, supervisor, as_user):
    complaint = analysed(by=supervisor, text=BILLING[0])
    analysed(by=supervisor, text=NETWORK[0])
    response = as_user(supervisor).get(f"/api/v1/textmining/analyses?complaint={complaint.pk}")
    assert response.status_code == 200
    body = response.json()
    assert [row["complaint_id"] for row in body] == [complaint.pk]
    assert body[0]["category"] == "billing"
    assert body[0]["source"] == "rules"


def test_supervisors_label_but_do_not_retrain(frozen, outbox, supervisor, as_user):
    complaint = analysed(by=supervisor, text=BILLING[0])
    client = as_user(supervisor)
    response = client.post(
        "/api/v1/textmining/labels",
        {"complaint_id": complaint.pk, "action": "correct", "code": "privacy"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["corrected"] is True
    assert ComplaintLabel.objects.get().code == "privacy"
    assert client.post("/api/v1/textmining/models").status_code == 403


def test_retrain_with_too_few_labels_answers_422(frozen, outbox, supervisor, analyst, as_user):
    response = as_user(analyst).post("/api/v1/textmining/models")
    assert response.status_code == 422
    assert "训练至少需要 2 个类别" in response.json()["error"]["message"]  # Chinese by default


def test_analysts_queue_a_retrain_and_list_versions(frozen, outbox, supervisor, analyst, as_user):
    for text in BILLING[:2] + NETWORK[:2]:
        label_confirm(complaint_id=analysed(by=supervisor, text=text).pk, by=supervisor)
    client = as_user(analyst)
    response = client.post("/api/v1/textmining/models")
    assert response.status_code == 202
    assert response.json()["status"] == "training"
    assert [m["version"] for m in client.get("/api/v1/textmining/models").json()] == [1]
    assert TextModel.objects.count() == 1


def test_labelling_an_unknown_code_is_a_validation_error(frozen, outbox, supervisor, as_user):
    complaint = analysed(by=supervisor, text=BILLING[0])
    response = as_user(supervisor).post(
        "/api/v1/textmining/labels",
        {"complaint_id": complaint.pk, "action": "correct", "code": "nope"},
        content_type="application/json",
    )
    assert response.status_code == 422


def test_analyses_carry_the_quoted_promise(frozen, outbox, supervisor, as_user):
    complaint = analysed(by=supervisor, text="客服答应我24小时内回电话，到现在一个电话都没有")
    response = as_user(supervisor).get(f"/api/v1/textmining/analyses?complaint={complaint.pk}")
    promise = response.json()[0]["quoted_promise"]
    assert (promise["kind"], promise["within"], promise["within_unit"]) == ("callback", 24, "hour")
