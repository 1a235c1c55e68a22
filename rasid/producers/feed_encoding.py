"""Bytes of a feed or page → text, even when the declared encoding is wrong.

Arabic sites still serve windows-1256 and ISO-8859-6, and some declare one encoding and send
another. Order of evidence: a BOM; then a body that decodes as strict UTF-8 *and* has non-ASCII
bytes is UTF-8 whatever it declares (legacy Arabic text is practically never valid UTF-8); then the
declared encoding (HTTP header, XML declaration, HTML meta) unless an Arabic single-byte encoding
reads clearly better, judged by the article "ال", the most frequent Arabic letter pair.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']", re.IGNORECASE)
_HTML_META = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?([A-Za-z0-9._:-]{1,40})", re.IGNORECASE)
_C1_CONTROLS = re.compile("[\u0080-\u009f]")
_ARABIC_SINGLE_BYTE = ("windows-1256", "iso-8859-6")


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # the codec actually used, Python's name
    declared: str | None  # what the server or document said, if anything
    warning: str | None = None  # set when the declaration was wrong or missing for a non-UTF-8 body


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def declared_encoding(body: bytes, header_charset: str | None) -> str | None:
    """The encoding the HTTP header, XML declaration or HTML meta names (header first)."""
    if header_charset:
        return header_charset
    head = body[:2048]
    match = _XML_DECLARATION.match(head) or _HTML_META.search(head)
    return match.group(1).decode("ascii") if match else None


def _arabic_score(text: str) -> int:
    return text.count("ال") * 4 + text.count(" و") - 8 * len(_C1_CONTROLS.findall(text))


def decode_body(body: bytes, header_charset: str | None = None) -> DecodedText:
    declared = declared_encoding(body, header_charset)
    for bom, name in _BOMS:
        if body.startswith(bom):
            return DecodedText(body[len(bom):].decode(name, errors="replace"), name, declared)
    declared_codec = _codec(declared)
    if body.isascii():
        return DecodedText(body.decode("ascii"), declared_codec or "utf-8", declared)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        warning = None
        if declared_codec not in (None, "utf-8"):
            warning = f"declared {declared} but the body is UTF-8"
        return DecodedText(text, "utf-8", declared, warning)

    candidates: dict[str, str] = {}
    for name in filter(None, (declared_codec, *(_codec(n) for n in _ARABIC_SINGLE_BYTE))):
        if name == "utf-8" or name in candidates:
            continue
        try:
            candidates[name] = body.decode(name)
        except UnicodeDecodeError:
            continue
    if not candidates:
        return DecodedText(body.decode("utf-8", errors="replace"), "utf-8", declared,
                           f"declared {declared or 'nothing'}; undecodable bytes were replaced")
    scores = {name: _arabic_score(text) for name, text in candidates.items()}
    best = max(scores, key=lambda name: scores[name])
    chosen = declared_codec if declared_codec in scores and scores[declared_codec] * 2 + 3 >= scores[best] else best
    warning = None
    if chosen != declared_codec:
        warning = f"declared {declared or 'no encoding'} but the body reads as {chosen}"
    return DecodedText(candidates[chosen], chosen, declared, warning)


def as_utf8_xml(text: str) -> bytes:
    """The document as UTF-8 bytes, its XML declaration saying so (what feedparser is given)."""
    head, rest = text[:300], text[300:]
    head = re.sub(r"(<\?xml[^>]*?encoding\s*=\s*)([\"'])[^\"']*\2", r"\1\2utf-8\2", head, count=1, flags=re.IGNORECASE)
    return (head + rest).encode("utf-8")
