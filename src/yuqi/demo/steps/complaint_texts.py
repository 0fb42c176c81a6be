"""Chinese complaint texts for the demo: the customer's account and demand, per category.

Each category has a few accounts (what the customer says happened) and demands (诉求); the demo
picks one of each with its seeded random generator and fills in the blanks (days waited,
amount, the customer's district), so the same seed always gives the same texts. The wording
follows the complaint situations of the source documents ([seed-001], [seed-003]): long waits and
repeat calls, bills that do not add up, installers who do not come, and the voice of a
customer who is about to go to the regulator ("我要去工信部申诉").
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["CATEGORY_TEXTS", "CategoryTexts", "ComplaintText", "complaint_text"]


@dataclass(frozen=True)
class CategoryTexts:
    """Accounts and demands for one complaint category (``name`` is the Chinese label)."""

    name: str
    accounts: tuple[str, ...]
    demands: tuple[str, ...]


@dataclass(frozen=True)
class ComplaintText:
    category: str
    account: str
    demand: str


CATEGORY_TEXTS: dict[str, CategoryTexts] = {
    "network_signal": CategoryTexts(
        "网络信号差",
        (
            "家住{district}，最近{days}天室内手机信号只有一格，打电话经常断线，"
            "上周已经报修过一次，到现在没有任何人联系我。",
            "{district}一带晚上流量基本用不了，网页打不开，视频一直转圈，"
            "打了{calls}次客服都说在排查，没有结果。",
            "小区新装的基站迟迟不开通，{days}天了信号还是很差，工作电话都接不到。",
        ),
        (
            "请三天内派人上门检测并给出处理结果",
            "尽快修复信号，并减免本月月租",
            "上门维修，处理期间每天告知进度",
        ),
    ),
    "broadband_fault": CategoryTexts(
        "宽带故障",
        (
            "家里宽带这{days}天每天晚上断线好几次，报修后师傅说是线路老化，到现在还没换。",
            "{district}宽带网速只有办理时承诺的十分之一，孩子上网课都卡，已经报修{calls}次。",
        ),
        (
            "上门维修，并减免故障期间的宽带费",
            "三天内彻底修好，否则办理退订",
        ),
    ),
    "overcharge": CategoryTexts(
        "话费多扣",
        (
            "本月账单比平时多扣了{amount}元，明细里有一项我从没订过的增值业务。",
            "我已经办理了流量包，系统还是按标准资费扣了{amount}元流量费，"
            "之前反映过{calls}次，每次都说核实后回电，结果没人回。",
            "停机保号期间仍然扣了月租{amount}元，营业厅说要找客服，客服又让我去营业厅。",
        ),
        (
            "退还多扣的费用并书面道歉",
            "退费，并取消所有未经本人同意的增值业务",
            "三天内回复处理结果，退费到原账户",
        ),
    ),
    "broadband_install": CategoryTexts(
        "宽带报装慢",
        (
            "{days}天前在营业厅办理了宽带，承诺48小时内上门安装，到现在还没有人来。",
            "装维人员约好上午上门，我请了一天假在家等，结果没来也没通知。",
            "宽带报装后说{district}端口已满要等扩容，没有给出任何时间。",
        ),
        (
            "明确上门安装时间，迟装期间的月费全免",
            "赔偿 50 元并尽快安装",
            "三天内安装，否则全额退款",
        ),
    ),
    "agent_attitude": CategoryTexts(
        "客服态度",
        (
            "打客服热线等了{minutes}分钟才接通，接通后客服语气很不耐烦，"
            "没听完就说系统查不到，直接挂断。",
            "连续打了{calls}次都在排队，好不容易接通又被转了三次，每次都要重新说一遍问题。",
            "营业员当着其他顾客的面说我“看不懂账单”，态度非常恶劣。",
        ),
        (
            "要求当事客服道歉",
            "道歉，并说明对当事人的处理结果",
            "希望有专人负责跟进，不要再让我重复说明",
        ),
    ),
    "plan_change": CategoryTexts(
        "套餐变更",
        (
            "上月申请把套餐改成低档，客服说次月生效，结果这个月还是按原套餐扣费。",
            "营销电话说免费升级套餐，升级后才发现合约期{months}个月，不能再改回去。",
            "想取消副卡，客服说必须本人到营业厅，可我人在外地。",
        ),
        (
            "按承诺的套餐重新计费，退还差额",
            "取消合约，恢复原套餐",
            "提供线上办理途径，三天内回复",
        ),
    ),
    "number_porting": CategoryTexts(
        "携号转网受阻",
        (
            "申请携号转网，系统一直提示有未结清业务，查了又说没有，已经拖了{days}天。",
            "办理携号转网时客服反复挽留，还说转网后原号码的积分和余额全部清零。",
            "转网授权码发了{calls}次都收不到，怀疑是故意设置障碍。",
        ),
        (
            "立即解除限制，配合办理携号转网",
            "书面说明不能转网的原因，否则向工信部申诉",
            "三天内回复处理结果",
        ),
    ),
    "privacy_leak": CategoryTexts(
        "个人信息泄露",
        (
            "刚办完宽带，第二天就接到好几个装修推销电话，对方能说出我的姓名和地址。",
            "我的号码被人冒名办理了副卡，营业厅没有核实身份就给办了。",
            "收到陌生短信，内容里有我的身份证后四位和套餐信息。",
        ),
        (
            "查明信息泄露原因并书面答复",
            "注销冒办的副卡，追究相关人员责任并赔偿",
            "道歉，并说明今后如何保护我的个人信息",
        ),
    ),
    "hotline_wait": CategoryTexts(
        "热线难打通",
        (
            "周一上午打客服热线，排队{minutes}分钟没人接，挂了再打又是排队，前后打了{calls}次。",
            "人工服务一直占线，转到留言后说会回电，等了{days}天也没有回电。",
        ),
        (
            "希望尽快回电解决问题，并说明为什么打不通",
            "道歉，以后高峰时段能够回拨",
        ),
    ),
}

ESCALATION_REMARKS: tuple[str, ...] = (
    "如果再不解决，我就去工信部申诉。",
    "我已经打了12315，也准备找媒体曝光。",
    "这件事我已经咨询了律师。",
    "再拖下去我就发到微博上去。",
)

DISTRICTS = ("天河区", "海珠区", "越秀区", "白云区", "番禺区", "黄埔区", "南沙区", "花都区")


def complaint_text(
    category: str, rng: random.Random, *, escalating: bool = False, calls: int = 2
) -> ComplaintText:
    """An account and a demand for ``category`` drawn with ``rng`` (deterministic per seed).

    ``escalating`` adds a sentence threatening the regulator, 12315, a lawyer or the media, as
    customers do before they appeal (this is what the escalation-risk rules look for).
    """
    texts = CATEGORY_TEXTS[category]
    blanks = {
        "district": rng.choice(DISTRICTS),
        "days": rng.randint(3, 15),
        "calls": max(2, calls),
        "minutes": rng.randint(12, 45),
        "amount": rng.choice((18, 30, 56, 88, 120, 199)),
        "months": rng.choice((12, 24)),
    }
    account = rng.choice(texts.accounts).format(**blanks)
    if escalating:
        account += rng.choice(ESCALATION_REMARKS)
    return ComplaintText(texts.name, account, rng.choice(texts.demands))
