"""Plain text from feed fields: markup removed, entities decoded, whitespace and bidi controls cleaned."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements whose content is never article text.
_DROP_CONTENT = frozenset({"script", "style", "noscript", "iframe", "object", "template", "svg"})
_BLOCK = frozenset({"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"})
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP_CONTENT:
            self._dropping += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_CONTENT and self._dropping:
            self._dropping -= 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self.parts.append(data)


def plain_text(markup: str) -> str:
    """Text content of an HTML fragment, with no tag, script or style left in it."""
    if not markup:
        return ""
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    text = _BIDI_CONTROLS.sub("", "".join(extractor.parts))
    text = _SPACES.sub(" ", text)
    return _BLANK_LINES.sub("\n", text).strip()
