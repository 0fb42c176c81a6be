"""Complainer type suggestion and escalation risk: each rule, with its points and reason."""

from __future__ import annotations

from yuqi.domain.complainer import (
    ComplainerSignals,
    ComplainerType,
    escalation_risk,
    suggest_type,
)


def codes(assessment) -> dict[str, int]:
    return {reason.code: reason.points for reason in assessment.reasons}


def test_a_calm_complaint_scores_zero_and_is_a_voicer():
    signals = ComplainerSignals(text="我的宽带这两天上网很慢，麻烦帮忙看一下。")
    assert escalation_risk(signals).score == 0
    assert suggest_type(signals).type is ComplainerType.VOICER


def test_regulator_mentions_in_chinese_and_english():
    for text in ("再不解决我就投诉到工信部", "I will call 12315", "complain to the regulator"):
        risk = escalation_risk(ComplainerSignals(text=text))
        assert codes(risk)["mentions_regulator"] == 25, text


def test_media_and_lawyer_mentions_add_points_with_what_matched():
    risk = escalation_risk(ComplainerSignals(text="我要找记者曝光，还要请律师"))
    assert codes(risk) == {"mentions_media": 20, "mentions_lawyer": 20}
    media = next(r for r in risk.reasons if r.code == "mentions_media")
    assert media.detail == "记者"  # the first media word (text signals report one match)


def test_repeat_complaints_broken_promises_and_escalations_are_capped():
    risk = escalation_risk(
        ComplainerSignals(repeat_complaints=5, broken_promises=4, previous_escalations=3)
    )
    assert codes(risk) == {
        "repeat_complaints": 30,
        "broken_promises": 30,
        "previous_escalations": 30,
    }
    assert risk.score == 90


def test_vip_and_tone():
    # 太过分 (strong, 2) + 过分 (1) + "！！！" (1.5): anger 1 − e^(−4.5/3) = 0.777 → 12 points
    risk = escalation_risk(ComplainerSignals(text="太过分了！！！", vip=True))
    assert codes(risk) == {"vip_tier": 10, "anger_intensity": 12}


def test_one_exclamation_mark_is_not_anger():
    assert codes(escalation_risk(ComplainerSignals(text="请尽快处理!"))) == {}


def test_a_repeat_mention_in_the_text_adds_ten():
    risk = escalation_risk(ComplainerSignals(text="宽带又断网了，这是第三次报修"))
    assert codes(risk) == {"repeat_mention": 10}


def test_one_mild_word_is_not_irate():
    assert suggest_type(ComplainerSignals(text="有点失望，请处理")).type is ComplainerType.VOICER


def test_the_score_never_exceeds_100():
    signals = ComplainerSignals(
        text="垃圾运营商！！！我要去工信部申诉，找记者曝光，请律师起诉你们",
        repeat_complaints=3,
        broken_promises=2,
        vip=True,
        previous_escalations=2,
    )
    assert escalation_risk(signals).score == 100


def test_media_threat_suggests_an_activist():
    suggestion = suggest_type(ComplainerSignals(text="不给我换新机，明天微博上全是你们的新闻"))
    assert suggestion.type is ComplainerType.ACTIVIST
    assert [r.code for r in suggestion.reasons] == ["mentions_media"]


def test_regulator_threat_after_an_earlier_escalation_is_an_activist():
    signals = ComplainerSignals(text="我已经打过12315了", previous_escalations=1)
    assert suggest_type(signals).type is ComplainerType.ACTIVIST


def test_anger_without_third_parties_is_irate():
    assert (
        suggest_type(ComplainerSignals(text="气死我了，你们就是骗子")).type is ComplainerType.IRATE
    )


def test_giving_up_is_passive():
    suggestion = suggest_type(ComplainerSignals(text="算了，以后不用你们的宽带了。"))
    assert suggestion.type is ComplainerType.PASSIVE
    assert suggestion.reasons[0].detail == "算了, 以后不用"
