"""Value parsers: what each accepts, what each refuses and why (masking: domain/test_pii)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yuqi.domain.pii import mask_phone
from yuqi.ingest.errors import FieldError
from yuqi.ingest.maps import CHANNEL_LABELS, DIRECTION_LABELS
from yuqi.ingest.parse import (
    DEFAULT_TZ,
    normalise_phone,
    parse_bool,
    parse_choice,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_seconds,
    require,
)

SH = ZoneInfo("Asia/Shanghai")
NY = ZoneInfo("America/New_York")
MOMENT = dt.datetime(2026, 11, 24, 8, 5, 3, tzinfo=SH)


@pytest.mark.parametrize("blank", [None, "", "   ", "\u3000"])
def test_blank_is_none_for_every_parser(blank):
    assert parse_datetime(blank) is None
    assert parse_date(blank) is None
    assert parse_bool(blank) is None
    assert parse_seconds(blank) is None
    assert parse_decimal(blank) is None
    assert parse_choice(blank, CHANNEL_LABELS) is None
    assert normalise_phone(blank) is None


def test_require():
    assert require(0) == 0
    with pytest.raises(FieldError, match="A value is required") as caught:
        require(None)
    assert caught.value.code == "required"


# --- datetimes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-24 08:05:03",
        "2026-11-24T08:05:03",
        "2026-11-24T08:05:03+08:00",
        "2026-11-24T00:05:03Z",
        "2026-11-24 00:05:03 UTC",
        "2026-11-23T19:05:03-05:00",
        "2026-11-24T08:05:03.000+0800",
        "2026/11/24 08:05:03",
        "2026/11/24 8:05:03",
        "2026.11.24 08:05:03",
        "2026年11月24日 08:05:03",
        "2026年11月24日8时5分3秒",
        "2026/11/24 上午 8:05:03",
        "2026/11/24 8:05:03 AM",
        "２０２６－１１－２４　０８：０５：０３",
        "20261124080503",
    ],
)
def test_datetime_formats(text):
    assert parse_datetime(text) == MOMENT
    assert parse_datetime(text).tzinfo is not None


def test_datetime_without_seconds():
    assert parse_datetime("2026-11-24 08:05") == MOMENT.replace(second=0)
    assert parse_datetime("2026/11/24 8:05") == MOMENT.replace(second=0)
    assert parse_datetime("2026年11月24日 8时5分") == MOMENT.replace(second=0)


def test_afternoon_and_midnight_on_a_12_hour_clock():
    assert parse_datetime("2026/11/24 下午 3:05").hour == 15
    assert parse_datetime("2026/11/24 12:05 PM").hour == 12
    assert parse_datetime("2026/11/24 12:05 AM").hour == 0


def test_results_are_in_the_given_zone():
    result = parse_datetime("2026-11-24T00:05:03Z")
    assert result.tzinfo == SH
    assert result.utcoffset() == dt.timedelta(hours=8)
    assert parse_datetime("2026-11-24 08:05:03", NY) == dt.datetime(
        2026, 11, 24, 8, 5, 3, tzinfo=NY
    )
    assert DEFAULT_TZ == SH


def test_datetimes_from_openpyxl_and_apis():
    assert parse_datetime(dt.datetime(2026, 11, 24, 8, 5, 3)) == MOMENT
    assert parse_datetime(MOMENT.astimezone(dt.UTC)) == MOMENT


def test_excel_serials_and_unix_times():
    serial = (MOMENT.replace(tzinfo=None) - dt.datetime(1899, 12, 30)) / dt.timedelta(days=1)
    assert parse_datetime(serial) == MOMENT
    assert parse_datetime(f"{serial:.10f}") == MOMENT
    assert parse_datetime(str(int(MOMENT.timestamp()))) == MOMENT
    assert parse_datetime(int(MOMENT.timestamp() * 1000)) == MOMENT


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2026-11-24", "has a date but no time"),
        ("11/24/2026 08:05", "is not a date and time that can be read"),
        ("24.11.2026 08:05", "is not a date and time that can be read"),
        ("2026-02-30 08:00", "is not a real date or time"),
        ("2026-11-24 24:00", "is not a real date or time"),
        ("2026-11-24 13:05 PM", "12-hour clock"),
        ("2026-11-24T08:05+25:00", "impossible UTC offset"),
        ("185", "not an Excel date serial"),
        ("yesterday", "is not a date and time that can be read"),
        ("2026-11-24 08:05:03 08:00", "is not a date and time that can be read"),
        (dt.date(2026, 11, 24), "has a date but no time"),
        (True, "is not a date"),
    ],
)
def test_datetime_refusals(value, reason):
    with pytest.raises(FieldError, match=reason):
        parse_datetime(value)


def test_a_time_skipped_by_daylight_saving_is_refused():
    with pytest.raises(FieldError, match="does not exist in the time zone America/New_York"):
        parse_datetime("2026-03-08 02:30", NY)


def test_only_the_day_of_a_clock_change_is_checked_for_a_gap():
    # Days are remembered as steady or not: the days either side must not hide the gap.
    assert parse_datetime("2026-03-07 02:30", NY).utcoffset() == dt.timedelta(hours=-5)
    with pytest.raises(FieldError, match="does not exist"):
        parse_datetime("2026-03-08 02:30", NY)
    assert parse_datetime("2026-03-08 03:30", NY).utcoffset() == dt.timedelta(hours=-4)
    assert parse_datetime("2026-03-09 02:30", NY).utcoffset() == dt.timedelta(hours=-4)


def test_a_repeated_hour_is_its_first_occurrence():
    result = parse_datetime("2026-11-01 01:30", NY)
    assert result.utcoffset() == dt.timedelta(hours=-4)


@given(st.datetimes(min_value=dt.datetime(1992, 1, 1), max_value=dt.datetime(2099, 12, 31)))
def test_iso_text_round_trips(moment):
    """From 1992: China last changed its clocks for summer in 1991."""
    aware = moment.replace(tzinfo=SH)
    assert parse_datetime(aware.isoformat()) == aware
    assert parse_datetime(moment.isoformat(sep=" ")) == aware


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "2026-01-05",
        "2026/1/5",
        "2026.01.05",
        "2026年1月5日",
        "20260105",
        "2026-01-05 00:00:00",
        "2026/1/5 14:22",
        "2026-01-04T18:00:00Z",
        "46027",
        dt.date(2026, 1, 5),
        dt.datetime(2026, 1, 5, 9, 30),
    ],
)
def test_date_formats(value):
    assert parse_date(value) == dt.date(2026, 1, 5)


@pytest.mark.parametrize("value", ["2026-13-01", "5/1/2026", "2026-1", "1949-12-31x", "12"])
def test_date_refusals(value):
    with pytest.raises(FieldError):
        parse_date(value)


# --- booleans ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["是", "有", "Y", "y", "yes", "YES", "true", "True", "T", "1", "1.0", "√", 1, True]
)
def test_true_values(value):
    assert parse_bool(value) is True


@pytest.mark.parametrize(
    "value", ["否", "无", "N", "no", "No", "false", "FALSE", "F", "0", "0.0", "×", 0, False]
)
def test_false_values(value):
    assert parse_bool(value) is False


@pytest.mark.parametrize("value", ["是的吧", "2", "maybe", 2, "-"])
def test_bool_refusals(value):
    with pytest.raises(FieldError, match="is not yes or no; use 是/否") as caught:
        parse_bool(value)
    assert caught.value.code == "choice"


# --- durations -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "185",
        "185.0",
        "184.5",
        " 185 ",
        "3:05",
        "03:05",
        "00:03:05",
        "0:03:05",
        "3分5秒",
        "3分钟5秒",
        "185秒",
        "3m 5s",
        "185s",
        "１８５",
        185,
        185.0,
        Decimal("185"),
        dt.timedelta(minutes=3, seconds=5),
        dt.time(0, 3, 5),
    ],
)
def test_duration_formats(value):
    assert parse_seconds(value) == 185


def test_hours_in_durations():
    assert parse_seconds("1:02:03") == 3723
    assert parse_seconds("1小时2分3秒") == 3723
    assert parse_seconds("75:00") == 4500  # minutes:seconds may pass 59 minutes
    assert parse_seconds("24:00:00") == 86400


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("-5", "negative"),
        ("-0:03:05", "negative"),
        (-1, "negative"),
        ("86401", "more than 24 hours"),
        ("25:00:00", "more than 24 hours"),
        ("185000", "more than 24 hours"),
        ("3:65", "above 59"),
        ("1:60:00", "above 59"),
        ("三分钟", "is not a duration"),
        ("3.5.1", "is not a duration"),
        ("abc", "is not a duration"),
        (True, "is not a duration"),
        (float("nan"), "is not a duration"),
    ],
)
def test_duration_refusals(value, reason):
    with pytest.raises(FieldError, match=reason):
        parse_seconds(value)


def test_the_duration_limit_can_be_changed():
    with pytest.raises(FieldError, match="more than 1 hours"):
        parse_seconds("3601", maximum=3600)


@given(st.integers(min_value=0, max_value=86_400))
def test_h_mm_ss_round_trips(seconds):
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    assert parse_seconds(f"{hours}:{minutes:02d}:{secs:02d}") == seconds
    assert parse_seconds(f"{hours:02d}:{minutes:02d}:{secs:02d}") == seconds
    assert parse_seconds(str(seconds)) == seconds
    assert parse_seconds(f"{hours}小时{minutes}分{secs}秒") == seconds


# --- decimals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1234.5", "1234.5"),
        ("1,234.50", "1234.50"),
        ("¥1,234.50", "1234.50"),
        ("￥88", "88"),
        ("88元", "88"),
        ("-3", "-3"),
        ("1.5e3", "1.5E+3"),
        (0.1, "0.1"),
        (88, "88"),
    ],
)
def test_decimal_formats(value, expected):
    assert parse_decimal(value) == Decimal(expected)


@pytest.mark.parametrize("value", ["1,23", "12,34.5", "NaN", "inf", "abc", "1.2.3", float("inf")])
def test_decimal_refusals(value):
    with pytest.raises(FieldError, match="is not a number"):
        parse_decimal(value)


def test_negative_decimals_can_be_refused():
    with pytest.raises(FieldError, match="may not be negative"):
        parse_decimal("-1", nonnegative=True)


# --- enumerations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("电话", "phone"),
        ("phone", "phone"),
        ("Voice", "phone"),
        (" IVR ", "ivr"),
        ("在线客服", "webchat"),
        ("Web Chat", "webchat"),
        ("web-chat", "webchat"),
        ("微信", "social"),
        ("WeChat", "social"),
        ("短信", "sms"),
        ("营业厅", "visit"),
        ("ＡＰＰ", "app"),
    ],
)
def test_channel_labels(value, code):
    assert parse_choice(value, CHANNEL_LABELS) == code


def test_direction_labels():
    assert parse_choice("呼入", DIRECTION_LABELS) == "inbound"
    assert parse_choice("外呼", DIRECTION_LABELS) == "outbound"


def test_an_unknown_channel_lists_the_accepted_values():
    with pytest.raises(FieldError) as caught:
        parse_choice("传真", CHANNEL_LABELS)
    assert caught.value.code == "choice"
    assert caught.value.reason.startswith("“传真” is not one of the accepted values: phone (phone,")
    assert "sms (sms, 短信, 短消息)" in caught.value.reason


# --- phone numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+86-13812345678", "13812345678"),
        ("008613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        (13812345678, "13812345678"),
        ("010-62345678", "01062345678"),
        ("(010) 6234 5678", "01062345678"),
        ("（0571）87654321", "057187654321"),
        ("0571-8765432", "05718765432"),
        ("+86 10 6234 5678", "01062345678"),
        ("+86 571 8765 4321", "057187654321"),
    ],
)
def test_phone_numbers(value, expected):
    assert normalise_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("12345678901", "neither a mainland mobile"),
        ("1381234567", "neither a mainland mobile"),
        ("138123456789", "neither a mainland mobile"),
        ("12345678", "neither a mainland mobile"),
        ("400-820-8820", "neither a mainland mobile"),
        ("95555", "neither a mainland mobile"),
        ("010-1234567", "neither a mainland mobile"),
        ("+1 212 555 0100", "only mainland China numbers"),
        ("010-62345678转123", "characters that do not belong"),
        ("1.38123E+10", "Excel turned into a rounded number"),
        ("unknown", "characters that do not belong"),
        (13812345678.0, "is not a phone number"),
    ],
)
def test_phone_refusals(value, reason):
    with pytest.raises(FieldError, match=reason):
        normalise_phone(value)


@given(
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    st.sampled_from(["", "+86", "+86 ", "0086", "86"]),
    st.sampled_from([" ", "-", ""]),
)
def test_mobile_numbers_however_written(mobile, prefix, separator):
    written = prefix + separator.join((mobile[:3], mobile[3:7], mobile[7:]))
    assert normalise_phone(written) == mobile
    assert mask_phone(written) == mobile[:3] + "****" + mobile[-4:]
