"""The text-analysis panel's markup (``textmining/panels/complaint.html``) written in one pass.

``{% category_options choices selected %}``: the ``<option>``s of the "correct category" list,
the selected code marked. Some twenty categories of three parts each through the template
engine were a quarter of the panel's drawing (the former loop is kept in
``tests/textmining/test_category_options.py``).

``{% text_analysis panel %}``: the rest of the panel below its title and notice: the facts,
the masked text and the label forms. Some seventy nodes (twenty-five translations, three
CSRF fields, an address reversed) were about 0.4 ms of every ticket page; the tag writes the
same markup, escaped and localised as the template's variables were (the former template is
kept in ``tests/textmining/test_text_analysis_tag.py``, which compares the two).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.template import Context
from django.template.defaultfilters import linebreaksbr
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from yuqi.core import template_values
from yuqi.core.template_values import shown

register = template.Library()


@register.simple_tag
def category_options(choices: Iterable[tuple[Any, Any]] | None, selected: Any = None) -> SafeString:
    return mark_safe(  # every value is escaped by shown()
        "".join(
            f'<option value="{shown(code)}"{" selected" if code == selected else ""}>'
            f"{shown(label)}</option>"
            for code, label in choices or ()
        )
    )


def _t(message: str) -> str:
    """``{% translate message %}``: the translation, escaped as the tag prints it."""
    return shown(gettext(message))


def _joined(values: Iterable[Any], separator: str) -> str:
    """``{{ values|join:separator }}`` with autoescaping on (each item escaped, not localised)."""
    return conditional_escape(separator).join(conditional_escape(v) for v in values)


def _minute(value: Any) -> str:
    """``{{ value|minute }}`` (``template_values.minute`` puts it in the current zone)."""
    return shown(template_values.minute(value))


def _label_line(panel: dict[str, Any]) -> str:
    label = panel.get("label")
    if not label:
        return ""
    state = _t("corrected") if label.corrected else _t("confirmed")
    by = label.by
    return f'<br><span class="badge">{state}</span> {shown(panel.get("label_text", ""))}' + (
        f" · {shown(by)}" if by else ""
    )


def _outcomes(a: dict[str, Any]) -> str:
    parts = [
        f"{shown(o['label'])}{' ' + shown(o['amount']) if o['amount'] else ''}"
        f' <span class="muted">{shown(o["confidence"])}%</span>'
        for o in a["outcomes"]
    ]
    return "; ".join(parts) if parts else "—"


def _ledger(panel: dict[str, Any]) -> str:
    if not panel.get("ledger_checked"):
        return ""
    lines = panel.get("ledger_lines") or ()
    if not lines:
        record = panel.get("ledger_record_url")
        return f'<br><span class="badge vip">{_t("Not in the promise ledger")}</span>' + (
            f' <a href="{shown(record)}">{_t("Record the promise")}</a>' if record else ""
        )
    return "<br>" + "<br>".join(
        f'<a href="{shown(line["url"])}">{_t("In the promise ledger")} #{shown(line["id"])}</a>'
        f" {shown(line['kind'])} · {shown(line['status'])} · {_t('due')} {_minute(line['due_at'])}"
        for line in lines
    )


def _promise(a: dict[str, Any], panel: dict[str, Any]) -> str:
    promise = a["promise"]
    if not promise:
        return ""
    return (
        f"<dt>{_t('Quoted promise')}</dt>\n    <dd>"
        + (f"{shown(promise['label'])} " if promise["label"] else "")
        + (f"{_t('due')} {_minute(promise['deadline'])} " if promise["deadline"] else "")
        + (f"{_t('within')} {shown(promise['within'])} " if promise["within"] else "")
        + f"«{shown(promise['matched'])}»\n      {_ledger(panel)}</dd>"
    )


def _facts(a: dict[str, Any], panel: dict[str, Any]) -> str:
    """The ``<dl class="facts">`` and the masked text."""
    model = f" v{shown(a['model_version'])}" if a["model_version"] else ""
    span = a["wanted_by_span"]
    sure = a["wanted_by_confidence"]
    wanted_by = (
        (_minute(a["wanted_by"]) if a["wanted_by"] else "")
        + (f" «{shown(span)}»" if span else "")
        + (f' <span class="muted">{shown(sure)}%</span>' if sure else "")
        + ("" if span else "—")
    )
    amount = (
        f'{shown(a["amount"])} <span class="muted">{shown(a["amount_confidence"])}%</span>'
        if a["amount"] is not None
        else "—"
    )
    target = (
        f'{shown(a["target"])} <span class="muted">{shown(a["target_confidence"])}%</span>'
        if a["target"]
        else "—"
    )
    unreasonable, spam, duplicate = a["unreasonable"], a["spam"], a["duplicate_of"]
    return (
        '<dl class="facts">\n'
        f"    <dt>{_t('Expectation category')}</dt>\n"
        f'    <dd><strong>{shown(a["label"])}</strong> <span class="muted">'
        f"{shown(a['confidence'])}% · {shown(a['source'])}{model}</span>\n"
        f"      {_label_line(panel)}</dd>\n"
        f"    <dt>{_t('Wanted outcome')}</dt>\n"
        f"    <dd>{_outcomes(a)}</dd>\n"
        f"    <dt>{_t('Wanted by')}</dt>\n"
        f"    <dd>{wanted_by}</dd>\n"
        f"    {_promise(a, panel)}\n"
        f"    <dt>{_t('Amount')}</dt>\n"
        f"    <dd>{amount}</dd>\n"
        f"    <dt>{_t('About')}</dt>\n"
        f"    <dd>{target}</dd>\n"
        f"    <dt>{_t('Anger')}</dt><dd>{shown(a['anger'])}/100</dd>\n"
        f"    <dt>{_t('Threats')}</dt><dd>{_joined(a['threats'], '; ') or '—'}"
        + (f" · {_t('says it happened before')}" if a["repeat"] else "")
        + "</dd>\n"
        f"    <dt>{_t('Reasonable')}</dt>\n"
        "    <dd>"
        + (f'<span class="badge vip">{_t("judged unreasonable")}</span>' if unreasonable else "")
        + "\n      "
        + (f'<span class="badge">{_t("spam")}: {_joined(spam, ", ")}</span>' if spam else "")
        + "\n      "
        + (f'<span class="badge">{_t("duplicate")}</span>' if duplicate else "")
        + "\n      "
        + ("" if unreasonable or spam or duplicate else _t("yes"))
        + "</dd>\n"
        "  </dl>\n"
        f"  <details><summary>{_t('Masked text')}</summary>"
        f'<p class="masked">{linebreaksbr(a["text"], autoescape=True)}</p></details>'
    )


def _buttons(context: Context, a: dict[str, Any], panel: dict[str, Any]) -> str:
    """The label and judge forms, for those who may label."""
    url = shown(reverse("textmining:label", args=[a["complaint_id"]]))
    csrf = CsrfTokenNode().render(context)
    form = (
        f'<form method="post" action="{url}" hx-post="{url}" hx-target="#text-panel" '
        'hx-swap="outerHTML" class="inline">\n'
        f'      {csrf}<input type="hidden" name="view" value="panel">'
    )
    judge = ""
    if panel.get("can_judge"):
        judge = f"\n    {form}\n      " + (
            '<button type="submit" name="action" value="reasonable">'
            f"{_t('Mark reasonable')}</button>\n      "
            if a["unreasonable"]
            else '<button type="submit" name="action" value="unreasonable">'
            f"{_t('Mark unreasonable')}</button>"
        )
        judge += "\n    </form>"
    return (
        '\n  <div class="buttons">\n    \n'
        f"    {form}\n"
        '      <button type="submit" name="action" value="confirm">'
        f"{_t('Confirm category')}</button>\n"
        "    </form>\n"
        f'    {form}<input type="hidden" name="action" value="correct">\n'
        f'      <label class="sr-only" for="text-code">{_t("Correct category")}</label>\n'
        f'      <select name="code" id="text-code">'
        f"{category_options(panel.get('choices'), a['code'])}</select>\n"
        f'      <button type="submit">{_t("Correct")}</button>\n'
        "    </form>\n"
        f"    {judge}\n"
        "  </div>"
    )


@register.simple_tag(takes_context=True)
def text_analysis(context: Context, panel: dict[str, Any]) -> SafeString:
    """What the panel shows of its analysis ``panel["a"]`` (nothing without one): the facts,
    the masked text and, for those who may label, the forms."""
    a = panel.get("a")
    if not a:
        return mark_safe("")
    buttons = _buttons(context, a, panel) if panel.get("can_label") else ""
    return mark_safe(  # every value is escaped by shown(), _joined() or linebreaksbr
        f"\n  {_facts(a, panel)}\n  {buttons}\n  "
    )
