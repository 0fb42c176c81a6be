"""Strict value parsers for imported cells (masking lives in :mod:`yuqi.domain.pii`).

Every parser takes the canonical string a :class:`~yuqi.ingest.reader.SourceRow` holds, and
also the Python values an API payload or openpyxl gives (``int``, ``float``, ``Decimal``,
``bool``, ``datetime``, ``date``, ``time``, ``timedelta``). Text is NFKC-normalised first, so
full-width digits and colons (``２０２６：１１``) read as half-width ones.

A blank value (``None``, empty or only spaces) gives ``None``: whether a field may be blank is
the importer's rule (:func:`require`). Anything not understood raises :class:`FieldError` with
a reason a person can act on; nothing is guessed (``11/24/2026`` is refused, not read as
month-first).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from zoneinfo import ZoneInfo

from yuqi.domain.contacts import NO_WORDS, YES_WORDS, yes_no
from yuqi.domain.pii import LANDLINE_NUMBER, MOBILE_NUMBER, national_phone
from yuqi.ingest.errors import FieldError
from yuqi.ingest.problems import Code

__all__ = [
    "DEFAULT_TZ",
    "MAX_SECONDS",
    "Raw",
    "normalise_phone",
    "parse_bool",
    "parse_choice",
    "parse_date",
    "parse_datetime",
    "parse_decimal",
    "parse_seconds",
    "require",
]

DEFAULT_TZ = ZoneInfo("Asia/Shanghai")
MAX_SECONDS = 24 * 3600
"""A duration above this is refused as absurd (a stuck timer, or milliseconds exported)."""

type Raw = str | int | float | Decimal | bool | datetime | date | time | timedelta | None

# Excel's 1900 date system: serial 1 is 1900-01-01, but serial 60 is the non-existent
# 1900-02-29 (Lotus 1-2-3's bug, kept by Excel), so from serial 61 on the day is
# 1899-12-30 + serial. Serials are accepted only for 1950-01-01 ... 2099-12-31, where a bare
# number in a date column can only be a date.
_EXCEL_EPOCH = datetime(1899, 12, 30)
_SERIAL_MIN = (date(1950, 1, 1) - _EXCEL_EPOCH.date()).days
_SERIAL_MAX = (date(2100, 1, 1) - _EXCEL_EPOCH.date()).days


def _text(value: object) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip()


def _blank(value: Raw) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def require[T](value: T | None) -> T:
    """The value, or :class:`FieldError` if it is ``None`` (a blank required field)."""
    if value is None:
        raise FieldError(Code.REQUIRED, code="required")
    return value


# --- date and time -------------------------------------------------------------------------

_CHINESE_DATE_TIME = str.maketrans(
    {"年": "-", "月": "-", "日": " ", "号": " ", "时": ":", "点": ":"}
)
_MERIDIEM = re.compile(r"(上午|下午|\bam\b|\bpm\b|a\.m\.|p\.m\.)", re.IGNORECASE)
_DATE_TIME = re.compile(
    r"""
    (?P<y>\d{4})(?P<sep>[-/.])(?P<mo>\d{1,2})(?P=sep)(?P<d>\d{1,2})
    (?:
        (?:T|\s+)
        (?P<h>\d{1,2}):(?P<mi>\d{1,2})
        (?::(?P<s>\d{1,2})(?:[.,](?P<f>\d{1,9}))?)?
        \s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?
    )?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_COMPACT = re.compile(
    r"(?P<y>\d{4})(?P<mo>\d{2})(?P<d>\d{2})(?:T?(?P<h>\d{2})(?P<mi>\d{2})(?P<s>\d{2}))?"
)
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def _tz_of(text: str | None) -> tzinfo | None:
    if not text:
        return None
    if text.upper() in {"Z", "UTC", "GMT"}:
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise FieldError(Code.IMPOSSIBLE_UTC_OFFSET, value=text)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


@lru_cache(maxsize=4096)
def _steady_day(tz: tzinfo, day: date) -> bool:
    """Whether ``tz`` keeps one UTC offset all through ``day`` (no clock change that day),
    so any wall-clock time on it exists: the common case, checked once per day and zone."""
    midnight = datetime.combine(day, time(), tz)
    offsets = {(midnight + timedelta(hours=hours)).utcoffset() for hours in (0, 6, 12, 18, 24)}
    return len(offsets) == 1


def _localise(naive: datetime, tz: tzinfo, shown: str) -> datetime:
    """Attach ``tz`` to a wall-clock time, refusing one skipped by a DST change.

    Of a repeated (autumn) hour the first occurrence is taken (``fold=0``).
    """
    aware = naive.replace(tzinfo=tz)
    if _steady_day(tz, naive.date()):
        return aware
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise FieldError(
            Code.TIME_SKIPPED_BY_CLOCKS,
            code="range",
            value=shown,
            tz=str(tz),
        )
    return aware


def _from_serial(number: float | Decimal, shown: str) -> datetime:
    if not _SERIAL_MIN <= number < _SERIAL_MAX:
        raise FieldError(
            Code.NOT_EXCEL_SERIAL,
            value=shown,
        )
    moment = _EXCEL_EPOCH + timedelta(days=float(number))
    # Excel stores times as fractions of a day: round off the float noise to the millisecond.
    return moment + timedelta(microseconds=round(moment.microsecond, -3) - moment.microsecond)


def _from_number(number: int | float | Decimal, tz: tzinfo, shown: str) -> datetime:
    """A number in a date-time column: Unix time (10 or 13 digits, always UTC) or an Excel
    serial (local wall-clock time)."""
    if isinstance(number, float) and not math.isfinite(number):
        raise FieldError(Code.NOT_A_DATE, value=shown)
    digits = len(str(abs(int(number))))
    if number == int(number) and digits in (10, 13):
        seconds = int(number) / (1000 if digits == 13 else 1)
        return datetime.fromtimestamp(seconds, UTC).astimezone(tz)
    return _localise(_from_serial(number, shown), tz, shown)


def _parse_moment(value: Raw, tz: tzinfo, *, need_time: bool) -> datetime | None:
    """Shared by parse_datetime and parse_date: an aware datetime, or a naive one at midnight
    flagged by ``need_time=False`` when the text had no time of day."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return _localise(value, tz, value.isoformat(sep=" "))
        return value.astimezone(tz)
    if isinstance(value, date):
        if need_time:
            raise FieldError(Code.DATE_WITHOUT_TIME, value=value.isoformat())
        return datetime.combine(value, time())
    if isinstance(value, bool | time | timedelta):
        raise FieldError(Code.NOT_A_DATE, value=str(value))
    if isinstance(value, int | float | Decimal):
        return _from_number(value, tz, str(value))
    shown = str(value).strip()
    text = _text(value)
    if _NUMBER.fullmatch(text) and not _COMPACT.fullmatch(text):
        return _from_number(Decimal(text), tz, shown)
    meridiem = _MERIDIEM.search(text)
    if meridiem:
        text = _MERIDIEM.sub(" ", text)
    text = re.sub(r"\s+", " ", text.translate(_CHINESE_DATE_TIME).replace("分", ":"))
    text = text.replace("秒", "").strip().rstrip(":").strip()
    found = _DATE_TIME.fullmatch(text) or _COMPACT.fullmatch(text)
    if not found:
        raise FieldError(
            Code.DATETIME_UNREADABLE,
            value=shown,
        )
    parts = found.groupdict()
    if parts["h"] is None:
        if need_time:
            raise FieldError(Code.DATE_WITHOUT_TIME, value=shown)
        if meridiem:
            raise FieldError(Code.NOT_A_DATE, value=shown)
    hour = int(parts["h"] or 0)
    if meridiem:
        afternoon = meridiem.group(1).lower().startswith(("下", "p"))
        if not 1 <= hour <= 12:
            raise FieldError(Code.NOT_12_HOUR, value=shown)
        hour = hour % 12 + (12 if afternoon else 0)
    fraction = (parts.get("f") or "").ljust(6, "0")[:6]
    try:
        naive = datetime(
            int(parts["y"]),
            int(parts["mo"]),
            int(parts["d"]),
            hour,
            int(parts["mi"] or 0),
            int(parts["s"] or 0),
            int(fraction or 0),
        )
    except ValueError:
        raise FieldError(Code.IMPOSSIBLE_DATETIME, code="range", value=shown) from None
    offset = _tz_of(parts.get("tz"))
    if offset is not None:
        return naive.replace(tzinfo=offset).astimezone(tz)
    return _localise(naive, tz, shown)


# The form ACD/CRM exports use most, read by the C parser before the general one.
_PLAIN_ISO = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?")


def parse_datetime(value: Raw, tz: tzinfo = DEFAULT_TZ) -> datetime | None:
    """An aware datetime, expressed in ``tz``.

    Accepted: ISO 8601 with or without offset (``2026-11-24T08:05:03+08:00``, ``...Z``,
    fractions of a second), ``2026-11-24 08:05``, ``2026/11/24 8:05:03`` (Excel's Chinese
    locale), ``2026.11.24 08:05``, ``2026年11月24日 08:05:03`` and ``2026年11月24日8时5分3秒``,
    ``上午``/``下午``/AM/PM on a 12-hour clock, compact ``20261124080503``, an Excel date serial
    (``46350.3368``, 1950–2099), Unix time in seconds (10 digits) or milliseconds (13
    digits), and ``datetime`` objects. Times without an offset are wall-clock times in ``tz``;
    a time skipped by a DST change is refused, a repeated one is its first occurrence.
    Refused: a date without a time, day-first or month-first dates, impossible dates.
    """
    if type(value) is str and _PLAIN_ISO.fullmatch(text := value.strip()):
        try:
            return _localise(datetime.fromisoformat(text), tz, text)
        except ValueError:
            pass  # e.g. 2026-02-30: the general parser words the error
    return _parse_moment(value, tz, need_time=True)


def parse_date(value: Raw, tz: tzinfo = DEFAULT_TZ) -> date | None:
    """A calendar date: every :func:`parse_datetime` form (the time of day is dropped, after
    converting a value with an offset to ``tz``), a date alone (``2026-11-24``, ``2026/1/5``,
    ``2026年1月5日``, ``20260105``), a whole Excel serial, a ``date`` object."""
    moment = _parse_moment(value, tz, need_time=False)
    return None if moment is None else moment.date()


# --- booleans, durations, numbers, enumerations -------------------------------------------

# The spellings as exports write them, looked up before any normalising; the words themselves
# are the contact vocabulary's (``yuqi.domain.contacts``), shared with ``yuqi kpi``.
_BOOLEANS = {
    **{word: True for label in YES_WORDS for word in (label, label.upper(), label.title())},
    **{word: False for label in NO_WORDS for word in (label, label.upper(), label.title())},
}


def parse_bool(value: Raw) -> bool | None:
    """``是/否``, ``有/无``, ``真/假``, ``Y/N``, ``yes/no``, ``true/false``, ``T/F``, ``1/0``,
    ``√/×``, ``on/off`` (any case); blank → ``None``."""
    if type(value) is str and (known := _BOOLEANS.get(value)) is not None:
        return known
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal) and value in (0, 1):
        return bool(value)
    if (known := yes_no(str(value))) is not None:
        return known
    raise FieldError(
        Code.NOT_YES_NO,
        code="choice",
        value=str(value).strip(),
    )


_COLON_DURATION = re.compile(r"(\d+):(\d{1,2})(?::(\d{1,2}))?(?:[.,](\d+))?")
_UNIT_DURATION = re.compile(
    r"(?:(?P<h>\d+)\s*(?:小时|时|hours?|hrs?|h))?\s*"
    r"(?:(?P<m>\d+)\s*(?:分钟|分|minutes?|mins?|m))?\s*"
    r"(?:(?P<s>\d+(?:\.\d+)?)\s*(?:秒钟|秒|seconds?|secs?|s))?",
    re.IGNORECASE,
)


def _duration_text(text: str, shown: str) -> Decimal:
    if _NUMBER.fullmatch(text):
        return Decimal(text)
    colon = _COLON_DURATION.fullmatch(text)
    if colon:
        first, second, third, fraction = colon.groups()
        hours, minutes, seconds = (first, second, third) if third else ("0", first, second)
        if (third and int(minutes) > 59) or int(seconds) > 59:
            raise FieldError(Code.MINUTES_ABOVE_59, code="range", value=shown)
        total = int(hours) * 3600 + int(minutes) * 60 + int(seconds)
        return Decimal(total) + (Decimal("0." + fraction) if fraction else 0)
    units = _UNIT_DURATION.fullmatch(text)
    if units and any(units.groupdict().values()):
        hours, minutes, seconds = (units.group(k) or "0" for k in ("h", "m", "s"))
        return int(hours) * 3600 + int(minutes) * 60 + Decimal(seconds)
    raise FieldError(
        Code.DURATION_UNREADABLE,
        value=shown,
    )


def parse_seconds(value: Raw, *, maximum: int = MAX_SECONDS) -> int | None:
    """Whole seconds, rounded half up: ``185``, ``185.0``, ``3:05`` (m:ss), ``00:03:05``
    (h:mm:ss), ``3分5秒``, ``1小时2分``, ``2m 5s``, ``timedelta``/``time`` objects.
    Negative durations and durations above ``maximum`` (24 h) are refused."""
    plain = type(value) is str and len(value) < 7 and value.isascii() and value.isdigit()
    if plain and (whole := int(value)) <= maximum:
        return whole  # whole seconds as digits: the usual export
    if _blank(value):
        return None
    shown = str(value).strip()
    if isinstance(value, bool | date):
        raise FieldError(Code.NOT_A_DURATION, value=shown)
    if isinstance(value, timedelta):
        seconds = Decimal(str(value.total_seconds()))
    elif isinstance(value, time):
        seconds = Decimal(value.hour * 3600 + value.minute * 60 + value.second)
    elif isinstance(value, int | float | Decimal):
        if isinstance(value, float) and not math.isfinite(value):
            raise FieldError(Code.NOT_A_DURATION, value=shown)
        seconds = Decimal(str(value))
    else:
        text = _text(value)
        if text.startswith("-"):
            raise FieldError(Code.NEGATIVE_DURATION, code="range", value=shown)
        seconds = _duration_text(text.lstrip("+"), shown)
    if seconds < 0:
        raise FieldError(Code.NEGATIVE_DURATION, code="range", value=shown)
    whole = int(seconds.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if whole > maximum:
        raise FieldError(
            Code.DURATION_TOO_LONG,
            code="range",
            value=shown,
            seconds=whole,
            hours=f"{maximum / 3600:g}",
        )
    return whole


_DECIMAL = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[+-]?\d+)?", re.IGNORECASE)
_CURRENCY = re.compile(r"^(?:¥|rmb|cny)\s*|\s*(?:元|rmb|cny)$", re.IGNORECASE)


def parse_decimal(value: Raw, *, nonnegative: bool = False) -> Decimal | None:
    """A ``Decimal``: ``1234.5``, ``1,234.50`` (thousands separators in groups of three),
    ``¥1,234.50``, ``1234.5元``, ``-3``, ``1.5e3``. NaN and infinity are refused, and negative
    numbers when ``nonnegative``. Floats go through ``repr`` so ``0.1`` stays ``0.1``."""
    if _blank(value):
        return None
    shown = str(value).strip()
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise FieldError(Code.NOT_A_NUMBER, value=shown)
    if isinstance(value, str):
        text = _CURRENCY.sub("", _text(value))
        if not _DECIMAL.fullmatch(text):
            raise FieldError(Code.NOT_A_NUMBER, value=shown)
        number = Decimal(text.replace(",", ""))
    else:
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            raise FieldError(Code.NOT_A_NUMBER, value=shown) from None
        if not number.is_finite():
            raise FieldError(Code.NOT_A_NUMBER, value=shown)
    if nonnegative and number < 0:
        raise FieldError(Code.NEGATIVE_NUMBER, code="range", value=shown)
    return number


def _label_key(label: str) -> str:
    return re.sub(r"[\s_\-]+", "", _text(label)).casefold()


@lru_cache(maxsize=64)
def _choice_index(items: tuple[tuple[str, str], ...]) -> tuple[dict[str, str], str]:
    index = {_label_key(label): code for label, code in items}
    by_code: dict[str, list[str]] = {}
    for label, code in items:
        by_code.setdefault(code, []).append(label)
    accepted = "; ".join(f"{code} ({', '.join(labels)})" for code, labels in by_code.items())
    return index, accepted


def parse_choice(value: Raw, choices: Mapping[str, str]) -> str | None:
    """The code that a label means: ``choices`` maps every accepted label (Chinese, English,
    the code itself) to its code, e.g. ``{"电话": "phone", "phone": "phone", "voice":
    "phone"}``. Labels compare case-insensitively, ignoring spaces, ``_`` and ``-`` and
    full-width forms. The error lists the codes with their labels."""
    if type(value) is str and (code := choices.get(value)) is not None:
        return code  # the label exactly as listed: no normalising needed
    if _blank(value):
        return None
    index, accepted = _choice_index(tuple(choices.items()))
    code = index.get(_label_key(str(value)))
    if code is None:
        raise FieldError(
            Code.NOT_A_CHOICE,
            code="choice",
            value=str(value).strip(),
            accepted=accepted,
        )
    return code


# --- phone numbers ----------------------------------------------------------------------

_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?e\+?\d+", re.IGNORECASE)


def normalise_phone(value: Raw) -> str | None:
    """Digits only: a mainland mobile (``1[3-9]`` + 9 digits, ``13812345678``) or a landline
    with its area code (``01012345678``, ``057187654321``). ``+86``/``0086``/``86`` in front,
    spaces, dashes, dots and brackets are removed; ``+86 10 1234 5678`` gets its area code's
    0 back. Anything else (short numbers, 400/800 numbers, extensions, foreign numbers) is
    refused."""
    if type(value) is str and MOBILE_NUMBER.fullmatch(value):
        return value  # already a bare mobile number
    if _blank(value):
        return None
    shown = str(value).strip()
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise FieldError(Code.NOT_A_PHONE, value=shown)
    text = _text(value)
    if _SCIENTIFIC.fullmatch(text):
        raise FieldError(
            Code.PHONE_ROUNDED_BY_EXCEL,
            value=shown,
        )
    digits = national_phone(text)
    if digits.startswith(("+", "00")) and digits[1:].isdigit():
        raise FieldError(
            Code.PHONE_FOREIGN,
            value=shown,
        )
    if not digits.isdigit() or not digits.isascii():
        raise FieldError(Code.PHONE_BAD_CHARACTERS, value=shown)
    if MOBILE_NUMBER.fullmatch(digits) or LANDLINE_NUMBER.fullmatch(digits):
        return digits
    raise FieldError(
        Code.PHONE_NOT_MAINLAND,
        value=shown,
    )
