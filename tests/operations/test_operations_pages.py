"""Pyramid and scorecard pages: access, refresh, charts, "no data yet", downloads."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from tests.customers.factories import CustomerFactory
from tests.interactions.factories import InteractionFactory
from yuqi.core.access import declared_access
from yuqi.operations.pyramid import views as pyramid_views
from yuqi.operations.pyramid.services import segments_refresh
from yuqi.operations.scorecard import views as scorecard_views

pytestmark = pytest.mark.django_db

PAGES = ("operations:pyramid_page", "operations:scorecard_page")


def grant(user, *codenames: str):
    for codename in codenames:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="operations", codename=codename)
        )
    return user


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def pyramid_history():
    """Two months of snapshots for a few customers with contacts."""
    today = timezone.localdate()
    for i in range(1, 11):
        person = CustomerFactory(monthly_value=Decimal(100 * i), joined_on=date(2020, 1, 1))
        for days in (1, 3):
            InteractionFactory(customer=person, arrived_at=timezone.now() - timedelta(days=days))
    last_month_end = today.replace(day=1) - timedelta(days=1)
    segments_refresh(as_of=last_month_end)
    segments_refresh(as_of=today)
    return today


def test_every_page_declares_view_operations_and_refresh_its_own_right():
    for view in (
        pyramid_views.pyramid_page,
        pyramid_views.pyramid_download,
        scorecard_views.scorecard_page,
        scorecard_views.scorecard_download,
    ):
        assert declared_access(view).permissions == ("operations.view_operations",)
    assert declared_access(pyramid_views.pyramid_refresh).permissions == (
        "operations.refresh_segments",
    )


@pytest.mark.parametrize("name", PAGES)
def test_an_agent_is_refused(as_user, agent, name):
    assert as_user(agent).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_signed_out_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_the_analyst_role_sees_the_pages(as_user, analyst, name):
    assert as_user(analyst).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_view_operations_opens_the_pages(as_user, analyst, name):
    assert as_user(grant(analyst, "view_operations")).get(reverse(name)).status_code == 200


def test_the_empty_pyramid_says_nothing_was_computed(as_user, analyst):
    page = as_user(grant(analyst, "view_operations")).get(reverse(PAGES[0])).content.decode()
    assert "No segments have been computed yet" in page
    assert "Refresh segments now" not in page  # the analyst may not refresh


def test_the_pyramid_page_draws_its_charts(as_user, analyst, pyramid_history):
    response = as_user(grant(analyst, "view_operations")).get(reverse(PAGES[0]))
    page = response.content.decode()
    for chart in ("pyramid-chart", "segments-chart", "migration-chart", "segment-service-chart"):
        assert f'id="{chart}"' in page
    option = json.loads(
        page.split('id="pyramid-chart" type="application/json">')[1].split("</script>")[0]
    )
    assert option["series"][0]["type"] == "funnel"
    heatmap = json.loads(
        page.split('id="migration-chart" type="application/json">')[1].split("</script>")[0]
    )
    assert heatmap["series"][0]["type"] == "heatmap"


def test_refresh_needs_refresh_segments(as_user, analyst):
    url = reverse("operations:pyramid_refresh")
    assert as_user(grant(analyst, "view_operations")).post(url).status_code == 403


def test_refresh_enqueues_the_task(as_user, manager):
    from django_tasks_db.models import DBTaskResult

    grant(manager, "view_operations", "refresh_segments")
    response = as_user(manager).post(reverse("operations:pyramid_refresh"))
    assert response.status_code == 302
    assert response["Location"] == reverse("operations:pyramid_page")
    assert DBTaskResult.objects.filter(task_path="yuqi.operations.tasks.refresh_segments").exists()


def test_refresh_is_post_only(as_user, manager):
    grant(manager, "view_operations", "refresh_segments")
    assert as_user(manager).get(reverse("operations:pyramid_refresh")).status_code == 405


@pytest.mark.parametrize("table", pyramid_views.TABLES)
def test_pyramid_downloads(as_user, analyst, pyramid_history, table):
    client = as_user(grant(analyst, "view_operations"))
    response = client.get(reverse("operations:pyramid_download", args=[table, "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert len(csv_rows(response)) > 1
    excel = client.get(reverse("operations:pyramid_download", args=[table, "xlsx"]))
    assert excel.status_code == 200
    assert excel.content[:2] == b"PK"


def test_the_segment_download_holds_the_pages_numbers(as_user, analyst, pyramid_history):
    client = as_user(grant(analyst, "view_operations"))
    rows = csv_rows(client.get(reverse("operations:pyramid_download", args=["segments", "csv"])))
    assert len(rows) == 1 + 7
    assert sum(int(row[1]) for row in rows[1:]) == 10


def test_an_unknown_download_is_not_found(as_user, analyst):
    client = as_user(grant(analyst, "view_operations"))
    assert client.get(reverse("operations:pyramid_download", args=["x", "csv"])).status_code == 404
    assert client.get(reverse("operations:scorecard_download", args=["pdf"])).status_code == 404


def test_the_scorecard_shows_no_data_yet_never_zero(as_user, analyst):
    page = as_user(grant(analyst, "view_operations")).get(reverse(PAGES[1])).content.decode()
    nps_row = page.split('data-measure="nps"')[1].split("</tr>")[0]
    assert "No data yet" in nps_row
    assert ">0<" not in nps_row
    assert 'data-status="nodata"' in page


def test_the_scorecard_download(as_user, analyst):
    InteractionFactory(arrived_at=timezone.now() - timedelta(minutes=5))
    client = as_user(grant(analyst, "view_operations"))
    response = client.get(reverse("operations:scorecard_download", args=["csv"]))
    rows = csv_rows(response)
    assert rows[0][:4] == ["Perspective", "Measure", "Unit", "Value"]
    by_measure = {row[1]: row for row in rows[1:]}
    assert len(by_measure) == 20  # 16 first measures; CES, appeals, adherence, coaching
    nps = next(row for row in rows[1:] if row[1] in ("净推荐值", "Net Promoter Score"))
    assert nps[3] == ""  # no value, not 0
    assert nps[-1]  # and the reason
    assert client.get(reverse("operations:scorecard_download", args=["xlsx"])).status_code == 200
