"""Training and theme-run notes (written in English by the pure classifier and theme finder)
are shown in the reader's language, category codes by their labels."""

from __future__ import annotations

from django.utils import translation

from yuqi.textmining.presenters import note_text


def test_known_notes_are_translated():
    with translation.override("zh-hans"):
        singles = note_text(
            "left out labels with one example: billing, network", {"billing": "计费"}
        )
        folds = note_text("folds reduced from 5 to 3: the smallest label has 3")
        themes = note_text("k reduced from 8 to 4 (vocabulary or texts too few)")
    assert singles == "仅有一个样本、未参与评估的类别：计费、network"
    assert folds == "交叉验证折数由 5 减为 3：最小的类别只有 3 个样本。"
    assert themes == "主题数由 8 减为 4：文本或词汇太少。"


def test_unknown_notes_are_shown_as_they_are():
    assert note_text("something new") == "something new"
    assert note_text("<b>x</b>") == "<b>x</b>"  # escaped by the template like any text
