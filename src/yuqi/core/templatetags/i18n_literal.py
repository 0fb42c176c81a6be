"""Django's ``i18n`` tag library, with ``{% translate "literal" %}`` translated directly.

The settings load this library as ``i18n`` (``TEMPLATES`` ``OPTIONS["libraries"]``), so every
``{% load i18n %}`` gets Django's tags and filters unchanged but for ``translate`` (and its old
name ``trans``): a quoted string with no filter, context or ``noop``, the form of nearly every
``{% translate %}`` in the templates, renders as ``gettext`` of its text, without the lazy
string, the localisation and the escaping checks the general tag spends on it (some 7 µs each,
and a ticket page has over a hundred). The output is the general tag's: the text is marked safe
as a template literal is, so it is not escaped, and its percent signs are doubled for the
catalog look-up and restored after it (``tests/core/test_i18n_literal.py`` compares the two).
Anything else is Django's own ``TranslateNode``.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.templatetags import i18n as django_i18n
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)


class LiteralTranslateNode(django_i18n.TranslateNode):
    """``{% translate "text" %}`` or ``{% translate "text" as name %}``."""

    def __init__(self, node: django_i18n.TranslateNode) -> None:
        super().__init__(node.filter_expression, node.noop, node.asvar, node.message_context)
        literal = node.filter_expression.var.literal
        # as Variable.resolve hands it to gettext_lazy: safe, with its % doubled
        self.msgid = mark_safe(literal.replace("%", "%%"))

    def render(self, context: Any) -> str:
        value: SafeString = mark_safe(gettext(self.msgid).replace("%%", "%"))
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


def _literal(node: django_i18n.TranslateNode) -> bool:
    expression = node.filter_expression
    var = expression.var
    return (
        not node.noop
        and node.message_context is None
        and not expression.filters
        and isinstance(var, template.Variable)
        and isinstance(var.literal, str)
        and var.lookups is None
    )


@register.tag("translate")
@register.tag("trans")
def do_translate(parser: template.base.Parser, token: template.base.Token) -> template.Node:
    node = django_i18n.do_translate(parser, token)
    if isinstance(node, django_i18n.TranslateNode) and _literal(node):
        return LiteralTranslateNode(node)
    return node
