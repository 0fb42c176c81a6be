"""The complaint configuration kept per process under its data version
(``yuqi.complaints.config_kept``): what it keeps equals a fresh read, every write path moves
the version on, and a write made on another connection is seen on the next request."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.complaints.factories import open_complaint
from yuqi.complaints import book, config_kept
from yuqi.complaints.models import (
    ComplaintCategory,
    ComplaintLevel,
    Playbook,
    PlaybookStep,
    RootCause,
    SlaPolicy,
)
from yuqi.core.request_memo import request_memo


def _version() -> str | None:
    return config_kept.config_version()  # outside a request: read every time


def test_the_kept_values_equal_fresh_reads(db):
    parent = ComplaintCategory.objects.create(code="p-x", name="父类", name_en="Parent")
    ComplaintCategory.objects.create(code="c-x", name="子类", name_en="", parent=parent)
    ComplaintCategory.objects.create(code="c-off", name="停用", name_en="Off", active=False)
    ComplaintLevel.objects.create(code="old", name="旧", name_en="", rank=9, active=False)
    for language in ("zh-hans", "en"):
        with translation.override(language):

            def row(lv):
                return (lv.pk, lv.code, lv.label, lv.rank, lv.active, lv.is_regulator, lv.handling)

            assert [row(lv) for lv in config_kept.levels()] == [
                row(lv) for lv in ComplaintLevel.objects.all()
            ]
            causes = [(c.pk, c.code, c.label, c.active) for c in config_kept.root_causes()]
            assert causes == [(c.pk, c.code, c.label, c.active) for c in RootCause.objects.all()]
            fresh = [
                (
                    c.code,
                    f"{c.parent.label} › {c.label}" if c.parent_id else c.label,
                )
                for c in ComplaintCategory.objects.filter(active=True).select_related("parent")
            ]
            assert list(config_kept.category_choices()) == fresh
    with translation.override("en"):
        assert ("c-x", "Parent › 子类") in config_kept.category_choices()
        assert "c-off" not in dict(config_kept.category_choices())


def test_the_kept_playbooks_equal_the_books_reading(db, manager):
    for level_code in ("local", "over_level", "regulator"):
        ticket = open_complaint(by=manager, owner=manager, level_code=level_code)
        for kind in ("", "passive", "activist"):
            ticket.complainer_type = kind
            fresh = book.playbooks_for(ticket)
            found, _ticks = book.playbooks_with_ticks(ticket)
            assert [p.code for p in found] == [p.code for p in fresh]
            for mine, theirs in zip(found, fresh, strict=True):
                assert mine.pk == theirs.pk
                assert (mine.label, mine.principle_label, mine.tell_label) == (
                    theirs.label,
                    theirs.principle_label,
                    theirs.tell_label,
                )
                assert mine.requires_senior_owner == theirs.requires_senior_owner
                assert [(s.pk, s.code, s.label) for s in mine.steps] == [
                    (s.pk, s.code, s.label) for s in theirs.steps.all()
                ]


def test_the_ticks_come_with_the_kept_steps(db, manager, frozen):
    ticket = open_complaint(by=manager, owner=manager, level_code="over_level")
    playbooks, ticks = book.playbooks_with_ticks(ticket)
    steps = [s for p in playbooks for s in p.steps]
    assert steps
    assert ticks == {}
    made, _created = book.complaint_tick_step(complaint=ticket, step_id=steps[0].pk, by=manager)
    _again, ticks = book.playbooks_with_ticks(ticket)
    assert ticks == {steps[0].pk: made.at}


def test_a_request_reads_the_version_once_and_no_configuration_rows(db):
    _version()
    config_kept.levels(), config_kept.playbooks()  # kept under the current version
    with request_memo(), CaptureQueriesContext(connection) as captured:
        for _ in range(3):
            config_kept.levels()
            config_kept.root_causes()
            config_kept.category_choices()
            config_kept.playbooks()
    sql = [q["sql"] for q in captured.captured_queries]
    assert len(sql) == 1 + 2  # the version; root causes and categories first kept here
    assert "complaintconfigversion" in sql[0]


@pytest.mark.parametrize(
    "write",
    [
        lambda: ComplaintLevel.objects.filter(code="local").update(name="改名"),
        lambda: ComplaintLevel.objects.get(code="local").save(),
        lambda: RootCause.objects.create(code="new-cause", name="新", name_en="New"),
        lambda: RootCause.objects.bulk_create([RootCause(code="bulk", name="批", name_en="B")]),
        lambda: ComplaintCategory.objects.bulk_update(
            list(ComplaintCategory.objects.all()[:2]), ["position"]
        ),
        lambda: SlaPolicy.objects.filter(active=True).update(warn_fraction="0.5"),
        lambda: PlaybookStep.objects.filter(playbook__code__isnull=False).update(text="改"),
        lambda: Playbook.objects.filter(scope="type").delete(),
        lambda: PlaybookStep.objects.first().delete(),
    ],
    ids=[
        "update",
        "save",
        "create",
        "bulk_create",
        "bulk_update",
        "policy update",
        "step update",
        "queryset delete",
        "delete",
    ],
)
def test_every_write_path_moves_the_version_on(db, write):
    before = _version()
    assert before is not None
    write()
    assert _version() not in (None, before)


def test_migrate_and_loaddata_move_the_version_on(db, tmp_path):
    before = _version()
    call_command("migrate", "complaints", verbosity=0)  # post_migrate: defaults, then a bump
    after_migrate = _version()
    assert after_migrate not in (None, before)
    fixture = tmp_path / "levels.json"
    call_command("dumpdata", "complaints.complaintlevel", output=str(fixture), verbosity=0)
    call_command("loaddata", str(fixture), verbosity=0)  # raw saves
    assert _version() not in (None, after_migrate)


@pytest.mark.django_db(transaction=True)
def test_a_write_on_another_connection_is_seen_on_the_next_request(manager, as_user):
    client = as_user(manager)
    ticket = open_complaint(by=manager, owner=manager)
    url = f"/complaints/{ticket.number}/"
    with translation.override("zh-hans"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "越级投诉" in page  # the escalation form's choice, from the kept levels
    kept = config_kept.levels()

    def rename() -> None:  # another connection (this thread's own), as another process would
        try:
            level = ComplaintLevel.objects.get(code="over_level")
            level.name = "越级投诉（改）"
            level.save()
        finally:
            connections.close_all()

    worker = threading.Thread(target=rename)
    worker.start()
    worker.join()
    assert config_kept.levels() != kept
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "越级投诉（改）" in page


def test_the_ticket_page_reads_no_configuration_rows(manager, as_user):
    """The levels, categories, root causes and playbooks come from what is kept; the live
    expectations are read once for the expectation and knowledge panels."""
    client = as_user(manager)
    ticket = open_complaint(by=manager, owner=manager, level_code="over_level")
    url = f"/complaints/{ticket.number}/"
    first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url).content.decode()
    assert "越级投诉" in first
    assert "越级投诉" in again
    sql = [q["sql"] for q in captured.captured_queries]
    for table in (
        "complaints_complaintlevel",
        "complaints_complaintcategory",
        "complaints_rootcause",
        "complaints_playbook",
    ):
        assert not [s for s in sql if f'"{table}"' in s], table
    assert sum('FROM "insights_expectation"' in s for s in sql) <= 1
    assert sum("complaintconfigversion" in s for s in sql) == 1
