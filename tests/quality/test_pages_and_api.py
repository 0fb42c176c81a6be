"""Pages and API: an agent sees only their own evaluations; access is checked before the body
is read; the evaluate → acknowledge / dispute flow through the pages; every page renders."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.interactions.factories import AgentFactory, InteractionFactory
from tests.quality.conftest import full_marks
from yuqi.quality import services
from yuqi.quality.choices import EvaluationStatus

pytestmark = pytest.mark.django_db


def _evaluate(version, contact, evaluator):
    return services.evaluation_submit(
        form_version=version,
        subject_kind="interaction",
        subject_id=contact.pk,
        evaluator=evaluator,
        answers=full_marks(version, promise_standard=None),
    )


@pytest.fixture
def colleague_evaluation(call_version, other_agent, supervisor):
    """An evaluation of another agent (赵强, A0002), with a signed-in account of his own."""
    other_agent.user = UserFactory(username="zhaoqiang", roles=["agent"])
    other_agent.save()
    return _evaluate(call_version, InteractionFactory(agent=other_agent), supervisor)


def test_agent_sees_only_their_own_evaluations(
    as_user, agent, call_version, contact, supervisor, colleague_evaluation
):
    mine = _evaluate(call_version, contact, supervisor)
    client = as_user(agent)
    page = client.get(reverse("quality:my_evaluations"))
    assert page.status_code == 200
    assert f"#{mine.pk}<" in page.content.decode()
    assert f"#{colleague_evaluation.pk}<" not in page.content.decode()
    assert client.get(reverse("quality:evaluation", args=[mine.pk])).status_code == 200
    assert (
        client.get(reverse("quality:evaluation", args=[colleague_evaluation.pk])).status_code == 404
    )
    api = client.get("/api/v1/quality/evaluations/mine")
    assert [row["id"] for row in api.json()] == [mine.pk]
    assert client.get(f"/api/v1/quality/evaluations/{colleague_evaluation.pk}").status_code == 404
    answer = reverse("quality:evaluation_answer", args=[colleague_evaluation.pk])
    assert client.post(answer, {"action": "acknowledge"}).status_code == 404
    colleague_evaluation.refresh_from_db()
    assert colleague_evaluation.status == EvaluationStatus.SUBMITTED


def test_agent_cannot_open_the_evaluator_pages(as_user, agent):
    client = as_user(agent)
    for name in ("quality:home", "quality:evaluations", "quality:samples", "quality:agents"):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("quality:evaluate") + "?kind=interaction&id=1").status_code == 403


def test_api_checks_permission_before_the_body(as_user, agent):
    client = as_user(agent)
    response = client.post(
        "/api/v1/quality/evaluations", data="{not json", content_type="application/json"
    )
    assert response.status_code == 403


def test_api_dispute_body_checked_after_permission(as_user, analyst):
    response = as_user(analyst).post(
        "/api/v1/quality/evaluations/1/dispute", data="{}", content_type="application/json"
    )
    assert response.status_code == 403  # no view_own_evaluations: refused before the 422


def test_evaluate_acknowledge_through_the_pages(
    as_user, supervisor, agent, contact, call_form, call_version
):
    boss = as_user(supervisor)
    url = reverse("quality:evaluate") + f"?kind=interaction&id={contact.pk}"
    assert boss.get(url).status_code == 200
    data = {
        f"item_{k}": ("na" if v is None else v)
        for k, v in full_marks(call_version, promise_standard=None).items()
    }
    data.update(kind="interaction", id=contact.pk, form=call_form.pk, comment="很好")
    response = boss.post(reverse("quality:evaluate"), data)
    assert response.status_code == 302
    pk = int(response.url.rstrip("/").split("/")[-1])
    me = as_user(agent)
    page = me.get(reverse("quality:evaluation", args=[pk]))
    assert "acknowledge" in page.content.decode()
    me.post(reverse("quality:evaluation_answer", args=[pk]), {"action": "acknowledge"})
    assert services.Evaluation.objects.get(pk=pk).status == EvaluationStatus.ACKNOWLEDGED


def test_evaluate_page_refuses_own_contact(as_user, call_version):
    lead = UserFactory(username="lead2", roles=["supervisor"])
    own = InteractionFactory(agent=AgentFactory(code="A0200", user=lead))
    client = as_user(lead)
    page = client.get(reverse("quality:evaluate") + f"?kind=interaction&id={own.pk}")
    assert page.status_code == 200
    assert 'id="evaluate-form"' not in page.content.decode()


def test_api_create_and_dispute(as_user, supervisor, agent, contact, call_version):
    answers = full_marks(call_version, promise_standard=None)
    body = {
        "subject_kind": "interaction",
        "subject_id": contact.pk,
        "form_code": "call-handling",
        "answers": answers,
    }
    created = as_user(supervisor).post(
        "/api/v1/quality/evaluations", data=json.dumps(body), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    disputed = as_user(agent).post(
        f"/api/v1/quality/evaluations/{pk}/dispute",
        data=json.dumps({"reason": "录音可以证明"}),
        content_type="application/json",
    )
    assert disputed.json()["status"] == "disputed"


def test_api_refuses_hostile_answers(as_user, supervisor, contact):
    body = {
        "subject_kind": "interaction",
        "subject_id": contact.pk,
        "form_code": "call-handling",
        "answers": {"greeting": "<script>", **{f"k{i}": 1 for i in range(200)}},
    }
    response = as_user(supervisor).post(
        "/api/v1/quality/evaluations", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code in (400, 422)


@pytest.mark.parametrize(
    "name",
    [
        "quality:home",
        "quality:evaluations",
        "quality:samples",
        "quality:calibrations",
        "quality:flags",
        "quality:mystery",
        "quality:agents",
        "quality:training",
    ],
)
def test_pages_render_for_a_supervisor(as_user, supervisor, name, contact):
    assert as_user(supervisor).get(reverse(name)).status_code == 200


def test_form_page_shows_versions(as_user, supervisor, call_form):
    page = as_user(supervisor).get(reverse("quality:form", args=[call_form.pk]))
    assert "v1" in page.content.decode()


def test_manager_publishes_a_new_version_and_old_evaluations_keep_theirs(
    as_user, manager, supervisor, contact, call_form, call_version
):
    import copy

    old = _evaluate(call_version, contact, supervisor)
    structure = copy.deepcopy(call_version.structure)
    structure["sections"][0]["items"][0]["points"] = 10
    client = as_user(manager)
    url = reverse("quality:form_edit", args=[call_form.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"structure": json.dumps(structure, ensure_ascii=False)})
    assert response.status_code == 302
    assert call_form.versions.count() == 2
    old.refresh_from_db()
    assert old.form_version_id == call_version.pk
    page = as_user(supervisor).get(reverse("quality:evaluation", args=[old.pk]))
    assert page.context["outdated"] is True  # "the form has since changed (now v2)"
    assert "第 2 版" in page.content.decode()


@pytest.mark.parametrize("body", ["{bad json", "[]", '{"sections": "x"}', "x" * 60_000])
def test_bad_form_json_is_refused(as_user, manager, call_form, body):
    response = as_user(manager).post(
        reverse("quality:form_edit", args=[call_form.pk]), {"structure": body}
    )
    assert response.status_code == 200
    assert call_form.versions.count() == 1


def test_supervisor_cannot_edit_forms(as_user, supervisor, call_form):
    url = reverse("quality:form_edit", args=[call_form.pk])
    assert as_user(supervisor).post(url, {"structure": "{}"}).status_code == 403


def test_training_file_import_on_the_training_page(as_user, supervisor, analyst, lina_agent):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yuqi.quality.models import TrainingRecord

    def upload():
        rows = "工号,课程,学时,日期\nA0001,礼仪,3,2026-11-20\nZZZ,礼仪,3,2026-11-20\n"
        return {"file": SimpleUploadedFile("培训.csv", rows.encode(), "text/csv")}

    url = reverse("quality:training_import")
    assert as_user(analyst).post(url, upload()).status_code == 403  # reads, may not add
    boss = as_user(supervisor)
    assert "/imports/" not in boss.get(reverse("quality:training")).content.decode()
    page = boss.post(url, upload(), follow=True)
    text = page.content.decode()
    assert "读取 2 行，新增 1 行" in text  # the pages answer in Chinese
    assert "第 3 行，工号" in text
    assert list(TrainingRecord.objects.values_list("agent_code", "hours")) == [("A0001", 3)]
    assert "请选择一个 CSV 或 Excel 文件" in boss.post(url, {}, follow=True).content.decode()


def test_training_file_import_refuses_hostile_files(as_user, supervisor, lina_agent, monkeypatch):
    """Too large, the wrong kind, or cells that look like formulas and markup: refused or shown
    as plain text, and nothing good lost."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yuqi.quality import views
    from yuqi.quality.models import TrainingRecord

    url = reverse("quality:training_import")
    boss = as_user(supervisor)
    monkeypatch.setattr(views, "TRAINING_UPLOAD_MAX_BYTES", 64)
    big = SimpleUploadedFile(
        "培训.csv", ("工号,课程,学时,日期\n" + "A0001,礼仪,3,2026-11-20\n" * 9).encode()
    )
    assert "文件超过 5 MB" in boss.post(url, {"file": big}, follow=True).content.decode()
    monkeypatch.undo()
    page = boss.post(
        url, {"file": SimpleUploadedFile("x.html", b"<script>1</script>")}, follow=True
    )
    assert "请上传 .csv 或 .xlsx 文件" in page.content.decode()
    assert not TrainingRecord.objects.exists()
    rows = '工号,课程,学时,日期\nA0001,"=HYPERLINK(""http://x"")",3,2026-11-20\nA0001,<b>x</b>,2,2026-11-21\n'
    text = boss.post(url, {"file": SimpleUploadedFile("t.csv", rows.encode())}, follow=True)
    html = text.content.decode()
    assert "<b>x</b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert TrainingRecord.objects.count() == 2
