"""The contact vocabulary: yes/no words, channel and direction labels, the abandonment rule."""

from __future__ import annotations

import pytest

from yuqi.domain import contacts
from yuqi.domain.contacts import abandoned, channel_code, direction_code, label_key, yes_no


@pytest.mark.parametrize("word", ["是", "有", "真", "对", "√", "✓", "Y", "yes", "TRUE", "t",
                                  "1", "1.0", "On", " 是 "])  # fmt: skip
def test_yes_words(word):
    assert yes_no(word) is True


@pytest.mark.parametrize("word", ["否", "无", "没有", "假", "错", "×", "✗", "N", "No", "FALSE",
                                  "f", "0", "0.0", "off"])  # fmt: skip
def test_no_words(word):
    assert yes_no(word) is False


@pytest.mark.parametrize("word", ["", "maybe", "2", "是的", "yes!"])
def test_anything_else_is_neither(word):
    assert yes_no(word) is None


def test_no_word_is_both_yes_and_no():
    assert not contacts.YES_WORDS & contacts.NO_WORDS


def test_full_width_forms_read_as_half_width():
    assert yes_no("ＹＥＳ") is True
    assert yes_no("１") is True
    assert channel_code("ＰＨＯＮＥ") == "phone"


@pytest.mark.parametrize(
    ("label", "code"),
    [("电话", "phone"), ("热线", "phone"), ("Voice", "phone"), ("微信", "social"),
     ("小程序", "social"), ("在线客服", "webchat"), ("Web Chat", "webchat"),
     ("web_chat", "webchat"), ("web-chat", "webchat"), ("手机APP", "app"), ("短信", "sms"),
     ("营业厅", "visit"), ("walk in", "visit"), ("邮件", "email"), ("自助语音", "ivr")],
)  # fmt: skip
def test_channel_labels(label, code):
    assert channel_code(label) == code


@pytest.mark.parametrize(
    ("label", "code"),
    [("呼入", "inbound"), ("来电", "inbound"), ("IN", "inbound"), ("外呼", "outbound"),
     ("回访", "outbound"), ("去电", "outbound"), ("Outbound", "outbound")],
)  # fmt: skip
def test_direction_labels(label, code):
    assert direction_code(label) == code


def test_unknown_labels_have_no_code():
    assert channel_code("飞鸽传书") is None
    assert direction_code("sideways") is None


def test_every_label_maps_to_a_known_code_and_every_code_is_its_own_label():
    assert set(contacts.CHANNEL_LABELS.values()) == set(contacts.CHANNELS)
    assert set(contacts.DIRECTION_LABELS.values()) == set(contacts.DIRECTIONS)
    for code in contacts.CHANNELS:
        assert channel_code(code) == code
    for code in contacts.DIRECTIONS:
        assert direction_code(code) == code
    assert set(contacts.CHANNELS) >= contacts.REAL_TIME_CHANNELS


def test_no_two_labels_collide_after_normalising():
    for labels in (contacts.CHANNEL_LABELS, contacts.DIRECTION_LABELS):
        keys: dict[str, str] = {}
        for label, code in labels.items():
            assert keys.setdefault(label_key(label), code) == code, label


def test_label_key_drops_case_spaces_underscores_and_dashes():
    assert label_key(" Web _ Chat-X ") == "webchatx"


UNANSWERED_PHONE = {"answered": False, "direction": "inbound", "channel": "phone", "queued": True}


def test_an_unanswered_inbound_real_time_contact_in_a_queue_is_abandoned():
    assert abandoned(flagged=None, **UNANSWERED_PHONE) is True


@pytest.mark.parametrize(
    "change",
    [{"answered": True}, {"direction": "outbound"}, {"channel": "email"}, {"channel": "sms"},
     {"channel": "ivr"}, {"channel": "visit"}, {"queued": False}],
)  # fmt: skip
def test_without_any_one_condition_nothing_is_inferred(change):
    assert abandoned(flagged=None, **{**UNANSWERED_PHONE, **change}) is False


@pytest.mark.parametrize("channel", sorted(contacts.REAL_TIME_CHANNELS))
def test_every_real_time_channel_infers(channel):
    assert abandoned(flagged=None, **{**UNANSWERED_PHONE, "channel": channel}) is True


def test_the_contacts_own_flag_wins_both_ways():
    assert abandoned(flagged=False, **UNANSWERED_PHONE) is False
    assert abandoned(flagged=True, **{**UNANSWERED_PHONE, "channel": "email"}) is True
