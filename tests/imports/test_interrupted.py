"""A run whose process died never shows "running" for ever: the sweep marks it interrupted,
the imports page shows it in red, and "Run again" queues the same stored file, which resumes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.imports.factories import ImportRunFactory, uploaded
from yuqi.customers.models import Customer
from yuqi.imports.models import ImportRun
from yuqi.imports.services import import_runs_mark_interrupted
from yuqi.imports.tasks import run_import

pytestmark = pytest.mark.django_db(transaction=True)

CSV = "客户编号,姓名\nC1,赵敏\nC2,周芷若\n".encode()
STALE = timedelta(minutes=10)


def silent_for(ago: timedelta, **fields) -> ImportRun:
    return ImportRunFactory(status="running", progress_at=timezone.now() - ago, **fields)


def test_a_cli_run_without_progress_is_marked_interrupted_with_a_message_to_rerun():
    run = silent_for(timedelta(minutes=11), stored_path="/srv/exports/customers.csv")
    run.committed_rows = 5000
    run.save()
    assert import_runs_mark_interrupted(stale_after=STALE) == [run.pk]
    run.refresh_from_db()
    assert run.status == "interrupted"
    assert run.finished_at is not None
    assert "yuqi import" in run.message
    assert "5000" in run.message


def test_a_run_with_recent_progress_is_left_running():
    run = silent_for(timedelta(minutes=9))
    assert import_runs_mark_interrupted(stale_after=STALE) == []
    run.refresh_from_db()
    assert run.status == "running"


def test_a_run_whose_job_is_waiting_or_running_is_left_to_it():
    """Its worker died, but the job was queued again (or runs): it will resume the run."""
    result = run_import.enqueue(0)
    run = silent_for(timedelta(hours=1), task_id=str(result.id))
    assert import_runs_mark_interrupted(stale_after=STALE) == []
    DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING")
    assert import_runs_mark_interrupted(stale_after=STALE) == []
    run.refresh_from_db()
    assert run.status == "running"


def test_a_run_whose_job_ended_without_an_outcome_is_interrupted_after_a_lease(settings):
    """The job was failed (out of attempts, worker lost): no need to wait ten minutes."""
    settings.TASK_LEASE_SECONDS = 60
    result = run_import.enqueue(0)
    DBTaskResult.objects.filter(pk=result.id).update(status="FAILED")
    run = silent_for(
        timedelta(seconds=61),
        task_id=str(result.id),
        stored_path=uploaded("a.csv", CSV),
    )
    assert import_runs_mark_interrupted(stale_after=STALE) == [run.pk]
    run.refresh_from_db()
    assert run.status == "interrupted"
    assert "Run again" in run.message or "重新运行" in run.message


def test_a_queued_run_whose_job_was_never_queued_is_interrupted():
    run = ImportRunFactory(status="queued")
    ImportRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert import_runs_mark_interrupted(stale_after=STALE) == [run.pk]


def test_the_scheduler_runs_the_sweeps_at_each_tick():
    from yuqi.core import schedule

    run = silent_for(timedelta(days=1))
    schedule.run_sweeps()
    run.refresh_from_db()
    assert run.status == "interrupted"


def interrupted_upload(by) -> ImportRun:
    return ImportRunFactory(
        status="interrupted",
        message="Interrupted: …",
        stored_path=uploaded("customers.csv", CSV),
        created_by=by,
    )


def test_an_interrupted_upload_shows_in_red_with_run_again(as_user, manager):
    run = interrupted_upload(manager)
    client = as_user(manager)
    listing = client.get("/imports/").content.decode()
    assert 'class="bad"' in listing
    assert f'action="/imports/{run.pk}/again/"' in listing
    detail = client.get(f"/imports/{run.pk}/").content.decode()
    assert 'class="alert"' in detail
    assert f'action="/imports/{run.pk}/again/"' in detail


def test_run_again_queues_the_same_file_which_is_then_imported(as_user, manager):
    run = interrupted_upload(manager)
    response = as_user(manager).post(f"/imports/{run.pk}/again/")
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.status, run.message) == ("queued", "")
    assert run.task_id
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    run.refresh_from_db()
    assert (run.status, run.rows_created) == ("done", 2)
    assert set(Customer.objects.values_list("external_id", flat=True)) == {"C1", "C2"}


def test_run_again_needs_the_permission_to_import(as_user, analyst, manager):
    run = interrupted_upload(manager)
    client = as_user(analyst)
    assert "/again/" not in client.get(f"/imports/{run.pk}/").content.decode()
    assert client.post(f"/imports/{run.pk}/again/").status_code == 403
    run.refresh_from_db()
    assert run.status == "interrupted"


def test_run_again_is_not_offered_for_a_file_given_to_yuqi_import(as_user, manager, tmp_path):
    """A web user must not make the server read a local path again."""
    local = tmp_path / "local.csv"
    local.write_bytes(CSV)
    run = ImportRunFactory(status="interrupted", stored_path=str(local))
    client = as_user(manager)
    assert "/again/" not in client.get(f"/imports/{run.pk}/").content.decode()
    client.post(f"/imports/{run.pk}/again/")
    run.refresh_from_db()
    assert run.status == "interrupted"


def test_a_running_import_cannot_be_run_again(as_user, manager):
    run = interrupted_upload(manager)
    ImportRun.objects.filter(pk=run.pk).update(status="running")
    as_user(manager).post(f"/imports/{run.pk}/again/")
    run.refresh_from_db()
    assert (run.status, run.task_id) == ("running", "")
