"""The default column maps, and docs/import-columns.md in step with them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from yuqi.ingest.columns import ColumnMap, header_key
from yuqi.ingest.maps import CHANNEL_LABELS, CUSTOMER_COLUMNS, DIRECTION_LABELS, INTERACTION_COLUMNS
from yuqi.knowledge.importing import COLUMNS as KNOWLEDGE_COLUMNS

DOC = Path(__file__).resolve().parents[2] / "docs" / "import-columns.md"


def doc_block(kind: str, name: str) -> list[list[str]]:
    """The table rows between ``<!-- kind:name -->`` and ``<!-- /kind -->``, as cells."""
    text = DOC.read_text(encoding="utf-8")
    found = re.search(rf"<!-- {kind}:{name} -->\n(.*?)<!-- /{kind} -->", text, re.DOTALL)
    assert found, f"docs/import-columns.md has no <!-- {kind}:{name} --> block"
    lines = found.group(1).strip().splitlines()[2:]  # past the heading and --- rows
    return [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines]


def ticked(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


@pytest.mark.parametrize(
    "column_map", [CUSTOMER_COLUMNS, INTERACTION_COLUMNS, KNOWLEDGE_COLUMNS], ids=lambda m: m.name
)
def test_the_doc_lists_every_field_and_alias_of_the_code(column_map: ColumnMap):
    documented = {}
    for field, required, headers in doc_block("columns", column_map.name):
        documented[ticked(field)[0]] = (required, ticked(headers))
    expected = {
        spec.name: ("yes" if spec.required else "no", list(spec.aliases))
        for spec in column_map.fields.values()
    }
    for name, row in expected.items():
        assert documented.get(name) == row, (
            f"docs/import-columns.md, {column_map.name}: write the row as\n"
            f"| `{name}` | {row[0]} | {', '.join(f'`{a}`' for a in row[1])} |"
        )
    assert list(documented) == list(expected)


@pytest.mark.parametrize(
    ("name", "labels"), [("channel", CHANNEL_LABELS), ("direction", DIRECTION_LABELS)]
)
def test_the_doc_lists_every_enumeration_label(name, labels):
    documented = {ticked(code)[0]: ticked(accepted) for code, accepted in doc_block("labels", name)}
    expected: dict[str, list[str]] = {}
    for label, code in labels.items():
        expected.setdefault(code, []).append(label)
    assert documented == expected


def test_required_fields_are_as_the_issue_asks():
    assert [s.name for s in CUSTOMER_COLUMNS.required] == ["external_id", "name"]
    assert [s.name for s in INTERACTION_COLUMNS.required] == [
        "external_id",
        "channel",
        "arrived_at",
    ]


def test_the_issues_aliases_are_all_there():
    """The headers the issue names; more are welcome, none of these may go."""
    named = [
        (
            CUSTOMER_COLUMNS,
            {
                "external_id": "客户编号 客户ID 客户号",
                "name": "客户姓名 姓名",
                "phone": "手机号 电话 联系电话",
                "email": "邮箱 电子邮件",
                "id_number": "身份证号 证件号码",
                "region": "地区 省份 归属地 城市",
                "tier": "客户等级 星级 会员等级 VIP等级",
                "segment": "客户分群 价值分层",
                "monthly_value": "月均消费 ARPU 月消费",
                "joined_on": "入网时间 注册日期 开户日期",
                "status": "状态 客户状态",
            },
        ),
        (
            INTERACTION_COLUMNS,
            {
                "source": "来源系统",
                "external_id": "通话ID 流水号 呼叫ID 工单号 call_id",
                "channel": "渠道 接入渠道 媒体类型",
                "direction": "呼叫方向 呼入呼出",
                "queue": "技能组 队列 业务线",
                "team": "班组 团队",
                "agent": "座席工号 工号 坐席 座席",
                "customer_external_id": "客户编号 客户ID",
                "caller_number": "主叫号码 来电号码",
                "arrived_at": "进线时间 来电时间 呼入时间 开始时间",
                "answered_at": "应答时间 接通时间",
                "ended_at": "结束时间 挂机时间",
                "abandoned": "是否放弃 放弃",
                "wait_seconds": "等待时长 排队时长",
                "talk_seconds": "通话时长",
                "wrap_seconds": "话后处理时长 整理时长",
                "hold_seconds": "保持时长",
                "transferred": "是否转接 转接",
                "first_contact_resolved": "一次解决 首次解决",
                "category": "业务类型 来电分类 服务请求类型 处理结果",
                "notes": "备注 小结",
            },
        ),
    ]
    for column_map, fields in named:
        assert list(column_map.fields) == list(fields)
        for name, headers in fields.items():
            for header in headers.split():
                assert column_map.field_for(header) == name, (column_map.name, header)


def test_no_alias_is_written_twice_in_a_field():
    for column_map in (CUSTOMER_COLUMNS, INTERACTION_COLUMNS):
        for spec in column_map.fields.values():
            keys = [header_key(header) for header in spec.headers]
            assert len(keys) == len(set(keys)), spec.name
