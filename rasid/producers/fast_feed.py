"""A fast path for well-formed RSS 2.0 and Atom 1.0: lxml, then the same entry shape feedparser gives.

feedparser is a tolerant, pure-Python SAX parser: ~10 ms for a 30 KB feed, which is most of the
CPU of polling thousands of feeds. Most real feeds are well-formed RSS 2.0 or Atom; lxml reads
them in well under a millisecond. Anything else — malformed XML, RSS 0.9x/1.0 (RDF), unknown
roots — returns None and goes to feedparser, which stays the reference (a test checks both agree
on the real feeds). The lxml parser never resolves entities, loads a DTD or touches the network.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True, remove_pis=True, recover=False)
_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
_DC = "{http://purl.org/dc/elements/1.1/}"


def _text(element: Any | None) -> str:
    if element is None:
        return ""
    return "".join(element.itertext())


def _atom_content(element: Any | None) -> str:
    """Atom text constructs: escaped HTML is text already; inline XHTML is serialised back to markup."""
    if element is None:
        return ""
    if element.get("type") == "xhtml":
        return "".join(etree.tostring(child, encoding="unicode") for child in element) or _text(element)
    return _text(element)


def _rss_entries(channel: Any) -> list[dict[str, Any]]:
    entries = []
    for item in channel.iterfind("item"):
        entry: dict[str, Any] = {
            "title": _text(item.find("title")),
            "link": _text(item.find("link")).strip(),
            "id": _text(item.find("guid")).strip(),
            "summary": _text(item.find("description")),
            "author": _text(item.find(f"{_DC}creator")) or _text(item.find("author")),
            "tags": [{"term": _text(c).strip()} for c in item.iterfind("category") if _text(c).strip()],
            "published": _text(item.find("pubDate")) or _text(item.find(f"{_DC}date")),
        }
        encoded = item.find(_CONTENT_ENCODED)
        if encoded is not None:
            entry["content"] = [{"value": _text(encoded)}]
        entries.append(entry)
    return entries


def _atom_link(entry: Any) -> str:
    for link in entry.iterfind(f"{_ATOM}link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href", "").strip()
    return ""


def _atom_entries(feed: Any) -> list[dict[str, Any]]:
    entries = []
    for item in feed.iterfind(f"{_ATOM}entry"):
        author = item.find(f"{_ATOM}author/{_ATOM}name")
        entry: dict[str, Any] = {
            "title": _atom_content(item.find(f"{_ATOM}title")),
            "link": _atom_link(item),
            "id": _text(item.find(f"{_ATOM}id")).strip(),
            "summary": _atom_content(item.find(f"{_ATOM}summary")),
            "author": _text(author),
            "tags": [{"term": c.get("term", "")} for c in item.iterfind(f"{_ATOM}category") if c.get("term")],
            "published": _text(item.find(f"{_ATOM}published")),
            "updated": _text(item.find(f"{_ATOM}updated")),
        }
        content = item.find(f"{_ATOM}content")
        if content is not None:
            entry["content"] = [{"value": _atom_content(content)}]
        entries.append(entry)
    return entries


def parse_simple_feed(document: bytes) -> tuple[str, list[dict[str, Any]]] | None:
    """(feed title, entries) for well-formed RSS 2.0 / Atom 1.0; None for anything else."""
    try:
        root = etree.fromstring(document, _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root.tag == "rss" and root.get("version", "2.0").startswith("2"):
        channel = root.find("channel")
        if channel is None:
            return None
        return _text(channel.find("title")), _rss_entries(channel)
    if root.tag == f"{_ATOM}feed":
        return _atom_content(root.find(f"{_ATOM}title")), _atom_entries(root)
    return None
