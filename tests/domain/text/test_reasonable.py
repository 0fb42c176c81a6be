"""The reasonable-complaint filter: spam, near-duplicates, handler's mark."""

from __future__ import annotations

import pytest

from yuqi.domain.text.reasonable import DuplicateIndex, screen, spam_reasons

REAL = "宽带断网三天了，一直没人上门维修，要求今天之内处理"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("好", "too_short"),
        ("啊啊啊啊啊啊啊", "repeated_chars"),
        ("asdfghjkl", "gibberish"),
        ("#$%^&*()!!@@", "gibberish"),
        ("加微信abc12345，兼职日赚500", "advertising"),
        ("详情见 http://example.com/x", "advertising"),
    ],
)
def test_spam_is_flagged_with_a_reason(text, code):
    assert code in [flag.code for flag in spam_reasons(text)]


def test_real_complaint_is_not_spam():
    assert spam_reasons(REAL) == []
    assert spam_reasons("I was charged twice for my phone bill") == []


def test_near_duplicate_within_a_batch_points_at_the_first():
    results = screen([REAL, "宽带断网三天了,一直没人上门维修,要求今天之内处理!!", "话费多扣了20元"])
    assert results[0].codes == ()
    assert results[1].codes == ("duplicate",)
    assert results[1].duplicate_of == 0
    assert not results[2].excluded


def test_small_edit_is_still_a_near_duplicate():
    index = DuplicateIndex(threshold=0.7)
    index.add("c-1", REAL)
    found = index.find("宽带断网三天了，一直没有人上门维修，要求今天之内处理")
    assert found is not None
    assert found[0] == "c-1"
    assert 0.7 <= found[1] < 1


def test_duplicate_of_a_previous_text():
    results = screen([REAL], keys=["c-9"], previous=[("c-1", REAL + "。")])
    assert results[0].duplicate_of == "c-1"


def test_handler_mark_excludes_the_complaint():
    results = screen([REAL, "话费多扣了20元请退还"], keys=["a", "b"], unreasonable=["b"])
    assert not results[0].excluded
    assert results[1].codes == ("unreasonable",)
    assert results[1].excluded
