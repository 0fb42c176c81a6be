"""Training records from files: ``yuqi import training FILE``, the import page or the training
page::

    工号, 课程, 学时, 日期, 结果
    A001, 投诉处理六步法, 4, 2026-11-20, 合格

One row per agent, course and date; re-importing updates hours and result.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from yuqi.core.errors import DomainError
from yuqi.imports.importers import Checked, StoreResult
from yuqi.ingest import ColumnMap, FieldError, FieldSpec
from yuqi.ingest.parse import parse_date, parse_decimal
from yuqi.quality import ports

TRAINING_COLUMNS = ColumnMap(
    {
        spec.name: spec
        for spec in (
            FieldSpec(
                "agent_code",
                ("agent", "work_number", "工号", "坐席工号", "员工工号"),
                required=True,
            ),
            FieldSpec("course", ("课程", "课程名称", "培训课程", "training"), required=True),
            FieldSpec("hours", ("学时", "时长", "培训时长", "小时"), required=True),
            FieldSpec("taken_on", ("date", "日期", "培训日期"), required=True),
            FieldSpec("result", ("结果", "考核结果", "成绩")),
        )
    },
    name="training",
)

#: A training file (a row per agent, course and date) uploaded on the training page is imported
#: within the request, so it is kept small.
TRAINING_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
TRAINING_UPLOAD_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")


def _text(values: Mapping[str, Any], name: str, limit: int, errors: list) -> str:
    text = str(values.get(name) or "").strip()
    if len(text) > limit:
        errors.append((name, _("At most %(n)s characters.") % {"n": limit}))
    return text


class TrainingImporter:
    kind = "training"
    permission = "quality.add_trainingrecord"
    columns = TRAINING_COLUMNS
    tables = ("quality_trainingrecord",)

    def __init__(self) -> None:
        self._agents: set[str] | None = None

    def check(self, values: Mapping[str, Any], *, source: str = "") -> Checked:
        errors: list[tuple[str, str]] = []
        record: dict[str, Any] = {
            "agent_code": _text(values, "agent_code", 40, errors),
            "course": _text(values, "course", 120, errors),
            "result": _text(values, "result", 60, errors),
        }
        for name in ("agent_code", "course"):
            if not record[name] and not any(f == name for f, _m in errors):
                errors.append((name, _("A value is required.")))
        try:
            hours = parse_decimal(values.get("hours"), nonnegative=True)
            if hours is None or not Decimal("0") < hours <= Decimal("200"):
                errors.append(("hours", _("Hours must be above 0 and at most 200.")))
            record["hours"] = hours
        except FieldError as exc:
            errors.append(("hours", str(exc)))
        try:
            record["taken_on"] = parse_date(values.get("taken_on"))
            if record["taken_on"] is None:
                errors.append(("taken_on", _("A value is required.")))
        except FieldError as exc:
            errors.append(("taken_on", str(exc)))
        return Checked(None, errors) if errors else Checked(record)

    def key(self, record: Mapping[str, Any]) -> Hashable:
        return (record["agent_code"], record["course"], record["taken_on"])

    def store(self, records: Sequence[dict[str, Any]]) -> StoreResult:
        from yuqi.quality.choices import TrainingSource
        from yuqi.quality.services import training_record_add

        result = StoreResult()
        known = set(ports.agent_refs({r["agent_code"] for r in records}))
        for index, record in enumerate(records):
            if record["agent_code"] not in known:
                result.rejected.append((index, "agent_code", _("Unknown agent work number.")))
                continue
            try:
                training_record_add(**record, source=TrainingSource.IMPORTED)
            except DomainError as error:
                result.rejected.append((index, error.field or "", error.message))
                continue
            result.created += 1
            result.statuses[index] = "created"
        return result
