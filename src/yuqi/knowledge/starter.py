# ruff: noqa: E501 (article text)
"""Built-in starter content: categories, synonyms, 003's six steps, scripts for 001's four
complainer types, the complaint levels' handling principles and common customer questions.

Sources: [seed-003] 如何降低客户的期望值 (the six steps, the three levels, 规范处理), [seed-001]
the four complainer types, [seed-000] promise with margin, VIP perks kept to VIPs. The FAQ
answers are Yuqi's defaults for a telecom centre; edit them to the centre's own rules.
"""

from __future__ import annotations

from datetime import date

# code, parent, Chinese, English, taxonomy code
CATEGORIES: tuple[tuple[str, str | None, str, str, str], ...] = (
    ("network", None, "网络与宽带", "Network and broadband", "quality"),
    ("network-broadband", "network", "宽带", "Broadband", "quality.broadband"),
    ("network-mobile", "network", "手机信号", "Mobile signal", "quality.network"),
    ("billing", None, "话费与账单", "Charges and bills", "billing"),
    ("billing-overcharge", "billing", "扣费异议", "Disputed charges", "billing.overcharge"),
    ("billing-plan", "billing", "套餐", "Plans", "billing.plan"),
    ("service", None, "业务办理", "Services", ""),
    ("access", None, "接通与回电", "Reaching us and callbacks", "callback"),
    ("handling", None, "投诉处理", "Complaint handling", ""),
    ("scripts", "handling", "期望管理话术", "Expectation-setting scripts", ""),
    ("standards", None, "服务标准与口径", "Service standards and wording", "promise"),
)

SYNONYMS: tuple[str, ...] = (
    "宽带 网络 上网 wifi 无线网 光猫",
    "断网 网断 掉线 没网 上不了网",
    "话费 费用 扣费 资费 收费 扣钱 多扣 扣了钱 被扣",
    "详单 明细 清单 通话详单",
    "优惠 打折 折扣 活动 便宜",
    "到期 过期 合约满 续约",
    "异地 外地 出省 外省",
    "无法使用 用不了 不能用 坏了 没反应",
    "代办 帮家人办 替人办",
    "变更 更换 换套餐 改套餐 降档 升档 档位",
    "次月 下个月 下月",
    "违约金 解约 提前解约",
    "过户 换户主 转给",
    "复机 开机 恢复通话 停机恢复",
    "停机 欠费停机 关停",
    "套餐 资费套餐 月租",
    "退费 退款 退钱 返还",
    "赔偿 补偿 赔钱",
    "回电 回电话 回访 回复",
    "携号转网 转网 换运营商 别的运营商",
    "流量 数据 上网流量",
    "信号 没信号 信号差 打不通",
    "销户 注销 拆机",
    "报修 维修 修理 上门",
    "投诉 申诉 举报",
    "密码 服务密码 查询密码",
    "发票 报销 开票",
    "漫游 国际漫游 出国",
    "装机 报装 安装 新装 装宽带",
    "移机 搬家",
    "退订 取消 关闭 退掉 关掉",
    "开通 办理 订购",
)

SIX_STEPS_ZH = """当我们无法满足客户的期望值时，按下面六步降低客户的期望值（如何降低客户的期望值）：

1. **设定期望值**：在了解客户期望值的基础上，为客户设定一个期望值，告诉客户哪些是他可以得到的，哪些是他根本无法得到的。
2. **了解并排序**：通过有效沟通了解客户的期望值，并把客户的期望值（需求）做一个排序。
3. **委婉说明**：技巧地告诉客户，在他的这些期望值中，哪些是可能实现的，哪些是不可能的；我们能提供的对客户而言是真正重要的。
4. **及时说明理由**：及时告诉客户不能满足其期望值的理由。
5. **表达理解**：从情感上表达对客户期望值的理解。
6. **表达重视**：表达公司对客户投诉造成的影响给予足够的重视和关注。

最后与客户达成协议：确定一个客户能接受的解决方案；达成协议并不一定是最终方案，可以搁置问题，但要获得客户的承诺。
"""

SIX_STEPS_EN = """When we cannot meet what the customer expects, lower the expectation in six steps:

1. **Set the expectation**: tell the customer what they can get and what they cannot.
2. **Understand and rank**: learn the customer's expectations and rank them.
3. **Explain tactfully** which are possible and which are not; what we offer is what matters most.
4. **Give the reason** promptly why an expectation cannot be met.
5. **Show understanding** of the customer's feelings.
6. **Show that the company takes it seriously**.

Then agree a solution the customer accepts; an agreement may park a problem, but get the customer's consent.
"""

# code, Chinese title, English title, Chinese body, English body
COMPLAINER_SCRIPTS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "passive",
        "消极型客户应对话术",
        "Script for passive complainers",
        "消极者不爱争辩、默默离开。主动询问：“您对这次处理还有哪些不满意的地方？我们想把它做好。”"
        "记录真实诉求，结案后安排回访，防止客户流失。",
        "Passive complainers do not argue and quietly leave. Ask: 'Is anything about this still "
        "not right for you? We want to get it right.' Record the real need and call back after "
        "closing to keep the customer.",
    ),
    (
        "voicer",
        "积极型客户应对话术",
        "Script for voicers",
        "积极者希望我们改进。感谢客户的反馈：“谢谢您告诉我们，这对我们改进服务很重要。”"
        "说明改进措施和时间，按承诺回复进展。",
        "Voicers want us to improve. Thank them: 'Thank you for telling us; it helps us improve.' "
        "Explain what will change and when, and report progress as promised.",
    ),
    (
        "irate",
        "发怒型客户应对话术",
        "Script for irate customers",
        "先听一听，让客户把话说完，不争辩。“我非常理解您的心情，换作是我也会着急。”"
        "避开正面冲突，把话题引回解决问题；只承诺能做到的时限，保持联系，避免升级。",
        "Listen first and let the customer finish; do not argue. 'I understand how you feel.' "
        "Steer back to solving the problem; promise only times we can keep; keep in contact to "
        "avoid escalation.",
    ),
    (
        "activist",
        "发飙型客户应对话术",
        "Script for activists (threats of media, regulator or lawyer)",
        "客户提到媒体、工信部或律师时，保持冷静和礼貌，不做超出服务标准的承诺。"
        "“您的诉求我已经完整记录，会由专人跟进，并在约定时间内给您答复。”立即报告主管，规范处理。",
        "When the customer threatens media, the regulator or a lawyer, stay calm and polite and "
        "make no promise above the service standard. 'I have recorded your request in full; a "
        "named person will follow up within the agreed time.' Tell the supervisor at once.",
    ),
)

LEVELS_ZH = """投诉分三级处理：

- **本地抱怨**：迅速响应，快速处理，尽量解决。
- **越级投诉**：迅速响应，保持联系，避免升级。
- **工信部申诉**：迅速响应，保持联系，规范处理。

**规范处理**指按部就班、按时限、流程要求规范解决，不额外提高客户所使用电信产品的服务标准，合理管理客户期望值。
"""

LEVELS_EN = """Three complaint levels:

- **Local complaint**: respond fast, handle fast, resolve where possible.
- **Escalated complaint**: respond fast, keep in contact, avoid further escalation.
- **Regulator appeal (MIIT)**: respond fast, keep in contact, handle by the book.

**By the book** means step by step, on time and by the process, without raising the service standard of the customer's product, managing the expectation reasonably.
"""

PROMISE_ZH = """对客户做出承诺时多留一些余地，坚决杜绝为迎合客户意愿而开“空头支票”。

- 只承诺服务标准内能做到的时限（见“服务标准”）。
- VIP 专属权益（专属客户经理、优先抢修等）只对相应等级的客户说明，不向普通客户宣传。
- 超出本人权限的金额，须主管审批后再答复客户。
"""

PROMISE_EN = """Promise with a margin; never write an empty cheque to please a customer.

- Promise only times the service standard can keep (see "Service standards").
- VIP perks (dedicated manager, priority repair …) are explained to customers of that tier only, never advertised to others.
- Amounts above your own authority need a supervisor's approval before you answer.
"""

# key, kind, category, audience, tiers, topics, outcomes, zh title, en title, tags, zh, en
FAQS: tuple[tuple, ...] = (
    (
        "faq-broadband-down",
        "procedure",
        "network-broadband",
        "public",
        (),
        ("quality.broadband",),
        ("repair",),
        "宽带断网了怎么办",
        "My broadband is down: what to do",
        ("宽带", "断网", "报修"),
        "1. 先重启光猫和路由器，等待 3 分钟。\n2. 查看光猫的 PON/LOS 灯：LOS 红灯闪烁表示光纤中断。\n"
        "3. 仍无法上网，请拨打客服热线或在 App 报修，我们在 24 小时内安排处理。",
        "1. Restart the modem and router and wait 3 minutes.\n2. Check the PON/LOS lights: a "
        "blinking red LOS means the fibre is cut.\n3. Still offline? Report a fault by phone or "
        "in the app; we act within 24 hours.",
    ),
    (
        "faq-broadband-slow",
        "answer",
        "network-broadband",
        "public",
        (),
        ("quality.broadband",),
        (),
        "宽带网速慢的原因和处理",
        "Slow broadband: causes and fixes",
        ("网速", "宽带", "wifi"),
        "网速慢常见原因：无线信号弱、连接设备多、路由器老化、晚高峰拥堵。请用网线连接电脑测速；"
        "测速低于签约带宽的 80% 时可申请上门检测。",
        "Common causes: weak Wi-Fi, many devices, an old router, evening peak. Test with a cable; "
        "below 80% of your plan's speed, ask for a technician visit.",
    ),
    (
        "faq-mobile-signal",
        "answer",
        "network-mobile",
        "public",
        (),
        ("quality.network",),
        ("repair",),
        "手机信号差、打不通电话怎么办",
        "Poor mobile signal or calls fail",
        ("信号", "手机"),
        "请先重启手机、检查是否开启飞行模式、更换位置测试。若某一地点长期信号差，请报告详细地址，"
        "我们会安排网络优化，处理进度会短信告知。",
        "Restart the phone, check airplane mode, try another spot. If one place always has a poor "
        "signal, report the address; we schedule network optimisation and text you progress.",
    ),
    (
        "faq-overcharge",
        "procedure",
        "billing-overcharge",
        "public",
        (),
        ("billing.overcharge",),
        ("refund", "explanation"),
        "话费扣费有疑问如何核查",
        "Questioning a charge on your bill",
        ("扣费", "话费", "账单"),
        "可在 App 查询详单，核对增值业务和流量费用。确认是误扣的，我们会在核实后 3 个工作日内退还。"
        "对不清楚的扣费，客服会逐项解释。",
        "Check the itemised bill in the app for value-added services and data charges. A "
        "confirmed wrong charge is refunded within 3 working days after checking.",
    ),
    (
        "faq-refund-time",
        "answer",
        "billing-overcharge",
        "public",
        (),
        ("billing",),
        ("refund",),
        "退费多久到账",
        "When will my refund arrive",
        ("退费", "到账"),
        "退费核实通过后 3 个工作日内原路退回；银行卡退款到账时间以银行为准。",
        "After checking, a refund goes back the way you paid within 3 working days; bank timing "
        "may add a little.",
    ),
    (
        "faq-reconnect",
        "procedure",
        "billing",
        "public",
        (),
        ("billing",),
        (),
        "欠费停机后如何复机",
        "Reconnecting after suspension for arrears",
        ("复机", "停机", "缴费"),
        "缴清欠费后系统会自动复机，一般在 30 分钟内恢复通话；超过 2 小时未恢复请联系客服人工复机。",
        "Pay the arrears and service comes back automatically, usually within 30 minutes; after "
        "2 hours call us to reconnect by hand.",
    ),
    (
        "faq-plan-change",
        "answer",
        "billing-plan",
        "public",
        (),
        ("billing.plan",),
        (),
        "套餐变更什么时候生效",
        "When does a plan change take effect",
        ("套餐", "变更", "次月"),
        "套餐变更次月 1 日生效，当月仍按原套餐计费。合约期内的套餐变更需先确认合约条款。",
        "A plan change takes effect on the 1st of next month; this month is billed on the old "
        "plan. Check your contract first if you are within a contract term.",
    ),
    (
        "faq-number-porting",
        "procedure",
        "service",
        "public",
        (),
        (),
        (),
        "如何办理携号转网",
        "How to port your number to another operator",
        ("携号转网",),
        "发送短信 CXXZ#姓名#证件号码 查询是否符合条件；符合条件后到营业厅或线上办理，"
        "转网期间通信不中断。",
        "Text CXXZ#name#ID to check eligibility, then apply in a shop or online; service is not "
        "interrupted while porting.",
    ),
    (
        "faq-callback",
        "answer",
        "access",
        "public",
        (),
        ("callback",),
        ("callback",),
        "投诉后多久回电",
        "When will you call me back after a complaint",
        ("回电", "投诉"),
        "我们在 2 个工作小时内回电；如需其他部门处理，会在 5 个工作日内答复，期间保持联系。",
        "We call back within 2 business hours; if another department must act, you get an answer "
        "within 5 working days and we keep in touch meanwhile.",
    ),
    (
        "faq-data-overuse",
        "answer",
        "billing-plan",
        "public",
        (),
        ("billing",),
        (),
        "流量超出套餐后怎么收费",
        "Charges for data beyond your plan",
        ("流量", "流量包"),
        "超出套餐的流量按套餐外资费计费，可订购流量包更划算；到达提醒阈值时会短信提醒。",
        "Data beyond your plan is billed at the out-of-plan rate; a data pack is cheaper. You get "
        "a text when you reach the alert threshold.",
    ),
    (
        "faq-broadband-install",
        "procedure",
        "network-broadband",
        "public",
        (),
        ("quality.broadband",),
        ("redelivery",),
        "宽带新装和移机怎么办理",
        "New broadband line or moving house",
        ("装机", "移机"),
        "新装或移机可在 App 或营业厅预约，装维人员 2 个工作日内联系上门，具体以资源情况为准。",
        "Book a new line or a move in the app or a shop; a technician calls within 2 working days "
        "to arrange the visit, subject to network resources.",
    ),
    (
        "faq-invoice",
        "answer",
        "billing",
        "public",
        (),
        ("billing",),
        (),
        "如何开具发票和下载电子账单",
        "Invoices and e-bills",
        ("发票", "账单"),
        "在 App “费用-发票” 中可开具电子发票，电子账单每月 5 日后可下载。",
        "Issue an e-invoice in the app under Charges > Invoices; the e-bill is ready after the 5th.",
    ),
    (
        "faq-password",
        "procedure",
        "service",
        "public",
        (),
        (),
        (),
        "服务密码忘记了怎么重置",
        "Resetting a forgotten service password",
        ("密码",),
        "本人携带身份证到营业厅重置，或在 App 通过人脸识别重置服务密码。",
        "Reset it in a shop with your ID card, or in the app with face verification.",
    ),
    (
        "faq-roaming",
        "answer",
        "service",
        "public",
        (),
        (),
        (),
        "出国漫游怎么开通",
        "Using your phone abroad",
        ("漫游",),
        "出境前在 App 开通国际漫游并订购目的地流量包，避免高额漫游费。",
        "Turn on international roaming in the app before you travel and buy a destination data "
        "pack to avoid high roaming charges.",
    ),
    (
        "faq-close-account",
        "procedure",
        "service",
        "public",
        (),
        (),
        (),
        "如何销户",
        "Closing your account",
        ("销户",),
        "结清费用后，本人携带身份证到营业厅办理销户；宽带销户需归还光猫。",
        "Settle all charges, then close the account in a shop with your ID; return the modem for "
        "broadband.",
    ),
    (
        "faq-vip-perks",
        "answer",
        "standards",
        "public",
        ("gold", "diamond"),
        ("promise",),
        ("repair",),
        "VIP 专属客户经理与优先抢修",
        "VIP dedicated manager and priority repair",
        ("VIP", "专属客户经理", "优先抢修"),
        "金卡及以上客户享有专属客户经理和优先抢修：故障 12 小时内处理。",
        "Gold and diamond customers have a dedicated manager and priority repair: faults handled "
        "within 12 hours.",
    ),
)

POLICY_EFFECTIVE = date(2026, 1, 1)
