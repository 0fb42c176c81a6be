"""Shipped, editable default playbooks, one per complaint level and per complainer
type, with where each rule comes from. Filled by the data migration and after a flush
(``post_migrate``); only an empty playbook table is filled, so edits are never overwritten.

Sources:

* [seed-003] 如何降低客户的期望值: 本地抱怨 "迅速响应，快速处理，尽量解决";
  越级投诉 "迅速响应，保持联系，避免升级"; 工信部申诉 "迅速响应，保持联系，规范处理",
  where 规范处理 means "按部就班、按时限、流程要求规范解决、
  不额外提高客户所使用电信产品的服务标准、合理管理客户期望值"; "静静地聆听有助于化解怒气".
* [seed-001] 关键时刻如何确认客户满意: 消极者 "绝对不会有下次交易…告诫亲朋好友";
  积极者 "希望企业可以接受意见…值得企业关注"; 发怒者 "情绪容易冲动…倾向于向第三方抱怨";
  发飙者 "顾客恐怖主义" (the Starbucks case: a broken promise, the 《华尔街日报》, an 800 number).
* 电信用户申诉处理办法 (MIIT), see ``yuqi.domain.regulator``: the appeal's time bar, acceptance in 5
  working days, reply in 30 days.
* Cadences (24 / 24 / 12 / 8 business hours) and the 3-working-day retention callback are Yuqi
  defaults, editable in the admin.
"""

from __future__ import annotations

_S3 = "[seed-003] 如何降低客户的期望值"
_S1 = "[seed-001] 关键时刻如何确认客户满意"

# code, scope, level code or complainer type, (zh, en) name, (zh, en) principle, (zh, en) tell,
# contact hours, senior owner, PR/legal, by the book, retention days, source, steps
# (code, zh, en)
DEFAULT_PLAYBOOKS: tuple[dict, ...] = (
    {
        "code": "level-local",
        "scope": "level",
        "key": "local",
        "name": ("本地抱怨处理", "Local complaint"),
        "principle": ("迅速响应，快速处理，尽量解决", "Respond fast, handle quickly, resolve"),
        "tell": ("", ""),
        "contact": None,
        "source": f"{_S3}: 本地抱怨：迅速响应，快速处理，尽量解决",
        "steps": (
            ("respond", "迅速响应：首次联系客户", "Respond fast: first contact with the customer"),
            ("handle", "快速处理：查明原因", "Handle quickly: find the cause"),
            ("resolve", "尽量解决：提出方案并达成协议", "Resolve: propose and agree a solution"),
        ),
    },
    {
        "code": "level-over-level",
        "scope": "level",
        "key": "over_level",
        "name": ("越级投诉处理", "Over-level complaint"),
        "principle": (
            "迅速响应，保持联系，避免升级",
            "Respond fast, keep contact, avoid further escalation",
        ),
        "tell": ("班长", "The team supervisor"),
        "contact": 24,
        "by_the_book": True,
        "source": f"{_S3}: 越级投诉：迅速响应，保持联系，避免升级; 不额外提高服务标准 (规范处理)",
        "steps": (
            ("respond", "迅速响应：当日联系客户", "Respond fast: contact the customer today"),
            ("tell-supervisor", "告知班长", "Tell the team supervisor"),
            (
                "keep-contact",
                "保持联系：按联系时钟定期联系客户",
                "Keep contact: speak to the customer before the contact clock lapses",
            ),
            (
                "standard",
                "告知服务标准，不额外提高服务标准",
                "State the service standard; do not raise it for this customer",
            ),
            (
                "avoid-escalation",
                "避免升级：确认客户接受方案",
                "Avoid escalation: confirm acceptance",
            ),
        ),
    },
    {
        "code": "level-regulator",
        "scope": "level",
        "key": "regulator",
        "name": ("监管申诉处理", "Regulator appeal"),
        "principle": (
            "迅速响应，保持联系，规范处理",
            "Respond fast, keep contact, handle by the book",
        ),
        "tell": ("班长、质量管理", "The team supervisor and quality management"),
        "contact": 24,
        "by_the_book": True,
        "source": (
            f"{_S3}: 工信部申诉：迅速响应，保持联系，规范处理 (按部就班、按时限、流程要求规范解决、"
            "不额外提高…服务标准); 电信用户申诉处理办法 (time bar, 5 working days, 30 days)"
        ),
        "steps": (
            (
                "record-appeal",
                "登记申诉单号、受理机构和日期",
                "Record the appeal number, body and dates",
            ),
            (
                "time-bar",
                "核对申诉时效（计费5个月，其他2年）",
                "Check the time bar (5 months / 2 years)",
            ),
            ("respond", "迅速响应：当日联系客户", "Respond fast: contact the customer today"),
            (
                "keep-contact",
                "保持联系：按联系时钟定期联系客户",
                "Keep contact: speak to the customer before the contact clock lapses",
            ),
            (
                "by-the-book",
                "规范处理：按时限和流程，不额外提高服务标准",
                "By the book: on time, per process, no raised service standard",
            ),
            ("pack", "整理材料包报送监管机构", "Send the document pack to the regulator"),
        ),
    },
    {
        "code": "type-passive",
        "scope": "type",
        "key": "passive",
        "name": ("消极者", "Passive complainer"),
        "principle": (
            "不会争论，但不会再来，还会告诫亲朋好友：主动挽留",
            "Will not argue, but will not come back and warns friends: win them back",
        ),
        "tell": ("", ""),
        "retention": 3,
        "source": f"{_S1}: 消极者…绝对不会有下次交易，他们甚至会告诫亲朋好友",
        "steps": (
            ("thank", "感谢客户反映并主动致歉", "Thank the customer and apologise first"),
            (
                "ask",
                "主动询问怎样才能让客户满意",
                "Ask outright what would make it right (they will not say so)",
            ),
            ("confirm", "结案前确认客户满意", "Confirm satisfaction before closing"),
            ("retention", "结案后挽留回访", "Retention callback after closing"),
        ),
    },
    {
        "code": "type-voicer",
        "scope": "type",
        "key": "voicer",
        "name": ("积极者", "Voicer"),
        "principle": (
            "希望企业接受意见、改掉弊端：值得企业关注",
            "Wants the company to listen and improve: deserves attention",
        ),
        "tell": ("", ""),
        "source": f"{_S1}: 积极者…希望企业可以接受意见，改掉弊端…是值得企业关注的顾客类型",
        "steps": (
            ("thank", "感谢客户的意见", "Thank the customer for the feedback"),
            ("improve", "把意见转给改进负责人", "Pass the point to whoever owns the improvement"),
            ("tell-change", "告诉客户会有什么改进", "Tell the customer what will change"),
        ),
    },
    {
        "code": "type-irate",
        "scope": "type",
        "key": "irate",
        "name": ("发怒者", "Irate complainer"),
        "principle": (
            "情绪激烈，倾向于向第三方抱怨：先聆听，避免争辩",
            "Angry, goes to third parties: listen first, never argue",
        ),
        "tell": ("班长", "The team supervisor"),
        "contact": 12,
        "source": f"{_S1}: 发怒者…倾向于向第三方抱怨; {_S3}: 静静地聆听有助于化解怒气",
        "steps": (
            ("listen", "先聆听，让客户说完", "Listen first; let the customer finish"),
            ("no-argue", "不争辩，关注解决问题", "Do not argue; focus on solving the problem"),
            ("tell-supervisor", "告知班长", "Tell the team supervisor"),
            ("keep-contact", "按联系时钟定期联系客户", "Keep contact on the contact clock"),
        ),
    },
    {
        "code": "type-activist",
        "scope": "type",
        "key": "activist",
        "name": ("发飙者", "Activist"),
        "principle": (
            "顾客恐怖主义：高层负责，兑现承诺，通知公关和法务",
            "Customer terrorism: a senior owner, promises kept, PR and legal told",
        ),
        "tell": ("班长、公关、法务", "Supervisor, PR and legal"),
        "contact": 8,
        "senior": True,
        "pr": True,
        "source": (
            f"{_S1}: 发飙者也叫做“顾客恐怖主义” (星巴克案例：承诺未兑现、《华尔街日报》、800电话)"
        ),
        "steps": (
            ("senior-owner", "指定高级负责人", "Name a senior owner"),
            ("pr-legal", "通知公关和法务", "Notify PR and legal"),
            ("keep-promises", "兑现已作出的每一个承诺", "Keep every promise already made"),
            ("one-voice", "统一对外口径", "Speak with one voice"),
            ("keep-contact", "按联系时钟定期联系客户", "Keep contact on the contact clock"),
        ),
    },
)


def ensure_playbooks(Playbook, PlaybookStep, ComplaintLevel) -> int:
    """Fill an empty playbook table with the defaults; returns how many were created."""
    if Playbook.objects.exists():
        return 0
    created = 0
    for row in DEFAULT_PLAYBOOKS:
        level = None
        if row["scope"] == "level":
            level = ComplaintLevel.objects.filter(code=row["key"]).first()
            if level is None:
                continue
        book = Playbook.objects.create(
            code=row["code"],
            scope=row["scope"],
            level=level,
            complainer_type=row["key"] if row["scope"] == "type" else None,
            name=row["name"][0],
            name_en=row["name"][1],
            principle=row["principle"][0],
            principle_en=row["principle"][1],
            tell=row["tell"][0],
            tell_en=row["tell"][1],
            contact_every_hours=row.get("contact"),
            requires_senior_owner=row.get("senior", False),
            pr_legal_notice=row.get("pr", False),
            by_the_book=row.get("by_the_book", False),
            retention_callback_days=row.get("retention"),
            source=row["source"],
        )
        for position, (code, text, text_en) in enumerate(row["steps"], start=1):
            PlaybookStep.objects.create(
                playbook=book, code=code, position=position, text=text, text_en=text_en
            )
        created += 1
    return created
