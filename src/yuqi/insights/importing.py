"""Peer indicators and offerings from files and JSON lists: the importers the engine calls.

``yuqi import peers FILE`` reads one row per peer, indicator and period (long format)::

    对标中心, 行业, 地区, 指标, 期间, 数值, 来源
    某省移动10086, 电信, 华东, 接通率, 2026-05, 92.5%, 行业协会月报

``yuqi import offerings FILE`` reads one row per holder and offering; a holder of
``本中心``/``我方``/``ours`` means our own centre::

    对标中心, 服务编码, 服务名称, 开通时间, 来源
    某银行信用卡中心, video, 视频客服, 2025-03-01, 神秘顾客体验

Rates (answer rate, abandon rate, service level, FCR) are stored as fractions: ``92.5%`` and
``0.925`` are the same value; a bare number above 1 is refused rather than guessed at.
Re-importing a file is idempotent: identical rows are counted "unchanged" and not written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from yuqi.imports.importers import Checked, StoreResult
from yuqi.ingest import ColumnMap, FieldError, FieldSpec
from yuqi.ingest.columns import header_key
from yuqi.ingest.parse import parse_choice, parse_date, parse_decimal
from yuqi.insights import services
from yuqi.insights.models import SURVEY_INDICATORS, Indicator, Scope

RATE_INDICATORS = frozenset(
    {Indicator.ANSWER_RATE, Indicator.ABANDON_RATE, Indicator.SERVICE_LEVEL, Indicator.FCR}
)

INDICATOR_WORDS: dict[str, str] = {
    **{code: code for code in Indicator.values},
    **{str(label): code for code, label in Indicator.choices},
    "接通率": Indicator.ANSWER_RATE,
    "人工接通率": Indicator.ANSWER_RATE,
    "应答率": Indicator.ANSWER_RATE,
    "answer rate": Indicator.ANSWER_RATE,
    "平均应答速度": Indicator.ASA_SECONDS,
    "平均应答时长": Indicator.ASA_SECONDS,
    "平均等待时长": Indicator.ASA_SECONDS,
    "等待时长": Indicator.ASA_SECONDS,
    "asa": Indicator.ASA_SECONDS,
    "放弃率": Indicator.ABANDON_RATE,
    "呼损率": Indicator.ABANDON_RATE,
    "abandon rate": Indicator.ABANDON_RATE,
    "服务水平": Indicator.SERVICE_LEVEL,
    "service level": Indicator.SERVICE_LEVEL,
    "一次解决率": Indicator.FCR,
    "首次解决率": Indicator.FCR,
    "一次性解决率": Indicator.FCR,
    "first contact resolution": Indicator.FCR,
    "易用性": Indicator.EASE_OF_USE,
    "便捷性": Indicator.EASE_OF_USE,
    "操作便捷性": Indicator.EASE_OF_USE,
    "ease of use": Indicator.EASE_OF_USE,
    "满意度": Indicator.SATISFACTION,
    "客户满意度": Indicator.SATISFACTION,
    "csat": Indicator.SATISFACTION,
    "净推荐值": Indicator.NPS,
}

SCOPE_WORDS: dict[str, str] = {
    **{code: code for code in Scope.values},
    **{str(label): code for code, label in Scope.choices},
    "语音": Scope.VOICE,
    "语音热线": Scope.VOICE,
    "热线": Scope.VOICE,
    "电话": Scope.VOICE,
    "hotline": Scope.VOICE,
    "phone": Scope.VOICE,
    "在线": Scope.CHAT,
    "在线客服": Scope.CHAT,
    "文字客服": Scope.CHAT,
    "webchat": Scope.CHAT,
    "邮件": Scope.EMAIL,
    "电子邮件": Scope.EMAIL,
    "全部": Scope.ALL,
    "全渠道": Scope.ALL,
    "所有渠道": Scope.ALL,
}

OURS_WORDS = frozenset(
    header_key(w) for w in ("本中心", "我方", "我们", "本单位", "ours", "us", "our centre")
)


def _map(name: str, *specs: FieldSpec) -> ColumnMap:
    return ColumnMap({spec.name: spec for spec in specs}, name=name)


PEER_VALUE_COLUMNS = _map(
    "peers",
    FieldSpec(
        "peer",
        ("peer_centre", "centre", "center", "对标中心", "同行", "同行中心", "中心名称", "呼叫中心"),
        required=True,
    ),
    FieldSpec("industry", ("行业", "所属行业")),
    FieldSpec("region", ("地区", "区域", "省份")),
    FieldSpec("indicator", ("kpi", "metric", "指标", "指标名称", "指标项"), required=True),
    FieldSpec("scope", ("channel_scope", "channel", "范围", "渠道范围", "统计范围", "渠道")),
    FieldSpec("period", ("month", "期间", "月份", "统计月份", "统计期间")),
    FieldSpec("period_start", ("start", "from", "开始日期", "期间开始", "起始日期")),
    FieldSpec("period_end", ("end", "to", "结束日期", "期间结束", "截止日期")),
    FieldSpec("value", ("数值", "指标值", "值", "结果"), required=True),
    FieldSpec("source", ("数据来源", "来源", "出处")),
)

OFFERING_COLUMNS = _map(
    "offerings",
    FieldSpec(
        "peer",
        ("holder", "centre", "center", "对标中心", "同行", "中心名称", "提供方"),
        required=True,
    ),
    FieldSpec("code", ("offering_code", "编码", "服务编码", "功能编码")),
    FieldSpec(
        "name", ("offering", "offering_name", "服务名称", "服务", "功能", "服务特色"), required=True
    ),
    FieldSpec("name_en", ("english_name", "英文名称")),
    FieldSpec("description", ("说明", "描述", "备注")),
    FieldSpec("since", ("开通时间", "上线时间", "开通日期", "上线日期")),
    FieldSpec("source", ("数据来源", "来源", "出处")),
)


def _present(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _limited(value: Any, limit: int) -> str:
    text = str(value).strip()
    if len(text) > limit:
        raise FieldError(_("longer than %(n)d characters") % {"n": limit})
    return text


def parse_month(value: Any) -> tuple[date, date]:
    """``2026-05``, ``2026/5``, ``2026年5月`` → the month's first and last day."""
    text = str(value).strip().replace("年", "-").replace("月", "").replace("/", "-")
    try:
        year, month = (int(part) for part in text.split("-")[:2])
        start = date(year, month, 1)
    except ValueError:
        raise FieldError(_("“%(value)s” is not a month such as 2026-05."), value=value) from None
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return start, end


def parse_indicator_value(indicator: str, value: Any) -> Decimal:
    """A rate as a fraction (``85%`` or ``0.85``); other indicators as given."""
    text = str(value).strip()
    percent = text.endswith(("%", "％"))
    number = parse_decimal(text.rstrip("%％").strip() if percent else value)
    if number is None:
        raise FieldError(_("A value is required."))
    if indicator in RATE_INDICATORS:
        if percent:
            number = number / 100
        if not 0 <= number <= 1:
            raise FieldError(
                _("A rate is a fraction from 0 to 1 or a percentage such as 85%%: “%(value)s”."),
                value=text,
            )
    elif percent:
        raise FieldError(_("Only rates may be given in percent: “%(value)s”."), value=text)
    if indicator == Indicator.ASA_SECONDS and number < 0:
        raise FieldError(_("“%(value)s” may not be negative."), value=text)
    return number.quantize(Decimal("0.0001"))


def _period(values: Mapping[str, Any], errors: list[tuple[str, str]]) -> tuple[date, date] | None:
    try:
        if _present(values.get("period")):
            return parse_month(values["period"])
        start = parse_date(values.get("period_start"))
        end = parse_date(values.get("period_end"))
    except FieldError as exc:
        field = "period" if _present(values.get("period")) else "period_start"
        errors.append((field, str(exc)))
        return None
    if start is None or end is None:
        errors.append(("period", _("Give a month (期间) or a start and an end date.")))
        return None
    if end < start:
        errors.append(("period_end", _("The end date is before the start date.")))
        return None
    return start, end


def clean_peer_value(values: Mapping[str, Any]) -> Checked:
    """Validate one peer indicator row (file row or JSON item); errors name their field."""
    errors: list[tuple[str, str]] = []
    record: dict[str, Any] = {}
    for name, limit in (("peer", 120), ("industry", 60), ("region", 60), ("source", 200)):
        try:
            record[name] = _limited(values.get(name) or "", limit)
        except FieldError as exc:
            errors.append((name, str(exc)))
    if not record.get("peer") and not any(f == "peer" for f, _m in errors):
        errors.append(("peer", _("A value is required.")))
    indicator = None
    try:
        indicator = parse_choice(values.get("indicator"), INDICATOR_WORDS)
        if indicator is None:
            errors.append(("indicator", _("A value is required.")))
    except FieldError as exc:
        errors.append(("indicator", str(exc)))
    period = _period(values, errors)
    if indicator is not None:
        try:
            record["value"] = parse_indicator_value(indicator, values.get("value"))
        except FieldError as exc:
            errors.append(("value", str(exc)))
    scope = None
    try:
        scope = parse_choice(values.get("scope"), SCOPE_WORDS)
    except FieldError as exc:
        errors.append(("scope", str(exc)))
    if errors:
        return Checked(None, errors)
    assert period is not None
    if scope is None:  # peers publish hotline figures; survey figures cover every channel
        scope = Scope.ALL if indicator in SURVEY_INDICATORS else Scope.VOICE
    record.update(indicator=indicator, scope=scope, period_start=period[0], period_end=period[1])
    return Checked(record)


def offering_code_for(name: str) -> str:
    """A stable code for an offering named only in Chinese: ``o-`` and a short hash."""
    return "o-" + hashlib.sha1(name.encode()).hexdigest()[:10]


def clean_offering(values: Mapping[str, Any]) -> Checked:
    errors: list[tuple[str, str]] = []
    record: dict[str, Any] = {}
    for name, limit in (
        ("peer", 120),
        ("code", 60),
        ("name", 120),
        ("name_en", 120),
        ("description", 2000),
        ("source", 200),
    ):
        try:
            record[name] = _limited(values.get(name) or "", limit)
        except FieldError as exc:
            errors.append((name, str(exc)))
    for required in ("peer", "name"):
        if required in record and not record[required]:
            errors.append((required, _("A value is required.")))
    try:
        record["since"] = parse_date(values.get("since"))
    except FieldError as exc:
        errors.append(("since", str(exc)))
    if errors:
        return Checked(None, errors)
    record["ours"] = header_key(record["peer"]) in OURS_WORDS
    if record["ours"]:
        record["peer"] = ""
    record["code"] = record["code"].lower() or offering_code_for(record["name"])
    return Checked(record)


class PeerValueImporter:
    kind = "peers"
    permission = "insights.add_peerindicatorvalue"
    columns = PEER_VALUE_COLUMNS
    tables = ()

    def check(self, values: Mapping[str, Any], *, source: str = "") -> Checked:
        return clean_peer_value(values)

    def key(self, record: Mapping[str, Any]) -> Hashable:
        return (
            record["peer"],
            record["indicator"],
            record.get("scope", Scope.VOICE),
            record["period_start"],
            record["period_end"],
        )

    def store(self, records: Sequence[dict[str, Any]]) -> StoreResult:
        return services.peer_values_store(records=records)


class OfferingImporter:
    kind = "offerings"
    permission = "insights.add_offering"
    columns = OFFERING_COLUMNS
    tables = ()

    def check(self, values: Mapping[str, Any], *, source: str = "") -> Checked:
        return clean_offering(values)

    def key(self, record: Mapping[str, Any]) -> Hashable:
        return (record["ours"], record["peer"], record["code"])

    def store(self, records: Sequence[dict[str, Any]]) -> StoreResult:
        return services.offerings_store(records=records)
