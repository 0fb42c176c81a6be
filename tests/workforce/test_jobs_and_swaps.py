"""Planning as a background job with its progress on the page; several queues planned as one
skill group; a swap that would break a working-time rule refused with the rule named."""

from __future__ import annotations

import datetime as dt

import pytest

from yuqi.workforce import services
from yuqi.workforce.models import Roster, RosterAssignment, SwapRequest, WorkforceAgent

from .conftest import MONDAY

pytestmark = pytest.mark.django_db


def test_the_page_queues_a_job_and_follows_its_progress(
    manager, as_user, templates, rostered, requirement, django_capture_on_commit_callbacks
):
    client = as_user(manager)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            "/workforce/", {"queue": "hotline", "start": MONDAY.isoformat(), "weeks": 1}
        )
    assert len(callbacks) == 1  # the job is enqueued once the roster row is committed
    roster = Roster.objects.get()
    assert roster.job_state == "queued"
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "排队中" in page
    part = client.get(f"/workforce/rosters/{roster.pk}/?part=job")
    assert "HX-Refresh" not in part
    services.fill_roster(roster.pk)
    roster.refresh_from_db()
    assert roster.job_state == "done"
    assert RosterAssignment.objects.filter(roster=roster).exists()
    part = client.get(f"/workforce/rosters/{roster.pk}/?part=job")
    assert part["HX-Refresh"] == "true"
    assert "data-echarts" in client.get(response["Location"]).content.decode()
    services.fill_roster(roster.pk)  # a second run of the job changes nothing
    assert RosterAssignment.objects.filter(roster=roster).count() == roster.assignments.count()


def test_a_failed_job_says_why(manager, as_user, templates, rostered, requirement):
    roster = Roster.objects.create(
        queue_code="hotline", start=MONDAY, days=7, job_state="queued", created_by=manager
    )
    for template in templates:
        template.active = False
        template.save()
    services.fill_roster(roster.pk)
    roster.refresh_from_db()
    assert roster.job_state == "failed"
    page = (
        as_user(manager)
        .get(f"/workforce/rosters/{roster.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        .content.decode()
    )
    assert "失败" in page


def test_several_queues_are_summed_before_rounding(templates, rostered, monkeypatch):
    from yuqi.operations.facade import RequirementSlot, StaffingQueue

    def fake(*, queue_code, start, end, interval_minutes, today=None):
        share = {"voice": 0.6, "chat": 0.6}[queue_code]
        return [
            RequirementSlot(start + dt.timedelta(days=d), slot, "forecast", 1.0, 1, share, None)
            for d in range((end - start).days + 1)
            for slot in range(18, 34)
        ]

    monkeypatch.setattr(services.operations, "staffing_requirement", fake)
    monkeypatch.setattr(
        services.operations,
        "staffing_queues",
        lambda: [StaffingQueue("voice", "语音"), StaffingQueue("chat", "在线")],
    )
    required, _worked = services.group_requirement(["voice", "chat"], MONDAY, 7)
    assert required[0][20] == pytest.approx(1.2)  # 0.6 + 0.6, not 1 + 1
    roster = services.queue_roster(queue_codes=["voice", "chat"], start=MONDAY, weeks=1, user=None)
    assert roster.queue_code == "voice+chat"
    services.fill_roster(roster.pk)
    roster.refresh_from_db()
    assert roster.job_state == "done"
    assert roster.shortfall == 0
    with pytest.raises(LookupError):
        services.queue_roster(queue_codes=["nope"], start=MONDAY, weeks=1, user=None)


def test_a_swap_that_breaks_a_rule_is_refused_naming_it(supervisor, as_user, templates, rostered):
    """A1002 works six days in a row already; taking A1001's seventh day would make seven
    working days without rest: refused, and the page names the rule in Chinese."""
    late = templates[1]
    roster = Roster.objects.create(queue_code="hotline", start=MONDAY, days=7, status="published")
    a1001, a1002 = rostered[0], rostered[1]
    for d in range(6):
        RosterAssignment.objects.create(
            roster=roster, agent=a1002, day=MONDAY + dt.timedelta(days=d), shift=late
        )
    given = RosterAssignment.objects.create(
        roster=roster, agent=a1001, day=MONDAY + dt.timedelta(days=6), shift=late
    )
    swap = SwapRequest.objects.create(assignment=given, colleague=a1002)
    client = as_user(supervisor)
    page = client.post(
        "/workforce/requests/",
        {"kind": "swap", "pk": swap.pk, "decision": "approve"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    swap.refresh_from_db()
    given.refresh_from_db()
    assert swap.status == "pending"
    assert given.agent == a1001
    assert "本周休息日不足" in page or "连续工作天数过多" in page
    # A colleague who rests that week may take it.
    other = WorkforceAgent.objects.get(acd_code="A1003")
    fine = SwapRequest.objects.create(assignment=given, colleague=other)
    client.post("/workforce/requests/", {"kind": "swap", "pk": fine.pk, "decision": "approve"})
    given.refresh_from_db()
    assert given.agent == other


def test_the_roster_list_names_its_queues_not_their_codes(manager, as_user, requirement):
    Roster.objects.create(queue_code="hotline+gone", start=MONDAY, days=7, created_by=manager)
    page = as_user(manager).get("/workforce/").content.decode()
    assert "客服热线 + gone" in page
    assert "<code>hotline" not in page
