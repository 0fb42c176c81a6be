"""``{% suggested_articles panel %}``: the items of the suggested-articles panel
(``knowledge/panels/suggested.html``) on the complaint page and the customer 360.

Five articles of some thirty parts each (two addresses reversed, six translations, the
subject's ids in each of five buttons) through the template engine were the largest part of
either page's drawing after the page itself. This tag writes the same markup (escaped and
localised as the template's variables were; the former loop is kept in
``tests/knowledge/test_suggested_panel.py``, which compares the two) in one pass.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop, pgettext

from yuqi.core.id_links import id_link
from yuqi.core.template_values import shown

register = template.Library()

#: The plain feedback buttons after "Insert into note": the kind each records and its label.
BUTTONS = (
    ("used", gettext_noop("Used")),
    ("helpful", gettext_noop("Helpful")),
    ("not_helpful", gettext_noop("Not helpful")),
    ("wrong", gettext_noop("Wrong")),
)


def _item(s: Any, vals: str, feedback: str, detail: str, labels: dict[str, str]) -> str:
    number = shown(s.id)
    buttons = "".join(
        f'        <button type="button" hx-post="{feedback}" hx-target="next .kb-recorded" '
        f'hx-vals=\'{{"kind": "{kind}"{vals}}}\'>{labels[kind]}</button>\n'
        for kind, _ in BUTTONS
    )
    return (
        f'\n    <li data-testid="kb-suggestion" data-article="{number}">\n'
        "      <details>\n"
        f'        <summary><strong>{shown(s.title)}</strong> <span class="badge">'
        f"{shown(s.kind_label)}</span></summary>\n"
        f'        <div class="kb-body">{shown(s.body_html)}</div>\n'
        "      </details>\n"
        f'      <template id="kb-text-{number}">{shown(s.text)}</template>\n'
        '      <div class="inline-form">\n'
        f'        <button type="button" hidden data-knowledge-insert="kb-text-{number}"\n'
        f'          hx-post="{feedback}" hx-target="next .kb-recorded"\n'
        f'          hx-vals=\'{{"kind": "inserted"{vals}}}\'>{labels["inserted"]}</button>\n'
        f"{buttons}"
        f'        <a href="{detail}">{labels["open"]}</a>\n'
        '        <span class="kb-recorded muted" role="status" aria-live="polite"></span>\n'
        "      </div>\n"
        "    </li>\n  "
    )


@register.simple_tag
def suggested_articles(panel: dict[str, Any]) -> SafeString:
    vals = ""  # the subject's ids, sent with each button's feedback
    if panel.get("complaint_id"):
        vals += f', "complaint_id": "{shown(panel["complaint_id"])}"'
    if panel.get("customer_id"):
        vals += f', "customer_id": "{shown(panel["customer_id"])}"'
    labels = {kind: gettext(label) for kind, label in BUTTONS}
    labels["inserted"] = gettext("Insert into note")
    labels["open"] = pgettext("link to an article", "Open")  # not a state's "Open"
    feedback_url = id_link({}, "knowledge:feedback")  # reversed once per drawing
    detail_url = id_link({}, "knowledge:detail")
    return mark_safe(  # every value is escaped by shown(); the translations are the template's
        "".join(
            _item(s, vals, shown(feedback_url(s.id)), shown(detail_url(s.id)), labels)
            for s in panel.get("suggestions") or ()
        )
    )
