"""``yuqi text evaluate`` on small temporary files (UTF-8, GBK, XLSX)."""

from __future__ import annotations

import json
import random

import pytest

from yuqi.cli import main

TEMPLATES = {
    "billing": ["话费莫名多扣了{n}元", "套餐资费乱收费{n}元", "账单里有{n}元不认识的扣费"],
    "quality": ["宽带断网{n}天了", "信号差，网速慢了{n}天", "光猫坏了{n}天没网"],
}


def rows(count: int = 12) -> list[tuple[str, str]]:
    rng = random.Random(2)
    return [
        (rng.choice(templates).format(n=rng.randint(1, 99)), label)
        for label, templates in TEMPLATES.items()
        for _ in range(count)
    ]


def write_csv(path, encoding: str) -> None:
    lines = ["内容,类别"] + [f"{text},{label}" for text, label in rows()]
    path.write_bytes("\n".join(lines).encode(encoding))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_evaluate_prints_one_json_object(tmp_path, capsys, encoding):
    path = tmp_path / "labelled.csv"
    write_csv(path, encoding)
    code = main(
        [
            "text",
            "evaluate",
            str(path),
            "--text-col",
            "内容",
            "--label-col",
            "类别",
            "--folds",
            "3",
            "--json",
        ]
    )
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) >= {"accuracy", "macro_f1", "per_label", "n"}
    assert result["n"] == 24
    assert set(result["per_label"]) == {"billing", "quality"}
    assert set(result["per_label"]["billing"]) >= {"precision", "recall", "f1", "support"}


def test_evaluate_prints_a_table(tmp_path, capsys):
    path = tmp_path / "labelled.csv"
    write_csv(path, "utf-8")
    assert (
        main(
            [
                "text",
                "evaluate",
                str(path),
                "--text-col",
                "内容",
                "--label-col",
                "类别",
                "--folds",
                "3",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "macro-F1" in out
    assert "billing" in out


def test_evaluate_reads_xlsx(tmp_path, capsys):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["text", "label"])
    for text, label in rows():
        sheet.append([text, label])
    path = tmp_path / "labelled.xlsx"
    workbook.save(path)
    assert (
        main(
            [
                "text",
                "evaluate",
                str(path),
                "--text-col",
                "text",
                "--label-col",
                "label",
                "--folds",
                "2",
                "--json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["n"] == 24


def test_a_missing_column_is_named(tmp_path, capsys):
    path = tmp_path / "labelled.csv"
    write_csv(path, "utf-8")
    code = main(["text", "evaluate", str(path), "--text-col", "正文", "--label-col", "类别"])
    assert code == 2
    err = capsys.readouterr().err
    assert "'正文'" in err
    assert "内容" in err


def test_an_unreadable_file_exits_2(tmp_path, capsys):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\x00\x01\x02\xff\xfe\x00")
    assert main(["text", "evaluate", str(path), "--text-col", "a", "--label-col", "b"]) == 2
    assert "error" in capsys.readouterr().err


def test_a_missing_file_exits_2(tmp_path, capsys):
    code = main(
        ["text", "evaluate", str(tmp_path / "nope.csv"), "--text-col", "a", "--label-col", "b"]
    )
    assert code == 2


@pytest.mark.parametrize("features", ["chars", "jieba"])
def test_evaluate_compares_feature_sets(tmp_path, capsys, features):
    path = tmp_path / "labelled.csv"
    write_csv(path, "utf-8")
    arguments = ["text", "evaluate", str(path), "--text-col", "内容", "--label-col", "类别"]
    assert main([*arguments, "--features", features, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["n"] == 24


def test_evaluate_refuses_an_unknown_feature_set(tmp_path, capsys):
    path = tmp_path / "labelled.csv"
    write_csv(path, "utf-8")
    arguments = ["text", "evaluate", str(path), "--text-col", "内容", "--label-col", "类别"]
    with pytest.raises(SystemExit):
        main([*arguments, "--features", "bert"])
    assert "invalid choice" in capsys.readouterr().err


def test_a_zip_bomb_is_refused_before_openpyxl_expands_it(tmp_path, capsys, monkeypatch):
    """The command sniffs with ``yuqi.ingest.sniff``, so the workbook limits of ``yuqi import``
    apply: a 50 MB shared-strings part in a small file is refused unopened."""
    import openpyxl

    from tests.ingest import bombs

    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    path = bombs.zip_bomb(tmp_path / "bomb.xlsx", megabytes=50)
    code = main(["text", "evaluate", str(path), "--text-col", "a", "--label-col", "b"])
    assert code == 2
    err = capsys.readouterr().err
    assert "error: bomb.xlsx: The workbook's part xl/sharedStrings.xml expands" in err
    assert "(YUQI_XLSX_MAX_RATIO): it may be a ZIP bomb." in err


def test_refusals_are_worded_as_for_yuqi_import(tmp_path, capsys):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert main(["text", "evaluate", str(path), "--text-col", "a", "--label-col", "b"]) == 2
    assert "The file is an Excel 97-2003 workbook (.xls)" in capsys.readouterr().err


def test_a_semicolon_file_is_split_as_yuqi_import_splits_it(tmp_path, capsys):
    path = tmp_path / "labelled.csv"
    lines = ["内容;类别"] + [f"{text};{label}" for text, label in rows()]
    path.write_bytes("\n".join(lines).encode("gbk"))
    arguments = ["text", "evaluate", str(path), "--text-col", "内容", "--label-col", "类别"]
    assert main([*arguments, "--folds", "3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["n"] == 24


def test_the_refusals_are_worded_without_django_set_up(tmp_path):
    """``yuqi text evaluate`` runs without settings: the words of ``yuqi.ingest``'s problems
    must load and render there too (Django's ``gettext_noop`` asks the settings)."""
    import os
    import subprocess
    import sys

    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    code = (
        "import sys; from yuqi.textmining.cli import FileProblem, read_labelled\n"
        "try:\n    read_labelled(__import__('pathlib').Path(sys.argv[1]), 'a', 'b')\n"
        "except FileProblem as exc:\n    print(exc)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=env
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("The file is an Excel 97-2003 workbook (.xls)")
