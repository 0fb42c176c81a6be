"""KPI tables read from the rollups are cached under the rollups' read version and a digest of
the queues and tiers (``rollup_read_state``); occupancy's agent time under the workforce data
version. Every cached answer must be the fresh read's, after each kind of write that changes
it: a queue's convention or a tier's name written with ``update()`` (no signal), contacts
added and the worker's refresh, a range rebuilt, an agent renamed, agent states written, and
in each language. Each step first checks that the write changed the figures, so a cache that
kept the old ones fails. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import translation

from tests.interactions.factories import InteractionFactory
from tests.operations.test_kpi_sql import DAY1, DAYS, build_world
from yuqi.customers.models import Tier
from yuqi.domain import kpi
from yuqi.interactions.models import Agent, Interaction, Queue
from yuqi.interactions.rollups import rollups_rebuild, rollups_refresh
from yuqi.operations.kpi.selectors import kpi_table, rollup_read_state

pytestmark = pytest.mark.django_db

ASKED = {"date_from": DAY1, "date_to": DAY1 + timedelta(days=DAYS - 1)}
QUESTIONS = (
    {"by": []},
    {"by": ["queue"]},
    {"by": ["tier"]},
    {"by": ["day", "queue", "channel", "tier"]},
    {"by": ["interval"], "interval_minutes": 60},
    {"by": ["day"], "channels": {"phone", "webchat"}},
    {"by": ["channel"], "queue": "vip"},
)


def tables() -> list:
    """Every question's rows as the pages read them now (from the cache when it answers)."""
    return [kpi_table(source="rollups", **ASKED, **question) for question in QUESTIONS]


def fresh() -> list:
    cache.clear()
    return tables()


def assert_cached_equals_fresh(before: list) -> None:
    cached = tables()
    assert cached != before, "the write changed nothing: this step could not fail"
    assert cached == fresh()


def test_cached_tables_follow_every_write_that_changes_them():
    build_world(5)
    rollups_refresh()
    first = tables()
    assert tables() == first == fresh()

    # A convention written with update(): no signal, the digest of the queues follows it.
    Queue.objects.filter(code="general").update(sl_convention=kpi.SL_ANSWERED_ONLY)
    assert_cached_equals_fresh(first)

    # A tier renamed with update(): its label, in each language.
    before = {language: tables_in(language) for language in ("zh-hans", "en")}
    Tier.objects.filter(code="diamond").update(name="钻石卡", name_en="Diamond card")
    for language, rows in before.items():
        with translation.override(language):
            assert_cached_equals_fresh(rows)

    # Contacts added, then the worker's refresh: the read version moves.
    before = tables()
    offered = Interaction.objects.filter(queue__isnull=False, local_day=DAY1).first()
    for minutes in range(0, 240, 20):
        InteractionFactory(
            queue=offered.queue,
            channel="phone",
            arrived_at=offered.arrived_at + timedelta(minutes=minutes),
        )
    assert tables() == before  # not refreshed yet: the rollups' figures, as of their refresh
    rollups_refresh()
    assert_cached_equals_fresh(before)

    # A range rebuilt (``yuqi kpi-rollups``): the read version moves with it.
    before = tables()
    Interaction.objects.filter(local_day=DAY1, queue__code="vip").delete()
    rollups_rebuild(DAY1, DAY1)
    assert_cached_equals_fresh(before)


def tables_in(language: str) -> list:
    with translation.override(language):
        return tables()


def test_each_language_reads_its_own_labels():
    build_world(6)
    rollups_refresh()
    chinese, english = tables_in("zh-hans"), tables_in("en")
    assert chinese != english  # channel and tier names
    cache.clear()
    assert (tables_in("en"), tables_in("zh-hans")) == (english, chinese)


def test_an_agent_or_a_refresh_with_rows_moves_the_read_version():
    build_world(7)
    rollups_refresh()
    version = rollup_read_state()[1]
    rollups_refresh()  # nothing queued: the rows and the version stay
    assert rollup_read_state()[1] == version
    agent = Agent.objects.first()
    agent.code = "Z999"
    agent.save()  # the agent days hold the codes of the agents who handled the contacts
    assert rollup_read_state()[1] != version


def test_cached_agent_time_follows_the_states():
    from tests.workforce.test_agent_time_rollup import at, state
    from yuqi.workforce import measures, rollups
    from yuqi.workforce.importing import store_states

    day = dt.date(2026, 3, 2)
    store_states([state("A1", "ready", at(day, 9), at(day, 10))])
    rollups.agent_time_refresh()
    before = measures.agent_time(day, day, 30, None)
    assert (
        before
        == measures.agent_time(day, day, 30, None)
        == measures.raw_agent_time(day, day, 30, None)
    )
    store_states([state("A1", "on_contact", at(day, 10), at(day, 11))])  # not refreshed yet
    after = measures.agent_time(day, day, 30, None)
    assert after != before
    assert after == measures.raw_agent_time(day, day, 30, None)
    rollups.agent_time_refresh()
    assert measures.agent_time(day, day, 30, None) == after
