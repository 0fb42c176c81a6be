"""Peak memory (RSS) of ``yuqi import`` on hostile and large files (security review F-1,
F-15): each file is imported by a fresh ``yuqi import`` process on SQLite, whose peak RSS is
taken from ``wait4``. The bombs are built by streaming ZIP entries (``tests/ingest/bombs.py``),
so they never exist expanded.

    .venv/bin/python bench/import_limits_bench.py            # all cases
    .venv/bin/python bench/import_limits_bench.py bomb csv50 # some

Cases: ``bomb`` (the review's: a 0.5 MB workbook whose shared strings expand to 500 MB),
``strings`` (shared strings of short distinct texts just under ``YUQI_XLSX_MAX_PART_MB``: the
largest table a workbook may make openpyxl hold), ``wide`` (a row of millions of empty cells),
``far`` (200,000 rows each with an empty cell in column XFD: compresses too little for the
ratio limit, read at the header's width), ``field`` (a CSV whose third row has a 10 MB
cell), ``csv50`` (a 50 MB customers CSV, about 370,000 rows: imported whole, memory flat).
Each case prints the exit status, seconds, peak RSS and the first line of the error, if any.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.ingest import bombs  # noqa: E402

YUQI = str(Path(sys.executable).with_name("yuqi"))
MB = 1024 * 1024


def _csv_with_huge_field(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("customer_id,customer_name\r\nC1,赵敏\r\nC2,周芷若\r\nC3,")
        handle.write("x" * (10 * MB))
        handle.write("\r\nC4,after\r\n")
    return path


def _csv50(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["客户编号", "姓名", "手机号", "地区", "客户等级", "月均消费", "备注"])
        n = 0
        while handle.tell() < 50 * MB:
            writer.writerow(
                [
                    f"C{n:08d}",
                    "欧阳娜娜",
                    f"138{n % 10**8:08d}",
                    "广东深圳",
                    "gold",
                    "128.50",
                    "客户来电咨询话费账单，已解释套餐资费" * 2,
                ]
            )
            n += 1
    return path


CASES = {
    "bomb": lambda folder: bombs.zip_bomb(folder / "bomb.xlsx", megabytes=500),
    "strings": lambda folder: bombs.workbook(
        folder / "strings.xlsx", strings=bombs.distinct_strings(15.5)
    ),
    "wide": lambda folder: bombs.workbook(
        folder / "wide.xlsx", sheet=bombs.wide_row(20_000_000, refs=False)
    ),
    "far": lambda folder: bombs.workbook(folder / "far.xlsx", sheet=bombs.far_empty_cells(200_000)),
    "field": lambda folder: _csv_with_huge_field(folder / "field.csv"),
    "csv50": lambda folder: _csv50(folder / "customers-50mb.csv"),
}


def run(name: str, folder: Path) -> None:
    path = CASES[name](folder)
    env = {**os.environ, "YUQI_DATA_DIR": str(folder / f"data-{name}")}
    subprocess.run([YUQI, "manage", "migrate", "-v", "0"], env=env, check=True)
    started = time.monotonic()
    process = subprocess.Popen(
        [YUQI, "import", "customers", str(path), "--no-migrate", "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    error = (process.stderr.read() if process.stderr else "").strip().splitlines()
    code = os.waitstatus_to_exitcode(status)
    print(
        f"{name:8} {path.stat().st_size / MB:8.1f} MB file  exit {code}"
        f"  {seconds:6.1f} s  peak RSS {usage.ru_maxrss / 1024:7.1f} MB"
        + (f"  {error[0][:160]}" if error else "")
    )


def main(names: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="import-limits-") as folder:
        for name in names or list(CASES):
            run(name, Path(folder))


if __name__ == "__main__":
    main(sys.argv[1:])
