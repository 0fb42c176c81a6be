"""Expectation extraction: what one complaint asks for, by when, about whom, and which of the
centre's promises the customer quotes back.

``extract_expectation(text, reference)`` returns an ``Extraction`` with

* ``outcomes``: each wanted outcome with the span that shows it, a confidence and, for money
  outcomes, the ``amount`` asked for. Kinds: ``refund`` (money paid comes back: 退钱, 退回来,
  返还, 把钱还我), ``compensation`` (赔, 补偿, 送点流量), ``waiver`` (a fee is not charged or is
  reduced: 免了, 减免, 不收, 别扣, 这钱我不出, 我不认), ``repair`` (修, 弄好, 恢复网络, 派人,
  上门看看; 修不好 is still a repair request), ``redelivery`` (something sent, installed or done
  (again): 补寄, 重新发货, 重装, 来装, 重新办理), ``apology``, ``reply`` (an answer or result in
  any channel: 给个说法, 答复, 回个话, 交代), ``callback`` (a phone call: 回个电话, 打给我, 来电,
  联系我) and ``explanation`` (解释, 怎么回事, 凭什么, 为什么…).
* ``wanted_time``: the customer's own deadline, resolved against ``reference`` (a datetime;
  its time zone is kept) by the conventions of ``yuqi.domain.text.times``.
* ``quoted_promise``: a promise of the centre that the customer quotes back (说好三天内修好的,
  客服答应我24小时内回电, 师傅约的今天上午十点上门): its kind (an outcome kind or ``None``) and
  its time, a deadline (past ones included: that is the evidence that it was broken) or a
  duration whose start the text does not say. It is evidence for the promise ledger, never
  the customer's own deadline; its outcome is still wanted (the customer quotes the promise
  because it was not kept).
* ``target``: agent/staff, product/network, or policy/fee, by the words that name them.

Rules, not a model: patterns over the normalised text (half-width, simplified), read clause by
clause, so every field carries the span that produced it and a handler can check it.

* **Negation and inability.** An outcome the customer refuses is dropped: a refusal before it
  in the same clause (不要, 不用, 不需要, 别, 不想, 不必…) or a dismissal after it (有什么用,
  也没用, 我不需要, 就算了). When the same outcome is named several times, the last mention
  decides ("修不好就别修了" is no repair request). Failure and inability keep it (修不好, 一直没
  修好, 没人回电话): the thing not done is still wanted. A mention inside a "when …" clause that
  asks nothing (上门装宽带的时候把墙打坏了, 师傅来装机把地板刮花了) describes what happened,
  not a request; so does work already done (我自己已经弄好了) and a service given up (把宽带退掉
  is no refund). A refusal may be a question (你们是不是要补偿一下 still asks) or a denial
  (我没说要退款, 不是来要赔偿的, 也不是非要你们赔).
* **Amounts** belong to refunds, compensation and waivers. The amount next to the verb wins
  (退我100块, 多扣的那38块给我返还); otherwise, anywhere in the text, a total (一共, 共计,
  合计), then the extra part (多扣, 多收, 多了, 差了), then a charged amount (扣了我58块, 收了我
  100, 花了680), then a single other amount; prices and rates (79元套餐, 每月10元) never; and
  none at all when only a share or the rest is asked (退一半, 剩下的钱) or the figure is vague
  (几十块, 两三百, 一百多). ``9块9`` is 9.9, ``六十八块五`` 68.5.
* **A promise made on an earlier day** (昨天/前天/上周五 …说) counts its "明天"/"后天" and its
  bare weekdays from that day (前天说明天上午 = yesterday morning; 上周五说周一 = this Monday);
  "今天" stays the customer's today. Quantities promised (送我两百分钟通话) are not times.
* **Wanted time**: the earliest deadline among the time expressions that are not in a quoted
  promise, not past, not a start (以后, 起), not a description (每天, 现在, 到今天); a bare clock
  time, a bare weekday and a duration need 前/之前/内/最晚 to be a deadline ("我五点半下班" is
  not one). "As soon as possible" (尽快, 马上, 赶紧) counts only when no deadline is given.

Confidences are fixed per kind of evidence: an outcome keyword 0.9, with an amount next to it
0.95, with an amount found elsewhere in the text 0.85; times as in ``times``; a promise 0.8
with a promise verb (说好, 答应, 承诺, 保证, 约好), 0.7 when only reported speech shows it
("客服说会…").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from yuqi.domain.text.normalize import chinese_number, to_halfwidth, to_simplified
from yuqi.domain.text.times import TimeExpr, find_times

__all__ = [
    "OUTCOME_KINDS",
    "Extraction",
    "Outcome",
    "QuotedPromise",
    "Target",
    "WantedTime",
    "extract_expectation",
]

OUTCOME_KINDS = (
    "refund",
    "compensation",
    "waiver",
    "repair",
    "redelivery",
    "apology",
    "reply",
    "callback",
    "explanation",
)
MONEY_KINDS = ("refund", "compensation", "waiver")


@dataclass(frozen=True)
class Outcome:
    kind: str  # one of OUTCOME_KINDS
    confidence: float
    matched: str
    span: tuple[int, int]
    amount: Decimal | None = None
    currency: str | None = None


@dataclass(frozen=True)
class WantedTime:
    matched: str
    span: tuple[int, int]
    confidence: float
    kind: str  # absolute, relative, part_of_day, weekday, asap
    deadline: datetime | None


@dataclass(frozen=True)
class QuotedPromise:
    """A promise of the centre quoted back by the customer, with the time it was due."""

    kind: str | None  # the promised outcome (one of OUTCOME_KINDS), None when not one
    matched: str  # from the promise word to the end of what was promised
    span: tuple[int, int]
    confidence: float
    time_phrase: str = ""  # the words that give its time, "" when none
    deadline: datetime | None = None  # when it was due (may be past: it was broken)
    within: float | None = None  # or a duration whose start the text does not say
    within_unit: str | None = None  # minute, hour, day, working_day, week, month


@dataclass(frozen=True)
class Target:
    kind: str  # agent, product, policy
    confidence: float
    matched: str
    span: tuple[int, int]


@dataclass(frozen=True)
class Extraction:
    outcomes: tuple[Outcome, ...]
    wanted_time: WantedTime | None
    target: Target | None
    quoted_promise: QuotedPromise | None = None

    @property
    def outcome_kinds(self) -> tuple[str, ...]:
        return tuple(outcome.kind for outcome in self.outcomes)

    @property
    def amount(self) -> Decimal | None:
        """The money asked for: the first money outcome's amount."""
        return next((o.amount for o in self.outcomes if o.amount is not None), None)


# --- clauses -------------------------------------------------------------------------------

_HARD = set(",，。;；!！?？…~～、:：\n\t()（）[]【】\"'“”‘’《》")


_SPACES = re.compile(r"\s+")


def _clause_starts(text: str) -> list[int]:
    """Start offsets of the clauses: split at punctuation, at a full stop that is not a
    decimal point, and at spaces between two non-Latin characters ("退我钱 退我钱")."""
    starts = [0]
    last = len(text) - 1
    for i, char in enumerate(text):
        if char in _HARD:
            if char in ":：" and 0 < i < last and text[i - 1].isdigit():
                continue  # 17:00
            starts.append(i + 1)
        elif char == "." and not (0 < i < last and text[i - 1].isdigit() and text[i + 1].isdigit()):
            starts.append(i + 1)
    for run in _SPACES.finditer(text):
        start, end = run.span()
        inner = start > 0 and end < len(text)
        if inner and not text[start - 1].isascii() and not text[end].isascii():
            starts.append(end)
    return sorted(set(starts))


class _Clauses:
    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = _clause_starts(text)

    def bounds(self, position: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, position) - 1
        start = self.starts[index]
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)
        return start, end

    def next_start(self, position: int) -> int | None:
        index = bisect.bisect_right(self.starts, position)
        return self.starts[index] if index < len(self.starts) else None


class _ByStart:
    """Items with a ``start``, sorted, looked up by position range in logarithmic time (long
    texts must not make extraction quadratic)."""

    def __init__(self, items: list[Any]) -> None:
        self.items = sorted(items, key=lambda item: item.start)
        self.starts = [item.start for item in self.items]

    def between(self, low: int, high: int) -> list[Any]:
        """The items that start in ``[low, high)``."""
        return self.items[
            bisect.bisect_left(self.starts, low) : bisect.bisect_left(self.starts, high)
        ]


# --- outcomes ------------------------------------------------------------------------------

_STOP = r"[^,，。!！?？;；\s]"
_OUTCOME_PATTERNS: dict[str, str] = {
    "refund": (
        r"退款|退费|退钱|退还|退回|返还|返回来|返给我|返到|吐出来|原路退|原路返回?|还我钱|"
        r"退(?!订|网|掉(?:宽带|套餐|业务|号|卡)|宽带|套餐|出|货|休|步|卡|号|群|伍|缩|让|化|烧|场|票)|"
        rf"(?:钱|费|款|块|元){_STOP}{{0,6}}?还(?:给)?我|"
        rf"(?:差价|差的钱|差额){_STOP}{{0,4}}补|"
        r"\brefund\w*|money back"
    ),
    "compensation": (
        r"赔偿|补偿|赔钱|赔付|赔(?!礼|不是|偿)|补我|损失费|"
        r"送我?(?:点|些)?(?:流量|话费)|补(?:点|些)(?:流量|话费)|"
        r"compensat\w*|reimburse\w*"
    ),
    "waiver": (
        r"免了|免掉|免除|减免|减半|减(?:掉|了|一下)|减(?=\d|[一二两三四五六七八九十百])|打(?:个)?折|"
        r"免(?:一?部分|一?点|一?些|一半)|优惠(?:一点|点|一下|些)|(?:给|打)(?:我|点)?(?:个|些|点)?优惠(?!短信|活动|券|信息)|(?<=的)优惠(?!短信|活动|券|信息)|"
        r"抹了|抹掉|消掉|免费|好意思(?:收|扣|要)|还(?:要|敢)?收我|"
        r"(?<=凭什么)(?:交|付)|(?<=凭什么让我)(?:交|付)|(?<=凭什么要我)(?:交|付)|"
        r"免(?:[一二两三四五六七八九十\d]{1,3}个月)?的?(?:月租|费用|违约金|滞纳金)|"
        r"别再?扣|不要再?扣|不(?:能|应该|该|应)收|别收|不收|(?<!就)(?<!不是)不交|不会交|不会出|我不出|"
        r"不认(?!识)|不会认|不同意|降价|(?:费用|价格|资费|月租)" + _STOP + r"{0,6}降(?:到|低)|少收|"
        r"\bwaive\w*|write (?:it )?off|(?:remove|drop|cancel) (?:the|this|that) (?:fee|charge)"
    ),
    "repair": (
        r"维修|修好|修复|修理|抢修|检修|修一下|来修|修不好|修不了|没修好|修(?!改|订|正|路|建)|"
        r"弄好|弄一下|搞好|(?:来|帮忙|帮我|上门)看(?:看|一下)|"
        r"(?<!重新)上门(?!费|装|安装)|派(?:个)?人|派师傅|找人来|来人|"
        r"安排(?:个|一个)?(?:人|师傅|技术|人员)|"
        rf"师傅{_STOP}{{0,10}}?(?:来|到)(?!了|过)|"
        r"换(?:个|一个|了)?(?:新的?)?(?:光猫|路由器|机顶盒|线)|把(?:光猫|路由器|机顶盒|线)换了|"
        r"给我换(?:个|一个)(?=$|[,，。!！?？\s])|换(?:个|一个)新的?(?![^,，。!！?？]*(?:寄|发))|"
        r"(?:要是|如果|再)还?(?:没网|断网|没信号|修不好|不能用|用不了)|"
        r"(?<!号)(?<!号码)(?<!卡)恢复|(?:网|网络|宽带|信号)(?:能|可以)用|(?:网|网络|宽带|信号|电话)(?:必须|得|要|赶紧|马上)(?:打)?通|"
        r"\brepair\w*|\bfix\w*|technician|\brestor\w*"
    ),
    "redelivery": (
        r"重新(?:给我)?(?:寄|发|装|安装|开|办理|办|弄|充|送)|补寄|补发|补办|再寄|再发|重装|"
        r"寄过来|发过来|(?:什么时候|啥时候|哪天)(?:能|可以|才能|才)?(?:来)?(?:装|安装)(?!的)|寄(?:给我|一张|一份|一个)|发(?:给我)?一个|发(?:给)?我一(?:份|张|个)|来装|上门(?:安)?装(?!的)|"
        r"(?<!新)装(?:好|上|宽带)(?!之后|以后|后|的|了)|装机(?!师傅|人员)|充上|给(?:我)?装|"
        r"送\S{0,6}?(?:分钟|G|兆|礼品|礼物|话费|流量)|(?:发|寄)到(?:我|邮箱)|"
        r"送(?:我)?(?:一个|一台|一张|一部|个)|送\S{0,2}(?:宽带|手机|路由器|光猫|礼品|礼物|机顶盒)|"
        r"移机|移好|迁移|移到|移过去|补(?:好|个|张|办)?卡|(?<!短信)发给我|发货(?!了)|寄出|(?:给我|帮我)补上|(?:帮我|给我)(?:重新)?开通(?!了)|(?:帮我|给我)办(?:好|理|一下)?(?=$|[,，。!！?？\s]|吧)|"
        r"\bresend\w*|\bre-?deliver\w*|\breinstall\w*|send (?:me )?(?:a )?(?:new|replacement)"
    ),
    "apology": r"道(?:个|声)?歉|赔礼|赔不是|致歉|认错|(?:给|跟|向)我说?(?:声|句)?对不起|apolog\w*",
    "reply": (
        r"回复|答复|回话|回个话|说法|交代|准话|准信|处理意见|(?:没|给我?)个信儿?|(?:给我|会|及时)反馈|反馈给我|"
        r"(?:给|要)(?:我)?(?:个|一个)?(?:明确的?|满意的?|书面的?|合理的?)?结果|处理结果|"
        r"给(?:我)?(?:个|一个)?(?:处理|书面)?意见|等通知|给(?:我)?(?:个|一个)\S{0,6}?时间|"
        r"(?:有结果|结果)(?:了)?(?:短信|微信|电话)?(?:通知|告诉)我|"
        r"(?:通知|告诉)我(?:一下)?结果|短信(?:通知|告诉)我|(?<!应该)(?<!没)通知我|"
        rf"知道{_STOP}{{0,6}}怎么处理|回一下(?!电)|"
        r"\brespond\w*|\bresponse\b|get back to me|\banswer\w*"
    ),
    "callback": (
        r"回电(?!话费)|回(?:个|我|我个|过)?电话|回个电|等(?:你们)?的?电话|没人打(?=$|[,，。!！?？来过给])|打(?:个)?电话给我|给我打(?:个)?电话|"
        r"打给我|打我电话|(?<!电话)打过来|来电(?!了|显示|提醒|彩铃|秀|铃声|名片)|电话(?:联系|通知)我?|联系我|"
        r"(?:有|专)人(?:跟我|和我)?联系|主动联系|回访|回拨|call我|"
        r"call (?:me )?back|callback|call me|contact me"
    ),
    "explanation": (
        r"解释|说清楚|讲清楚|讲讲清楚|说明(?:一下)?(?:情况|原因|理由)|查清楚|怎么回事|"
        r"凭什么|凭啥|为什么|为啥|什么情况|啥情况|什么意思|啥意思|怎么(?:扣|算|收)|"
        r"怎么[^,，。!！?？]{0,8}?(?:扣|收)费?(?:了|的|我)|问题(?:出)?在哪|"
        r"什么原因|啥原因|原因是什么|讲讲|讲一下|给我说说|"
        rf"查(?:一下|查)?{_STOP}{{0,12}}?是不是|"
        rf"(?:扣|收)在哪|explain\w*|explanation|\bwhy (?:was|did|were|am|is|are)\b"
    ),
}
_OUTCOMES = {kind: re.compile(pattern, re.I) for kind, pattern in _OUTCOME_PATTERNS.items()}
_OUTCOME_ANY = re.compile("|".join(f"(?:{p})" for p in _OUTCOME_PATTERNS.values()), re.I)
_REFUSED_BEFORE = re.compile(
    r"(?:不要|不用|不需要|无需|不必|没必要|用不着|不想|不稀罕|拒绝|不知道|要的不是|(?<!是)不是(?:来|想)?要|不是来听|"
    r"不是非(?:得|要)|没说要|没要求|别|甭|"
    r"don't|do not|no need)" + _STOP + r"{0,6}$",
    re.I,
)
_REFUSED_RIGHT_BEFORE = re.compile(r"(?:不是|并非|而不是)\s*$")
_REFUSED_AFTER = re.compile(
    r"^\S{0,6}?(?:也|都)?(?:没用|没有用|有什么用|有啥用|没意义|解决不了|就不必了|就不用了|"
    r"就算了|我不需要|不需要|我不要|不稀罕|(?:我|已经|我已经)(?:收到|拿到)了|已(?:经)?收到|不要了)"
)
_ASKING = re.compile(r"请|麻烦|要|必须|给我")
_SCENE_AFTER = re.compile(r"的时候|时(?!间)|态度|以后|之后|后(?!天)")
_SWITCHED_OFF = re.compile(r"停机|停了?我?的机|欠费|复机")
_DAMAGE = re.compile(r"(?:刮|碰|弄|打|砸|划|钻|踩)(?:花|坏|破|断|脏|烂)")
_SERVICE_OBJECT = re.compile(r"把(?:宽带|套餐|业务|号码?|卡|会员|这个业务|增值业务)\S{0,3}$")
_SUSPENSION = re.compile(r"停机|停了?我?的机|欠费|复机|号码|靓号|手机号|套餐|原来的|原价")
_INSTALLING = re.compile(r"移机|装机|安装|装宽带|新装|开通宽带|装上|来装")
_FAULT = re.compile(r"坏|断|故障|修|没网|没信号|卡顿|掉线|信号差|网速慢")


@dataclass(frozen=True)
class _Mention:
    kind: str
    start: int
    end: int
    refused: bool


def _mentions(text: str, clauses: _Clauses) -> list[_Mention]:
    """Every outcome word, longest first where two overlap, with whether it is refused."""
    raw = [
        (match.start(), match.end(), kind)
        for kind, pattern in _OUTCOMES.items()
        for match in pattern.finditer(text)
        if match.end() > match.start()
    ]
    raw.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    kept: list[tuple[int, int, str]] = []
    for item in raw:
        if kept and item[0] < kept[-1][1]:
            continue
        kept.append(item)
    mentions = []
    for start, end, kind in kept:
        clause_start, clause_end = clauses.bounds(start)
        before = text[max(clause_start, start - 12) : start]
        after = text[end : min(clause_end, end + 16)]
        if (
            kind in ("repair", "redelivery")
            and _SCENE_AFTER.search(after[:10])
            and not _ASKING.search(text[clause_start:clause_end])
        ):
            continue  # "上门装宽带的时候把墙打坏了": the visit is the scene, not the request
        word = text[start:end]
        clause = text[clause_start:clause_end]
        if (
            kind in ("repair", "redelivery")
            and _DAMAGE.search(clause)
            and not _ASKING.search(clause)
        ):
            continue  # "师傅来装机把我家地板刮花了": the visit is the scene of the damage
        if kind == "refund" and text[end : end + 1] == "掉" and _SERVICE_OBJECT.search(before):
            continue  # "把宽带退掉": the service is cancelled, no money comes back
        if (
            kind == "repair"
            and word in ("弄好", "修好", "搞好")
            and before.endswith(("已经", "已"))
        ):
            continue  # "我自己已经弄好了": done, not asked
        if kind == "repair" and word.startswith("恢复") and _SUSPENSION.search(text):
            continue  # a line or plan restored after suspension or a change: no fault to fix
        if kind == "redelivery" and word.endswith("开通") and _SWITCHED_OFF.search(text):
            continue  # "停机…给我开通": the line switched back on, nothing sent or installed
        if (
            kind == "repair"
            and (word.startswith(("上门", "师傅")))
            and _INSTALLING.search(text)
            and not _FAULT.search(text)
        ):
            kind = "redelivery"  # the visit is to install (移机…上门), not to fix
        refused = bool(_REFUSED_AFTER.match(after))
        if kind != "waiver":  # a waiver is said with a negation (别扣, 不收)
            refused = refused or bool(
                _REFUSED_BEFORE.search(before) or _REFUSED_RIGHT_BEFORE.search(before)
            )
        mentions.append(_Mention(kind, start, end, refused))
    return mentions


# --- amounts -------------------------------------------------------------------------------

# Bounded and anchored at the start of a run, so a long run of digits costs linear time.
_NUMERAL = (
    r"(?<![\d.])\d{1,12}(?:\.\d{1,4})?(?![\d])|"
    r"(?<![零〇一二两三四五六七八九十百千万几])[零〇一二两三四五六七八九十百千万几]{1,12}"
)
_MONEY = re.compile(
    rf"(?P<cur>[¥￥$]|rmb|人民币)?\s*(?P<num>{_NUMERAL})\s*"
    r"(?P<unit>块钱|元|块|rmb|dollars?|usd)(?P<jiao>[一二三四五六七八九](?![十百千万])|\d(?![\d.]))?",
    re.I,
)
_CURRENCY_FIRST = re.compile(r"(?P<cur>[¥￥$]|rmb|人民币)\s*(?P<num>\d{1,12}(?:\.\d{1,4})?)", re.I)
_CHARGED_NUMBER = re.compile(
    r"(?P<verb>多扣了?我?|多收了?我?|多交了|多了|多出来?|差了|贵了|各(?:是|为)?|扣了?我?|收了我?|收我|花了|充了|交了|付了|"
    r"押金(?:是|有)?|一共|共计|合计|总共|总计)"
    r"\s*(?P<num>\d{1,12}+(?:\.\d{1,4}+)?|[零一二两三四五六七八九十百千万]{1,12}+)"
    r"(?![\d.]|\s*(?:个|天|次|月|年|号|点|分|小时|项|笔|条|遍|倍|周|期|岁|位|张|g|m|兆|%|块|元|多|余|来))",
    re.I,
)
_TOTAL = re.compile(r"(?:一共|共计|合计|总共|总计|共)\s*$")
_EXTRA = re.compile(r"多扣|多收|多交|多了|多出|差了|贵了")
_EXTRA_RIGHT_BEFORE = re.compile(r"(?:多扣|多收|多交|多了|多出|差了|贵了)(?:我|了)?$")
_CHARGE = re.compile(r"扣|收了|收我|花了|充值|充了|交了|付了|欠费|预存|押金")
_RATE = re.compile(r"每个?(?:月|次|天|年|期)\S{0,2}$")
_PRICE_BEFORE = re.compile(r"(?:套餐|改回|原来的?|资费|只要)\S{0,2}$")
_PRICE_AFTER = re.compile(r"^的?套餐")
_SHARE = re.compile(r"剩下|剩余|一半|部分")
_DIFFERENCE = re.compile(r"差价|差额|差的钱")
_EN_AMOUNT = re.compile(
    r"^\s*(?:of|for)?\s*(?:\$|usd\s*)(\d+(?:\.\d+)?)|^\s*(?:of|for)?\s*(\d+(?:\.\d+)?)\s*(?:dollars|usd)",
    re.I,
)
_MEASURE = (
    r"(?![\d.]|\s*(?:个|天|次|月|年|号|点|分|小时|项|笔|条|遍|倍|周|期|岁|位|张|g|m|兆|%|元|块))"
)
_NEXT_TO_VERB = re.compile(rf"^\s*(?:我|给我)?\s*({_NUMERAL}){_MEASURE}", re.I)


@dataclass(frozen=True)
class _Money:
    start: int
    end: int
    value: Decimal
    currency: str
    category: str  # total, extra, charge, rate, price, plain


def _value(numeral: str, jiao: str | None = None) -> Decimal | None:
    """The value of a money numeral; ``None`` for vague ones (几十, 两三百, 一百多)."""
    if re.fullmatch(r"\d+(?:\.\d+)?", numeral):
        value = Decimal(numeral)
    else:
        if "几" in numeral or re.search(r"[一二两三四五六七八九]{2}", numeral):
            return None
        number = chinese_number(numeral)
        if number is None:
            return None
        value = Decimal(number)
    if jiao:
        digit = int(jiao) if jiao.isdigit() else chinese_number(jiao)
        value += Decimal(digit or 0) / 10
    return value


def _money(text: str) -> list[_Money]:
    found: list[_Money] = []
    taken = bytearray(len(text))  # characters already part of an amount

    def add(start: int, end: int, value: Decimal | None, currency: str, verb: str = "") -> None:
        if value is None or value <= 0 or any(taken[start:end]):
            return
        taken[start:end] = b"\x01" * (end - start)
        window = text[max(0, start - 10) : start]
        for index in range(len(window) - 1, -1, -1):
            if window[index] in _HARD:
                window = window[index + 1 :]
                break
        if _RATE.search(window):
            category = "rate"
        elif _EXTRA_RIGHT_BEFORE.search(window):
            category = "extra"  # "套餐贵了十五块": the extra part, though a plan is named
        elif _PRICE_BEFORE.search(window) or _PRICE_AFTER.match(text[end : end + 3]):
            category = "price"
        elif _TOTAL.search(window):
            category = "total"
        elif _EXTRA.search(window) or _EXTRA.search(verb):
            category = "extra"
        elif _CHARGE.search(window) or verb:
            category = "charge"
        else:
            category = "plain"
        found.append(_Money(start, end, value, currency, category))

    for match in _MONEY.finditer(text):
        if match.group("num") in ("", "."):
            continue
        unit = match.group("unit").lower()
        usd = unit.startswith(("dollar", "usd")) or match.group("cur") == "$"
        value = _value(match.group("num"), match.group("jiao"))
        add(match.start("num"), match.end(), value, "USD" if usd else "CNY")
    for match in _CURRENCY_FIRST.finditer(text):
        currency = "USD" if match.group("cur") == "$" else "CNY"
        add(match.start(), match.end(), Decimal(match.group("num")), currency)
    for match in _CHARGED_NUMBER.finditer(text):
        value = _value(match.group("num"))
        add(match.start("num"), match.end("num"), value, "CNY", match.group("verb"))
    return sorted(found, key=lambda m: m.start)


def _amount_for(
    mention: _Mention, text: str, clauses: _Clauses, money: list[_Money]
) -> tuple[Decimal | None, str | None, int, float]:
    """The amount a money outcome asks for, its currency, the end of the outcome's span and
    the confidence (see the module docstring for the order)."""
    end = mention.end
    after = text[end : end + 16]
    english = _EN_AMOUNT.match(after)
    if english:
        return Decimal(english.group(1) or english.group(2)), "USD", end + english.end(), 0.95
    clause_start, clause_end = clauses.bounds(mention.start)
    usable = [m for m in money if m.category not in ("rate", "price")]
    following = [m for m in usable if end <= m.start < clause_end]
    if following:
        return following[0].value, following[0].currency, following[0].end, 0.95
    spoken = _NEXT_TO_VERB.match(text[end:clause_end])
    if spoken and (spoken.group(1).isdigit() or re.search(r"[十百千万]", spoken.group(1))):
        value = _value(spoken.group(1))
        if value is not None:
            return value, "CNY", end + spoken.end(), 0.95
    preceding = [m for m in usable if clause_start <= m.start < mention.start]
    if preceding:
        return preceding[-1].value, preceding[-1].currency, end, 0.95
    clause = text[clause_start:clause_end]
    if _SHARE.search(clause):
        return None, None, end, 0.9
    allowed = ("total", "extra") if _DIFFERENCE.search(clause) else ("total", "extra", "charge")
    for category in allowed:
        candidates = [m for m in usable if m.category == category]
        if candidates:
            best = min(candidates, key=lambda m: abs(m.start - mention.start))
            return best.value, best.currency, end, 0.85
    plain = [m for m in usable if m.category == "plain"]
    if len(plain) == 1 and not _DIFFERENCE.search(clause):
        return plain[0].value, plain[0].currency, end, 0.85
    return None, None, end, 0.9


def _outcomes(
    text: str, clauses: _Clauses, mentions: list[_Mention], money: list[_Money]
) -> tuple[Outcome, ...]:
    last: dict[str, _Mention] = {}
    first: dict[str, _Mention] = {}
    for mention in mentions:
        last[mention.kind] = mention
        if not mention.refused and mention.kind not in first:
            first[mention.kind] = mention
    found = []
    for kind, mention in first.items():
        if last[kind].refused:
            continue  # the last word on it is a refusal: "修不好就别修了"
        amount = currency = None
        end, confidence = mention.end, 0.9
        if kind in MONEY_KINDS:
            amount, currency, end, confidence = _amount_for(mention, text, clauses, money)
        span = (mention.start, end)
        found.append(Outcome(kind, confidence, text[span[0] : span[1]], span, amount, currency))
    return tuple(sorted(found, key=lambda outcome: outcome.span))


# --- quoted promises -----------------------------------------------------------------------

_PROMISE_VERB = re.compile(
    r"说好的?|讲好的?|约好的?|说定的?|答应(?:过|了|好)?(?:的|我)?|承诺(?:过|了)?的?|"
    r"保证(?:过|了)?|预约(?:的|了|好)|(?<![预合签违契节制])约的|promised"
)
_REPORTED = re.compile(
    r"(?:(?:你们|客服|师傅|工作人员|营业厅|营业员|经理|10086|10000号?|装维|技术员?|技术人员|维修人员|"
    r"专员|客户经理|对方|他们|他|她|工号\d{1,8})(?:的人|的客服|的工作人员|的师傅)?"
    r"[^,，。!！?？我]{0,6}?(?:跟我|和我|给我)?|"
    r"(?:昨天|前天|上次|当时|当初|之前|上周|每次都|的时候|"
    r"(?<![一两三四五六七八九十几\d])[一两三四五六七八九十几\d]{1,4}个?(?:天|周|星期|礼拜|月|年)前)(?:就|都|也|又)?|"
    r"(?:^|(?<=[,，]))\s*)"
    r"(?<![不没说别光只])(?:说|讲|告诉我|让我等|叫我等)(?:的是|了会|过|的)?"
    r"(?!清楚|明白|明(?!天|早|晚|日)|法|一下|什么|了多少|话|了三遍|说|声|句|对不起|抱歉)"
    r"|不是说|说是|说了会|说会|said (?:you|they|it) would|told me (?:you|they|it) would",
    re.I,
)
_PROMISE_BREAK = re.compile(
    r"结果|现在|到现在|至今|到今天|可是|但是|却|然而|已经|还没|还是|都过了|等了|这都|那就|我等(?:了|着|到)|"
    r"\bbut\b|\bstill\b"
)
_FUTURE = re.compile(r"会|将|能|就|一定|马上|肯定|will|would")
_CONTINUES = re.compile(r"会|将|will|would")
_DEMAND_START = re.compile(r"^\s*(?:给我|请|麻烦|必须|要求|我要|那|把)")
#: Right before a promise verb, the customer asking for a promise ("并保证", "你们要保证").
_ASKED_PROMISE = re.compile(r"(?:并|并且|要|请|必须|要求|得|能不能|你们要|给我)\s*$")
_BASE_DAY = re.compile(r"(昨天|昨晚|前天|上(?:个)?(?:周|星期|礼拜)[一二三四五六日天])")
_WEEKDAY_NUMBER = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_TECHNICIAN = re.compile(r"师傅|技术员|技术人员|维修|装维|上门")  # who promised tells what


def _base_day(word: str, today: date, offsets: dict[str, int]) -> date:
    """The day a promise was made: 昨天/前天, or a weekday of last week (上周五)."""
    if word in offsets:
        return today + timedelta(days=offsets[word])
    monday = today - timedelta(days=today.weekday() + 7)
    return monday + timedelta(days=_WEEKDAY_NUMBER[word[-1]])


@dataclass(frozen=True)
class _PromiseScope:
    start: int  # the promise word
    body: int  # where what was promised starts
    end: int
    strong: bool
    base: date


def _scope_end(match: re.Match[str], text: str, clauses: _Clauses, times: _ByStart) -> int:
    """Where what was promised ends: the cue's clause, cut at a contrast ("结果", "现在",
    "已经"…); or the next clause when the cue ends its clause before a comma ("客服说，三天内…"),
    or when the cue's clause promises nothing and the next one does ("客服说帮我登记了，
    三天内会有专人联系我"; never a demand of the customer's own: "…，给我退回来")."""
    _clause_start, clause_end = clauses.bounds(match.start())
    cut = _PROMISE_BREAK.search(text, match.end(), clause_end)
    if cut:
        return cut.start()
    following = clauses.next_start(match.end())
    if following is None:
        return clause_end
    following_end = clauses.bounds(following)[1]
    if not text[match.end() : clause_end].strip(" 的了"):
        if text[clause_end : clause_end + 1] in (",", "，", ":", "："):
            return following_end
        return clause_end
    if "说是" in text[match.start() : match.end() + 1]:
        return clause_end  # "说是你们的问题": a claim, not a promise
    if _OUTCOME_ANY.search(text, match.end(), clause_end) or times.between(match.end(), clause_end):
        return clause_end
    continuation = text[following:following_end]
    if (
        (_CONTINUES.search(continuation) or _OUTCOME_ANY.search(continuation))
        and not _DEMAND_START.match(continuation)
        and not _PROMISE_BREAK.search(continuation)
    ):
        return following_end
    return clause_end


def _promise_scopes(
    text: str, clauses: _Clauses, reference: datetime, times: _ByStart
) -> list[_PromiseScope]:
    cues = [(m, True) for m in _PROMISE_VERB.finditer(text)]
    cues += [(m, False) for m in _REPORTED.finditer(text)]
    cues.sort(key=lambda item: (item[0].start(), not item[1]))
    scopes: list[_PromiseScope] = []
    offsets = {"昨天": -1, "昨晚": -1, "前天": -2}
    for match, strong in cues:
        if scopes and match.start() < scopes[-1].end:
            continue
        if strong and _ASKED_PROMISE.search(text, max(0, match.start() - 4), match.start()):
            continue  # "…并保证以后不再乱扣": the customer asks for a promise, quotes none
        end = _scope_end(match, text, clauses, times)
        clause_start = max(clauses.bounds(match.start())[0], match.start() - 12)
        day = _BASE_DAY.findall(text[clause_start : match.end()])
        base = _base_day(day[-1], reference.date(), offsets) if day else reference.date()
        scopes.append(_PromiseScope(match.start(), match.end(), end, strong, base))
    return scopes


_QUANTITY_BEFORE = re.compile(r"[免退赔补扣交送](?:给?我)?$")
_QUANTITY_AFTER = re.compile(r"^(?:的|月租|费|话费|流量|会员|套餐)")


def _quantity(expr: TimeExpr, text: str) -> bool:
    """A duration that counts what is promised ("免三个月月租"), not when."""
    if expr.within is None or expr.has_within:
        return False
    return bool(
        _QUANTITY_BEFORE.search(text[max(0, expr.start - 3) : expr.start])
        or _QUANTITY_AFTER.match(text[expr.end : expr.end + 4])
    )


def _promise(
    text: str,
    scopes: list[_PromiseScope],
    mentions: _ByStart,
    times: _ByStart,
    reference: datetime,
) -> QuotedPromise | None:
    found: list[QuotedPromise] = []
    other_days: dict[date, _ByStart] = {}
    for scope in scopes:
        inside = mentions.between(scope.start, scope.end)  # mentions never overlap each other
        inside = [m for m in inside if m.end > scope.body and not m.refused]
        by_day = times
        if scope.base != reference.date():
            if scope.base not in other_days:
                other_days[scope.base] = _ByStart(find_times(text, reference, base=scope.base))
            by_day = other_days[scope.base]
        timed = [
            t
            for t in by_day.between(scope.body, scope.end)
            if t.kind != "asap" and not _quantity(t, text)
        ]
        body = text[scope.body : scope.end]
        if not scope.strong and not (inside or timed or _FUTURE.search(body)):
            continue  # "营业厅说是你们客服的问题": reported speech, no promise
        when = timed[0] if timed else None
        kind = inside[0].kind if inside else None
        if kind is None and _TECHNICIAN.search(text, max(0, scope.start - 8), scope.body):
            kind = (
                "redelivery" if _INSTALLING.search(text) and not _FAULT.search(text) else "repair"
            )
        found.append(
            QuotedPromise(
                kind=kind,
                matched=text[scope.start : scope.end].strip(),
                span=(scope.start, scope.end),
                confidence=0.8 if scope.strong else 0.7,
                time_phrase=when.text if when else "",
                deadline=when.deadline if when and when.within is None else None,
                within=when.within if when else None,
                within_unit=when.within_unit if when else None,
            )
        )
    if not found:
        return None
    return next((p for p in found if p.time_phrase), found[0])


# --- wanted time ---------------------------------------------------------------------------


_DEMAND = re.compile(r"必须|给我|请|要求|麻烦|能不能|务必|最晚|最迟|之前|以前|前|内")


def _asks(expr: TimeExpr, text: str, clauses: _Clauses, mentions: _ByStart) -> bool:
    """The time is in a clause that asks for something (an outcome word or a demand, within
    40 characters), not one that describes ("今天家里没人")."""
    start, end = clauses.bounds(expr.start)
    start, end = max(start, expr.start - 40), min(end, expr.end + 40)
    if any(not m.refused for m in mentions.between(start, end)):
        return True
    return bool(_DEMAND.search(text, start, end))


def _wanted_time(
    times: list[TimeExpr],
    scopes: list[_PromiseScope],
    reference: datetime,
    text: str,
    clauses: _Clauses,
    mentions: _ByStart,
) -> WantedTime | None:
    deadlines: list[TimeExpr] = []
    asap: TimeExpr | None = None
    bodies = [s.body for s in scopes]  # scopes are sorted and do not overlap
    for expr in times:
        index = bisect.bisect_right(bodies, expr.start) - 1
        if index >= 0 and expr.start < scopes[index].end:
            continue  # the promise's time, not the customer's
        if expr.kind == "asap":
            asap = asap or expr
            continue
        if expr.after or expr.skip or expr.past or expr.deadline is None:
            continue
        if not expr.before and text.startswith("了", expr.end):
            continue  # "结果下午三点了": the time it is now, not a deadline
        if expr.needs_marker and not expr.before:
            continue
        if expr.deadline < reference:
            continue
        deadlines.append(expr)
    if deadlines:
        asked = [t for t in deadlines if _asks(t, text, clauses, mentions)]
        best = min(asked or deadlines, key=lambda t: (t.deadline, -t.confidence, t.start))
        return WantedTime(
            best.text, (best.start, best.end), best.confidence, best.kind, best.deadline
        )
    if asap is not None:
        return WantedTime(asap.text, (asap.start, asap.end), 0.6, "asap", None)
    return None


# --- target --------------------------------------------------------------------------------

_TARGETS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (
            "agent",
            r"客服|工作人员|话务员|坐席|接线员|营业员|服务人员|装维师傅|师傅|工号|业务员|经理|"
            r"\bagents?\b|representative|\brep\b|staff|employee|operator|technician|"
            r"customer service",
        ),
        (
            "product",
            r"信号|网络|宽带|网速|断网|流量|设备|光猫|路由器|手机|产品|质量|故障|卡顿|"
            r"network|signal|internet|device|product|outage|connection",
        ),
        (
            "policy",
            r"收费|扣费|话费|资费|费用|套餐|规定|政策|合同|违约金|账单|月租|条款|"
            r"\bfees?\b|charges?|\bbill(?:ing)?\b|policy|contract|interest|\brates?\b|terms",
        ),
    )
)


def _target(text: str) -> Target | None:
    counts: dict[str, list[re.Match[str]]] = {}
    for kind, pattern in _TARGETS:
        matches = list(pattern.finditer(text))
        if matches:
            counts[kind] = matches
    if not counts:
        return None
    total = sum(len(matches) for matches in counts.values())
    kind, matches = max(counts.items(), key=lambda item: (len(item[1]), -item[1][0].start()))
    confidence = round(0.5 + 0.45 * len(matches) / total, 3)
    first = matches[0]
    return Target(kind, confidence, first.group(0), first.span())


def extract_expectation(text: str, reference: datetime) -> Extraction:
    """Wanted outcomes, wanted time, quoted promise and target of one complaint (see the
    module docstring). Spans index the text after half-width and simplified conversion,
    which keep its length."""
    prepared = to_simplified(to_halfwidth(text or ""))
    clauses = _Clauses(prepared)
    mentions = _mentions(prepared, clauses)
    times = find_times(prepared, reference)
    by_start = _ByStart(mentions), _ByStart(times)
    scopes = _promise_scopes(prepared, clauses, reference, by_start[1])
    promise = _promise(prepared, scopes, by_start[0], by_start[1], reference)
    outcomes = _outcomes(prepared, clauses, mentions, _money(prepared))
    if promise is not None and promise.kind and promise.kind not in {o.kind for o in outcomes}:
        promised = Outcome(promise.kind, 0.8, promise.matched, promise.span)
        outcomes = tuple(sorted((*outcomes, promised), key=lambda outcome: outcome.span))
    return Extraction(
        outcomes=outcomes,
        wanted_time=_wanted_time(times, scopes, reference, prepared, clauses, by_start[0]),
        target=_target(prepared),
        quoted_promise=promise,
    )
