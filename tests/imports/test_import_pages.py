from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tests.imports.files import INTERACTION_HEADERS_ZH, call, write_csv
from yuqi.imports.models import ImportRun
from yuqi.interactions.models import Interaction


@pytest.mark.django_db(transaction=True)
def test_upload_runs_in_the_background_and_offers_the_error_report(as_user, manager, tmp_path):
    path = write_csv(
        tmp_path / "calls.csv",
        [INTERACTION_HEADERS_ZH, call("U1"), call("U2", channel="飞鸽传书")],
        encoding="gb18030",
    )
    client = as_user(manager)
    upload = SimpleUploadedFile("话务明细.csv", path.read_bytes(), content_type="text/csv")
    response = client.post("/imports/", {"kind": "interactions", "file": upload, "source": "acd"})
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{run.pk}/"
    assert run.status == "queued"
    assert 'hx-trigger="every 1s"' in client.get(f"/imports/{run.pk}/").content.decode()

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    run.refresh_from_db()
    assert (run.status, run.rows_created, run.rows_rejected) == ("done", 1, 1)
    assert run.created_by == manager
    assert Interaction.objects.get(external_id="U1").source == "acd"
    status = client.get(f"/imports/{run.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "every 1s" not in status
    report = client.get(f"/imports/{run.pk}/errors.csv")
    assert report.status_code == 200
    body = b"".join(report.streaming_content).decode("utf-8-sig")
    assert "飞鸽传书" in body


def test_analysts_see_imports_but_cannot_start_one(as_user, analyst):
    client = as_user(analyst)
    assert client.get("/imports/").status_code == 200
    upload = SimpleUploadedFile("a.csv", b"x", content_type="text/csv")
    assert client.post("/imports/", {"kind": "customers", "file": upload}).status_code == 403


def test_agents_cannot_see_imports(as_user, agent):
    assert as_user(agent).get("/imports/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_error_report_is_masked_for_viewers_who_may_not_see_personal_data(
    as_user, admin_user, analyst, manager, tmp_path
):
    """Review F-4: the analyst (no customers.view_personal_data) downloaded whole phone and ID
    numbers from /imports/<id>/errors.csv."""
    path = write_csv(
        tmp_path / "customers.csv",
        [
            ["客户编号", "姓名", "手机号", "身份证号", "邮箱", "客户等级", ""],
            ["C1", "赵敏", "13833334444", "110101198805061234", "zhaomin@example.com", "钻石", ""],
            ["C2", "", "1383333444x", "110101198805061235", "x", "", "13912345678"],
            ["C3", "周芷若", "1383333444x", "", "", "", ""],
        ],
    )
    upload = SimpleUploadedFile("customers.csv", path.read_bytes(), content_type="text/csv")
    as_user(admin_user).post("/imports/", {"kind": "customers", "file": upload})
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    run = ImportRun.objects.get()
    assert run.rows_rejected == 3
    assert run.personal_columns == {"手机号": "phone", "身份证号": "id_number", "邮箱": "email"}

    def report(user) -> str:
        response = as_user(user).get(f"/imports/{run.pk}/errors.csv")
        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            f'attachment; filename="import-{run.pk}-errors.csv"'
        )
        return b"".join(response.streaming_content).decode("utf-8-sig")

    masked = report(analyst)
    for secret in ("13833334444", "110101198805061234", "1383333444x", "13912345678", "zhaomin@"):
        assert secret not in masked
    assert "138****4444" in masked  # as the customer pages show it
    assert "110101********1234" in masked
    assert "z***@example.com" in masked
    assert "“******3444”" in masked  # the reason quoting the bad number is masked too
    assert "赵敏" in masked  # names are shown to analysts elsewhere too
    assert masked.count("\n") == report(manager).count("\n")
    full = report(manager)  # managers see personal data unmasked
    assert "13833334444" in full
    assert "110101198805061234" in full


@pytest.mark.django_db(transaction=True)
def test_a_run_that_rejected_rows_says_so_in_red_with_the_report(as_user, manager, tmp_path):
    """Review: a run with every row rejected was labelled "已完成" in neutral style."""
    path = write_csv(
        tmp_path / "customers.csv",
        [["客户编号", "姓名", "手机号"], ["C1", "赵敏", "123"], ["", "周芷若", ""]],
    )
    client = as_user(manager)
    upload = SimpleUploadedFile("customers.csv", path.read_bytes(), content_type="text/csv")
    client.post("/imports/", {"kind": "customers", "file": upload})
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    run = ImportRun.objects.get()
    assert (run.status, run.rows_rejected) == ("done", 2)
    page = client.get(f"/imports/{run.pk}/").content.decode()
    assert 'class="alert"' in page
    assert "已完成但有错误：全部行被拒绝" in page
    assert f"/imports/{run.pk}/errors.csv" in page
    listing = client.get("/imports/").content.decode()
    assert '<td class="bad">已完成但有错误' in listing
    assert "<td>客户</td>" in listing  # the kind by its label, not the code "customers"
