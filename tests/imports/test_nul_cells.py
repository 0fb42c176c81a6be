"""A NUL character (code 0) in a cell past the part of the file the sniffer reads: the row is
refused in the error report, naming its cell, and every other row is stored. PostgreSQL cannot
hold NUL in text; before, the whole import failed on it, whichever path read the file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.db import connection

from tests.imports.files import write_csv
from tests.imports.test_bulk_checks import HEADERS, row
from yuqi.cli import main
from yuqi.imports import columnar
from yuqi.imports.models import ImportRun
from yuqi.ingest.sniff import SAMPLE_BYTES
from yuqi.interactions.models import Interaction

pytestmark = pytest.mark.django_db(transaction=True)

PATHS = ["row path"]
if connection.vendor == "postgresql":
    PATHS.append("columnar")


def _file(tmp_path: Path) -> Path:
    lines = [HEADERS]
    lines += [row(f"P{n}", notes="长" * 100) for n in range(300)]  # past the sniffed start
    lines += [row("N1", notes="before\x00after"), row("N2", category="话费\x00"), row("P-last")]
    path = write_csv(tmp_path / "nul.csv", lines)
    assert path.stat().st_size > SAMPLE_BYTES
    return path


@pytest.mark.parametrize("way", PATHS)
def test_a_row_with_a_nul_cell_is_refused_by_name_and_the_rest_stored(tmp_path, monkeypatch, way):
    monkeypatch.setattr(columnar, "MIN_BYTES", 0 if way == "columnar" else 1 << 40)
    main(["import", "interactions", str(_file(tmp_path)), "--quiet", "--no-migrate"])
    run = ImportRun.objects.latest("pk")
    assert run.status == "done", run.message
    assert (run.rows_read, run.rows_created, run.rows_rejected) == (303, 301, 2)
    assert Interaction.objects.filter(external_id="P-last").exists()
    assert not Interaction.objects.filter(external_id__in=["N1", "N2"]).exists()
    with open(run.error_report, encoding="utf-8-sig", newline="") as handle:
        report = list(csv.reader(handle))
    refused = {(line[0], line[1]) for line in report[1:] if "NUL" in line[2]}
    assert refused == {("302", "notes"), ("303", "category")}
