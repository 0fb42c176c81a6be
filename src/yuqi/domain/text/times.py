"""Time expressions in complaint text, resolved against a reference moment.

``find_times(text, reference)`` returns every time expression of a (half-width, simplified)
text with its span, what it resolves to and the words around it that tell how it is used:

* Chinese: a day (今天, 明早, 后天, 下周二, 周五, 12月3日, 2026-12-01, 10号), a part of the day
  (早上, 上午, 中午, 下午, 傍晚, 晚上, 下班), a clock time in digits or Chinese numerals with
  半/一刻/三刻/minutes (三点半, 九点一刻, 4点45, 15:30), a range of clock times (9点到12点:
  its end), a duration (三天内, 两个半小时内, 半个月内, 3个工作日内), a period (本周内, 月底前),
  or "as soon as possible" (尽快, 马上, 赶紧, 越快越好);
* English: "within 3 days", "by Friday", "before Dec 5", "asap".

Conventions (customers are vague, so they are documented): a day means its end (23:59:59); a
part of the day means its end (早上 09:00, 上午 12:00, 中午 12:00, 下午 18:00, 傍晚 19:00,
晚上 23:59:59, 下班 18:00) and "前/之前" does not move it ("明天下午前" = by tomorrow 18:00); a
clock time with 下午/傍晚/晚上 is afternoon or evening; a clock time below 7 without a part of
the day is in the afternoon ("5点前" = 17:00: nobody asks for 5 a.m.); a bare clock time that
has passed today is this evening's if that is still ahead ("八点前" said at 10:30 = 20:00),
else tomorrow's; "N天内" is the end of the N-th day after the reference date, "N小时内" exact,
"N个工作日内" skips Saturdays and Sundays only (holidays need the centre's calendar); "下周一"
is Monday of next week, "周五" the coming Friday (today if it is Friday), "这周一" this week's
Monday even if it has passed; a month-day date is this year's unless that is more than 180
days ago (then next year's); a day of the month alone ("10号") is this month's, or next
month's when it has passed and is asked for ("5号前").

"我等你们到明天中午" is an ultimatum: a deadline, although "等到五点" alone is a description.
``base`` (a promise's own day) also moves 明天/后天: they count from it; 今天 and 昨天 do not.

Each expression also says whether it is a deadline at all: ``after`` ("三点半以后", "下个月起":
a start, not a deadline), ``skip`` (a description: "每天晚上", "现在", "到今天", "才回来",
"等到五点") and ``past``; the caller decides what to do with them (a quoted promise keeps past
deadlines, a customer's own wanted time does not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from yuqi.domain.text.normalize import chinese_number

__all__ = ["TimeExpr", "add_working_days", "find_times"]

END_OF_DAY = time(23, 59, 59)
PARTS = {
    "早上": time(9, 0),
    "早晨": time(9, 0),
    "一早": time(9, 0),
    "凌晨": time(6, 0),
    "上午": time(12, 0),
    "中午": time(12, 0),
    "下午": time(18, 0),
    "下班": time(18, 0),
    "傍晚": time(19, 0),
    "晚上": END_OF_DAY,
    "夜里": END_OF_DAY,
}
_AFTERNOON = ("下午", "傍晚", "晚上", "夜里", "下班")
_RELATIVE_DAYS = {
    "大后天": (3, None),
    "后天": (2, None),
    "明天": (1, None),
    "明日": (1, None),
    "明早": (1, "早上"),
    "明晚": (1, "晚上"),
    "今天": (0, None),
    "今日": (0, None),
    "今儿": (0, None),
    "今早": (0, "早上"),
    "今晚": (0, "晚上"),
    "昨天": (-1, None),
    "昨晚": (-1, "晚上"),
    "前天": (-2, None),
}
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}
_CN = "零〇一二两三四五六七八九十"
_SMALL = rf"(?:\d{{1,2}}|[{_CN}]{{1,3}})"

_DAY = re.compile(
    r"(?P<rel>大后天|后天|明天|明日|明早|明晚|今天|今日|今儿|今早|今晚|昨天|昨晚|前天)"
    r"|(?P<ymd>(?P<y>\d{4})[-/.年](?P<ym>\d{1,2})[-/.月](?P<yd>\d{1,2})[日号]?)"
    rf"|(?P<md>(?P<m>{_SMALL})月(?P<d>{_SMALL})[日号]?)"
    r"|(?P<wk>(?P<wp>下下个?|下个?|这个?|本|上个?)?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天末]))"
    rf"|(?P<mrel>(?P<mw>本月|这个月|下个?月)(?P<mdd>{_SMALL})[日号])"
    r"|(?P<dom>(?<![\d月.])(?P<dd>\d{1,2})[号日](?![\d]))"
)
_PART = re.compile(r"早上|早晨|一早|凌晨|上午|中午|下午|傍晚|晚上|夜里|下班(?=前|之前|以前)")
_CLOCK_BODY = (
    r"(?P<{p}h>\d{{1,2}}|[{cn}]{{1,3}})\s*(?:[:：](?P<{p}mm>\d{{2}})|"
    r"[点时](?:(?P<{p}half>半)|(?P<{p}q1>一刻)|(?P<{p}q3>三刻)|"
    r"(?P<{p}mn>\d{{1,2}}|[{cn}]{{1,3}})分?|(?P<{p}more>多))?)"
)
_CLOCK = re.compile(
    r"(?<![第\d])"
    + _CLOCK_BODY.format(p="a", cn=_CN)
    + r"(?!点|儿|钟头|小时|\d)"
    + r"(?:\s*(?:到|至|-|~|～)\s*"
    + _CLOCK_BODY.format(p="b", cn=_CN)
    + ")?"
)
_DURATION = re.compile(
    r"(?<![第\d.])(?P<n>\d{1,6}(?:\.\d{1,2})?|"
    r"(?<![零一二两三四五六七八九十百])[零一二两三四五六七八九十百]{1,6}|半)\s*(?P<ge>个)?\s*(?P<half>半)?\s*"
    r"(?P<unit>工作日|小时|钟头|分钟|天|日|周|星期|礼拜|个月|月)\s*(?P<within>之内|以内|内)?"
)
_PERIOD = re.compile(
    r"(?P<p>本周|这周|这个星期|这星期|下周|下个星期|下星期|本月|这个月|下个月)\s*"
    r"(?P<s>之内|以内|内|之前|以前|前|底)|(?P<end>月底|月末|年底)"
)
_ASAP = re.compile(
    r"尽快|尽早|马上|立刻|立即|赶紧|赶快|第一时间|快点|快些|快一点|快一些|越快越好|抓紧|"
    r"\basap\b|as soon as possible|immediately|right away",
    re.I,
)
_BEFORE = re.compile(r"^\s*(?:之前|以前|前|为止)")
_AFTER = re.compile(r"^\s*(?:以后|之后|后(?!天)|开始|起|才)")
_SKIP_BEFORE = re.compile(
    r"(?:每个?(?:天|晚|周|月|星期|礼拜)?|现在都?|现在|直到|截至|等到|到|快到?|都|已经)$"
)
_SKIP_AFTER = re.compile(r"^(?:那天|都|已经|又)")
_ULTIMATUM = re.compile(r"等(?:你们|你)到\s*$")  # "我等你们到明天中午": a deadline
_LATEST = re.compile(r"(?:最晚|最迟|不晚于|请于|务必于|于)\s*$")

_EN_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_EN_NUMBERS.update({"ten": 10, "a": 1, "an": 1})
_EN_WEEKDAYS = {
    name: index
    for index, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}
_EN_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_EN_WITHIN = re.compile(
    r"within\s+(\d+|one|two|three|four|five|six|seven|ten|a|an)\s+"
    r"(business days?|working days?|hours?|days?|weeks?)",
    re.I,
)
_EN_BY = re.compile(
    r"\b(?:by|before|until)\s+(?:this\s+|next\s+)?"
    r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow|"
    r"end of (?:the )?(?:day|week|month))",
    re.I,
)
_EN_DATE = re.compile(
    r"\b(?:by|before)\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})",
    re.I,
)


@dataclass(frozen=True)
class TimeExpr:
    """One time expression: where it is, what it resolves to and how it is used."""

    start: int
    end: int
    text: str
    kind: str  # absolute, relative, part_of_day, weekday, within, asap
    confidence: float
    deadline: datetime | None = None
    within: float | None = None  # a duration whose start the text may not say
    within_unit: str | None = None  # minute, hour, day, working_day, week, month
    has_within: bool = False  # said with 内/之内/以内 (or "within")
    before: bool = False  # followed by 前/之前/以前/为止, or after 最晚/最迟/请于
    after: bool = False  # a start (以后, 之后, 起), not a deadline
    skip: bool = False  # a description: 每天, 现在, 到今天, 等到, 才
    past: bool = False  # resolves before the reference
    anchored: bool = False  # names a day (or a part of one), not just a clock time
    needs_marker: bool = False  # a deadline only with 前/内/最晚 (a bare clock, "周五", "10号")


def add_working_days(day: date, count: int) -> date:
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _small_number(value: str | None) -> int | None:
    if not value:
        return None
    if value.isdigit():
        return int(value)
    return chinese_number(value)


def _quantity(value: str) -> float | None:
    if value == "半":
        return 0.5
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        return float(value)
    number = chinese_number(value)
    return None if number is None else float(number)


def _coming_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _month_day(month: int, day: int, today: date) -> date | None:
    try:
        candidate = date(today.year, month, day)
    except ValueError:
        return None
    if (today - candidate).days > 180:
        try:
            candidate = date(today.year + 1, month, day)
        except ValueError:
            return None
    return candidate


@dataclass
class _Day:
    start: int
    end: int
    day: date | None
    part: str | None
    kind: str
    asked_before: bool = False


def _resolve_day(match: re.Match[str], today: date, base: date) -> _Day:
    start, end = match.span()
    if match.group("rel"):
        offset, part = _RELATIVE_DAYS[match.group("rel")]
        anchor = base if offset > 0 else today  # 明天 said on an earlier day counts from it
        return _Day(start, end, anchor + timedelta(days=offset), part, "relative")
    if match.group("ymd"):
        try:
            day = date(int(match.group("y")), int(match.group("ym")), int(match.group("yd")))
        except ValueError:
            day = None
        return _Day(start, end, day, None, "absolute")
    if match.group("md"):
        month, day_of = _small_number(match.group("m")), _small_number(match.group("d"))
        day = _month_day(month, day_of, today) if month and day_of else None
        return _Day(start, end, day, None, "absolute")
    if match.group("wk"):
        prefix, weekday = match.group("wp") or "", _WEEKDAYS[match.group("wd")]
        if prefix.startswith("下下"):
            day = _week_monday(base) + timedelta(days=14 + weekday)
        elif prefix.startswith("下"):
            day = _week_monday(base) + timedelta(days=7 + weekday)
        elif prefix.startswith("上"):
            day = _week_monday(base) - timedelta(days=7) + timedelta(days=weekday)
        elif prefix:
            day = _week_monday(base) + timedelta(days=weekday)
        else:
            day = _coming_weekday(base, weekday)
        return _Day(start, end, day, None, "weekday", asked_before=bool(prefix))
    if match.group("mrel"):
        day_of = _small_number(match.group("mdd")) or 0
        month_start = today.replace(day=1)
        if match.group("mw").startswith("下"):
            month_start = (month_start + timedelta(days=32)).replace(day=1)
        try:
            return _Day(start, end, month_start.replace(day=day_of), None, "absolute")
        except ValueError:
            return _Day(start, end, None, None, "absolute")
    day_of = int(match.group("dd"))
    try:
        day = today.replace(day=day_of)
    except ValueError:
        day = None
    return _Day(start, end, day, None, "absolute")


def _clock(match: re.Match[str], prefix: str) -> tuple[int, int] | None:
    hour = _small_number(match.group(prefix + "h"))
    if hour is None or hour > 24:
        return None
    minute = 0
    if match.group(prefix + "mm"):
        minute = int(match.group(prefix + "mm"))
    elif match.group(prefix + "half"):
        minute = 30
    elif match.group(prefix + "q1"):
        minute = 15
    elif match.group(prefix + "q3"):
        minute = 45
    elif match.group(prefix + "mn"):
        minute = _small_number(match.group(prefix + "mn")) or 0
    if minute > 59:
        return None
    return hour, minute


def _hour_of_day(hour: int, part: str | None) -> int:
    if part in _AFTERNOON and hour < 12:
        return hour + 12
    if part == "中午" and hour <= 2:
        return hour + 12
    if part is None and 0 < hour < 7:
        return hour + 12
    return hour


def _at(day: date, hour: int, minute: int, reference: datetime) -> datetime:
    if hour >= 24:
        return datetime.combine(day, END_OF_DAY, tzinfo=reference.tzinfo)
    return datetime.combine(day, time(hour, minute), tzinfo=reference.tzinfo)


def _end_of(day: date, reference: datetime, at: time = END_OF_DAY) -> datetime:
    return datetime.combine(day, at, tzinfo=reference.tzinfo)


def _chinese_points(text: str, reference: datetime, base: date) -> list[TimeExpr]:
    """Days, parts of days and clock times, each group (明天上午十点) one expression."""
    today = reference.date()
    days = [_resolve_day(m, today, base) for m in _DAY.finditer(text)]
    parts = [(m.start(), m.end(), m.group(0)) for m in _PART.finditer(text)]
    clocks = [m for m in _CLOCK.finditer(text) if not _casual_one(m, text)]
    tokens: list[tuple[int, int, str, object]] = []
    tokens += [(d.start, d.end, "day", d) for d in days]
    tokens += [(s, e, "part", p) for s, e, p in parts]
    tokens += [(m.start(), m.end(), "clock", m) for m in clocks]
    tokens.sort(key=lambda t: (t[0], -t[1]))
    kept: list[tuple[int, int, str, object]] = []
    for token in tokens:
        if kept and token[0] < kept[-1][1]:
            continue  # overlaps the previous token (e.g. a day inside a date)
        kept.append(token)
    groups: list[list[tuple[int, int, str, object]]] = []
    order = {"day": 0, "part": 1, "clock": 2}
    for token in kept:
        if groups:
            last = groups[-1][-1]
            gap = text[last[1] : token[0]]
            if order[token[2]] > order[last[2]] and re.fullmatch(r"[\s的]?", gap):
                groups[-1].append(token)
                continue
        groups.append([token])
    return [found for group in groups if (found := _point(group, text, reference, base))]


def _casual_one(match: re.Match[str], text: str) -> bool:
    """``一点`` in 早一点, 快一点, 有一点: "a little", not one o'clock."""
    return match.group(0) == "一点" and text[max(0, match.start() - 1) : match.start()] in set(
        "有快慢早晚差好"
    )


def _point(group: list, text: str, reference: datetime, base: date) -> TimeExpr | None:
    today = reference.date()
    start, end = group[0][0], group[-1][1]
    day: _Day | None = next((t[3] for t in group if t[2] == "day"), None)
    part = next((t[3] for t in group if t[2] == "part"), None)
    clock = next((t[3] for t in group if t[2] == "clock"), None)
    if day is not None and day.day is None:
        return None
    part = part or (day.part if day else None)
    ultimatum = bool(_ULTIMATUM.search(text[max(0, start - 5) : start]))
    before = ultimatum or bool(
        _BEFORE.match(text[end : end + 3]) or _LATEST.search(text[max(0, start - 4) : start])
    )
    after = bool(_AFTER.match(text[end : end + 3]))
    skip = not ultimatum and (
        bool(_SKIP_BEFORE.search(text[max(0, start - 3) : start]))
        or bool(_SKIP_AFTER.match(text[end : end + 2]))
        or (day is None and text[max(0, start - 2) : start].endswith(("一", "整个", "整")))
    )  # 每天, 现在, 到今天, 10号那天, 等了一下午: descriptions
    target = day.day if day else base
    if (
        day is not None
        and day.day < today
        and before
        and re.fullmatch(r"\d{1,2}[号日]", text[day.start : day.end])
    ):
        month = day.day.month % 12 + 1  # "5号前", asked for and passed: next month's 5th
        year = day.day.year + (day.day.month == 12)
        try:
            target = date(year, month, day.day.day)
        except ValueError:
            return None
    if clock is not None:
        hm = _clock(clock, "b") if clock.group("bh") else _clock(clock, "a")
        if hm is None:
            return None
        hour = _hour_of_day(hm[0], part)
        moment = _at(target, hour, hm[1], reference)
        if day is None and part is None and moment <= reference:
            if hour < 12 and _at(target, hour + 12, hm[1], reference) > reference:
                moment = _at(target, hour + 12, hm[1], reference)
            else:
                moment = _at(target + timedelta(days=1), hour, hm[1], reference)
        kind, confidence = "absolute", 0.9
    elif part is not None:
        moment = _end_of(target, reference, PARTS[part])
        kind, confidence = "part_of_day", 0.75
    else:
        moment = _end_of(target, reference)
        kind = day.kind
        confidence = 0.85 if kind != "weekday" or day.asked_before or before else 0.8
    return TimeExpr(
        start=start,
        end=end,
        text=text[start:end],
        kind=kind,
        confidence=confidence,
        deadline=moment,
        before=before,
        after=after,
        skip=skip,
        past=moment < reference if kind != "part_of_day" else moment.date() < today,
        anchored=day is not None or part is not None,
        needs_marker=part is None
        and (
            day is None
            or (clock is None and day.kind == "weekday" and not day.asked_before)
            or (clock is None and re.fullmatch(r"\d{1,2}[号日]", text[day.start : day.end]))
        ),
    )


_UNITS = {
    "工作日": "working_day",
    "小时": "hour",
    "钟头": "hour",
    "分钟": "minute",
    "天": "day",
    "日": "day",
    "周": "week",
    "星期": "week",
    "礼拜": "week",
    "个月": "month",
    "月": "month",
}


def _durations(text: str, reference: datetime) -> list[TimeExpr]:
    found = []
    today = reference.date()
    for match in _DURATION.finditer(text):
        amount = _quantity(match.group("n"))
        if amount is None or amount <= 0:
            continue
        if match.group("half"):
            amount += 0.5
        unit = _UNITS[match.group("unit")]
        if unit == "month" and match.group("unit") == "月" and not match.group("ge"):
            continue  # "2月" is a month's name, not a duration
        if unit == "month" and not float(amount).is_integer():
            amount, unit = amount * 30, "day"
        if unit == "hour":
            deadline = reference + timedelta(hours=amount)
        elif unit == "minute":
            deadline = reference + timedelta(minutes=amount)
        elif unit == "working_day":
            deadline = _end_of(add_working_days(today, int(amount)), reference)
        else:
            days = {"day": 1, "week": 7, "month": 30}[unit] * amount
            deadline = _end_of(today + timedelta(days=int(days)), reference)
        within = bool(match.group("within"))
        start, end = match.span()
        found.append(
            TimeExpr(
                start=start,
                end=end,
                text=match.group(0).strip(),
                kind="relative",
                confidence=0.9 if unit in ("hour", "minute") else 0.85,
                deadline=deadline,
                within=amount,
                within_unit=unit,
                has_within=within,
                before=within,
                needs_marker=not within,
            )
        )
    return found


def _periods(text: str, reference: datetime) -> list[TimeExpr]:
    today = reference.date()
    found = []
    for match in _PERIOD.finditer(text):
        word = match.group("p") or match.group("end")
        if word in ("本周", "这周", "这个星期", "这星期"):
            target = _coming_weekday(today, 6)
        elif word in ("下周", "下个星期", "下星期"):
            target = _coming_weekday(today, 6) + timedelta(days=7)
        elif word in ("本月", "这个月", "月底", "月末"):
            target = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(1)
        elif word == "下个月":
            following = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
            target = (following.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(1)
        else:
            target = date(today.year, 12, 31)
        start, end = match.span()
        found.append(
            TimeExpr(
                start=start,
                end=end,
                text=match.group(0).strip(),
                kind="relative",
                confidence=0.7,
                deadline=_end_of(target, reference),
                before=True,
                anchored=True,
            )
        )
    return found


def _english(text: str, reference: datetime) -> list[TimeExpr]:
    today = reference.date()
    found = []
    for match in _EN_WITHIN.finditer(text):
        raw, unit = match.group(1).lower(), match.group(2).lower()
        amount = float(_EN_NUMBERS.get(raw, raw if raw.isdigit() else 0))
        if amount <= 0:
            continue
        if unit.startswith("hour"):
            deadline, name = reference + timedelta(hours=amount), "hour"
        elif unit.startswith(("business", "working")):
            deadline = _end_of(add_working_days(today, int(amount)), reference)
            name = "working_day"
        else:
            days = amount * (7 if unit.startswith("week") else 1)
            deadline = _end_of(today + timedelta(days=int(days)), reference)
            name = "week" if unit.startswith("week") else "day"
        found.append(
            TimeExpr(
                *match.span(),
                match.group(0),
                "relative",
                0.9 if name == "hour" else 0.85,
                deadline,
                amount,
                name,
                has_within=True,
                before=True,
            )
        )
    for match in _EN_BY.finditer(text):
        word = match.group(1).lower()
        if word in _EN_WEEKDAYS:
            target = _coming_weekday(today, _EN_WEEKDAYS[word])
            if "next" in match.group(0).lower():
                target = _week_monday(today) + timedelta(days=7 + _EN_WEEKDAYS[word])
            kind, confidence = "weekday", 0.8
        elif word in ("today", "tomorrow"):
            target = today + timedelta(days=0 if word == "today" else 1)
            kind, confidence = "relative", 0.85
        elif word.endswith("day"):
            target, kind, confidence = today, "relative", 0.8
        elif word.endswith("week"):
            target, kind, confidence = _coming_weekday(today, 6), "relative", 0.7
        else:
            following = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
            target, kind, confidence = following - timedelta(days=1), "relative", 0.7
        found.append(
            TimeExpr(
                *match.span(),
                match.group(0),
                kind,
                confidence,
                _end_of(target, reference),
                before=True,
                anchored=True,
            )
        )
    for match in _EN_DATE.finditer(text):
        target = _month_day(_EN_MONTHS[match.group(1).lower()[:3]], int(match.group(2)), today)
        if target is None:
            continue
        found.append(
            TimeExpr(
                *match.span(),
                match.group(0),
                "absolute",
                0.85,
                _end_of(target, reference),
                before=True,
                anchored=True,
                past=target < today,
            )
        )
    return found


def _asap(text: str) -> list[TimeExpr]:
    return [TimeExpr(*m.span(), m.group(0), "asap", 0.6) for m in _ASAP.finditer(text)]


def find_times(text: str, reference: datetime, *, base: date | None = None) -> list[TimeExpr]:
    """Every time expression of ``text``, left to right, without overlaps (longest first).

    ``base`` is the day that bare parts of days and weekdays count from (the reference date
    unless the text says otherwise, e.g. in a promise quoted "昨天说下午…").
    """
    base = base or reference.date()
    found = (
        _periods(text, reference)
        + _durations(text, reference)
        + _chinese_points(text, reference, base)
        + _english(text, reference)
        + _asap(text)
    )
    found.sort(key=lambda t: (t.start, -(t.end - t.start)))
    kept: list[TimeExpr] = []
    reached = 0  # sorted by start, so an overlap can only be with what reaches furthest
    for expr in found:
        if expr.start < reached:
            continue
        kept.append(expr)
        reached = expr.end
    return kept
