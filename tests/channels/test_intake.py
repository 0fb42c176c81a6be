"""The public complaint form ``/c/``: a customer verified by an SMS code files a complaint, a
suggestion or praise, with optional photos or PDFs; and what a hostile visitor meets."""

from __future__ import annotations

import io
import os
import stat

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.channels.conftest import last_code
from tests.customers.factories import CustomerFactory
from yuqi.channels.models import Attachment, IntakeSubmission, VerificationCode

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def start(client: Client, phone: str = PHONE, kind: str = "complaint", **extra):
    return client.post("/c/", {"kind": kind, "phone": phone, "lang": "zh-hans"}, **extra)


def details(
    client: Client, code: str, text: str = "宽带断网三天了，要求尽快修复", files=(), **extra
):
    data = {"code": code, "text": text, "name": "", "lang": "zh-hans"}
    if files:
        data["attachments"] = list(files)
    return client.post("/c/new", data, **extra)


def test_a_customer_files_a_complaint_and_gets_the_number_and_reply_time(
    sms_outbox, django_capture_on_commit_callbacks
):
    from yuqi.complaints.facade import complaint_public_status
    from yuqi.notifications.facade import messages_about
    from yuqi.textmining.facade import complaint_expectation_codes

    customer = CustomerFactory(phone=PHONE)
    client = Client()
    assert client.get("/c/").status_code == 200
    response = start(client)
    assert response.status_code == 302
    assert response["Location"].startswith("/c/new")
    code = last_code(sms_outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = details(client, code)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    row = IntakeSubmission.objects.get()
    assert row.customer_id == customer.pk
    assert not row.new_customer
    assert row.complaint_number in page
    assert "我们将在" in page or "We will contact you by" in page
    status = complaint_public_status(row.complaint_number)
    assert status is not None
    assert status.customer_id == customer.pk
    assert status.next_due_kind == "first_response"
    # the text pipeline analysed it on arrival, as on the agents' path
    assert complaint_expectation_codes(status.id) != []
    # the message log never shows a live code
    log = messages_about("code:intake")
    assert log
    assert code not in log[0].body
    assert "******" in log[0].body


def test_an_unknown_number_becomes_a_new_customer(sms_outbox):
    from yuqi.customers.facade import customer_contact

    client = Client()
    start(client, phone="+86 137 0000 1111")
    details(client, last_code(sms_outbox))
    row = IntakeSubmission.objects.get()
    assert row.new_customer
    assert customer_contact(row.customer_id).phone == "13700001111"


@pytest.mark.parametrize("kind", ["suggestion", "praise"])
def test_suggestions_and_praise_are_recorded_and_thanked(
    sms_outbox, kind, django_capture_on_commit_callbacks
):
    from yuqi.complaints.facade import feedback_texts

    CustomerFactory(phone=PHONE)
    client = Client()
    start(client, kind=kind)
    with django_capture_on_commit_callbacks(execute=True):
        response = details(
            client, last_code(sms_outbox), text="营业厅的王师傅很耐心，建议延长营业时间"
        )
    assert response.status_code == 302
    row = IntakeSubmission.objects.get()
    assert row.kind == kind
    assert row.feedback_id
    assert not row.complaint_number
    assert "营业厅" in feedback_texts([row.feedback_id])[row.feedback_id]
    page = client.get("/c/done?lang=zh-hans").content.decode()
    assert "感谢" in page or "Thank you" in page
    assert any("感谢" in m.body or "Thank" in m.body for m in sms_outbox[1:])


def test_the_form_works_in_english(sms_outbox):
    client = Client()
    page = client.get("/c/?lang=en").content.decode()
    assert "Send me a code" in page
    assert "Mobile number" in page


# ----------------------------------------------------------------------- hostile input
def test_code_guessing_is_locked_after_five_wrong_tries(sms_outbox):
    client = Client()
    start(client)
    code = last_code(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert details(client, wrong).status_code == 422
    row = VerificationCode.objects.get()
    assert row.attempts == 5
    assert row.locked_at is not None
    # the right code no longer works, and no new code is sent while locked
    response = details(client, code)
    assert response.status_code == 422
    assert IntakeSubmission.objects.count() == 0
    sent = len(sms_outbox)
    assert start(client).status_code == 429
    assert len(sms_outbox) == sent


def test_an_expired_code_is_refused(sms_outbox, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    client = Client()
    start(client)
    code = last_code(sms_outbox)
    later = timezone.now() + dt.timedelta(minutes=11)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert details(client, code).status_code == 422
    assert IntakeSubmission.objects.count() == 0


def test_codes_to_one_number_are_rate_limited(sms_outbox):
    client = Client()
    assert start(client).status_code == 302
    assert start(client).status_code == 429  # a second code within the minute
    assert len(sms_outbox) == 1


def test_codes_from_one_address_are_rate_limited(sms_outbox):
    client = Client()
    answers = [start(client, phone=f"1390000{n:04d}").status_code for n in range(12)]
    assert answers[:10] == [302] * 10
    assert answers[10:] == [429, 429]


def test_a_flood_of_posts_from_one_address_is_throttled(sms_outbox):
    client = Client()
    start(client)
    answers = [details(client, "999999" if n % 2 else "888888").status_code for n in range(12)]
    assert 429 in answers
    assert answers.index(429) == 10  # ten posts per ten minutes, then refused


def test_an_executable_renamed_jpg_is_refused(sms_outbox):
    client = Client()
    start(client)
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 500, "image/jpeg")
    response = details(client, last_code(sms_outbox), files=[fake])
    assert response.status_code == 422
    assert "photo.jpg" in response.content.decode()
    assert IntakeSubmission.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_a_damaged_image_with_a_real_signature_is_refused(sms_outbox):
    client = Client()
    start(client)
    fake = SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "image/png")
    assert details(client, last_code(sms_outbox), files=[fake]).status_code == 422


def test_an_oversized_file_is_refused(sms_outbox, settings):
    settings.YUQI_INTAKE_MAX_FILE_MB = 1
    client = Client()
    start(client)
    big = SimpleUploadedFile("big.png", png_bytes() + b"\x00" * (1024 * 1024 + 10), "image/png")
    response = details(client, last_code(sms_outbox), files=[big])
    assert response.status_code == 422
    assert Attachment.objects.count() == 0


def test_a_body_beyond_the_form_limit_is_refused_before_it_is_read():
    client = Client()
    response = client.post(
        "/c/new",
        data=b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413


def test_a_real_image_is_stored_privately_and_staff_may_open_it(
    sms_outbox, supervisor, agent, as_user
):
    client = Client()
    start(client)
    photo = SimpleUploadedFile("../../etc/照片.png", png_bytes(), "application/octet-stream")
    assert details(client, last_code(sms_outbox), files=[photo]).status_code == 302
    row = Attachment.objects.get()
    assert row.content_type == "image/png"
    assert row.original_name == "照片.png"
    from yuqi.channels.attachments import attachment_path

    path = attachment_path(row.stored_name)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    answer = as_user(supervisor).get(f"/channels/attachments/{row.pk}/")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/png"
    assert "attachment" in answer["Content-Disposition"]
    assert as_user(agent).get(f"/channels/attachments/{row.pk}/").status_code == 403
    # the ticket page lists the customer's files: links for a supervisor, names for an agent
    number = row.submission.complaint_number
    supervisor_page = as_user(supervisor).get(f"/complaints/{number}/").content.decode()
    assert f"/channels/attachments/{row.pk}/" in supervisor_page
    agent_page = as_user(agent).get(f"/complaints/{number}/").content.decode()
    assert "照片.png" in agent_page
    assert f"/channels/attachments/{row.pk}/" not in agent_page


def test_script_in_the_text_is_shown_as_text_on_staff_pages(sms_outbox, supervisor, as_user):
    client = Client()
    start(client)
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>{{7*7}}'
    assert details(client, last_code(sms_outbox), text=payload).status_code == 302
    number = IntakeSubmission.objects.get().complaint_number
    staff = as_user(supervisor)
    for url in ("/channels/intake/", f"/complaints/{number}/"):
        page = staff.get(url).content.decode()
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;" in page


def test_formula_text_is_not_a_formula_in_the_export(sms_outbox, supervisor, as_user):
    client = Client()
    start(client)
    assert details(client, last_code(sms_outbox), text='=HYPERLINK("http://x.invalid","点我")')
    csv_text = as_user(supervisor).get("/channels/intake/?format=csv").content.decode("utf-8-sig")
    line = next(row for row in csv_text.splitlines() if "HYPERLINK" in row)
    assert "'=HYPERLINK" in line


def test_the_details_page_needs_a_code_first():
    response = Client().get("/c/new?lang=en")
    assert response.status_code == 302
    assert response["Location"].startswith("/c/")


def test_an_invalid_number_is_refused(sms_outbox):
    response = start(Client(), phone="12345")
    assert response.status_code == 422
    assert sms_outbox == []
