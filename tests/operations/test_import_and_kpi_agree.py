"""``yuqi import`` and ``yuqi kpi`` read the same export the same way.

The file is written the way Chinese ACD exports write it: channel labels (电话, 微信, Web_Chat),
direction labels (呼入, 回访), and the yes/no words the importer accepts (是/否, 有/无, on/off,
Y/N). It goes through ``yuqi import`` into the database and through ``yuqi kpi`` (DuckDB over
the file in place); the KPI counts of the two must be equal, per queue and per channel.

Before the contact vocabulary had one home (``yuqi.domain.contacts``), ``yuqi kpi`` read this
file differently: 有/无/on/off were blank to it, 电话/微信 were not real-time channels (so no
abandonment was inferred), 回访 was an inbound contact, and an explicit 否 in ``abandoned``
was overruled by the missing answer time.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.imports.files import write_csv
from yuqi.cli import main
from yuqi.domain import contacts
from yuqi.domain.kpi import KpiCounts
from yuqi.interactions.models import Interaction, Queue
from yuqi.operations.kpi import file_engine
from yuqi.operations.kpi.file_engine import kpi_counts_from_file
from yuqi.operations.kpi.selectors import kpi_table

pytestmark = pytest.mark.django_db(transaction=True)

DAY = date(2026, 11, 2)
HEADERS = [
    "external_id", "channel", "direction", "queue", "customer_external_id", "arrived_at",
    "answered_at", "ended_at", "abandoned", "transferred", "first_contact_resolved", "category",
]  # fmt: skip
ROWS = [
    # answered phone calls, flags in several spellings
    ["K1", "电话", "呼入", "general", "", "2026-11-02 09:00:00", "2026-11-02 09:00:15",
     "2026-11-02 09:04:15", "否", "有", "是", "话费查询"],
    ["K2", "Phone", "in", "general", "", "2026-11-02 09:01:00", "2026-11-02 09:01:40",
     "2026-11-02 09:03:00", "", "无", "on", "话费查询"],
    ["K3", "热线", "", "general", "", "2026-11-02 09:02:00", "2026-11-02 09:02:05",
     "2026-11-02 09:05:00", "N", "Y", "off", "套餐变更"],
    # unanswered on real-time channels written as Chinese labels: abandoned (inferred)
    ["K4", "电话", "呼入", "general", "", "2026-11-02 09:03:00", "", "2026-11-02 09:03:03",
     "", "", "", ""],
    ["K5", "微信", "", "online", "", "2026-11-02 09:04:00", "", "2026-11-02 09:05:10",
     "", "", "", ""],
    ["K6", "Web_Chat", "", "online", "", "2026-11-02 09:05:00", "", "2026-11-02 09:05:30",
     "", "", "", ""],
    # unanswered but explicitly not abandoned: the contact's own 否 wins
    ["K7", "电话", "", "general", "", "2026-11-02 09:06:00", "", "2026-11-02 09:08:00",
     "否", "", "", ""],
    # answered chat, flags 真/假 and 对
    ["K8", "在线客服", "呼入", "online", "", "2026-11-02 09:07:00", "2026-11-02 09:07:20",
     "2026-11-02 09:12:00", "假", "假", "对", "咨询"],
    # unanswered e-mail: not a real-time channel, so not abandoned
    ["K9", "邮件", "", "online", "", "2026-11-02 09:08:00", "", "", "", "", "", ""],
    # an outbound callback written as 回访: not offered to any queue's KPIs
    ["K10", "电话", "回访", "general", "", "2026-11-02 09:09:00", "", "2026-11-02 09:09:30",
     "", "", "", ""],
]  # fmt: skip


@pytest.fixture(params=["per_contact", "grouped_first"])
def export(request, tmp_path):
    """With customer and category columns ``yuqi kpi`` reads contact by contact (for derived
    FCR); without them it sums raw groups first: both statements are checked."""
    if request.param == "per_contact":
        return write_csv(tmp_path / "acd.csv", [HEADERS, *ROWS])
    kept = [i for i, name in enumerate(HEADERS) if name not in ("customer_external_id", "category")]
    return write_csv(tmp_path / "acd.csv", [[row[i] for i in kept] for row in [HEADERS, *ROWS]])


def _import(path) -> None:
    assert main(["import", "interactions", str(path), "--quiet", "--no-migrate"]) == 0
    assert Interaction.objects.count() == len(ROWS)


@pytest.mark.parametrize("by", [["queue"], ["channel"], []])
def test_import_and_kpi_give_the_same_counts_for_one_export(export, by):
    _import(export)
    queue_sl = {q.code: q.sl_seconds for q in Queue.objects.all()}
    from_file = kpi_counts_from_file(export, by=by, queue_sl=queue_sl, date_from=DAY, date_to=DAY)
    from_db = kpi_table(date_from=DAY, date_to=DAY, by=by)
    # The file has no derived-FCR window unless it has customers: compare the rest.
    database = {tuple(r.keys.values()): replace(r.counts, repeat_candidates=0, repeated=0)
                for r in from_db}  # fmt: skip
    engine = {tuple(k.values()): replace(c, repeat_candidates=0, repeated=0) for k, c in from_file}
    assert engine == database


def test_the_shared_reading_of_the_export(export):
    """The figures themselves, worked by hand from ROWS (so a shared mistake shows too)."""
    _import(export)
    ((_keys, counts),) = kpi_counts_from_file(export, by=[], date_from=DAY, date_to=DAY)
    assert counts == replace(
        counts,
        offered=9,  # K10 is outbound
        answered=4,  # K1, K2, K3, K8
        abandoned=3,  # K4, K5, K6 inferred; K7 says 否; K9 is e-mail
        transferred=2,  # K1 有, K3 Y (K2 无, K8 假)
        fcr_flagged=4,  # K1 是, K2 on, K3 off, K8 对
        fcr_resolved=3,
        talk_seconds=240 + 80 + 175 + 280,  # derived from answer to end, answered only
        longest_wait_seconds=70,  # K5; K7 was not abandoned, so its 120 s are no wait
    )
    assert isinstance(counts, KpiCounts)
    channels = {k["channel"] for k, _ in kpi_counts_from_file(export, by=["channel"])}
    assert channels == {"phone", "social", "webchat", "email"}


def _duckdb_reads(expression, values):
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE t (v VARCHAR)")
        con.executemany("INSERT INTO t VALUES (?)", [[v] for v in values])
        trimmed = "NULLIF(trim(v), '')"  # as _Columns.text gives a column
        return dict(con.execute(f"SELECT v, {expression(trimmed)} FROM t").fetchall())
    finally:
        con.close()


def _spellings(words):
    return {s for w in words for s in (w, w.upper(), w.title(), f" {w} ", w.replace("a", "a_"))}


@pytest.mark.django_db(transaction=False)
def test_the_sql_reads_every_label_and_word_as_the_python_vocabulary():
    """The DuckDB statement restates ``contacts``'s normalising in SQL: check it on every
    label and word of the vocabulary, in several spellings."""
    labels = _spellings(contacts.CHANNEL_LABELS) | {"飞鸽传书"}
    read = _duckdb_reads(file_engine._channel_sql, labels)
    assert read == {v: contacts.channel_code(v) or v.strip().lower() for v in labels}

    directions = _spellings(contacts.DIRECTION_LABELS) | {"sideways"}
    read = _duckdb_reads(file_engine._inbound_sql, directions)
    assert read == {v: contacts.direction_code(v) != contacts.OUTBOUND for v in directions}

    words = {s for s in _spellings(contacts.YES_WORDS | contacts.NO_WORDS) if "_" not in s}
    read = _duckdb_reads(file_engine._yes_no_sql, words | {"maybe"})
    assert read == {v: contacts.yes_no(v) for v in words | {"maybe"}}
