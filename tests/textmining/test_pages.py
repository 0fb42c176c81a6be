"""Pages: overview, review (one-click confirm), themes, and the complaint panel per role."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from tests.textmining.factories import BILLING, NETWORK, analysed
from yuqi.core.panels import panels_for
from yuqi.textmining.models import ComplaintLabel, TextModel, ThemeRun
from yuqi.textmining.services import label_confirm

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>账单多扣了30元，请回电13812345678"


def panel_html(complaint_id: int, user) -> str:
    panels = [p for p in panels_for("complaint", complaint_id, user) if "textmining" in p.template]
    assert len(panels) == 1
    return render_to_string(panels[0].template, {"panel": panels[0].context})


def test_the_panel_is_hidden_from_agents(frozen, outbox, supervisor, agent):
    complaint = analysed(by=supervisor, text=BILLING[0])
    templates = [p.template for p in panels_for("complaint", complaint.pk, agent)]
    assert "textmining/panels/complaint.html" not in templates


def test_supervisors_see_the_panel_with_label_and_judge_buttons(frozen, outbox, supervisor):
    complaint = analysed(by=supervisor, text=BILLING[0], demand="三天内退还30元")
    html = panel_html(complaint.pk, supervisor)
    assert 'value="confirm"' in html
    assert 'value="unreasonable"' in html
    assert "30" in html


def test_the_panel_shows_masked_text_escaped(frozen, outbox, supervisor, manager):
    complaint = analysed(by=supervisor, text=SCRIPT)
    html = panel_html(complaint.pk, manager)
    assert "138****5678" in html
    assert "13812345678" not in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_the_complaint_page_carries_the_panel(frozen, outbox, supervisor, as_user):
    complaint = analysed(by=supervisor, text=SCRIPT)
    response = as_user(supervisor).get(f"/complaints/{complaint.number}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="text-panel"' in html
    assert "138****5678" in html
    assert "<script>alert" not in html


def test_panel_correct_button_replaces_the_panel(frozen, outbox, supervisor, as_user):
    complaint = analysed(by=supervisor, text=BILLING[0])
    response = as_user(supervisor).post(
        f"/textmining/complaints/{complaint.pk}/label/",
        {"action": "correct", "code": "privacy", "view": "panel"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="text-panel"' in response.content.decode()
    assert ComplaintLabel.objects.get(complaint_id=complaint.pk).code == "privacy"


def test_agents_cannot_label(frozen, outbox, supervisor, agent, as_user):
    complaint = analysed(by=supervisor, text=BILLING[0])
    response = as_user(agent).post(
        f"/textmining/complaints/{complaint.pk}/label/", {"action": "confirm"}
    )
    assert response.status_code == 403
    assert not ComplaintLabel.objects.exists()


def test_review_lists_the_least_certain_first_and_confirms_in_one_click(
    frozen, outbox, supervisor, as_user
):
    sure = analysed(by=supervisor, text=BILLING[3])
    unsure = analysed(by=supervisor, text="我想问一下这个事情怎么处理")
    client = as_user(supervisor)
    html = client.get("/textmining/review/").content.decode()
    assert html.index(unsure.number) < html.index(sure.number)
    response = client.post(
        f"/textmining/complaints/{unsure.pk}/label/",
        {"action": "confirm", "view": "row"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'id="review-{unsure.pk}"' in response.content.decode()
    assert ComplaintLabel.objects.get(complaint_id=unsure.pk).code == "other"
    assert unsure.number not in client.get("/textmining/review/").content.decode()


def test_overview_shows_versions_labels_and_the_retrain_refusal(
    frozen, outbox, supervisor, analyst, as_user
):
    label_confirm(complaint_id=analysed(by=supervisor, text=BILLING[0]).pk, by=supervisor)
    client = as_user(analyst)
    html = client.get("/textmining/").content.decode()
    assert 'hx-post="/textmining/retrain/"' in html
    response = client.post("/textmining/retrain/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "msg-error" in response.content.decode()
    assert TextModel.objects.count() == 0


def test_retrain_button_queues_a_version_that_the_page_polls(
    frozen, outbox, supervisor, analyst, as_user
):
    for text in BILLING[:2] + NETWORK[:2]:
        label_confirm(complaint_id=analysed(by=supervisor, text=text).pk, by=supervisor)
    response = as_user(analyst).post("/textmining/retrain/", HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in response.content.decode()
    assert TextModel.objects.get().status == "training"
    client = as_user(analyst)
    assert "HX-Refresh" not in client.get("/textmining/job/?poll=1").headers
    TextModel.objects.update(status="active")
    assert client.get("/textmining/job/?poll=1").headers["HX-Refresh"] == "true"


def test_supervisors_cannot_retrain(frozen, outbox, supervisor, as_user):
    assert as_user(supervisor).post("/textmining/retrain/").status_code == 403


def test_themes_page_runs_on_a_tiny_corpus_and_escapes_examples(
    frozen, outbox, supervisor, analyst, agent, as_user
):
    for text in (*BILLING, *NETWORK, SCRIPT):
        analysed(by=supervisor, text=text)
    client = as_user(analyst)
    response = client.post(
        "/textmining/themes/", {"date_from": "2026-03-01", "date_to": "2026-03-02", "k": "2"}
    )
    assert response.status_code == 302
    run = ThemeRun.objects.get()
    assert (run.k, run.n_texts) == (2, 9)
    html = client.get(response["Location"]).content.decode()
    assert "<script>alert" not in html
    assert all(term in html for term in run.themes[0]["top_terms"][:2])
    assert as_user(agent).get("/textmining/themes/").status_code == 403


def test_the_panel_shows_the_quoted_promise_and_the_new_outcomes(frozen, outbox, supervisor):
    complaint = analysed(by=supervisor, text="你们说好三天内修好的，这个月的月租给我免了")
    html = panel_html(complaint.pk, supervisor)
    assert "客户引述的承诺" in html  # Quoted promise
    assert "期限 3 天" in html  # within 3 days
    assert "费用减免" in html  # fee waiver


def test_a_quoted_promise_not_in_the_ledger_offers_to_record_it(frozen, outbox, supervisor):
    complaint = analysed(by=supervisor, text="你们说好三天内修好的，到现在还没人来")
    html = panel_html(complaint.pk, supervisor)
    assert "承诺台账中没有记录" in html  # Not in the promise ledger
    assert f"/commitments/new/?complaint={complaint.pk}&amp;kind=repair" in html


def test_a_quoted_promise_shows_the_ledgers_promise_of_that_kind(frozen, outbox, supervisor):
    from yuqi.commitments.facade import commitment_record

    complaint = analysed(by=supervisor, text="你们说好三天内修好的，到现在还没人来")
    line = commitment_record(
        customer_id=complaint.customer_id,
        kind="repair",
        text="三天内上门修复",
        promised_by_id=supervisor.pk,
        complaint_id=complaint.pk,
        notify=False,
    )
    html = panel_html(complaint.pk, supervisor)
    assert f"/commitments/{line.id}/" in html
    assert "已在承诺台账" in html  # In the promise ledger
    assert "承诺台账中没有记录" not in html
