"""Complainer type suggestion and escalation-risk score, from explicit rules with reasons.

Types ([seed-001], 关键时刻如何确认客户满意): **passive** (消极者: polite, does not argue, quietly
leaves), **voicer** (积极者: complains to us, wants us to improve, does not go to third
parties), **irate** (发怒者: angry, may quarrel, tends to complain to third parties), **activist**
(发飙者, "customer terrorism": threatens and uses media, regulators or lawyers — the Starbucks
case). The escalation risk says how likely a ticket is to climb a level (本地抱怨 → 越级投诉 →
监管申诉, [seed-003]).

Both are *suggestions* for the handler, who confirms the type; every point added is listed
with its reason so the suggestion can be argued with. Points (capped at 100):

===========================  =====================================================
rule                         points
===========================  =====================================================
repeat complaints            10 each in the window (default 30 days), at most 30
regulator mention            25 (工信部, 12315, 12300, 消协, 通管局, 监管 …)
media mention                20 (媒体, 记者, 曝光, 微博, 抖音, 电视台 …)
lawyer mention               20 (律师, 起诉, 法院, 打官司 …)
broken promises              15 each, at most 30
VIP tier                     10
anger intensity              round(15 × anger), anger in [0, 1] from words, !!, ?!, …
repeat mention in the text   10 ("又断网了", "第三次", "again" …)
previous escalations         15 each, at most 30
===========================  =====================================================

The text rules (mentions, anger, repeat mentions) are the text pipeline's escalation signals,
``yuqi.domain.text.signals.detect_signals(text).risk_items()``, so the risk score and the
complaint's text analysis agree; the word lists and anger scale are documented there. A text
counts as angry for the type suggestion when its anger intensity gives 7 points or more (one
strong word such as 气死/垃圾/骗子, or two weaker signals). The weights are our defaults, not
from a source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from yuqi.domain.text.signals import detect_signals

__all__ = [
    "PASSIVE_WORDS",
    "ComplainerSignals",
    "ComplainerType",
    "Reason",
    "RiskAssessment",
    "TypeSuggestion",
    "assess",
    "escalation_risk",
    "suggest_type",
]

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


ANGRY_POINTS = 7  # anger intensity points that make a text "angry" for the type suggestion


def _text_reasons(text: str) -> list[Reason]:
    """Mentions of regulator/media/lawyer, anger intensity and repeat mentions."""
    return [Reason(*item) for item in detect_signals(text).risk_items()]


def escalation_risk(signals: ComplainerSignals) -> RiskAssessment:
    """The escalation-risk score from the rules in the module docstring."""
    reasons: list[Reason] = []
    if signals.repeat_complaints > 0:
        points = min(10 * signals.repeat_complaints, 30)
        detail = f"{signals.repeat_complaints} in {signals.window_days} days"
        reasons.append(Reason("repeat_complaints", points, detail))
    text_reasons = _text_reasons(signals.text)
    reasons += [r for r in text_reasons if r.code.startswith("mentions_")]
    if signals.broken_promises > 0:
        points = min(15 * signals.broken_promises, 30)
        reasons.append(Reason("broken_promises", points, str(signals.broken_promises)))
    if signals.vip:
        reasons.append(Reason("vip_tier", 10))
    reasons += [r for r in text_reasons if not r.code.startswith("mentions_")]
    if signals.previous_escalations > 0:
        points = min(15 * signals.previous_escalations, 30)
        reasons.append(Reason("previous_escalations", points, str(signals.previous_escalations)))
    return RiskAssessment(min(sum(r.points for r in reasons), 100), tuple(reasons))


def suggest_type(signals: ComplainerSignals) -> TypeSuggestion:
    """Activist if they threaten third parties publicly (media, or regulator/lawyer after an
    earlier escalation); irate if angry in tone or threatening a regulator/lawyer; passive if
    they give up ("算了"); otherwise a voicer, who complains to us and wants us to improve."""
    text = signals.text
    text_reasons = _text_reasons(text)
    mentions = {r.code: r for r in text_reasons if r.code.startswith("mentions_")}
    tone = [r for r in text_reasons if r.code == "anger_intensity"]
    angry = any(r.points >= ANGRY_POINTS for r in tone)
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
