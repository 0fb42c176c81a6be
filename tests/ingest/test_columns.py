"""Header matching and the TOML overrides of column aliases."""

from __future__ import annotations

import pytest

from yuqi.ingest.columns import ColumnMap, FieldSpec, column_letter, header_key
from yuqi.ingest.errors import OverrideError
from yuqi.ingest.maps import CUSTOMER_COLUMNS, INTERACTION_COLUMNS


@pytest.mark.parametrize(
    "header",
    [
        "等待时长",
        " 等待时长 ",
        "等待时长(秒)",
        "等待时长（秒）",
        "等待时长【秒】",
        "等待时长 [s]",
        "等待时长(秒)(必填)",
        "*等待时长",
        "等待_时长",
        "等待-时长：",
    ],
)
def test_chinese_header_variants_are_one_header(header):
    assert header_key(header) == header_key("等待时长")
    assert INTERACTION_COLUMNS.field_for(header) == "wait_seconds"


@pytest.mark.parametrize(
    "header", ["call_id", "Call ID", "CALL-ID", "ｃａｌｌ＿ｉｄ", "Call Id (CTI)", "call.id"]
)
def test_english_header_variants_are_one_header(header):
    assert INTERACTION_COLUMNS.field_for(header) == "external_id"


def test_the_canonical_name_is_always_a_header():
    assert CUSTOMER_COLUMNS.field_for("Monthly Value") == "monthly_value"
    assert INTERACTION_COLUMNS.field_for("first_contact_resolved") == "first_contact_resolved"


def test_full_width_letters_in_chinese_headers():
    assert CUSTOMER_COLUMNS.field_for("客户ＩＤ") == "external_id"
    assert CUSTOMER_COLUMNS.field_for("ＶＩＰ等级") == "tier"


def test_a_header_that_is_only_brackets_is_kept():
    assert header_key("(秒)") == "(秒)"


def test_unknown_headers_map_to_nothing():
    assert CUSTOMER_COLUMNS.field_for("备用字段") is None


def test_match_reports_missing_duplicates_and_unknown():
    match = CUSTOMER_COLUMNS.match(["电话", "", "foo", "手机号", "客户编号"])
    assert dict(match.columns) == {0: "phone", 4: "external_id"}
    assert dict(match.duplicates) == {"phone": (0, 3)}
    assert match.unknown == (2,)
    assert [spec.name for spec in match.missing] == ["name"]
    assert not match.complete


def test_two_fields_may_not_share_a_header():
    with pytest.raises(ValueError, match="claimed by 'a' and 'b'"):
        ColumnMap({"a": FieldSpec("a", ("电话",)), "b": FieldSpec("b", ("电话 (主)",))})


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A", "Z", "AA", "AB", "ZZ", "AAA",
    ]  # fmt: skip


# --- overrides -----------------------------------------------------------------------------


def write_toml(tmp_path, text: str):
    path = tmp_path / "columns.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_overrides_add_aliases_from_the_importers_table(tmp_path):
    path = write_toml(
        tmp_path,
        '[customers]\nphone = ["联系电话", "手机串号"]\nname = "户主"\n\n'
        '[interactions]\nagent = ["员工号"]\n',
    )
    customers = CUSTOMER_COLUMNS.with_overrides(path)
    assert customers.field_for("手机串号") == "phone"
    assert customers.field_for("户主") == "name"
    assert customers.field_for("员工号") is None
    assert CUSTOMER_COLUMNS.field_for("手机串号") is None  # the default map is untouched
    assert INTERACTION_COLUMNS.with_overrides(path).field_for("员工号") == "agent"


def test_an_override_moves_a_header_from_another_field(tmp_path):
    path = write_toml(tmp_path, '[interactions]\nnotes = ["处理结果"]\n')
    columns = INTERACTION_COLUMNS.with_overrides(path)
    assert columns.field_for("处理结果") == "notes"
    assert "处理结果" not in columns.fields["category"].aliases


def test_an_override_cannot_take_another_fields_name(tmp_path):
    path = write_toml(tmp_path, '[customers]\nphone = ["email"]\n')
    with pytest.raises(OverrideError, match="“email” is the name of the field email"):
        CUSTOMER_COLUMNS.with_overrides(path)


def test_an_unknown_field_in_the_overrides_is_an_error(tmp_path):
    path = write_toml(tmp_path, '[customers]\nmobile = ["手机"]\n')
    with pytest.raises(OverrideError, match=r"Unknown field “mobile”.*external_id, name, phone"):
        CUSTOMER_COLUMNS.with_overrides(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[customers\nphone = 1", "not valid TOML"),
        ('phone = ["手机"]\n', r"outside a table \(phone\).*\[customers\]"),
        ("[customers]\nphone = 3\n", "phone must be a header or a list of headers"),
        ('[customers]\nphone = ["", "x"]\n', "phone must be a header or a list of headers"),
    ],
)
def test_bad_override_files_are_explained(tmp_path, text, message):
    with pytest.raises(OverrideError, match=message):
        CUSTOMER_COLUMNS.with_overrides(write_toml(tmp_path, text))


def test_a_missing_override_file_is_an_error(tmp_path):
    with pytest.raises(OverrideError, match="cannot be opened"):
        CUSTOMER_COLUMNS.with_overrides(tmp_path / "nope.toml")
