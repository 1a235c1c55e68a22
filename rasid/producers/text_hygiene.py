"""Plain text from feed fields: sanitised, entities decoded, bidi controls and whitespace cleaned.

nh3 (the Ammonia sanitiser, an HTML5 parser) removes every element but a few block tags and drops
script/style content outright; a small converter then turns the sanitised fragment into text with
paragraph breaks. Text that still looks like markup after that (double-escaped HTML in a feed) goes
round once more, so no tag, script or style ever reaches a downstream field.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

import nh3

_BLOCK = frozenset({"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr"})
# Content that is never article text, removed with the element.
_DROP_CONTENT = frozenset({"script", "style", "noscript", "iframe", "object", "embed", "template", "svg",
                           "math", "textarea", "select", "button", "form", "head", "title"})
# Bidi embeddings/overrides/isolates, LRM/RLM/ALM, BOM, soft hyphen, zero-width space: invisible, break search.
_INVISIBLE = re.compile("[\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r" *\n[\s]*")
_LOOKS_LIKE_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|&(?:[a-zA-Z]{2,8}|#\d{2,7}|#x[0-9a-fA-F]{2,6});")


class _BlockText(HTMLParser):
    """Text of an already-sanitised fragment, with a newline at block boundaries."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _one_pass(markup: str) -> str:
    cleaned = nh3.clean(markup, tags=set(_BLOCK), attributes={}, clean_content_tags=set(_DROP_CONTENT),
                        strip_comments=True, link_rel=None)
    converter = _BlockText()
    converter.feed(cleaned)
    converter.close()
    return "".join(converter.parts)


def clean_whitespace(text: str) -> str:
    """NFC, no invisible bidi/control characters, single spaces, single newlines between paragraphs."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", _INVISIBLE.sub("", text))
    text = _SPACES.sub(" ", text)
    return _BLANK_LINES.sub("\n", text).strip()


def plain_text(markup: str) -> str:
    """Text content of an HTML fragment (or plain text), with no tag, script or style left in it."""
    if not markup:
        return ""
    if "<" not in markup and "&" not in markup:  # plain text (most titles): nothing to sanitise
        return clean_whitespace(markup)
    text = markup
    for _ in range(3):  # double- and triple-escaped HTML is common in badly made feeds
        previous, text = text, _one_pass(text)
        if text == previous or not _LOOKS_LIKE_MARKUP.search(text):
            break
    else:
        # Still markup-like after three rounds: keep the words, never the angle brackets.
        text = html.unescape(text).replace("<", "‹").replace(">", "›")
    return clean_whitespace(text)
