"""``yuqi knowledge import`` (CSV, XLSX, Markdown folder; duplicate titles versioned) and
``yuqi knowledge search --json``."""

from __future__ import annotations

import argparse
import io
import json

import pytest
from openpyxl import Workbook

from yuqi.knowledge.cli import run_import, run_search
from yuqi.knowledge.models import Article

pytestmark = pytest.mark.django_db


def _import(path, publish=True) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_import(argparse.Namespace(path=str(path), publish=publish), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_csv_with_duplicate_titles_makes_versions_not_duplicates(tmp_path):
    path = tmp_path / "kb.csv"
    path.write_text(
        "标题,正文,分类,标签,类型,受众\n"
        "积分怎么兑换,登录App兑换,服务,积分 兑换,问答,公开\n"
        "积分怎么兑换,登录App或营业厅兑换,服务,积分,问答,公开\n"
        "国际漫游资费,按目的地计费,服务,漫游,answer,internal\n",
        encoding="utf-8",
    )
    code, out, _ = _import(path)
    assert code == 0
    assert "created 2, new versions 1" in out
    article = Article.objects.get(latest_version__title="积分怎么兑换")
    assert article.versions.count() == 2
    assert article.published_version.body == "登录App或营业厅兑换"
    assert article.audience == "public"
    code, out, _ = _import(path)  # the same file again: same titles, no duplicates
    assert Article.objects.count() == 2
    assert "created 0" in out


def test_xlsx_import_and_bad_rows_are_reported(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["title", "body", "category", "tags", "kind", "audience"])
    sheet.append(["宽带报修", "拨打热线报修", "network", "宽带", "procedure", "public"])
    sheet.append(["坏类型", "正文", "", "", "魔法", "public"])
    sheet.append(["无正文", "", "", "", "answer", "public"])
    sheet.append(['=HYPERLINK("http://x")', "公式标题只是文字", "", "", "answer", "internal"])
    path = tmp_path / "kb.xlsx"
    book.save(path)
    code, out, err = _import(path, publish=False)
    assert code == 1
    assert "created 1" in out  # a formula cell has no text: that row is refused too
    assert "errors 3" in out
    assert "kind" in err
    assert "body" in err
    assert Article.objects.filter(status="draft").count() == 1


def test_a_policy_wording_is_imported_with_the_date_it_is_in_force_from(tmp_path):
    path = tmp_path / "kb.csv"
    path.write_text(
        "标题,正文,类型,生效日期,复核日期\n"
        "资费调整口径,自2027年1月1日起月租下调,口径,2027年1月1日,2027-06-30\n"
        "没有日期的口径,政策原文,口径,,\n"
        "日期写错的口径,政策原文,口径,2027-02-30,\n",
        encoding="utf-8",
    )
    code, out, err = _import(path)
    assert code == 1
    assert "created 1" in out
    assert "errors 2" in out
    assert "row 3" in err
    assert "effective_from" in err
    assert "row 4" in err
    assert "2027-02-30" in err
    article = Article.objects.get(latest_version__title="资费调整口径")
    assert (str(article.effective_from), str(article.review_by)) == ("2027-01-01", "2027-06-30")
    path.write_text("标题,正文,类型\n资费调整口径,自2027年1月1日起月租下调（修订）,口径\n")
    assert _import(path)[0] == 0  # a later file without the column keeps the date
    article.refresh_from_db()
    assert str(article.effective_from) == "2027-01-01"


def test_markdown_folder_with_front_matter_and_script(tmp_path):
    (tmp_path / "a.md").write_text(
        "---\ntitle: 复机怎么办理\ncategory: billing\ntags: 复机, 停机\nkind: procedure\n"
        "audience: public\n---\n缴清欠费后自动复机。\n\n<script>alert(1)</script>\n",
        encoding="utf-8",
    )
    (tmp_path / "b.md").write_text("没有前言的文章，标题取文件名。", encoding="utf-8")
    code, out, _ = _import(tmp_path)
    assert code == 0, out
    article = Article.objects.get(latest_version__title="复机怎么办理")
    assert article.kind == "procedure"
    assert article.published_version.tags == ["复机", "停机"]
    assert Article.objects.filter(latest_version__title="b").exists()
    from yuqi.knowledge.rendering import render_markdown

    assert "<script>" not in str(render_markdown(article.published_version.body))


def test_missing_file_is_exit_2(tmp_path):
    code, _, err = _import(tmp_path / "nope.csv")
    assert code == 2
    assert "no such file" in err


def _search(query: str, **kwargs) -> list[dict]:
    """``yuqi knowledge search`` in the default language (Chinese), whatever an earlier test in
    this process left active (a request in English leaves English active in its thread)."""
    from django.utils import translation

    out = io.StringIO()
    args = argparse.Namespace(query=query, limit=kwargs.get("limit", 10), json=True, public=False)
    with translation.override("zh-hans"):
        assert run_search(args, out=out) == 0
    return json.loads(out.getvalue())


def test_search_json_lists_id_title_score_best_first(seeded):
    rows = _search("停机了怎么复机", limit=3)
    assert 1 <= len(rows) <= 3
    assert set(rows[0]) == {"id", "title", "score"}
    assert rows[0]["title"] == "欠费停机后如何复机"
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    assert _search("") == []
    assert isinstance(_search("宽带" * 1000), list)


def test_a_manager_imports_articles_on_the_import_page_as_drafts_with_row_errors(
    as_user, manager, supervisor
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yuqi.imports.models import ImportRun
    from yuqi.imports.tasks import run_import

    assert "?kind=knowledge" not in as_user(supervisor).get("/knowledge/").content.decode()
    client = as_user(manager)
    assert "?kind=knowledge" in client.get("/knowledge/").content.decode()
    page = client.get("/imports/?kind=knowledge").content.decode()
    assert '<option value="knowledge" selected>' in page
    csv = (
        "标题,正文,类型,受众,生效日期\n"
        "携号转网怎么办,先查询资格再到营业厅办理,流程,公开,\n"
        "停机保号资费,每月5元,口径,内部,2027-13-01\n"
        "=cmd|' /C calc'!A0,公式不应被执行,魔法,公开,\n"
    ).encode("gb18030")
    upload = SimpleUploadedFile("知识库.csv", csv, content_type="text/csv")
    assert client.post("/imports/", {"kind": "knowledge", "file": upload}).status_code == 302
    run = ImportRun.objects.get(kind="knowledge")
    run_import.call(run.pk)
    run.refresh_from_db()
    assert (run.status, run.rows_created, run.rows_rejected) == ("done", 1, 2)
    article = Article.objects.get(latest_version__title="携号转网怎么办")
    assert (article.status, article.kind, article.audience) == ("draft", "procedure", "public")
    report = b"".join(client.get(f"/imports/{run.pk}/errors.csv").streaming_content)
    text = report.decode("utf-8-sig")
    assert "2027-13-01" in text  # the impossible date, named
    assert "魔法" in text  # the unknown kind, named
    assert "\n=cmd" not in text
    assert ",=cmd" not in text
