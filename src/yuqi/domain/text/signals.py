"""Emotion and escalation signals of a complaint text: anger, threats, repeat mentions.

``detect_signals(text)`` returns a frozen ``Signals``:

* ``anger`` in [0, 1]: ``1 − exp(−points / 3)`` where points add up: each anger-lexicon
  word (strong words 2, others 1), each run of 2+ exclamation marks (1, +0.5 per extra mark,
  capped at 3), "?!" or runs of 3+ question marks (1), a character repeated 4+ times
  (啊啊啊啊, 1), English words of 3+ capital letters (1 each when at least two, capped at 2);
  one strong word ≈ 0.49, three signals ≈ 0.63, six ≈ 0.86.
* ``threats``: media (媒体/曝光/微博/抖音/记者 …), regulator (工信部/12315/消协/监管 …),
  lawyer (律师/起诉/法院 …), each with the matched word; English equivalents too.
* ``repeat``: the text says this is not the first time (再次, 第三次, 又断网, 多次, 一直没人管,
  again, third time …); ``repeat_count`` when a number is stated (第三次 → 3).
* ``reasons``: one short English sentence per signal, for the escalation explanation.

Plugging into an escalation-risk score: ``Signals.risk_items()`` gives ``(code, points,
detail)`` triples on the 0–100 scale of ``yuqi.domain.complainer`` (its ``Reason`` shape and
mention codes), to use instead of that module's own keyword lists; or ``risk_points()``, a
0–1 contribution (regulator 0.35, lawyer 0.35, media 0.3, repeat 0.2, anger × 0.3, capped at
1) with ``reasons`` explaining it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from yuqi.domain.text.normalize import chinese_number, to_halfwidth, to_simplified

__all__ = ["Signals", "Threat", "detect_signals"]

_STRONG_ANGER = (
    "气死",
    "愤怒",
    "忍无可忍",
    "受够了",
    "垃圾",
    "骗子",
    "无耻",
    "流氓",
    "黑心",
    "坑人",
    "恶心",
    "混蛋",
    "去死",
    "滚",
    "他妈",
    "tmd",
    "什么破",
    "强烈不满",
    "太过分",
)
_ANGER = (
    "生气",
    "恼火",
    "无语",
    "太差",
    "差劲",
    "离谱",
    "过分",
    "欺骗",
    "搞什么",
    "忽悠",
    "敷衍",
    "投诉你们",
    "不满",
    "失望",
    "烦死",
    "气人",
    "态度恶劣",
    "讨厌",
    "糟糕",
)
_EN_STRONG = ("furious", "outraged", "outrageous", "disgusting", "scam", "fraud", "worst", "fed up")
_EN_ANGER = (
    "angry",
    "ridiculous",
    "unacceptable",
    "terrible",
    "awful",
    "incompetent",
    "frustrated",
    "horrible",
    "upset",
)

_THREATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "media",
        re.compile(
            r"媒体|曝光|微博|抖音|记者|电视台|报社|小红书|头条|发到网上|网上发|朋友圈|"
            r"\bmedia\b|journalist|reporter|social media|twitter|facebook|news",
            re.I,
        ),
    ),
    (
        "regulator",
        re.compile(
            r"工信部|12315|12345|12300|12378|消协|消费者协会|监管|通管局|通信管理局|市场监督|"
            r"银保监|金融监管|\bcfpb\b|\bfcc\b|\bftc\b|regulator|attorney general|"
            r"better business bureau|\bbbb\b",
            re.I,
        ),
    ),
    (
        "lawyer",
        re.compile(
            r"律师|起诉|法院|告你们|诉讼|法律途径|仲裁|打官司|"
            r"lawyer|attorney(?! general)|\bsue\b|lawsuit|"
            r"\bcourt\b|legal action|litigation",
            re.I,
        ),
    ),
)
_REPEAT = re.compile(
    r"再次|第\s*([二三四五六七八九十两\d]+)\s*次|多次|反复|屡次|好几次|三番五次|无数次|"
    r"(\d+|[二三四五六七八九十两几]+)\s*次了|一直没人管|一直没(有)?解决|还是没(有)?解决|"
    r"又(?=[断坏扣没不打来出停收掉是卡])|"
    r"\bagain\b|multiple times|several times|repeatedly|still not|"
    r"(second|third|fourth|fifth|\d+(st|nd|rd|th)) time",
    re.I,
)
_EXCLAIM = re.compile(r"!{2,}")
_QUESTION = re.compile(r"\?{3,}|[?!]*\?![?!]*")
_REPEATED_CHAR = re.compile(r"(.)\1{3,}")
_CAPS = re.compile(r"\b[A-Z]{3,}\b")
_NOT_SHOUTING = frozenset(
    {"CFPB", "FCC", "FTC", "BBB", "USA", "FCRA", "XXXX", "ATM", "SMS", "VIP", "APP", "ID"}
)


@dataclass(frozen=True)
class Threat:
    kind: str  # media, regulator, lawyer
    matched: str


@dataclass(frozen=True)
class Signals:
    anger: float
    threats: tuple[Threat, ...]
    repeat: bool
    repeat_count: int | None
    reasons: tuple[str, ...]

    @property
    def threat_kinds(self) -> frozenset[str]:
        return frozenset(threat.kind for threat in self.threats)

    def risk_items(self) -> tuple[tuple[str, int, str], ...]:
        """``(code, points, detail)`` triples in the shape of ``yuqi.domain.complainer.Reason``
        and on its 0–100 scale (same codes and points for the mentions it already scores:
        regulator 25, media 20, lawyer 20), so a scorer can use
        ``[Reason(*item) for item in signals.risk_items()]`` in place of its own keyword
        rules for the text. Anger intensity gives ``round(15 × anger)`` points, a repeat
        mention in the text 10."""
        points = {"regulator": 25, "media": 20, "lawyer": 20}
        items = [(f"mentions_{t.kind}", points[t.kind], t.matched) for t in self.threats]
        if self.anger > 0:
            detail = "; ".join(r for r in self.reasons if "anger" in r or "marks" in r)
            items.append(("anger_intensity", round(15 * self.anger), detail or f"{self.anger}"))
        if self.repeat:
            detail = "" if self.repeat_count is None else str(self.repeat_count)
            items.append(("repeat_mention", 10, detail))
        return tuple(items)

    def risk_points(self) -> float:
        """A 0–1 contribution to an escalation-risk score (weights in the module docstring)."""
        kinds = self.threat_kinds
        points = 0.35 * ("regulator" in kinds) + 0.35 * ("lawyer" in kinds)
        points += 0.3 * ("media" in kinds) + 0.2 * self.repeat + 0.3 * self.anger
        return round(min(1.0, points), 4)


def _anger(text: str, lowered: str, reasons: list[str]) -> float:
    points = 0.0
    for word in _STRONG_ANGER + _EN_STRONG:
        if word in lowered:
            points += 2
            reasons.append(f"strong anger word: {word}")
    for word in _ANGER + _EN_ANGER:
        if word in lowered:
            points += 1
            reasons.append(f"anger word: {word}")
    exclaim = sum(min(3.0, 1 + 0.5 * (len(run) - 2)) for run in _EXCLAIM.findall(text))
    if exclaim:
        points += exclaim
        reasons.append("repeated exclamation marks")
    if _QUESTION.search(text):
        points += 1
        reasons.append("insistent question marks")
    repeated = [m.group(0) for m in _REPEATED_CHAR.finditer(text) if not m.group(1).isdigit()]
    repeated = [run for run in repeated if run[0] not in "*xX. "]
    if repeated:
        points += 1
        reasons.append(f"repeated characters: {repeated[0]}")
    shouted = [word for word in _CAPS.findall(text) if word not in _NOT_SHOUTING]
    if len(shouted) >= 2:
        points += min(2.0, len(shouted) / 2)
        reasons.append("words in capitals")
    return round(1 - math.exp(-points / 3), 4)


def _repeat_count(match: re.Match[str]) -> int | None:
    for group in (1, 2):
        value = match.group(group)
        if value and value != "几":
            number = chinese_number(value)
            if number is not None:
                return number
    ordinal = match.group(5)
    if ordinal:
        words = {"second": 2, "third": 3, "fourth": 4, "fifth": 5}
        return words.get(ordinal.lower()) or int(re.sub(r"\D", "", ordinal) or 0) or None
    return None


def detect_signals(text: str) -> Signals:
    """Anger, threats and repeat mentions of one text (see the module docstring)."""
    prepared = to_simplified(to_halfwidth(text or ""))
    lowered = prepared.lower()
    reasons: list[str] = []
    anger = _anger(prepared, lowered, reasons)
    threats: list[Threat] = []
    for kind, pattern in _THREATS:
        match = pattern.search(prepared)
        if match:
            threats.append(Threat(kind, match.group(0)))
            reasons.append(f"threatens {kind}: {match.group(0)}")
    repeat_count: int | None = None
    matches = list(_REPEAT.finditer(prepared))
    if "又" in prepared and re.search(r"又[^又]{1,3}又", prepared):
        matches = [m for m in matches if m.group(0) != "又"]  # 又快又好: not a repeat
    for match in matches:
        count = _repeat_count(match)
        if count is not None:
            repeat_count = max(repeat_count or 0, count)
    if matches:
        reasons.append(f"repeat mention: {matches[0].group(0)}")
    return Signals(
        anger=anger,
        threats=tuple(threats),
        repeat=bool(matches),
        repeat_count=repeat_count,
        reasons=tuple(reasons),
    )
