"""List pages and the customer 360 use a fixed number of queries, whatever the row count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.customers.factories import CustomerFactory
from tests.interactions.factories import InteractionFactory


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/customers/", "/interactions/", "/customers/{id}/"])
def test_query_count_does_not_grow_with_rows(as_user, supervisor, url):
    client = as_user(supervisor)
    customer = CustomerFactory()
    InteractionFactory(customer=customer)
    target = url.format(id=customer.external_id)
    queries(client, target)  # warm the caches (the 360's contact-category suggestions)
    few = queries(client, target)
    for _ in range(15):
        InteractionFactory(customer=CustomerFactory())
        InteractionFactory(customer=customer)
    assert queries(client, target) == few


def test_the_work_queue_loads_the_calendars_once_whatever_the_tickets(as_user, supervisor):
    from tests.complaints.factories import open_complaint
    from yuqi.interactions.models import Team

    client = as_user(supervisor)
    teams = [Team.objects.create(code=f"t{i}", name=f"组{i}") for i in range(3)]
    open_complaint(by=supervisor, owner=supervisor, team_id=teams[0].pk)
    queries(client, "/complaints/")  # warm the caches
    few = queries(client, "/complaints/")
    for i in range(12):
        open_complaint(by=supervisor, owner=supervisor, team_id=teams[i % 3].pk)
    assert queries(client, "/complaints/") == few


def test_the_ticket_page_joins_its_book_row_and_retention_callback(as_user, manager):
    """Both are one row per ticket: read with the ticket, not by queries of their own (35 → 33
    queries on the large demo)."""
    from tests.complaints.factories import open_complaint

    client = as_user(manager)
    ticket = open_complaint(by=manager, owner=manager)
    client.get(f"/complaints/{ticket.number}/")  # warm the caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/complaints/{ticket.number}/").status_code == 200
    alone = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith(
            ('SELECT "complaints_ticketbook"', 'SELECT "complaints_retentioncallback"')
        )
    ]
    assert alone == []


def test_the_work_queue_reads_only_the_fields_a_row_shows(as_user, manager):
    from tests.complaints.factories import open_complaint

    client = as_user(manager)
    open_complaint(by=manager, owner=manager)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/complaints/").status_code == 200
    tickets = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "complaints_complaint"."id"') and "LIMIT" in q["sql"]
    ]
    assert tickets, "the page reads its tickets"
    assert all('"complaints_complaint"."demand"' not in sql for sql in tickets)


@pytest.mark.parametrize(
    "url",
    [
        "/operations/",
        "/operations/kpis/",
        "/api/v1/kpis?date_from=2026-02-01&date_to=2026-03-02&by=queue,day",
    ],
)
def test_kpi_pages_use_a_fixed_number_of_queries(as_user, manager, url):
    from django.utils import timezone

    from yuqi.interactions.facade import derive_contact_columns

    client = as_user(manager)
    # Today's contact, so the live dashboard shows the same tables before and after (the
    # factory's default time falls on yesterday in the hours after local midnight).
    InteractionFactory(customer=CustomerFactory(), arrived_at=timezone.now())
    queries(client, url)  # warm the caches
    few = queries(client, url)
    now = timezone.now()
    for minutes in range(0, 600, 40):
        InteractionFactory(
            customer=CustomerFactory(), arrived_at=now - timezone.timedelta(minutes=minutes)
        )
    derive_contact_columns()  # the worker's job after contacts are written
    assert queries(client, url) == few


def _calendar_reads(client, url: str) -> dict[str, int]:
    import re

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    reads: dict[str, int] = {}
    for query in captured.captured_queries:
        table = re.search(r'FROM "(calendars_\w+)"', query["sql"])
        if table:
            reads[table[1]] = reads.get(table[1], 0) + 1
    return reads


@pytest.mark.parametrize("url", ["/complaints/{number}/", "/complaints/"])
def test_a_page_reads_each_calendar_table_at_most_once(as_user, manager, url):
    # the ticket page's clocks, book and panels, the work queue's clocks and the scorecard's
    # complaint measures all ask for the team calendar: one read per page (calendars middleware)
    from tests.complaints.factories import open_complaint

    client = as_user(manager)
    ticket = open_complaint(by=manager, owner=manager)
    reads = _calendar_reads(client, url.format(number=ticket.number))
    # one calendar build reads the dates and the entered years twice (the shared rows and the
    # calendar's own), every other table once
    twice = {"calendars_calendardate", "calendars_enteredyear"}
    assert reads, "the page reads a calendar"
    assert all(n <= (2 if table in twice else 1) for table, n in reads.items()), reads


def test_the_ticket_page_uses_a_fixed_number_of_queries(as_user, manager):
    from tests.complaints.factories import open_complaint
    from yuqi.complaints import services

    client = as_user(manager)
    ticket = open_complaint(by=manager, owner=manager)
    url = f"/complaints/{ticket.number}/"
    queries(client, url)  # warm the caches
    few = queries(client, url)
    for i in range(6):  # a longer timeline: notes by two people
        services.complaint_add_note(complaint=ticket, by=manager, text=f"第{i}次跟进")
    assert queries(client, url) == few


@pytest.mark.parametrize(
    "url",
    [
        "/operations/",
        "/operations/kpis/?date_from=2026-02-01&date_to=2026-03-02&by=queue,day",
        "/operations/kpis/?date_from=2026-02-01&date_to=2026-03-02&by=interval,channel,tier",
        "/api/v1/kpis?date_from=2026-02-01&date_to=2026-03-02&by=queue,day",
    ],
)
def test_kpi_pages_read_from_the_rollups_in_a_fixed_number_of_queries(as_user, manager, url):
    from datetime import datetime, timedelta

    from django.utils import timezone

    from yuqi.interactions.rollups import rollups_refresh

    client = as_user(manager)
    tz = timezone.get_default_timezone()
    now = timezone.now()
    starts = (now, now - timedelta(days=3), datetime(2026, 2, 10, 9, tzinfo=tz))
    # A group in every range (today, last week, February), so that the look-ups of labels
    # and agent states, which a range without contacts skips, are counted from the start.
    for start in starts:
        InteractionFactory(customer=CustomerFactory(), arrived_at=start)
    rollups_refresh()
    queries(client, url)  # warm the caches
    # The tables are cached under the rollups' read version: the first request after a
    # refresh reads them (a miss), the next from the cache; both counts stay the same.
    for start in starts:
        InteractionFactory(customer=CustomerFactory(), arrived_at=start - timedelta(minutes=5))
    rollups_refresh()
    missed, few = queries(client, url), queries(client, url)
    for start in starts:
        for minutes in range(0, 1200, 40):
            InteractionFactory(
                customer=CustomerFactory(), arrived_at=start - timedelta(minutes=minutes)
            )
    rollups_refresh()  # the worker's job after contacts are written
    assert (queries(client, url), queries(client, url)) == (missed, few)


@pytest.mark.parametrize(
    "url", ["/operations/scorecard/", "/operations/staffing/", "/operations/pyramid/"]
)
def test_manager_pages_use_a_fixed_number_of_queries(as_user, manager, url):
    # the scorecard's measures, the staffing plan's history (the forecast's from the rollups)
    # and the pyramid's summary, migration and service tables: none grows with the rows
    from datetime import timedelta

    from django.utils import timezone

    from yuqi.core.clock import day_start
    from yuqi.interactions.rollups import rollups_refresh
    from yuqi.operations.pyramid.services import segments_refresh

    client = as_user(manager)
    now = timezone.now()
    # a handled contact in this month and in the last (the scorecard's two periods), so that
    # no measure falls back to its "nobody handled contacts" reads later
    last_month = day_start(timezone.localdate(now).replace(day=1)) - timedelta(hours=12)
    for moment in (now, last_month):
        InteractionFactory(customer=CustomerFactory(), arrived_at=moment)
    rollups_refresh()
    segments_refresh()
    queries(client, url)  # warm the caches
    # The KPI tables are cached under the rollups' read version and the pyramid's counts under
    # the snapshot version: the first request after a refresh reads them afresh, the next
    # from the cache; both counts stay the same.
    InteractionFactory(customer=CustomerFactory(), arrived_at=now - timedelta(days=1))
    rollups_refresh()
    segments_refresh()
    missed, few = queries(client, url), queries(client, url)
    for days in range(1, 40, 3):
        InteractionFactory(customer=CustomerFactory(), arrived_at=now - timedelta(days=days))
    rollups_refresh()
    segments_refresh()
    assert (queries(client, url), queries(client, url)) == (missed, few)


@pytest.mark.parametrize(
    "url",
    [
        "/operations/",
        "/operations/kpis/",
        "/operations/kpis/?date_from=2026-02-01&date_to=2026-03-02&by=interval,channel",
        "/api/v1/kpis?date_from=2026-02-01&date_to=2026-03-02&by=queue,day",
    ],
)
def test_kpi_pages_on_fresh_rollups_read_no_contact(as_user, manager, url):
    # the figures, occupancy's agents and the dashboard's day all come from the rollups;
    # the dashboard reads its day once (one slot query) and its previous week once
    import re
    from datetime import timedelta

    from django.utils import timezone

    from yuqi.interactions.rollups import rollups_refresh

    client = as_user(manager)
    now = timezone.now()
    for minutes in range(0, 600, 40):
        InteractionFactory(customer=CustomerFactory(), arrived_at=now - timedelta(minutes=minutes))
    rollups_refresh()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    tables = [
        table
        for query in captured.captured_queries
        # the rollups' state is read with a digest of the queues and tiers (the cache key)
        if not query["sql"].startswith('SELECT "interactions_rollupstate"')
        for table in re.findall(r'FROM "(interactions_\w+)"', query["sql"])
    ]
    assert "interactions_interaction" not in tables, tables
    if url == "/operations/":
        assert tables.count("interactions_contactrollup") == 1, tables
        assert tables.count("interactions_contactdayrollup") == 1, tables
        # the table's queue labels and the page's queue list (once, not once per use)
        assert tables.count("interactions_queue") == 2, tables


def test_the_survey_analysis_reads_its_statistics_from_the_cache(as_user, manager):
    """Between survey writes the analysis, its breakdowns and the Kano slides come from the
    cache (``yuqi.surveys.versions``): 6 queries on the large demo, whatever the answers."""
    from django.core.cache import cache

    from tests.surveys.analysis_factories import (
        SMALL,
        load_small,
        make_survey,
        respond,
        small_answers,
    )

    cache.clear()
    survey = make_survey()
    load_small(survey)
    contact = InteractionFactory(customer=CustomerFactory())
    respond(survey, small_answers(SMALL[0]), tier_code="gold", interaction_id=contact.pk)
    client = as_user(manager)
    url = f"/surveys/{survey.code}/analysis/"
    queries(client, url)  # warm the caches
    few = queries(client, url)
    for row in SMALL * 4:
        contact = InteractionFactory(customer=CustomerFactory())
        respond(survey, small_answers(row), tier_code="gold", interaction_id=contact.pk)
    queries(client, url)  # a new data version: analysed afresh once
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert not [q for q in captured.captured_queries if "surveys_answer" in q["sql"]]
    assert len(captured) == few


def _page_reads(client, url: str) -> list[str]:
    """The page's own statements: the session's save (its idle time is kept by the minute)
    and its savepoint are left out."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [
        q["sql"]
        for q in captured.captured_queries
        if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]


@pytest.mark.parametrize("url", ["/operations/scorecard/", "/operations/staffing/"])
def test_manager_pages_read_the_same_queries_whatever_the_minute(as_user, manager, url):
    # the roster adherence of the periods still running (this month, the staffing plan's four
    # weeks) is stored and refreshed by the worker's job: a new minute reads the stored row,
    # where it used to compute the report again on the first request of each minute
    from datetime import timedelta

    from django.utils import timezone

    from tests.support.clock import FrozenClock
    from yuqi.interactions.rollups import rollups_refresh
    from yuqi.workforce.services import adherence_refresh

    clock = FrozenClock(timezone.now())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.now", clock)
        client = as_user(manager)
        InteractionFactory(customer=CustomerFactory(), arrived_at=clock())
        rollups_refresh()
        adherence_refresh()  # the worker's job
        _page_reads(client, url)  # warm the caches
        rollups_refresh()  # each refresh, a new rollup version: the plan is computed afresh
        few = len(_page_reads(client, url))
        clock.advance(timedelta(minutes=1))
        rollups_refresh()  # the KPI rollups' job, every minute
        assert len(_page_reads(client, url)) == few
        clock.advance(timedelta(minutes=4))
        rollups_refresh()
        adherence_refresh()
        assert len(_page_reads(client, url)) == few
