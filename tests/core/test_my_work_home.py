"""The agent's home is "my work" (issue 14): my open tickets by due time with their SLA
state, my promises due today or overdue, my flagged promises awaiting approval, the survey
calls waiting. Each panel belongs to its context (``core.panels``, page ``home``); another
agent's work never shows."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.accounts.factories import UserFactory
from tests.commitments.factories import promise
from tests.complaints.factories import open_complaint
from tests.customers.factories import CustomerFactory
from tests.surveys.factories import invitation, survey
from yuqi.core import clock
from yuqi.surveys.choices import InvitationChannel

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(db):
    return UserFactory(username="sunli", display_name="孙丽", roles=["agent"])


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_agent_without_work_sees_empty_panels_that_say_so(agent, as_user):
    page = _home(as_user(agent))
    for text in ("我的待办工单", "您没有待办工单", "今天没有到期的承诺", "您没有待审批的承诺"):
        assert text in page
    assert "调查外呼" in page
    assert "没有需要拨打的客户" in page


def test_my_tickets_show_by_due_time_and_not_a_colleagues(agent, colleague, as_user):
    mine = open_complaint(by=agent, owner=agent, level_code="local")
    urgent = open_complaint(by=agent, owner=agent, level_code="regulator")
    theirs = open_complaint(by=colleague, owner=colleague)
    page = _home(as_user(agent))
    section = page.split('class="card my-work my-tickets"')[1].split("</section>")[0]
    assert mine.number in section
    assert urgent.number in section
    assert theirs.number not in section
    first, second = sorted([mine, urgent], key=lambda t: t.next_due_at)
    assert section.index(first.number) < section.index(second.number)
    assert "剩余" in section or "超时" in section  # the live SLA clock


def test_my_promises_due_today_overdue_and_awaiting_approval(agent, colleague, as_user):
    now = clock.now()
    customer = CustomerFactory(name="赵敏")
    promise(
        by=agent,
        customer=customer,
        at=now - timedelta(hours=3),
        due_at=now - timedelta(minutes=30),
        text="今天回电",
    )
    flagged = promise(
        by=agent,
        customer=customer,
        kind="compensation",
        amount=Decimal("500"),
        at=now,
        text="补偿 500 元话费",
    )
    assert flagged.approval_state == "pending"
    promise(by=colleague, customer=customer, at=now - timedelta(hours=2), text="同事的承诺")
    page = _home(as_user(agent))
    awaiting = page.split('class="card my-work awaiting-approval"')[1].split("</section>")[0]
    assert "补偿 500 元话费" in awaiting
    assert "同事的承诺" not in awaiting
    assert "超出" in awaiting  # why the guard flagged it
    promises = page.split('class="card my-work my-promises"')[1].split("</section>")[0]
    assert "今天回电" in promises
    assert "已逾期" in promises
    assert "同事的承诺" not in page


def test_survey_calls_waiting_are_listed(agent, as_user):
    version_survey = survey()
    customer = CustomerFactory(name="钱多多")
    invitation(version_survey, customer, channel=InvitationChannel.CALL_LIST)
    page = _home(as_user(agent))
    section = page.split('class="card my-work survey-calls"')[1].split("</section>")[0]
    assert "钱多多" in section
    assert "录入答案" in section


def test_an_analyst_sees_no_agent_panels(analyst, as_user):
    page = _home(as_user(analyst))
    assert "我的待办工单" not in page
    assert "来电弹屏" not in page


def test_the_home_page_query_count_does_not_grow_with_my_work(agent, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(client) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    the_survey = survey()

    def more_work() -> None:
        customer = CustomerFactory()
        ticket = open_complaint(by=agent, owner=agent, customer=customer)
        promise(by=agent, customer=customer, at=clock.now(), complaint_id=ticket.pk)
        promise(
            by=agent,
            customer=customer,
            kind="compensation",
            amount=Decimal("500"),
            at=clock.now(),
            complaint_id=ticket.pk,
        )
        invitation(the_survey, customer, channel=InvitationChannel.CALL_LIST)

    client = as_user(agent)
    # every panel full (a short first read is every row, so it asks for no count)
    for _ in range(16):
        more_work()
    count(client)
    full = count(client)
    for _ in range(4):
        more_work()
    assert count(client) == full


def test_my_work_reads_in_english_too(agent, as_user):
    from django.utils import translation

    customer = CustomerFactory()
    client = as_user(agent)
    with translation.override("en"):
        home = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        lookup = client.get(
            "/customers/lookup/", {"phone": "13900001111"}, HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
        log = client.get(
            f"/interactions/log/{customer.external_id}/", HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    for text in ("Incoming call", "My open tickets", "My promises awaiting approval"):
        assert text in home
    assert "No customer has the number 139****1111" in lookup
    assert "Log a contact" in log
    assert "Contact outcome" in log


def test_a_promise_link_that_names_only_the_ticket_finds_its_customer(agent, as_user):
    customer = CustomerFactory(name="赵敏")
    ticket = open_complaint(by=agent, owner=agent, customer=customer)
    client = as_user(agent)
    page = client.get(f"/commitments/new/?complaint={ticket.pk}&kind=callback")
    assert page.status_code == 200
    assert "赵敏" in page.content.decode()
    assert client.get("/commitments/new/?complaint=999999").status_code == 404
    assert client.get("/commitments/new/?complaint=abc").status_code == 404


def test_my_tickets_are_counted_whether_or_not_they_fill_the_panel(agent):
    from yuqi.complaints.home_panels import LIMIT, my_open_tickets

    for _ in range(2):
        open_complaint(by=agent, owner=agent)
    shown, total = my_open_tickets(agent.pk, now=clock.now())
    assert (len(shown), total) == (2, 2)
    for _ in range(LIMIT - 1):
        open_complaint(by=agent, owner=agent)
    shown, total = my_open_tickets(agent.pk, now=clock.now())
    assert (len(shown), total) == (LIMIT, LIMIT + 1)


def test_survey_calls_are_counted_whether_or_not_they_fill_the_panel(agent):
    from yuqi.surveys.home_panels import LIMIT, home_survey_calls

    the_survey = survey()
    for _ in range(2):
        invitation(the_survey, CustomerFactory(), channel=InvitationChannel.CALL_LIST)
    panel = home_survey_calls(agent.pk, agent)
    assert panel is not None
    assert (len(panel.context["calls"]), panel.context["calls_total"]) == (2, 2)
    for _ in range(LIMIT - 1):
        invitation(the_survey, CustomerFactory(), channel=InvitationChannel.CALL_LIST)
    panel = home_survey_calls(agent.pk, agent)
    assert panel is not None
    assert (len(panel.context["calls"]), panel.context["calls_total"]) == (LIMIT, LIMIT + 1)
