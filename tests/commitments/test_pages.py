"""The promise pages: who may open and do what, the tabs, the form's live guard, the 360 panel,
and a promise text with HTML shown inert."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.commitments.factories import TUESDAY_10, promise, sh
from tests.customers.factories import CustomerFactory
from yuqi.commitments.models import Commitment

H = dt.timedelta(hours=1)
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def made(agent, calls, frozen):
    return promise(by=agent, due_at=TUESDAY_10 + 4 * H)


# -------------------------------------------------------------------- access
@pytest.mark.django_db
@pytest.mark.parametrize("role", ["agent", "supervisor", "analyst", "manager", "admin_user"])
def test_every_role_reads_the_promise_list(request, as_user, role, frozen):
    user = request.getfixturevalue(role)
    assert as_user(user).get("/commitments/").status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/commitments/")
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize("tab", ["due_today", "overdue", "approval", "broken", "all"])
def test_each_tab_lists_its_promises(as_user, supervisor, made, tab):
    response = as_user(supervisor).get(f"/commitments/?tab={tab}")
    assert response.status_code == 200
    listed = made.text in response.content.decode()
    assert listed is (tab in ("due_today", "all"))


def test_the_broken_tab_shows_a_chart_of_broken_promises_by_agent(as_user, supervisor, made):
    from yuqi.commitments.services import commitments_break_overdue

    commitments_break_overdue(at=made.due_at + H)
    page = as_user(supervisor).get("/commitments/?tab=broken").content.decode()
    assert "data-echarts" in page
    assert "李娜" in page


def test_the_list_badges_status_and_its_chart_with_the_choice_set_colours(
    as_user, supervisor, made
):
    """One colour source: the status badge and the broken-promises chart read CommitmentStatus."""
    from yuqi.commitments.choices import CommitmentStatus
    from yuqi.commitments.services import commitments_break_overdue

    page = as_user(supervisor).get("/commitments/?tab=all").content.decode()
    assert '<span class="badge colour-teal" data-value="open">' in page
    commitments_break_overdue(at=made.due_at + H)
    page = as_user(supervisor).get("/commitments/?tab=broken").content.decode()
    assert '<span class="badge colour-red" data-value="broken">' in page
    assert CommitmentStatus.BROKEN.colour.fill in page


def test_the_mine_filter_shows_only_my_promises(as_user, agent, supervisor, calls, frozen):
    promise(by=agent, text="李娜的承诺", due_at=TUESDAY_10 + 2 * H)
    promise(by=supervisor, text="王强的承诺", due_at=TUESDAY_10 + 2 * H)
    page = as_user(agent).get("/commitments/?tab=all&mine=on").content.decode()
    assert "李娜的承诺" in page
    assert "王强的承诺" not in page


def test_the_promise_page_shows_its_ledger(as_user, analyst, made):
    page = as_user(analyst).get(f"/commitments/{made.pk}/").content.decode()
    ledger = page.split('class="timeline"')[1]
    assert "<time>2026-03-10 10:00</time>" in ledger
    assert "李娜" in ledger
    assert "Mark fulfilled" not in page  # analysts only read


# ------------------------------------------------------------------ actions
def test_the_promiser_marks_it_fulfilled_with_evidence(as_user, agent, made):
    response = as_user(agent).post(
        f"/commitments/{made.pk}/fulfil/", {"evidence": "已回电", "evidence_file": ""}
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == "fulfilled"


def test_an_agent_cannot_change_a_colleagues_promise(as_user, agent, supervisor, calls, frozen):
    theirs = promise(by=supervisor, due_at=TUESDAY_10 + 4 * H)
    response = as_user(agent).post(f"/commitments/{theirs.pk}/fulfil/", {"evidence": "x"})
    assert response.status_code == 403
    assert Commitment.objects.get(pk=theirs.pk).status == "open"


def test_a_supervisor_may_change_anyones_promise(as_user, supervisor, made):
    response = as_user(supervisor).post(
        f"/commitments/{made.pk}/renegotiate/",
        {"due_at": "2026-03-11T16:00", "reason": "备件未到"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    made.refresh_from_db()
    assert made.due_at == sh(2026, 3, 11, 16)
    assert "备件未到" in response.content.decode()


def test_an_analyst_cannot_act_on_promises(as_user, analyst, made):
    assert (
        as_user(analyst).post(f"/commitments/{made.pk}/fulfil/", {"evidence": "x"}).status_code
        == 403
    )


def test_fulfilling_without_evidence_shows_the_error_and_changes_nothing(as_user, agent, made):
    response = as_user(agent).post(
        f"/commitments/{made.pk}/fulfil/", {"evidence": ""}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    made.refresh_from_db()
    assert made.status == "open"


def test_agents_cannot_approve_supervisors_can(as_user, agent, supervisor, calls, frozen):
    flagged = promise(by=agent, kind="repair", due_at=TUESDAY_10 + 2 * H)
    assert as_user(agent).post(f"/commitments/{flagged.pk}/approve/", {}).status_code == 403
    response = as_user(supervisor).post(
        f"/commitments/{flagged.pk}/approve/", {"note": "ok"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    flagged.refresh_from_db()
    assert flagged.approval_state == "approved"


def test_a_supervisor_rejects_with_a_reason(as_user, agent, supervisor, calls, frozen):
    flagged = promise(by=agent, kind="repair", due_at=TUESDAY_10 + 2 * H)
    as_user(supervisor).post(f"/commitments/{flagged.pk}/reject/", {"reject-reason": "做不到"})
    flagged.refresh_from_db()
    assert (flagged.approval_state, flagged.status) == ("rejected", "cancelled")


# ---------------------------------------------------------------- new promise
def test_the_form_records_a_promise_for_the_customer(as_user, agent, calls, frozen):
    customer = CustomerFactory()
    url = f"/commitments/new/?customer={customer.external_id}"
    assert as_user(agent).get(url).status_code == 200
    response = as_user(agent).post(
        "/commitments/new/",
        {"customer": customer.external_id, "kind": "refund", "text": "三个工作日内退款"},
    )
    made = Commitment.objects.get(customer=customer)
    assert response.status_code == 302
    assert response["Location"] == f"/commitments/{made.pk}/"
    assert made.promised_by == agent
    assert made.due_at == sh(2026, 3, 16, 17, 30)  # 3 + 1 working days from Tue 10:00


def test_the_live_preview_shows_the_suggested_due_and_the_flags(as_user, agent, frozen):
    customer = CustomerFactory()
    response = as_user(agent).post(
        "/commitments/new/preview/",
        {
            "customer": customer.external_id,
            "kind": "compensation",
            "text": "补偿",
            "amount": "80",
        },
    )
    page = response.content.decode()
    assert "2026-03-16 17:30" in page
    assert "80.00" in page
    assert "50.00" in page
    assert not Commitment.objects.exists()


def test_an_unknown_customer_is_not_found(as_user, agent):
    assert as_user(agent).get("/commitments/new/?customer=NOPE").status_code == 404
    assert as_user(agent).get("/commitments/new/?complaint=999999").status_code == 404
    assert as_user(agent).get("/commitments/new/?complaint=1e9").status_code == 404


def test_a_link_from_a_ticket_names_the_ticket_only(as_user, agent):
    from tests.complaints.factories import open_complaint

    ticket = open_complaint(by=agent)
    page = as_user(agent).get(f"/commitments/new/?complaint={ticket.pk}&kind=repair")
    assert page.status_code == 200
    assert ticket.customer.external_id in page.content.decode()


def test_an_analyst_cannot_record_promises(as_user, analyst):
    customer = CustomerFactory()
    url = f"/commitments/new/?customer={customer.external_id}"
    assert as_user(analyst).get(url).status_code == 403


# --------------------------------------------------------------- html, 360
def test_a_promise_text_with_html_is_shown_inert(as_user, agent, calls, frozen):
    made = promise(by=agent, text=HOSTILE, due_at=TUESDAY_10 + 4 * H)
    for url in (f"/commitments/{made.pk}/", "/commitments/?tab=all"):
        page = as_user(agent).get(url).content.decode()
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;" in page


def test_the_customer_360_shows_open_promises(as_user, agent, made):
    page = as_user(agent).get(f"/customers/{made.customer.external_id}/").content.decode()
    assert made.text in page
    assert f"/commitments/{made.pk}/" in page
    assert f"/commitments/new/?customer={made.customer.external_id}" in page


def test_the_navigation_has_promises(as_user, agent, frozen):
    page = as_user(agent).get("/commitments/").content.decode()
    assert 'href="/commitments/"' in page


def test_the_list_page_does_not_query_per_row(
    as_user, supervisor, agent, calls, frozen, django_assert_max_num_queries
):
    for n in range(15):
        promise(by=agent, text=f"承诺 {n}", due_at=TUESDAY_10 + 4 * H)
    client = as_user(supervisor)
    client.get("/commitments/?tab=all")  # warm the session and permission caches
    with django_assert_max_num_queries(14):
        client.get("/commitments/?tab=all")


# ------------------------------------------------ review F-6: approval before keeping
def test_the_agent_is_offered_no_fulfil_while_approval_is_pending(as_user, agent, calls, frozen):
    flagged = promise(by=agent, kind="repair", due_at=TUESDAY_10 + 2 * H)
    client = as_user(agent)
    page = client.get(f"/commitments/{flagged.pk}/").content.decode()
    assert f"/commitments/{flagged.pk}/fulfil/" not in page
    assert f"/commitments/{flagged.pk}/renegotiate/" not in page
    assert 'data-approval="pending"' in page
    response = client.post(f"/commitments/{flagged.pk}/fulfil/", {"evidence": "已付"})
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert (flagged.status, flagged.approval_state) == ("open", "pending")
