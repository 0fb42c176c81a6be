from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.interactions.factories import InteractionFactory, QueueFactory


def test_dashboard_shows_the_day_against_targets(as_user, manager):
    from yuqi.core.clock import day_start

    # Today's contacts, also in the first half hour after local midnight (16:00 UTC).
    today = day_start(timezone.localdate(timezone.now()))
    now = max(timezone.now(), today + timedelta(minutes=30))
    general = QueueFactory(code="general", name="普通话务")
    InteractionFactory(queue=general, arrived_at=now - timedelta(minutes=30), wait_seconds=5)
    InteractionFactory(queue=general, arrived_at=now - timedelta(minutes=20), wait_seconds=60)
    InteractionFactory(
        queue=general,
        arrived_at=now - timedelta(minutes=10),
        abandoned=True,
        answered_at=None,
        agent=None,
        wait_seconds=40,
        talk_seconds=0,
    )
    page = as_user(manager).get("/operations/").content.decode()
    assert "普通话务" in page
    assert "data-echarts" in page
    assert "33.3%" in page  # 1 of 3 answered within 20 s


def test_dashboard_falls_back_to_the_latest_day_with_contacts(as_user, manager):
    InteractionFactory(arrived_at=timezone.now() - timedelta(days=3))
    page = as_user(manager).get("/operations/").content.decode()
    expected = timezone.localdate(timezone.now() - timedelta(days=3)).isoformat()
    assert expected in page


def test_dashboard_download_matches_intervals(as_user, manager):
    InteractionFactory(arrived_at=timezone.now() - timedelta(minutes=5))
    response = as_user(manager).get("/operations/dashboard.csv")
    body = response.content.decode("utf-8-sig").splitlines()
    assert len(body) == 2


def test_wallboard_refreshes_itself(as_user, supervisor):
    queue = QueueFactory(code="vip", name="VIP专席")
    InteractionFactory(queue=queue, arrived_at=timezone.now() - timedelta(minutes=1))
    page = as_user(supervisor).get("/operations/wallboard/vip/").content.decode()
    assert 'hx-trigger="every 15s"' in page
    partial = (
        as_user(supervisor)
        .get("/operations/wallboard/vip/", headers={"HX-Request": "true"})
        .content.decode()
    )
    assert "<html" not in partial


def test_agents_cannot_open_the_dashboard(as_user, agent):
    assert as_user(agent).get("/operations/").status_code == 403


def test_the_dashboard_reads_the_rollups_refresh_time_once(as_user, manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yuqi.interactions.facade import refresh_kpi_rollups

    InteractionFactory(queue=QueueFactory(code="general"), arrived_at=timezone.now())
    refresh_kpi_rollups()
    client = as_user(manager)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/operations/").status_code == 200
    reads = [q for q in captured if "interactions_rollupstate" in q["sql"]]
    assert len(reads) == 1
