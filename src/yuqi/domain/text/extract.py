"""Expectation extraction: what one complaint asks for, by when, and about whom or what.

``extract_expectation(text, reference)`` returns an ``Extraction`` with

* ``outcomes``: each wanted outcome (refund, repair, apology, callback, explanation,
  compensation) with the matched span, a confidence, and a money ``amount`` when one is
  stated next to it (``赔偿50元``, ``补偿两百块``, ``refund of $50``);
* ``wanted_time``: the deadline the customer asks for, resolved against ``reference`` (a
  datetime; its time zone is kept) into an absolute ``deadline`` where the phrase allows;
* ``target``: agent/staff, product/network, or policy/fee, by the words that name them.

Rules, not a model: patterns over the normalised text (half-width, simplified), so every
field carries the span that produced it and a handler can check it. Confidences are fixed
per pattern kind (explicit keyword 0.9, with an amount 0.95; exact times 0.9, relative
phrases 0.85, parts of day 0.75, vague "as soon as possible" 0.6 without a deadline).

Time conventions (documented because customers are vague): a day means its end (23:59:59);
"N天内" is the end of the N-th day after the reference date; "N小时内" is exact; a part of
day means its end (上午 12:00, 中午 14:00, 下午 18:00, 晚上 23:59:59) and "前/之前" does
not move it (customers say "明天下午前" meaning "by tomorrow afternoon"); "下周一" is
Monday of next week; "周五前" is the coming Friday (today if it is Friday); a date without a
year is this year's, or next year's if it has passed; a past explicit date is not a wanted
time (it tells when something happened). Working days skip Saturdays and Sundays only
(holidays need the centre's calendar, outside this pure module).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from yuqi.domain.text.normalize import chinese_number, to_halfwidth, to_simplified

__all__ = ["Extraction", "Outcome", "Target", "WantedTime", "extract_expectation"]

_END_OF_DAY = time(23, 59, 59)
_PARTS = {
    "早上": time(9, 0),
    "上午": time(12, 0),
    "中午": time(14, 0),
    "下午": time(18, 0),
    "傍晚": time(19, 0),
    "晚上": _END_OF_DAY,
}
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}
_EN_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_EN_MONTHS = {
    name: index
    for index, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_EN_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "ten": 10,
    "a": 1,
    "an": 1,
}
_NUM = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万半几]+)"


@dataclass(frozen=True)
class Outcome:
    kind: str  # refund, repair, apology, callback, explanation, compensation
    confidence: float
    matched: str
    span: tuple[int, int]
    amount: Decimal | None = None
    currency: str | None = None


@dataclass(frozen=True)
class WantedTime:
    matched: str
    span: tuple[int, int]
    confidence: float
    kind: str  # absolute, relative, part_of_day, weekday, asap
    deadline: datetime | None


@dataclass(frozen=True)
class Target:
    kind: str  # agent, product, policy
    confidence: float
    matched: str
    span: tuple[int, int]


@dataclass(frozen=True)
class Extraction:
    outcomes: tuple[Outcome, ...]
    wanted_time: WantedTime | None
    target: Target | None

    @property
    def outcome_kinds(self) -> tuple[str, ...]:
        return tuple(outcome.kind for outcome in self.outcomes)


# --- outcomes ------------------------------------------------------------------------------

_OUTCOME_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("compensation", r"赔偿|补偿|赔钱|赔付|赔我|compensat\w*|reimburse\w*"),
        ("refund", r"退费|退款|退钱|退还|退回|返还|退我|\brefund\w*|money back"),
        ("repair", r"维修|修好|修复|上门|派人|检修|抢修|来修|\brepair\w*|\bfix\w*|technician"),
        ("apology", r"道歉|赔礼|致歉|赔不是|apolog\w*"),
        (
            "callback",
            r"回电|回个?电话|回复我|给我回复|给个回复|打回来|联系我|call (?:me )?back|"
            r"callback|get back to me|contact me|respond to me",
        ),
        ("explanation", r"解释|给个?说法|讨个说法|说清楚|给个?交代|explain\w*|explanation"),
    )
)
_NEGATION = re.compile(r"(不要|不用|不需要|无需|别|不必|don't|do not|no need)\s*\S{0,2}$", re.I)
_AMOUNT_AFTER = re.compile(
    rf"^\s*(?:我|给我|费用)?\s*(?:(?:人民币|rmb|\$|¥|￥)\s*)?({_NUM})\s*(元|块钱|块|rmb|dollars?|usd)?",
    re.IGNORECASE,
)
_AMOUNT_BEFORE = re.compile(rf"({_NUM})\s*(元|块钱|块)的?\s*$")
_EN_AMOUNT = re.compile(
    r"^\s*(?:of|for)?\s*(?:\$|usd\s*)(\d+(?:\.\d+)?)|^\s*(?:of|for)?\s*(\d+(?:\.\d+)?)\s*(?:dollars|usd)",
    re.I,
)


def _amount(value: str) -> Decimal | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        return Decimal(value)
    if "半" in value or "几" in value:
        return None
    number = chinese_number(value)
    return Decimal(number) if number is not None else None


def _find_amount(text: str, start: int, end: int) -> tuple[Decimal | None, str | None, int]:
    """An amount right after (or before) a money outcome keyword; the end of its span."""
    after = text[end : end + 16]
    english = _EN_AMOUNT.match(after)
    if english:
        value = english.group(1) or english.group(2)
        return Decimal(value), "USD", end + english.end()
    match = _AMOUNT_AFTER.match(after)
    if match:
        amount = _amount(match.group(1))
        unit = (match.group(2) or "").lower()
        currency = "USD" if unit.startswith(("dollar", "usd")) or "$" in match.group(0) else "CNY"
        spoken = any(char in "十百千万" for char in match.group(1))
        if amount is not None and (unit or spoken or match.group(1).isdigit()):
            return amount, currency, end + match.end()
    before = _AMOUNT_BEFORE.search(text[max(0, start - 10) : start])
    if before:
        amount = _amount(before.group(1))
        if amount is not None:
            return amount, "CNY", end
    return None, None, end


def _outcomes(text: str) -> tuple[Outcome, ...]:
    found: dict[str, Outcome] = {}
    for kind, pattern in _OUTCOME_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if _NEGATION.search(text[max(0, start - 8) : start]):
                continue
            amount = currency = None
            confidence = 0.9
            if kind in ("compensation", "refund"):
                amount, currency, end = _find_amount(text, start, end)
                if amount is not None:
                    confidence = 0.95
            outcome = Outcome(kind, confidence, text[start:end], (start, end), amount, currency)
            current = found.get(kind)
            if current is None or (current.amount is None and amount is not None):
                found[kind] = outcome
    return tuple(sorted(found.values(), key=lambda outcome: outcome.span))


# --- wanted time ---------------------------------------------------------------------------


def _end_of(day: date, reference: datetime, at: time = _END_OF_DAY) -> datetime:
    return datetime.combine(day, at, tzinfo=reference.tzinfo)


def _add_working_days(day: date, count: int) -> date:
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _number(value: str) -> float | None:
    if value == "半":
        return 0.5
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        return float(value)
    if value.startswith("半"):
        return None
    if value.endswith("半"):
        base = chinese_number(value[:-1])
        return None if base is None else base + 0.5
    number = chinese_number(value)
    return None if number is None else float(number)


def _coming_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _next_week_day(day: date, weekday: int) -> date:
    monday = day - timedelta(days=day.weekday()) + timedelta(days=7)
    return monday + timedelta(days=weekday)


def _resolve_date(
    year: int | None, month: int, day_of_month: int, reference: datetime
) -> date | None:
    try:
        candidate = date(year or reference.year, month, day_of_month)
    except ValueError:
        return None
    if year is None and candidate < reference.date():
        try:
            candidate = date(reference.year + 1, month, day_of_month)
        except ValueError:
            return None
    return candidate


_DAY_WORDS = {"今天": 0, "今日": 0, "当天": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3}
_TIME_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?"), "ymd"),
    (
        re.compile(
            r"(\d{1,2}|[一二三四五六七八九十]{1,3})月(\d{1,2}|[一二三四五六七八九十]{1,3})[日号]"
        ),
        "md",
    ),
    (
        re.compile(
            r"(大后天|后天|明天|明日|今天|今日|当天)\s*(早上|上午|中午|下午|傍晚|晚上)?\s*(?:(\d{1,2})\s*[点:时])?"
        ),
        "dayword",
    ),
    (re.compile(r"(下下|下个?|这个?|本)(周|星期|礼拜)([一二三四五六日天末])"), "weekday_rel"),
    (
        re.compile(r"(?<![下这本个])(周|星期|礼拜)([一二三四五六日天])\s*(之前|以前|前)"),
        "weekday_before",
    ),
    (
        re.compile(
            rf"({_NUM})\s*个?(工作日|小时|钟头|分钟|天|日|周|星期|礼拜|个月)\s*(之内|以内|内)"
        ),
        "within",
    ),
    (
        re.compile(
            r"(本周|这周|这个星期|下周|下个星期|本月|这个月)\s*(?:之内|以内|内|前|底)|(月底|年底)"
        ),
        "period",
    ),
    (
        re.compile(
            r"尽快|马上|立刻|立即|赶紧|赶快|第一时间|"
            r"asap|as soon as possible|immediately|right away",
            re.I,
        ),
        "asap",
    ),
    (
        re.compile(
            r"within\s+(\d+|one|two|three|four|five|six|seven|ten|a|an)\s+"
            r"(business days?|working days?|hours?|days?|weeks?)",
            re.I,
        ),
        "en_within",
    ),
    (
        re.compile(
            r"\b(?:by|before|until)\s+(?:this\s+|next\s+)?"
            r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow|"
            r"end of (?:the )?(?:day|week|month))",
            re.I,
        ),
        "en_by",
    ),
    (
        re.compile(
            r"\b(?:by|before)\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})",
            re.I,
        ),
        "en_date",
    ),
]


def _time_from(kind: str, match: re.Match[str], reference: datetime) -> WantedTime | None:
    today = reference.date()
    text = match.group(0)
    span = match.span()

    def result(confidence: float, shape: str, deadline: datetime | None) -> WantedTime:
        return WantedTime(text.strip(), span, confidence, shape, deadline)

    if kind == "ymd":
        year, month, day = (int(g) for g in match.groups())
        try:
            target = date(year, month, day)
        except ValueError:
            return None
        if target < today:
            return None
        return result(0.9, "absolute", _end_of(target, reference))
    if kind == "md":
        month, day = (_number(g) for g in match.groups())
        if month is None or day is None:
            return None
        target = _resolve_date(None, int(month), int(day), reference)
        if target is None or (target - today).days > 300:
            return None  # most likely a past date: when something happened
        return result(0.85, "absolute", _end_of(target, reference))
    if kind == "dayword":
        offset = _DAY_WORDS[match.group(1)]
        part, hour = match.group(2), match.group(3)
        target = today + timedelta(days=offset)
        if hour:
            clock = int(hour)
            if part in ("下午", "傍晚", "晚上") and clock < 12:
                clock += 12
            if clock > 23:
                return None
            return result(0.85, "absolute", _end_of(target, reference, time(clock, 0)))
        if part:
            return result(0.75, "part_of_day", _end_of(target, reference, _PARTS[part]))
        return result(0.85, "relative", _end_of(target, reference))
    if kind == "weekday_rel":
        prefix, _, weekday_char = match.groups()
        weekday = _WEEKDAYS[weekday_char]
        if prefix.startswith("下下"):
            target = _next_week_day(today, weekday) + timedelta(days=7)
        elif prefix.startswith("下"):
            target = _next_week_day(today, weekday)
        else:
            target = today - timedelta(days=today.weekday()) + timedelta(days=weekday)
        return result(0.85, "weekday", _end_of(target, reference))
    if kind == "weekday_before":
        weekday = _WEEKDAYS[match.group(2)]
        return result(0.8, "weekday", _end_of(_coming_weekday(today, weekday), reference))
    if kind == "within":
        amount, unit = _number(match.group(1)), match.group(2)
        if amount is None or amount <= 0:
            return None
        if unit in ("小时", "钟头"):
            return result(0.9, "relative", reference + timedelta(hours=amount))
        if unit == "分钟":
            return result(0.9, "relative", reference + timedelta(minutes=amount))
        if unit == "工作日":
            return result(
                0.85, "relative", _end_of(_add_working_days(today, int(amount)), reference)
            )
        days = {"天": 1, "日": 1, "周": 7, "星期": 7, "礼拜": 7, "个月": 30}[unit] * amount
        return result(0.85, "relative", _end_of(today + timedelta(days=int(days)), reference))
    if kind == "period":
        word = match.group(1) or match.group(2)
        if word in ("本周", "这周", "这个星期"):
            target = _coming_weekday(today, 6)
        elif word in ("下周", "下个星期"):
            target = _coming_weekday(today, 6) + timedelta(days=7)
        elif word in ("本月", "这个月", "月底"):
            following = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
            target = following - timedelta(days=1)
        else:
            target = date(today.year, 12, 31)
        return result(0.7, "relative", _end_of(target, reference))
    if kind == "asap":
        return result(0.6, "asap", None)
    if kind == "en_within":
        raw, unit = match.group(1).lower(), match.group(2).lower()
        amount = float(_EN_NUMBERS.get(raw, raw if raw.isdigit() else 0))
        if amount <= 0:
            return None
        if unit.startswith("hour"):
            return result(0.9, "relative", reference + timedelta(hours=amount))
        if unit.startswith(("business", "working")):
            return result(
                0.85, "relative", _end_of(_add_working_days(today, int(amount)), reference)
            )
        days = amount * (7 if unit.startswith("week") else 1)
        return result(0.85, "relative", _end_of(today + timedelta(days=int(days)), reference))
    if kind == "en_by":
        word = match.group(1).lower()
        if word in _EN_WEEKDAYS:
            target = _coming_weekday(today, _EN_WEEKDAYS[word])
            if "next" in text.lower():
                target = _next_week_day(today, _EN_WEEKDAYS[word])
            return result(0.8, "weekday", _end_of(target, reference))
        if word in ("today", "tomorrow"):
            target = today + timedelta(days=0 if word == "today" else 1)
            return result(0.85, "relative", _end_of(target, reference))
        if word.endswith("day"):
            return result(0.8, "relative", _end_of(today, reference))
        if word.endswith("week"):
            return result(0.7, "relative", _end_of(_coming_weekday(today, 6), reference))
        following = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
        return result(0.7, "relative", _end_of(following - timedelta(days=1), reference))
    if kind == "en_date":
        target = _resolve_date(
            None, _EN_MONTHS[match.group(1).lower()[:3]], int(match.group(2)), reference
        )
        if target is None:
            return None
        return result(0.85, "absolute", _end_of(target, reference))
    return None


def _wanted_time(text: str, reference: datetime) -> WantedTime | None:
    candidates: list[WantedTime] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in _TIME_RULES:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            found = _time_from(kind, match, reference)
            if found is not None:
                taken.append((start, end))
                candidates.append(found)
    if not candidates:
        return None
    # A deadline beats a vague "as soon as possible"; among deadlines, the most confident, then
    # the earliest (a customer asking "今天之内，最晚明天" wants today).
    far = datetime.max.replace(tzinfo=reference.tzinfo)
    candidates.sort(key=lambda t: (t.deadline is None, -t.confidence, t.deadline or far, t.span))
    return candidates[0]


# --- target --------------------------------------------------------------------------------

_TARGETS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (
            "agent",
            r"客服|工作人员|话务员|坐席|接线员|营业员|服务人员|装维师傅|师傅|工号|业务员|经理|"
            r"\bagents?\b|representative|\brep\b|staff|employee|operator|technician|"
            r"customer service",
        ),
        (
            "product",
            r"信号|网络|宽带|网速|断网|流量|设备|光猫|路由器|手机|产品|质量|故障|卡顿|"
            r"network|signal|internet|device|product|outage|connection",
        ),
        (
            "policy",
            r"收费|扣费|话费|资费|费用|套餐|规定|政策|合同|违约金|账单|月租|条款|"
            r"\bfees?\b|charges?|\bbill(?:ing)?\b|policy|contract|interest|\brates?\b|terms",
        ),
    )
)


def _target(text: str) -> Target | None:
    counts: dict[str, list[re.Match[str]]] = {}
    for kind, pattern in _TARGETS:
        matches = list(pattern.finditer(text))
        if matches:
            counts[kind] = matches
    if not counts:
        return None
    total = sum(len(matches) for matches in counts.values())
    kind, matches = max(counts.items(), key=lambda item: (len(item[1]), -item[1][0].start()))
    confidence = round(0.5 + 0.45 * len(matches) / total, 3)
    first = matches[0]
    return Target(kind, confidence, first.group(0), first.span())


def extract_expectation(text: str, reference: datetime) -> Extraction:
    """Wanted outcomes, wanted time and target of one complaint (see the module docstring).

    Spans index the text after half-width and simplified conversion, which keep its length.
    """
    prepared = to_simplified(to_halfwidth(text or ""))
    return Extraction(
        outcomes=_outcomes(prepared),
        wanted_time=_wanted_time(prepared, reference),
        target=_target(prepared),
    )
