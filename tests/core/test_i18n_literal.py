"""``{% translate "literal" %}`` through ``yuqi.core.templatetags.i18n_literal`` (the settings'
``i18n``) prints what Django's own tag printed: every ``{% translate %}`` written in the
templates, in both languages, escaped or not, printed or kept ``as`` a variable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Engine, Template
from django.templatetags.i18n import TranslateNode
from django.utils import translation

from yuqi.core.templatetags.i18n_literal import LiteralTranslateNode

TAG = re.compile(r"\{%\s*(?:translate|trans)\s.*?%\}", re.DOTALL)


def _written_tags() -> list[str]:
    root = Path(__import__("yuqi").__file__).parent / "templates"
    found = set()
    for path in root.rglob("*.html"):
        found.update(TAG.findall(path.read_text()))
    return sorted(found)


WRITTEN = _written_tags()
EXTRA = [
    '{% translate "100% of 50%% <b>&amp;" %}',
    "{% translate 'The customer\\'s \"account\"' %}",
    '{% translate "Open" as label %}[{{ label }}]',
    '{% trans "Open" %}',
    '{% translate "Open" noop %}',
    '{% translate "May" context "month name" %}',
    '{% translate "Open"|upper %}',
    "{% translate word %}",
    '{% translate "" %}',
]
DJANGO = Engine(libraries={"i18n": "django.templatetags.i18n"})


def test_the_templates_write_many_translations():
    assert len(WRITTEN) > 300


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("autoescape", [True, False])
def test_each_translation_prints_what_djangos_tag_printed(language, autoescape):
    context = {"word": "Open <b>"}
    with translation.override(language):
        for tag in WRITTEN + EXTRA:
            source = "{% load i18n %}" + tag
            expected = DJANGO.from_string(source).render(Context(context, autoescape=autoescape))
            got = Template(source).render(Context(context, autoescape=autoescape))
            assert got == expected, tag


def test_only_a_plain_literal_takes_the_direct_way():
    def node(tag: str) -> object:
        return Template("{% load i18n %}" + tag).nodelist[-1]

    assert type(node('{% translate "Open" %}')) is LiteralTranslateNode
    assert type(node('{% translate "Open" as x %}')) is LiteralTranslateNode
    for tag in EXTRA[4:8]:
        assert type(node(tag)) is TranslateNode, tag


def test_i18n_is_the_only_template_library_name_used_twice():
    """templates.W003 is silenced in the settings for the i18n override alone."""
    from django.template import engines

    warnings = engines["django"]._check_for_template_tags_with_the_same_name()
    assert [w.id for w in warnings] == ["templates.W003"]
    assert warnings[0].msg.startswith("'i18n' is used for multiple template tag modules")
