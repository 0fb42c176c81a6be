"""Markdown bodies to safe HTML, and to plain text for a note.

Two locks, so one mistake is not enough: markdown-it (CommonMark) runs with raw HTML off, so
``<script>`` or ``<img onerror=…>`` written in a body comes out as escaped text, and its link
validator refuses ``javascript:``/``vbscript:``/``data:`` targets; the HTML is then cleaned by
nh3 (the Ammonia sanitizer) against a short allow-list of tags and attributes, with only
http(s), mailto and tel links, each marked ``rel="noopener noreferrer nofollow"``.
"""

from __future__ import annotations

import html as html_lib
import re
from functools import lru_cache

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "del",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


#: Bodies kept drawn per process: a page of suggested articles draws the same few bodies for
#: every request (a body is the text of one article version, so an edit is a new key).
KEPT_BODIES = 256


@lru_cache(maxsize=KEPT_BODIES)
def render_markdown(text: str) -> SafeString:
    """Safe HTML for a Markdown body (raw HTML shown as text, never run); a pure function of
    the text, kept for the last ``KEPT_BODIES`` bodies."""
    html = _parser().render(text or "")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)


_BLANKS = re.compile(r"\n{3,}")


@lru_cache(maxsize=KEPT_BODIES)
def plain_text(text: str) -> str:
    """The body as plain text (for a note or a reply): Markdown rendered, then tags dropped;
    kept as :func:`render_markdown`."""
    html = _parser().render(text or "")
    html = re.sub(r"</(p|li|h\d|blockquote|tr)>\s*", "\n", html)
    html = re.sub(r"<li>", "• ", html)
    return _BLANKS.sub("\n\n", html_lib.unescape(strip_tags(html))).strip()
