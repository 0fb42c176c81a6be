"""Writing small import files for tests, in the encodings centres really send."""

from __future__ import annotations

import csv
import io
from pathlib import Path

INTERACTION_HEADERS_ZH = [
    "通话ID",
    "渠道",
    "技能组",
    "座席工号",
    "客户编号",
    "进线时间",
    "应答时间",
    "结束时间",
    "话后处理时长",
    "业务类型",
]


def write_csv(path: Path, rows: list[list[object]], *, encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def call(
    external_id: str,
    *,
    arrived: str = "2026-11-02 09:00:00",
    answered: str = "2026-11-02 09:00:15",
    ended: str = "2026-11-02 09:04:15",
    channel: str = "电话",
    queue: str = "general",
    agent: str = "A001",
    customer: str = "",
    wrap: str = "30",
    category: str = "话费查询",
) -> list[object]:
    return [external_id, channel, queue, agent, customer, arrived, answered, ended, wrap, category]
