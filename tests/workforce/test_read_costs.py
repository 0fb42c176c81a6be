"""What the staffing plan, the scorecard and the KPI pages read of the workforce context, and
that reading less changes no figure:

* the measures ``roster_adherence`` and ``observed_shrinkage`` read the summary of the
  adherence report (the total of all agents and how many agents), stored beside the report
  (a period still running) or cached beside it under the same version (a finished period):
  always the report's own total, and a write is seen at once;
* the data version is one kept (compiled once) read, equal to the ORM's;
* the agent time is kept in the process under the full data-version key: a write of agent
  states is seen by the very next call, the caller gets a copy, and the memo is bounded.
"""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.support.clock import freeze_now
from yuqi.core import versioned_cache
from yuqi.core.measures import measure_source
from yuqi.workforce import adherence_store, measures, rollups, services, versions
from yuqi.workforce.importing import store_states
from yuqi.workforce.models import AdherenceResult, AgentStateRow, WorkforceVersion

from .conftest import MONDAY
from .test_adherence_cache import LATER, at, make_roster
from .test_agent_time_rollup import at as state_at
from .test_agent_time_rollup import state

pytestmark = pytest.mark.django_db
NOON = at(12)


@pytest.fixture
def roster(templates, rostered):
    return make_roster(templates, rostered)


@pytest.fixture(autouse=True)
def _empty_memo():
    measures.forget_memo()
    yield
    measures.forget_memo()


def expected(start: dt.date, end: dt.date) -> adherence_store.AdherenceSummary:
    """The summary of a fresh computation."""
    return adherence_store.summary_of(services.fresh_adherence_report(start, end))


# ------------------------------------------------------------- the summary of a running period


def test_a_running_period_s_summary_is_the_stored_report_s_and_one_kept_read(monkeypatch, roster):
    clock = freeze_now(monkeypatch, NOON)
    summary, as_of = services.adherence_summary(MONDAY, MONDAY)  # computed and stored
    assert (summary, as_of) == (expected(MONDAY, MONDAY), NOON)
    assert summary.agents == 2
    report, stored_at = services.adherence_reading(MONDAY, MONDAY)
    assert summary == adherence_store.summary_of(report)
    assert stored_at == NOON
    clock.at = at(12, 3)

    def no_report(*args, **kwargs):
        raise AssertionError("the whole report was read")

    monkeypatch.setattr(adherence_store, "decoded", no_report)
    with CaptureQueriesContext(connection) as captured:
        again = services.adherence_summary(MONDAY, MONDAY)
    assert again == (summary, NOON)
    assert len(captured) == 1
    assert "report" not in captured[0]["sql"]  # the summary and when, not the report


def test_a_write_is_seen_in_the_summary_when_the_report_is_stored_again(monkeypatch, roster):
    clock = freeze_now(monkeypatch, NOON)
    week = (MONDAY - dt.timedelta(days=adherence_store.PAGE_DAYS), MONDAY)
    before, _ = services.adherence_summary(*week)
    row = AgentStateRow.objects.get(state="ready")
    row.end = at(10)
    row.save()
    clock.at = at(12, 5)
    assert services.adherence_summary(*week) == (before, NOON)  # as the report: as of noon
    services.adherence_refresh()
    after, as_of = services.adherence_summary(*week)
    assert as_of == at(12, 5)
    assert after == expected(*week) != before
    assert after == adherence_store.summary_of(services.adherence_reading(*week)[0])


def test_a_stale_summary_is_computed_again(monkeypatch, roster):
    clock = freeze_now(monkeypatch, NOON)
    services.adherence_summary(MONDAY, MONDAY)
    AgentStateRow.objects.filter(state="not_ready").delete()
    clock.at = NOON + adherence_store.STALE_AFTER + dt.timedelta(minutes=1)
    summary, as_of = services.adherence_summary(MONDAY, MONDAY)
    assert (summary, as_of) == (expected(MONDAY, MONDAY), clock.at)


def test_a_row_stored_without_a_summary_answers_from_its_report(monkeypatch, roster):
    """A row written before summaries were (or by an older process during a deploy: the
    column's database default is empty) gives its report's total."""
    freeze_now(monkeypatch, NOON)
    report, _ = services.adherence_reading(MONDAY, MONDAY)
    AdherenceResult.objects.update(summary={})
    AgentStateRow.objects.filter(state="not_ready").delete()  # the stored report is kept
    summary, as_of = services.adherence_summary(MONDAY, MONDAY)
    assert (summary, as_of) == (adherence_store.summary_of(report), NOON)


def test_the_migration_summarises_the_stored_reports(monkeypatch, roster):
    freeze_now(monkeypatch, NOON)
    report, _ = services.adherence_reading(MONDAY, MONDAY)
    stored = AdherenceResult.objects.get()
    written = stored.summary
    AdherenceResult.objects.update(summary={})
    migration = importlib.import_module("yuqi.workforce.migrations.0007_adherenceresult_summary")
    migration.summarise(apps, None)
    stored.refresh_from_db()
    assert stored.summary == written
    assert adherence_store.decoded_summary(stored.summary) == adherence_store.summary_of(report)


# ------------------------------------------------------------ the summary of a finished period


def test_a_finished_period_s_summary_is_cached_beside_the_report(monkeypatch, roster):
    freeze_now(monkeypatch, LATER)
    summary, as_of = services.adherence_summary(MONDAY, MONDAY)
    assert as_of is None
    assert summary == expected(MONDAY, MONDAY)
    assert summary == adherence_store.summary_of(services.adherence_report(MONDAY, MONDAY))
    with CaptureQueriesContext(connection) as captured:
        assert services.adherence_summary(MONDAY, MONDAY) == (summary, None)
    assert len(captured) == 1  # the data version
    row = AgentStateRow.objects.get(state="not_ready")
    row.state, row.reason = "ready", ""
    row.save()  # a new version: seen at once
    after, _ = services.adherence_summary(MONDAY, MONDAY)
    assert after == expected(MONDAY, MONDAY) != summary


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("moment", [NOON, LATER], ids=["running", "finished"])
def test_the_measures_give_the_report_s_figures(monkeypatch, roster, language, moment):
    freeze_now(monkeypatch, moment)
    report, as_of = services.adherence_reading(MONDAY, MONDAY)
    total = report.total
    with translation.override(language):
        adherence = measure_source("roster_adherence")(MONDAY, MONDAY)
        shrinkage = measure_source("observed_shrinkage")(MONDAY, MONDAY)
    assert (adherence.value, adherence.n, adherence.as_of) == (total.adherence, 2, as_of)
    assert shrinkage.value == sum(total.shrinkage.values())
    assert (shrinkage.n, shrinkage.as_of) == (2, as_of)
    with translation.override(language):
        absent = "absent" if language == "en" else "缺勤"
        assert shrinkage.note.startswith(f"{absent} {total.shrinkage['absent']:.1%}")


# ------------------------------------------------------------------------- the data version


def test_the_version_is_one_kept_read_equal_to_the_orm_s(roster):
    row = WorkforceVersion.objects.get()
    assert versions.current() == f"{row.token}:{row.number}"
    assert all(versions._VERSION_READ.kept().values())
    with CaptureQueriesContext(connection) as captured:
        versions.current()
    assert len(captured) == 1
    versions.bump()
    assert versions.current() == f"{row.token}:{row.number + 1}"  # seen at once


def test_before_the_first_write_the_version_is_a_dash():
    assert not WorkforceVersion.objects.exists()
    assert versions.current() == "-"


# ----------------------------------------------------------------------- the agent-time memo

DAY = dt.date(2026, 3, 2)


def agent_time() -> dict:
    return measures.agent_time(DAY, DAY, 30, None)


def test_the_agent_time_memo_sees_a_write_at_once():
    store_states([state("A1", "ready", state_at(DAY, 9), state_at(DAY, 10))])
    rollups.agent_time_refresh()
    before = agent_time()
    assert before == measures.raw_agent_time(DAY, DAY, 30, None)
    cache.clear()  # kept in the process: no shared cache read, one query (the version)
    with CaptureQueriesContext(connection) as captured:
        assert agent_time() == before
    assert len(captured) == 1
    store_states([state("A1", "on_contact", state_at(DAY, 10), state_at(DAY, 11))])
    after = agent_time()  # the very next call, the rollup not refreshed yet
    assert after == measures.raw_agent_time(DAY, DAY, 30, None) != before
    rollups.agent_time_refresh()
    assert agent_time() == after
    gone = AgentStateRow.objects.filter(state="on_contact")
    rollups.mark_rows(gone)  # as the admin does: the day queued, the version moved on
    gone.get().delete()
    assert agent_time() == before


def test_the_agent_time_memo_hands_out_copies():
    store_states([state("A1", "ready", state_at(DAY, 9), state_at(DAY, 10))])
    first = agent_time()
    first.clear()
    assert agent_time() == measures.raw_agent_time(DAY, DAY, 30, None) != {}


def test_the_agent_time_memo_keeps_no_entry_longer_than_the_shared_cache(monkeypatch):
    store_states([state("A1", "ready", state_at(DAY, 9), state_at(DAY, 10))])
    clock = [1000.0]
    monkeypatch.setattr(measures.time, "monotonic", lambda: clock[0])
    kept = agent_time()
    AgentStateRow.objects.update(end=state_at(DAY, 9, 30))  # no signal: no new version
    cache.clear()
    assert agent_time() == kept  # the memo answers for the version
    clock[0] += versioned_cache.TTL_SECONDS
    assert agent_time() == measures.raw_agent_time(DAY, DAY, 30, None) != kept


def test_the_agent_time_memo_is_bounded(monkeypatch):
    store_states([state("A1", "ready", state_at(DAY, 9), state_at(DAY, 11))])
    one = len(agent_time())
    assert one == 4
    monkeypatch.setattr(measures, "MEMO_ENTRIES", 6)
    assert len(measures._memo) == 1
    measures.agent_time(DAY, DAY, 15, None)  # 8 entries: more than the bound, not kept
    assert len(measures._memo) == 1
    measures.agent_time(DAY, DAY, 60, None)  # 2 entries: kept beside the first
    assert len(measures._memo) == 2
    measures.agent_time(DAY, DAY, 30, frozenset({"A1"}))  # 4 more: the oldest goes
    assert sorted(len(answer) for _at, answer in measures._memo.values()) == [2, 4]
