"""ChoiceSet: value, translated label and colour in one place; the badge every page uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import models
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from yuqi.commitments.choices import ApprovalState, CommitmentStatus
from yuqi.complaints.choices import ClockState, ComplaintState
from yuqi.core.choices import SWATCHES, ChoiceSet, ChoiceSetType, Colour, choice_set
from yuqi.customers.choices import Segment

CSS = Path(__file__).parents[2] / "src" / "yuqi" / "static" / "yuqi" / "app.css"


class Weather(ChoiceSet):
    SUNNY = "sunny", _("Sunny"), Colour.AMBER
    RAINY = "rainy", _("Rainy"), Colour.BLUE


# --- the set ------------------------------------------------------------------------------


def test_member_carries_value_label_and_colour():
    assert Weather.SUNNY == "sunny"
    assert Weather.SUNNY.label == "Sunny"
    assert Weather.SUNNY.colour is Colour.AMBER
    assert Weather("rainy").colour is Colour.BLUE


def test_choices_are_the_plain_django_pairs():
    class Plain(models.TextChoices):
        SUNNY = "sunny", _("Sunny")
        RAINY = "rainy", _("Rainy")

    assert Weather.choices == Plain.choices
    assert Weather.values == ["sunny", "rainy"]
    assert Weather.labels == ["Sunny", "Rainy"]


def test_member_without_colour_is_refused():
    with pytest.raises(TypeError, match="must be"):

        class Missing(ChoiceSet):
            ONE = "one", _("One")


def test_colour_outside_the_palette_is_refused():
    with pytest.raises(TypeError, match="must be"):

        class Orange(ChoiceSet):
            ONE = "one", _("One"), "orange"


def test_sets_are_registered_by_app_and_name():
    assert choice_set("complaints.ComplaintState") is ComplaintState
    assert choice_set("commitments.CommitmentStatus") is CommitmentStatus
    assert choice_set("customers.Segment") is Segment
    with pytest.raises(LookupError):
        choice_set("complaints.Nothing")
    assert "core.ChoiceSet" not in ChoiceSetType.registry  # the empty base is not a set


def test_every_palette_colour_has_its_css_rule_with_the_same_shades():
    css = CSS.read_text(encoding="utf-8")
    for colour in Colour:
        rule = re.search(rf"\.colour-{colour.value} \{{([^}}]*)\}}", css)
        assert rule, f"app.css has no .colour-{colour.value}"
        assert f"background:{colour.tint};" in rule.group(1)
        assert f"color:{colour.ink};" in rule.group(1)
    assert set(SWATCHES) == set(Colour)


def test_at_risk_is_amber_everywhere():
    """The two old maps disagreed (amber in presenters, orange in an unused map): amber is
    the colour the style sheet had a rule for, so it is what people saw."""
    assert ClockState.AT_RISK.colour is Colour.AMBER
    assert "amber" in {c.value for c in Colour}
    assert "orange" not in {c.value for c in Colour}


def test_segment_fills_keep_the_pyramid_chart_colours():
    """The pyramid charts' former SEGMENT_COLOURS, now read from the Segment set."""
    assert {s.value: s.colour.fill for s in Segment} == {
        "top": "#7a4b00",
        "high": "#b07d12",
        "middle": "#0b6e4f",
        "low": "#4f9d7e",
        "wait_and_see": "#7b8794",
        "potential": "#2450a8",
        "inactive": "#b9c4d0",
    }


# --- the badge ----------------------------------------------------------------------------


def _badge(value: object, set_name: str = "") -> str:
    template = Template("{% load badges %}{% badge value set_name %}")
    return template.render(Context({"value": value, "set_name": set_name})).strip()


BADGED = [
    *[("complaints.ComplaintState", m) for m in ComplaintState],
    *[("commitments.CommitmentStatus", m) for m in CommitmentStatus],
    *[("commitments.ApprovalState", m) for m in ApprovalState],
    *[("complaints.ClockState", m) for m in ClockState],
]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(("set_name", "member"), BADGED, ids=lambda v: str(getattr(v, "value", v)))
def test_badge_shows_label_and_colour(set_name, member, language):
    with translation.override(language):
        html = _badge(str(member.value), set_name)
        label = str(member.label)
    assert html == (
        f'<span class="badge colour-{member.colour.value}" data-value="{member.value}">'
        f"{label}</span>"
    )


def test_badge_escapes_an_unknown_value_and_draws_nothing_for_a_blank_one():
    template = Template("{% load badges %}[{% badge value 'complaints.ComplaintState' %}]")
    html = template.render(Context({"value": '<b a="1">&'}))
    assert html == (
        '[<span class="badge colour-grey" data-value="&lt;b a=&quot;1&quot;&gt;&amp;">'
        "&lt;b a=&quot;1&quot;&gt;&amp;</span>\n]"
    )
    assert template.render(Context({"value": ""})) == "[\n]"
    assert template.render(Context({"value": None})) == "[\n]"


def test_badge_labels_are_chinese_in_zh_hans():
    with translation.override("zh-hans"):
        assert "已兑现" in _badge("fulfilled", "commitments.CommitmentStatus")
        assert "待客户回复" in _badge("waiting_customer", "complaints.ComplaintState")
        assert "未审批即失效" in _badge("lapsed", "commitments.ApprovalState")


def test_badge_of_a_member_needs_no_set_name():
    assert 'class="badge colour-red"' in _badge(CommitmentStatus.BROKEN)


def test_badge_of_an_unknown_code_shows_it_in_grey():
    assert _badge("gone", "complaints.ComplaintState") == (
        '<span class="badge colour-grey" data-value="gone">gone</span>'
    )


def test_badge_of_a_blank_value_is_empty():
    assert _badge("", "complaints.ComplaintState") == ""
    assert _badge(None, "complaints.ComplaintState") == ""


def test_badge_escapes_an_unknown_code():
    assert "<script>" not in _badge("<script>", "complaints.ComplaintState")
