"""Complainer type suggestion and escalation-risk score, from explicit rules with reasons.

Types (seeds/001, 关键时刻如何确认客户满意): **passive** (消极者: polite, does not argue, quietly
leaves), **voicer** (积极者: complains to us, wants us to improve, does not go to third
parties), **irate** (发怒者: angry, may quarrel, tends to complain to third parties), **activist**
(发飙者, "customer terrorism": threatens and uses media, regulators or lawyers — the Starbucks
case). The escalation risk says how likely a ticket is to climb a level (本地抱怨 → 越级投诉 →
监管申诉, seeds/003).

Both are *suggestions* for the handler, who confirms the type; every point added is listed
with its reason so the suggestion can be argued with. Points (capped at 100):

===========================  =====================================================
rule                         points
===========================  =====================================================
repeat complaints            10 each in the window (default 30 days), at most 30
regulator mention            25 (工信部, 12315, 12300, 消协, 通管局, 申诉, 投诉到 …)
media mention                20 (媒体, 记者, 曝光, 微博, 抖音, 报纸, 电视台 …)
lawyer mention               20 (律师, 起诉, 法院, 打官司 …)
broken promises              15 each, at most 30
VIP tier                     10
exclamation marks            5 for one or two, 10 for three or more (! and ！)
anger words                  10 (气死, 太过分, 垃圾, 骗子, 忍无可忍 …)
previous escalations         15 each, at most 30
===========================  =====================================================

Keyword matching is case-insensitive substring matching: it is meant to be read and tuned by a
manager, not to be clever. The weights are our defaults, not from a source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "ANGER_WORDS",
    "LAWYER_WORDS",
    "MEDIA_WORDS",
    "PASSIVE_WORDS",
    "REGULATOR_WORDS",
    "ComplainerSignals",
    "ComplainerType",
    "Reason",
    "RiskAssessment",
    "TypeSuggestion",
    "assess",
    "escalation_risk",
    "suggest_type",
]

REGULATOR_WORDS: tuple[str, ...] = (
    "工信部",
    "12315",
    "12300",
    "消协",
    "消费者协会",
    "通管局",
    "通信管理局",
    "申诉",
    "投诉到",
    "市场监管",
    "监管部门",
    "regulator",
    "miit",
    "consumer association",
)
MEDIA_WORDS: tuple[str, ...] = (
    "媒体",
    "记者",
    "曝光",
    "微博",
    "抖音",
    "报纸",
    "电视台",
    "发到网上",
    "朋友圈",
    "media",
    "journalist",
    "newspaper",
    "weibo",
    "twitter",
    "go public",
)
LAWYER_WORDS: tuple[str, ...] = (
    "律师",
    "起诉",
    "法院",
    "打官司",
    "告你们",
    "lawyer",
    "sue ",
    "court",
    "legal action",
)
ANGER_WORDS: tuple[str, ...] = (
    "气死",
    "愤怒",
    "太过分",
    "垃圾",
    "骗子",
    "忍无可忍",
    "恶心",
    "坑人",
    "受够",
    "无语",
    "滚",
    "angry",
    "furious",
    "ridiculous",
    "unacceptable",
    "scam",
    "disgusting",
    "worst",
    "fed up",
)
PASSIVE_WORDS: tuple[str, ...] = (
    "算了",
    "不用了",
    "无所谓",
    "就这样吧",
    "不会再用",
    "以后不用",
    "never mind",
    "forget it",
    "won't use",
)


class ComplainerType(StrEnum):
    PASSIVE = "passive"
    VOICER = "voicer"
    IRATE = "irate"
    ACTIVIST = "activist"


@dataclass(frozen=True, slots=True)
class Reason:
    """One rule that fired: a stable code, the points it added, and what matched."""

    code: str
    points: int
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ComplainerSignals:
    """Everything the rules look at; gathered by the caller from the ticket and other contexts."""

    text: str = ""
    repeat_complaints: int = 0
    window_days: int = 30
    broken_promises: int = 0
    vip: bool = False
    previous_escalations: int = 0


@dataclass(frozen=True, slots=True)
class RiskAssessment:
    """Escalation risk 0–100 and the reasons that produced it."""

    score: int
    reasons: tuple[Reason, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class TypeSuggestion:
    """A suggested complainer type and the reasons for it."""

    type: ComplainerType
    reasons: tuple[Reason, ...] = field(default_factory=tuple)


def _found(text: str, words: tuple[str, ...]) -> tuple[str, ...]:
    lowered = text.lower()
    return tuple(word.strip() for word in words if word in lowered)


def _exclamations(text: str) -> int:
    return text.count("!") + text.count("！")


def _tone_reasons(text: str) -> list[Reason]:
    reasons = []
    marks = _exclamations(text)
    if marks >= 3:
        reasons.append(Reason("exclamations", 10, str(marks)))
    elif marks:
        reasons.append(Reason("exclamations", 5, str(marks)))
    anger = _found(text, ANGER_WORDS)
    if anger:
        reasons.append(Reason("anger_words", 10, ", ".join(anger)))
    return reasons


def _mention_reasons(text: str) -> list[Reason]:
    reasons = []
    for code, words, points in (
        ("mentions_regulator", REGULATOR_WORDS, 25),
        ("mentions_media", MEDIA_WORDS, 20),
        ("mentions_lawyer", LAWYER_WORDS, 20),
    ):
        hits = _found(text, words)
        if hits:
            reasons.append(Reason(code, points, ", ".join(hits)))
    return reasons


def escalation_risk(signals: ComplainerSignals) -> RiskAssessment:
    """The escalation-risk score from the rules in the module docstring."""
    reasons: list[Reason] = []
    if signals.repeat_complaints > 0:
        points = min(10 * signals.repeat_complaints, 30)
        detail = f"{signals.repeat_complaints} in {signals.window_days} days"
        reasons.append(Reason("repeat_complaints", points, detail))
    reasons += _mention_reasons(signals.text)
    if signals.broken_promises > 0:
        points = min(15 * signals.broken_promises, 30)
        reasons.append(Reason("broken_promises", points, str(signals.broken_promises)))
    if signals.vip:
        reasons.append(Reason("vip_tier", 10))
    reasons += _tone_reasons(signals.text)
    if signals.previous_escalations > 0:
        points = min(15 * signals.previous_escalations, 30)
        reasons.append(Reason("previous_escalations", points, str(signals.previous_escalations)))
    return RiskAssessment(min(sum(r.points for r in reasons), 100), tuple(reasons))


def suggest_type(signals: ComplainerSignals) -> TypeSuggestion:
    """Activist if they threaten third parties publicly (media, or regulator/lawyer after an
    earlier escalation); irate if angry in tone or threatening a regulator/lawyer; passive if
    they give up ("算了"); otherwise a voicer, who complains to us and wants us to improve."""
    text = signals.text
    mentions = {r.code: r for r in _mention_reasons(text)}
    tone = _tone_reasons(text)
    angry = any(r.code == "anger_words" or r.points >= 10 for r in tone)
    third_party = [mentions[c] for c in ("mentions_regulator", "mentions_lawyer") if c in mentions]
    if "mentions_media" in mentions or (third_party and signals.previous_escalations > 0):
        escalated = (
            [Reason("previous_escalations", 0, str(signals.previous_escalations))]
            if signals.previous_escalations
            else []
        )
        return TypeSuggestion(
            ComplainerType.ACTIVIST,
            (*mentions.values(), *escalated),
        )
    if angry or third_party:
        return TypeSuggestion(ComplainerType.IRATE, (*tone, *third_party))
    giving_up = _found(text, PASSIVE_WORDS)
    if giving_up:
        return TypeSuggestion(
            ComplainerType.PASSIVE, (Reason("gives_up", 0, ", ".join(giving_up)),)
        )
    return TypeSuggestion(ComplainerType.VOICER, (Reason("complains_to_us", 0),))


def assess(signals: ComplainerSignals) -> tuple[TypeSuggestion, RiskAssessment]:
    """Both suggestions at once (what opening or rescoring a ticket stores)."""
    return suggest_type(signals), escalation_risk(signals)
