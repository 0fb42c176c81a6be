"""The default column maps of the two importers, and the labels of their enumerations.

Every alias here is listed in ``docs/import-columns.md``; a test keeps the two in step.
The aliases come from the headers of common Chinese ACD/CTI and CRM exports (话务明细,
通话记录, 工单, 客户资料) and their English counterparts.
"""

from __future__ import annotations

from yuqi.domain import contacts
from yuqi.ingest.columns import ColumnMap, FieldSpec

__all__ = ["CHANNEL_LABELS", "CUSTOMER_COLUMNS", "DIRECTION_LABELS", "INTERACTION_COLUMNS"]


def _map(name: str, *specs: FieldSpec) -> ColumnMap:
    return ColumnMap({spec.name: spec for spec in specs}, name=name)


CUSTOMER_COLUMNS = _map(
    "customers",
    FieldSpec(
        "external_id",
        (
            "customer_id", "customer_no", "customer_code", "cust_id",
            "客户编号", "客户ID", "客户号", "客户编码", "客户代码", "用户编号", "用户ID", "会员号",
            "会员编号",
        ),
        required=True,
    ),
    FieldSpec(
        "name",
        ("customer_name", "full_name", "客户姓名", "姓名", "客户名称", "用户姓名", "户名"),
        required=True,
    ),
    FieldSpec(
        "phone",
        (
            "mobile", "phone_number", "mobile_number", "telephone", "tel", "cellphone",
            "手机号", "电话", "联系电话", "手机", "手机号码", "电话号码", "移动电话", "联系方式",
            "用户号码",
        ),
    ),
    FieldSpec(
        "email", ("mail", "email_address", "邮箱", "电子邮件", "电子邮箱", "邮箱地址")
    ),
    FieldSpec(
        "id_number",
        (
            "id_card", "id_no", "national_id",
            "身份证号", "证件号码", "身份证号码", "身份证", "证件号",
        ),
    ),
    FieldSpec(
        "region",
        (
            "province", "city", "area",
            "地区", "省份", "归属地", "城市", "区域", "地市", "号码归属地",
        ),
    ),
    FieldSpec(
        "tier",
        (
            "level", "vip_level", "customer_level", "grade",
            "客户等级", "星级", "会员等级", "VIP等级", "客户级别", "用户星级", "等级",
        ),
    ),
    FieldSpec(
        "segment",
        (
            "customer_segment", "value_segment",
            "客户分群", "价值分层", "客户分层", "价值分群", "客户细分",
        ),
    ),
    FieldSpec(
        "monthly_value",
        (
            "ARPU", "monthly_spend", "avg_monthly_spend",
            "月均消费", "月消费", "月均收入", "月消费额",
        ),
    ),
    FieldSpec(
        "joined_on",
        (
            "join_date", "joined_at", "signup_date", "registration_date", "open_date",
            "入网时间", "注册日期", "开户日期", "入网日期", "注册时间", "开户时间",
        ),
    ),
    FieldSpec(
        "status",
        ("customer_status", "account_status", "状态", "客户状态", "用户状态", "账户状态"),
    ),
)  # fmt: skip

INTERACTION_COLUMNS = _map(
    "interactions",
    FieldSpec("source", ("source_system", "来源系统", "数据来源", "系统来源")),
    FieldSpec(
        "external_id",
        (
            "call_id", "interaction_id", "session_id", "contact_id", "record_id", "ticket_id",
            "通话ID", "流水号", "呼叫ID", "工单号", "通话流水号", "呼叫流水号", "通话编号",
            "会话ID", "工单编号", "记录编号",
        ),
        required=True,
    ),
    FieldSpec(
        "channel",
        ("media_type", "media", "渠道", "接入渠道", "媒体类型", "服务渠道", "接触渠道", "联络渠道"),
        required=True,
    ),
    FieldSpec(
        "direction",
        ("call_direction", "call_type", "呼叫方向", "呼入呼出", "呼叫类型", "通话方向"),
    ),
    FieldSpec("queue", ("skill_group", "skill", "split", "技能组", "队列", "业务线", "技能队列")),
    FieldSpec("team", ("group", "team_name", "班组", "团队", "小组", "组别")),
    FieldSpec(
        "agent",
        (
            "agent_id", "agent_no", "operator", "座席工号", "工号", "坐席", "座席",
            "坐席工号", "客服工号", "话务员",
        ),
    ),
    FieldSpec(
        "customer_external_id",
        (
            "customer_id", "customer_no",
            "客户编号", "客户ID", "客户号", "用户编号", "用户ID", "会员号",
        ),
    ),
    FieldSpec(
        "caller_number",
        (
            "caller", "ani", "calling_number", "from_number",
            "主叫号码", "来电号码", "主叫", "客户号码", "客户电话", "呼入号码",
        ),
    ),
    FieldSpec(
        "arrived_at",
        (
            "arrival_time", "start_time", "call_start", "offered_at", "enqueue_time",
            "进线时间", "来电时间", "呼入时间", "开始时间", "进队时间", "排队开始时间", "呼叫时间",
        ),
        required=True,
    ),
    FieldSpec(
        "answered_at",
        ("answer_time", "connect_time", "应答时间", "接通时间", "接听时间", "座席应答时间"),
    ),
    FieldSpec(
        "ended_at",
        (
            "end_time", "hangup_time", "release_time",
            "结束时间", "挂机时间", "挂断时间", "通话结束时间",
        ),
    ),
    FieldSpec(
        "abandoned",
        ("is_abandoned", "abandon", "是否放弃", "放弃", "是否呼损", "呼损"),
    ),
    FieldSpec(
        "wait_seconds",
        ("wait_time", "queue_time", "wait", "等待时长", "排队时长", "等待时间", "排队时间"),
    ),
    FieldSpec(
        "talk_seconds",
        ("talk_time", "call_duration", "duration", "通话时长", "通话时间", "谈话时长"),
    ),
    FieldSpec(
        "wrap_seconds",
        (
            "wrap_time", "wrap_up_time", "acw", "after_call_work",
            "话后处理时长", "整理时长", "话后时长", "话后整理时长", "事后处理时长",
        ),
    ),
    FieldSpec(
        "hold_seconds",
        ("hold_time", "hold", "on_hold", "保持时长", "保持时间", "通话保持时长", "暂停时长"),
    ),
    FieldSpec("transferred", ("is_transferred", "transfer", "是否转接", "转接", "是否转移")),
    FieldSpec(
        "first_contact_resolved",
        ("fcr", "first_call_resolution", "一次解决", "首次解决", "是否一次解决", "首问解决"),
    ),
    FieldSpec(
        "category",
        (
            "disposition", "call_reason", "service_type", "业务类型", "来电分类",
            "服务请求类型", "处理结果", "来电原因", "诉求类型", "业务分类", "服务类型",
        ),
    ),
    FieldSpec(
        "notes",
        (
            "note", "remark", "remarks", "comment", "comments", "summary",
            "备注", "小结", "通话小结", "服务小结",
        ),
    ),
)  # fmt: skip

# Labels for parse_choice: the contact vocabulary's own maps (``yuqi.domain.contacts``), whose
# codes are ``interactions.choices``'s values (a test keeps them equal).
CHANNEL_LABELS = contacts.CHANNEL_LABELS
DIRECTION_LABELS = contacts.DIRECTION_LABELS
