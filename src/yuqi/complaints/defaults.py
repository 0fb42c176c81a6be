"""Shipped, editable defaults: complaint levels, the category tree, root causes, SLA policies.

Used by the data migration and, after a flush (tests), by ``post_migrate``; each function only
fills an empty table, so a manager's edits are never overwritten.

SLA sources: the regulator level's resolution target is the operator's 15-day answer limit of
电信用户申诉处理办法 (MIIT), as published by the Hubei communications administration
(http://hubca.miit.gov.cn/gzcy/dxyhss/index.html), [miit-appeals-2016].
The other targets are Yuqi defaults shaped by [seed-003] (本地抱怨: respond fast and resolve;
越级投诉: respond fast, keep contact, avoid escalation; 工信部申诉: respond fast, keep contact,
handle by the book and its time limits). They are not legal advice; rules change.
"""

from __future__ import annotations

from decimal import Decimal

# code, Chinese, English, rank, is_regulator, handling principle ([seed-003])
DEFAULT_LEVELS: tuple[tuple[str, str, str, int, bool, str], ...] = (
    ("local", "本地抱怨", "Local complaint", 1, False, "迅速响应，快速处理，尽量解决"),
    ("over_level", "越级投诉", "Over-level complaint", 2, False, "迅速响应，保持联系，避免升级"),
    ("regulator", "监管申诉", "Regulator appeal", 3, True, "迅速响应，保持联系，规范处理"),
)

_YUQI = "Yuqi default, shaped by seeds/003 (如何降低客户的期望值): {principle}. Editable."
_MIIT = (
    "电信用户申诉处理办法 (MIIT), published by the Hubei communications administration "
    "(http://hubca.miit.gov.cn/gzcy/dxyhss/index.html): the operator answers a user's "
    "complaint within 15 days; otherwise (or if unhappy) the user may appeal to the regulator. "
    "For reference: the appeal body decides on acceptance within 5 working days and replies "
    "within 30 days of complete materials; appeals are time-barred after 5 months (billing) or "
    "2 years (other disputes). Not legal advice; check the current rules."
)

# level, clock, amount, unit, source
DEFAULT_POLICIES: tuple[tuple[str, str, int, str, str], ...] = (
    ("local", "first_response", 4, "business_hours", _YUQI.format(principle="迅速响应")),
    ("local", "resolution", 3, "working_days", _YUQI.format(principle="快速处理，尽量解决")),
    ("local", "callback", 2, "working_days", _YUQI.format(principle="回访确认 (seeds/001)")),
    ("over_level", "first_response", 2, "business_hours", _YUQI.format(principle="迅速响应")),
    ("over_level", "resolution", 2, "working_days", _YUQI.format(principle="避免升级")),
    ("over_level", "callback", 1, "working_days", _YUQI.format(principle="保持联系")),
    ("regulator", "first_response", 2, "business_hours", _YUQI.format(principle="迅速响应")),
    ("regulator", "resolution", 15, "calendar_days", _MIIT),
    ("regulator", "callback", 1, "working_days", _YUQI.format(principle="规范处理")),
)

# code, Chinese, English, children [(code, Chinese, English)]
DEFAULT_CATEGORIES: tuple[tuple[str, str, str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "network",
        "网络质量",
        "Network quality",
        (
            ("network-coverage", "信号覆盖", "Coverage"),
            ("network-speed", "上网速度", "Data speed"),
            ("network-voice", "通话质量", "Call quality"),
        ),
    ),
    (
        "billing",
        "资费账单",
        "Charges and bills",
        (
            ("billing-unexpected", "不明扣费", "Unexpected charges"),
            ("billing-plan", "套餐资费", "Plan pricing"),
            ("billing-dispute", "账单异议", "Bill dispute"),
        ),
    ),
    ("attitude", "服务态度", "Service attitude", ()),
    (
        "service",
        "业务办理",
        "Service requests",
        (
            ("service-change", "套餐变更", "Plan change"),
            ("service-suspend", "停复机", "Suspension and reconnection"),
            ("service-cancel", "销户", "Account closure"),
        ),
    ),
    (
        "marketing",
        "营销推广",
        "Marketing",
        (
            ("marketing-calls", "营销骚扰", "Unwanted sales calls"),
            ("marketing-misleading", "虚假宣传", "Misleading promotion"),
        ),
    ),
    ("porting", "携号转网", "Number porting", ()),
    (
        "privacy",
        "隐私安全",
        "Privacy and security",
        (
            ("privacy-leak", "信息泄露", "Data leak"),
            ("privacy-spam", "垃圾短信", "Spam messages"),
        ),
    ),
    ("broadband", "宽带装维", "Broadband installation and repair", ()),
    ("device", "终端设备", "Devices", ()),
)

DEFAULT_ROOT_CAUSES: tuple[tuple[str, str, str], ...] = (
    ("network-fault", "网络故障", "Network fault"),
    ("billing-error", "计费差错", "Billing error"),
    ("staff-conduct", "员工服务问题", "Staff conduct"),
    ("process-gap", "流程缺陷", "Process gap"),
    ("system-fault", "系统故障", "System fault"),
    ("insufficient-info", "告知不充分", "Customer not properly informed"),
    ("expectation-gap", "客户期望过高", "Expectation beyond the service standard"),
    ("third-party", "第三方原因", "Third party"),
    ("policy-limit", "政策限制", "Policy limit"),
    ("other", "其他", "Other"),
)


def ensure_defaults(level_model, category_model, root_cause_model, policy_model) -> None:
    """Fill each empty table with the defaults (models may be historical migration models)."""
    if not level_model.objects.exists():
        for code, name, name_en, rank, regulator, principle in DEFAULT_LEVELS:
            level_model.objects.create(
                code=code,
                name=name,
                name_en=name_en,
                rank=rank,
                is_regulator=regulator,
                handling=principle,
            )
        levels = {level.code: level for level in level_model.objects.all()}
        for level, clock, amount, unit, source in DEFAULT_POLICIES:
            policy_model.objects.create(
                level=levels[level],
                clock_kind=clock,
                target_amount=amount,
                target_unit=unit,
                warn_fraction=Decimal("0.75"),
                source=source,
            )
    if not category_model.objects.exists():
        for position, (code, name, name_en, children) in enumerate(DEFAULT_CATEGORIES):
            parent = category_model.objects.create(
                code=code, name=name, name_en=name_en, position=position
            )
            for child_position, (child, child_name, child_en) in enumerate(children):
                category_model.objects.create(
                    code=child,
                    name=child_name,
                    name_en=child_en,
                    parent=parent,
                    position=child_position,
                )
    if not root_cause_model.objects.exists():
        for position, (code, name, name_en) in enumerate(DEFAULT_ROOT_CAUSES):
            root_cause_model.objects.create(
                code=code, name=name, name_en=name_en, position=position
            )
