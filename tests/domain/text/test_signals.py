"""Emotion and escalation signals."""

from __future__ import annotations

from yuqi.domain.text.signals import detect_signals


def test_calm_text_has_no_signal():
    signals = detect_signals("请问宽带什么时候能装好？谢谢")
    assert signals.anger == 0
    assert signals.threats == ()
    assert not signals.repeat
    assert signals.risk_points() == 0


def test_angry_text_scores_higher_than_mild_text():
    mild = detect_signals("等了很久，有点失望")
    angry = detect_signals("气死我了！！！你们这些骗子，垃圾服务啊啊啊啊")
    assert 0 < mild.anger < angry.anger <= 1
    assert any("exclamation" in reason for reason in angry.reasons)


def test_threats_of_media_regulator_and_lawyer():
    signals = detect_signals("再不解决我就打12315，找律师起诉你们，还要发微博曝光")
    assert signals.threat_kinds == {"media", "regulator", "lawyer"}


def test_repeat_mentions_with_a_count():
    signals = detect_signals("这已经是第三次打电话了，一直没人管")
    assert signals.repeat
    assert signals.repeat_count == 3


def test_you_again_in_praise_is_not_a_repeat():
    assert not detect_signals("送餐又快又好吃").repeat


def test_english_capitals_and_threats():
    signals = detect_signals("I called AGAIN and this is UNACCEPTABLE. I will contact my lawyer!!")
    assert signals.anger > 0.3
    assert "lawyer" in signals.threat_kinds
    assert signals.repeat


def test_risk_points_are_bounded():
    signals = detect_signals("第五次了！！！工信部、律师、媒体，骗子，垃圾！！！")
    assert signals.risk_points() == 1.0


def test_risk_items_fit_the_complainer_reason_shape():
    signals = detect_signals("第三次了！！！再不解决就打12315，还要找记者曝光")
    items = {code: (points, detail) for code, points, detail in signals.risk_items()}
    assert items["mentions_regulator"] == (25, "12315")
    assert items["mentions_media"][0] == 20
    assert items["repeat_mention"] == (10, "3")
    assert 0 < items["anger_intensity"][0] <= 15
