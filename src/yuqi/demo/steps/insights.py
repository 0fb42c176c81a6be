"""Demo step: six peer service centres (fictional), six months of their indicators, and
who offers what, so the benchmarks page and the 他有我无 table tell a story.

Values sit around published industry ranges for Chinese telecom and bank service centres
(answer rate 85–97 %, ASA 15–60 s, abandon 3–10 %, 80/20 service level 70–90 %); the
names are invented (某省/某市/某银行) and stand for no real centre.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from yuqi.insights.models import Indicator
from yuqi.insights.services import indicator_target_set, offerings_store, peer_values_store

# name, industry, region, quality (−1 worse … +1 better than the median), drift per month
PEERS: tuple[tuple[str, str, str, float, float], ...] = (
    ("某省移动10086客服中心", "电信", "华东", 0.8, 0.02),
    ("某市联通10010客服中心", "电信", "华北", 0.1, 0.05),
    ("某电信10000号客服中心", "电信", "华南", 0.3, 0.0),
    ("某股份制银行信用卡中心", "银行", "华东", 0.9, 0.03),
    ("某城商行95客服中心", "银行", "西南", -0.4, 0.06),
    ("某电商平台客服中心", "电商", "华东", 0.5, -0.02),
)

# indicator: (median, spread for quality ±1, noise) — rates as fractions
LEVELS: dict[str, tuple[float, float, float]] = {
    Indicator.ANSWER_RATE: (0.91, 0.05, 0.008),
    Indicator.ASA_SECONDS: (28.0, -12.0, 2.5),
    Indicator.ABANDON_RATE: (0.06, -0.03, 0.005),
    Indicator.SERVICE_LEVEL: (0.80, 0.08, 0.015),
    Indicator.FCR: (0.76, 0.07, 0.01),
    Indicator.EASE_OF_USE: (80.0, 7.0, 1.0),
    Indicator.SATISFACTION: (89.0, 5.0, 0.8),
}

OFFERINGS: tuple[tuple[str, str, str, str], ...] = (
    ("callback", "回拨/智能回呼", "Smart callback", "Queue full: the system calls back."),
    ("queue_position", "排队进度播报", "Queue position announcement", "IVR tells the place."),
    ("wechat_progress", "微信公众号进度查询", "WeChat progress lookup", "Ticket status in WeChat."),
    ("human_24x7", "7×24 人工服务", "24/7 live agents", "An agent at any hour."),
    ("video", "视频客服", "Video customer service", "Face-to-face help by video."),
    ("account_manager", "专属客户经理", "Dedicated account manager", "VIP customers."),
    ("sms_survey", "短信满意度回访", "SMS satisfaction follow-up", "A survey after contact."),
    ("elder_line", "老年人一键转人工", "One-key agent for seniors", "适老化: skip the IVR."),
    ("visual_ivr", "可视化IVR菜单", "Visual IVR menu", "The menu on the phone screen."),
    ("online_chat", "App/网页在线客服", "Online chat", "Chat in the app and on the web."),
)
OURS: tuple[str, ...] = ("human_24x7", "sms_survey", "online_chat", "account_manager")
# peer index → offering codes
PEER_OFFERINGS: dict[int, tuple[str, ...]] = {
    0: (
        "callback",
        "queue_position",
        "wechat_progress",
        "human_24x7",
        "elder_line",
        "visual_ivr",
        "online_chat",
        "sms_survey",
    ),
    1: ("callback", "queue_position", "human_24x7", "elder_line", "online_chat"),
    2: ("callback", "wechat_progress", "human_24x7", "elder_line", "sms_survey"),
    3: (
        "callback",
        "queue_position",
        "wechat_progress",
        "video",
        "account_manager",
        "human_24x7",
        "online_chat",
    ),
    4: ("queue_position", "sms_survey"),
    5: ("callback", "video", "online_chat", "human_24x7", "elder_line"),
}
TARGETS: dict[str, str] = {
    Indicator.ANSWER_RATE: "0.90",
    Indicator.ASA_SECONDS: "20",
    Indicator.ABANDON_RATE: "0.05",
    Indicator.SERVICE_LEVEL: "0.80",
    Indicator.FCR: "0.80",
    Indicator.SATISFACTION: "90",
}
SOURCE = "行业对标月报（演示）"


@dataclass(frozen=True)
class DemoInsights:
    peers: int
    values: int
    offerings: int


def demo_months(end: date, months: int = 6) -> list[tuple[date, date]]:
    """The ``months`` calendar months ending with ``end``'s, oldest first."""
    out = []
    start = end.replace(day=1)
    for _i in range(months):
        last = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        out.append((start, last))
        start = (start - timedelta(days=1)).replace(day=1)
    return sorted(out)


def _value(indicator: str, quality: float, drift: float, month: int, rng: random.Random) -> str:
    median, spread, noise = LEVELS[indicator]
    # drift: a share of the spread gained per month (positive = improving)
    level = median + spread * (quality + drift * month) + rng.gauss(0, noise)
    if indicator in (
        Indicator.ANSWER_RATE,
        Indicator.ABANDON_RATE,
        Indicator.SERVICE_LEVEL,
        Indicator.FCR,
    ):
        return f"{min(max(level, 0.0), 1.0):.4f}"
    return f"{max(level, 0.0):.1f}"


@transaction.atomic
def load_demo_insights(*, end_date: date, seed: int = 7) -> DemoInsights:
    rng = random.Random(seed)
    months = demo_months(end_date)
    values = []
    for name, industry, region, quality, drift in PEERS:
        for month, (start, last) in enumerate(months):
            for indicator in LEVELS:
                values.append(
                    {
                        "peer": name,
                        "industry": industry,
                        "region": region,
                        "indicator": indicator,
                        "period_start": start,
                        "period_end": last,
                        "value": _value(indicator, quality, drift, month, rng),
                        "source": SOURCE,
                    }
                )
    peer_values_store(records=values)
    names = {code: (zh, en, text) for code, zh, en, text in OFFERINGS}
    rows = []
    for index, codes in PEER_OFFERINGS.items():
        for code in codes:
            zh, en, text = names[code]
            rows.append(
                {
                    "ours": False,
                    "peer": PEERS[index][0],
                    "code": code,
                    "name": zh,
                    "name_en": en,
                    "description": text,
                    "since": None,
                    "source": "神秘顾客体验（演示）",
                }
            )
    for code in OURS:
        zh, en, text = names[code]
        rows.append(
            {
                "ours": True,
                "peer": "",
                "code": code,
                "name": zh,
                "name_en": en,
                "description": text,
                "since": None,
                "source": "",
            }
        )
    offerings_store(records=rows)
    for indicator, target in TARGETS.items():
        indicator_target_set(indicator=indicator, target=Decimal(target))
    return DemoInsights(len(PEERS), len(values), len(OFFERINGS))
