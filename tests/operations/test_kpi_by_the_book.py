"""KPI definitions by the book (issue 15 item 4).

* AHT = talk + hold + wrap-up; hold imported from 保持时长 by ``yuqi import`` and read the same
  way by ``yuqi kpi`` — one export, headed in Chinese, goes through both and every KPI agrees;
* the service-level conventions (pure logic, a worked example), chosen per queue in the
  database and per run in ``yuqi kpi``;
* headline figures count the real-time channels by default (an e-mail's wait never enters ASA);
* occupancy says "needs agent states" rather than a blank.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime

import pytest

from tests.imports.files import write_csv
from tests.interactions.factories import InteractionFactory, QueueFactory
from yuqi.cli import main
from yuqi.domain import kpi
from yuqi.domain.kpi import KpiCounts, kpi_values
from yuqi.interactions.models import Interaction, Queue
from yuqi.operations.kpi.file_engine import kpi_counts_from_file
from yuqi.operations.kpi.selectors import kpi_table

DAY = date(2026, 11, 2)
# The importer's Chinese headers, 保持时长 among them.
HEADERS = ["通话ID", "渠道", "呼叫方向", "技能组", "进线时间", "应答时间", "结束时间",
           "是否放弃", "保持时长", "话后处理时长", "是否一次解决"]  # fmt: skip
ROWS = [
    ["H1", "电话", "呼入", "general", "2026-11-02 09:00:00", "2026-11-02 09:00:10",
     "2026-11-02 09:05:10", "否", "30", "20", "是"],
    ["H2", "电话", "呼入", "general", "2026-11-02 09:01:00", "2026-11-02 09:01:40",
     "2026-11-02 09:03:40", "否", "0:45", "10", "否"],
    ["H3", "电话", "呼入", "general", "2026-11-02 09:02:00", "", "2026-11-02 09:02:03",
     "是", "", "", ""],
    ["H4", "电话", "呼入", "general", "2026-11-02 09:03:00", "", "2026-11-02 09:04:00",
     "是", "", "", ""],
    ["H5", "在线客服", "呼入", "online", "2026-11-02 09:04:00", "2026-11-02 09:04:05",
     "2026-11-02 09:10:05", "否", "1分", "0", "是"],
    ["H6", "邮件", "呼入", "online", "2026-11-02 09:05:00", "2026-11-02 15:05:00",
     "2026-11-02 15:15:00", "否", "", "60", ""],
]  # fmt: skip


@pytest.fixture
def export(tmp_path):
    return write_csv(tmp_path / "acd-zh.csv", [HEADERS, *ROWS])


def _import(path) -> None:
    assert main(["import", "interactions", str(path), "--quiet", "--no-migrate"]) == 0
    assert Interaction.objects.count() == len(ROWS)


# --- the service-level conventions (pure) ------------------------------------------------

# Worked example: 100 offered; 88 answered, 70 of them within Y; 10 abandoned, 4 of them
# short (< 5 s); 2 still waiting at the end of the interval.
EXAMPLE = KpiCounts(offered=100, answered=88, answered_within=70, abandoned=10, short_abandoned=4)


@pytest.mark.parametrize(
    ("convention", "denominator", "value"),
    [
        (kpi.SL_SHORT_EXCLUDED, 96, 70 / 96),  # COPC: 72.9 %
        (kpi.SL_ABANDONS_IN, 100, 0.70),  # every offered contact
        (kpi.SL_ABANDONS_EXCLUDED, 90, 70 / 90),  # 77.8 %
        (kpi.SL_ANSWERED_ONLY, 88, 70 / 88),  # 79.5 %
    ],
)
def test_service_level_conventions_on_a_worked_example(convention, denominator, value):
    assert kpi.sl_denominator_from_counts(EXAMPLE, convention) == denominator
    counts = KpiCounts(**{**asdict(EXAMPLE), "sl_offered": denominator})
    assert kpi.service_level(counts) == pytest.approx(value)


def test_contact_by_contact_rule_matches_the_group_rule():
    rows = (
        [{"answered": True, "abandoned": False, "short_abandoned": False}] * 88
        + [{"answered": False, "abandoned": True, "short_abandoned": True}] * 4
        + [{"answered": False, "abandoned": True, "short_abandoned": False}] * 6
        + [{"answered": False, "abandoned": False, "short_abandoned": False}] * 2
    )
    for convention in kpi.SL_CONVENTIONS:
        counted = sum(kpi.in_sl_denominator(convention, **row) for row in rows)
        assert counted == kpi.sl_denominator_from_counts(EXAMPLE, convention)
    with pytest.raises(ValueError, match="convention"):
        kpi.in_sl_denominator("made_up", answered=True, abandoned=False, short_abandoned=False)


def test_the_default_convention_is_the_old_formula_and_merges_keep_it():
    plain = KpiCounts(offered=10, answered=8, answered_within=6, abandoned=2, short_abandoned=1)
    assert kpi.service_level(plain) == pytest.approx(6 / 9)
    merged = plain + KpiCounts(offered=5, answered=5, answered_within=5, sl_offered=5)
    assert merged.sl_offered == 9 + 5


def test_aht_is_talk_plus_hold_plus_wrap():
    counts = KpiCounts(offered=2, answered=2, talk_seconds=300, hold_seconds=60, wrap_seconds=40)
    assert kpi.aht(counts) == pytest.approx(200.0)
    assert kpi.occupancy(counts) is None  # no staffed time: needs agent states
    assert kpi.occupancy(KpiCounts(**{**asdict(counts), "staffed_seconds": 800})) == 0.5


# --- one export through yuqi import and yuqi kpi ------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("by", [[], ["queue"], ["channel"]])
def test_import_and_kpi_read_one_chinese_export_alike_every_kpi(export, by):
    _import(export)
    queue_sl = {q.code: q.sl_seconds for q in Queue.objects.all()}
    from_file = kpi_counts_from_file(export, by=by, queue_sl=queue_sl, date_from=DAY, date_to=DAY)
    from_db = kpi_table(date_from=DAY, date_to=DAY, by=by)
    database = {tuple(r.keys.values()): r.values for r in from_db}
    engine = {tuple(k.values()): kpi_values(c) for k, c in from_file}
    assert engine == database  # every KPI of KpiValues, AHT with hold included
    if not by:
        ((_keys, counts),) = from_file
        # H1 30 s, H2 0:45, H5 1分 → 135 s of hold; H6 (e-mail) none
        assert counts.hold_seconds == 30 + 45 + 60
        talk = 300 + 120 + 360 + 600
        assert counts.talk_seconds == talk
        assert kpi_values(counts).aht == pytest.approx((talk + 135 + 20 + 10 + 0 + 60) / 4)


@pytest.mark.django_db(transaction=True)
def test_a_queue_convention_is_followed_by_the_database_and_by_yuqi_kpi(export):
    _import(export)
    Queue.objects.filter(code="general").update(sl_convention=kpi.SL_ANSWERED_ONLY)
    (row,) = kpi_table(date_from=DAY, date_to=DAY, queue="general")
    assert row.counts.sl_offered == row.counts.answered == 2
    ((_k, counts),) = kpi_counts_from_file(
        export, by=[], date_from=DAY, date_to=DAY, sl_convention=kpi.SL_ANSWERED_ONLY
    )
    assert counts.sl_offered == counts.answered == 4
    with pytest.raises(ValueError, match="sl_convention"):
        kpi_counts_from_file(export, by=[], sl_convention="bogus")


# --- scopes and the explorer --------------------------------------------------------------


def _mixed_day():
    at = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
    InteractionFactory(arrived_at=at, wait_seconds=8)
    InteractionFactory(arrived_at=at, wait_seconds=6, channel="webchat")
    InteractionFactory(arrived_at=at, wait_seconds=30_000, channel="email")


@pytest.mark.django_db
def test_headline_figures_count_real_time_channels_and_the_explorer_says_so(as_user, supervisor):
    _mixed_day()
    realtime = kpi_table(date_from=DAY, date_to=DAY, channels=kpi.scope_channels("realtime"))
    assert realtime[0].values.asa == pytest.approx(7.0)
    everything = kpi_table(date_from=DAY, date_to=DAY)
    assert everything[0].values.asa > 1000
    client = as_user(supervisor)
    body = client.get(
        "/operations/kpis/?date_from=2026-11-02&date_to=2026-11-02&scope=realtime"
    ).content.decode()
    assert "data-sl-convention" in body
    assert "7.0" in body
    default = client.get("/operations/kpis/?date_from=2026-11-02&date_to=2026-11-02")
    assert "7.0" in default.content.decode()
    api = client.get("/api/v1/kpis?date_from=2026-11-02&date_to=2026-11-02").json()
    assert api["items"][0]["values"]["asa"] == pytest.approx(7.0)
    email = client.get("/api/v1/kpis?date_from=2026-11-02&date_to=2026-11-02&channel=email")
    assert email.json()["items"][0]["values"]["asa"] == pytest.approx(30_000)
    bad = client.get("/api/v1/kpis?date_from=2026-11-02&date_to=2026-11-02&scope=<x>")
    assert bad.status_code == 422


@pytest.mark.django_db
def test_occupancy_needs_agent_states_rather_than_a_blank(as_user, supervisor, settings):
    settings.LANGUAGE_CODE = "en"
    _mixed_day()
    body = (
        as_user(supervisor)
        .get("/operations/kpis/?date_from=2026-11-02&date_to=2026-11-02", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "needs agent states" in body or "需要座席状态" in body


@pytest.mark.django_db
def test_definitions_page_documents_scopes_conventions_hold_and_occupancy(as_user, supervisor):
    body = as_user(supervisor).get("/operations/kpis/definitions/").content.decode()
    for anchor in ('id="scopes"', 'id="sl-conventions"', 'id="handle-time"'):
        assert anchor in body
    for code in kpi.SL_CONVENTIONS:
        assert code in body
    QueueFactory(code="vip", name="VIP", sl_convention=kpi.SL_ABANDONS_IN)
