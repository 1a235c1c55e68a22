"""A keyword query compiled against analysed text: the query's words go through the
same analyzer as the article, so a rule matches what Kibana finds (and, beyond
Kibana, words carrying a bare proclitic: بغداد finds لبغداد).

Booleans combine per article, as Elasticsearch's `query_string` does over
several fields (a term may be in any chosen field); a phrase or NEAR/n must sit
inside one field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol

from rasid.nlp.analyzer import analyze
from rasid.nlp.normalizer import normalize
from rasid.rules.analysed import AnalysedArticle, FieldText
from rasid.rules.query.parser import DefaultOperator, QuerySyntaxError, parse_query
from rasid.rules.query.syntax import And, Near, Not, Or, Phrase, Prefix, QueryNode, Term

Span = tuple[int, int]  # first and last token position, inclusive
Hit = tuple[str, int, int]  # field, first and last position
# A literal the article must contain for the query to possibly match: ("term", key) or ("prefix", text).
Literal = tuple[str, str]
MAX_EVIDENCE = 20


class Matcher(Protocol):
    def matches(self, doc: AnalysedArticle) -> bool:
        """Whether it matches, without collecting where (the fast path for rules that do not fire)."""

    def hits(self, doc: AnalysedArticle) -> list[Hit] | None:
        """None: no match. A list (maybe empty, e.g. for NOT): a match and where."""

    def literals(self) -> frozenset[Literal] | None:
        """Literals of which at least one occurs whenever this matches; None if unknown."""


class _Positional:
    fields: tuple[str, ...]

    def spans(self, ft: FieldText) -> list[Span]:
        raise NotImplementedError

    def matches(self, doc: AnalysedArticle) -> bool:
        fields = doc.fields
        return any(name in fields and self.spans(fields[name]) for name in self.fields)

    def hits(self, doc: AnalysedArticle) -> list[Hit] | None:
        out: list[Hit] = []
        for name in self.fields:
            ft = doc.fields.get(name)
            if ft is not None:
                out.extend((name, a, b) for a, b in self.spans(ft))
        return out or None


@dataclass
class TermMatcher(_Positional):
    key: str
    fields: tuple[str, ...]

    def spans(self, ft: FieldText) -> list[Span]:
        return [(p, p) for p in ft.positions.get(self.key, ())]

    def matches(self, doc: AnalysedArticle) -> bool:
        fields = doc.fields
        key = self.key
        return any(name in fields and key in fields[name].positions for name in self.fields)

    def literals(self) -> frozenset[Literal]:
        return frozenset({("term", self.key)})


@dataclass
class PrefixMatcher(_Positional):
    prefix: str
    fields: tuple[str, ...]

    def spans(self, ft: FieldText) -> list[Span]:
        return [(p, p) for p in ft.prefix_positions(self.prefix)]

    def literals(self) -> frozenset[Literal]:
        return frozenset({("prefix", self.prefix)})


@dataclass
class PhraseMatcher(_Positional):
    # (offset from the first word, key): offsets skip stop words, as Lucene positions do.
    parts: tuple[tuple[int, str], ...]
    fields: tuple[str, ...]

    def spans(self, ft: FieldText) -> list[Span]:
        first_offset, first_key = self.parts[0]
        last_offset = self.parts[-1][0]
        out: list[Span] = []
        for p in ft.positions.get(first_key, ()):
            start = p - first_offset
            if all(start + off in _position_set(ft, key) for off, key in self.parts[1:]):
                out.append((start + first_offset, start + last_offset))
        return out

    def literals(self) -> frozenset[Literal]:
        # The longest word is the rarest, on average: the best prefilter literal.
        return frozenset({("term", max((k for _, k in self.parts), key=len))})


def _position_set(ft: FieldText, key: str) -> set[int] | list[int]:
    return ft.positions.get(key, ())  # type: ignore[return-value]


@dataclass
class OrPositional(_Positional):
    children: tuple[_Positional, ...]
    fields: tuple[str, ...]

    def spans(self, ft: FieldText) -> list[Span]:
        out: list[Span] = []
        for child in self.children:
            if ft.name in child.fields:
                out.extend(child.spans(ft))
        return sorted(set(out))

    def literals(self) -> frozenset[Literal] | None:
        return _union(c.literals() for c in self.children)


@dataclass
class NearMatcher(_Positional):
    left: _Positional
    right: _Positional
    slop: int
    fields: tuple[str, ...]

    def spans(self, ft: FieldText) -> list[Span]:
        if ft.name not in self.left.fields or ft.name not in self.right.fields:
            return []
        lefts, rights = self.left.spans(ft), self.right.spans(ft)
        out: list[Span] = []
        for la, lb in lefts:
            for ra, rb in rights:
                gap = ra - lb - 1 if ra > lb else la - rb - 1
                if (ra > lb or la > rb) and gap <= self.slop:
                    out.append((min(la, ra), max(lb, rb)))
        return out

    def literals(self) -> frozenset[Literal] | None:
        return _smallest([self.left.literals(), self.right.literals()])


@dataclass
class AndMatcher:
    children: tuple[Matcher, ...]

    def matches(self, doc: AnalysedArticle) -> bool:
        return all(child.matches(doc) for child in self.children)

    def hits(self, doc: AnalysedArticle) -> list[Hit] | None:
        out: list[Hit] = []
        for child in self.children:
            found = child.hits(doc)
            if found is None:
                return None
            out.extend(found)
        return out

    def literals(self) -> frozenset[Literal] | None:
        return _smallest([c.literals() for c in self.children])


@dataclass
class OrMatcher:
    children: tuple[Matcher, ...]

    def matches(self, doc: AnalysedArticle) -> bool:
        return any(child.matches(doc) for child in self.children)

    def hits(self, doc: AnalysedArticle) -> list[Hit] | None:
        out: list[Hit] | None = None
        for child in self.children:
            found = child.hits(doc)
            if found is not None:
                out = (out or []) + found
        return out

    def literals(self) -> frozenset[Literal] | None:
        return _union(c.literals() for c in self.children)


@dataclass
class NotMatcher:
    child: Matcher

    def matches(self, doc: AnalysedArticle) -> bool:
        return not self.child.matches(doc)

    def hits(self, doc: AnalysedArticle) -> list[Hit] | None:
        return None if self.child.matches(doc) else []

    def literals(self) -> None:
        return None


def _union(sets: Iterable[frozenset[Literal] | None]) -> frozenset[Literal] | None:
    out: set[Literal] = set()
    for s in sets:
        if s is None:
            return None
        out |= s
    return frozenset(out)


def _smallest(sets: list[frozenset[Literal] | None]) -> frozenset[Literal] | None:
    known = [s for s in sets if s is not None]
    return min(known, key=len) if known else None


class _Compiler:
    def __init__(self, query: str, fields: tuple[str, ...]) -> None:
        self.query = query
        self.fields = fields

    def fail(self, column: int, message: str, expected: str) -> QuerySyntaxError:
        return QuerySyntaxError(self.query, column, message, expected)

    def fields_of(self, field: str | None) -> tuple[str, ...]:
        return (field,) if field else self.fields

    def compile(self, node: QueryNode) -> Matcher:
        if isinstance(node, (Term, Phrase, Prefix, Near)):
            return self.positional(node)
        if isinstance(node, Or):
            children = tuple(self.compile(c) for c in node.children)
            if all(isinstance(c, _Positional) for c in children):
                return OrPositional(children, self.fields)  # type: ignore[arg-type]
            return OrMatcher(children)
        if isinstance(node, And):
            return AndMatcher(tuple(self.compile(c) for c in node.children))
        if isinstance(node, Not):
            return NotMatcher(self.compile(node.child))
        raise TypeError(node)

    def positional(self, node: QueryNode) -> _Positional:
        if isinstance(node, Term):
            tokens = analyze(node.text)
            if not tokens:
                raise self.stopword(node.column, node.text)
            if len(tokens) == 1:
                return TermMatcher(tokens[0].stem, self.fields_of(node.field))
            return self.phrase_of(tokens, node.field)  # نووية-إيرانية: several words, as ES reads it
        if isinstance(node, Phrase):
            tokens = analyze(node.text)
            if not tokens:
                raise self.stopword(node.column, node.text)
            if len(tokens) == 1:
                return TermMatcher(tokens[0].stem, self.fields_of(node.field))
            return self.phrase_of(tokens, node.field)
        if isinstance(node, Prefix):
            # As Elasticsearch: a prefix is normalised (lowercase, digits, Arabic letters), never
            # stemmed or stop-filtered, then compared with the indexed terms.
            return PrefixMatcher(normalize(node.text.lower()), self.fields_of(node.field))
        if isinstance(node, Near):
            left, right = self.positional(node.left), self.positional(node.right)
            return NearMatcher(left, right, node.slop, tuple(f for f in self.fields if f in left.fields
                                                                or f in right.fields) or self.fields)
        if isinstance(node, Or):
            children = tuple(self.positional(c) for c in node.children)
            return OrPositional(children, tuple(sorted({f for c in children for f in c.fields})))
        raise TypeError(node)

    def phrase_of(self, tokens: list, field: str | None) -> PhraseMatcher:
        first = tokens[0].position
        return PhraseMatcher(tuple((t.position - first, t.stem) for t in tokens), self.fields_of(field))

    def stopword(self, column: int, text: str) -> QuerySyntaxError:
        return self.fail(column, f"{text!r} is only stop words, which Elasticsearch's arabic analyzer drops",
                         "a content word (stop words never match)")


@dataclass
class CompiledQuery:
    text: str
    matcher: Matcher

    def hits(self, doc: AnalysedArticle) -> list[Hit] | None:
        if not self.matcher.matches(doc):
            return None
        return self.matcher.hits(doc)

    def literals(self) -> frozenset[Literal] | None:
        return self.matcher.literals()

    def evidence(self, doc: AnalysedArticle, hits: list[Hit]) -> list[dict[str, object]]:
        """The matched words with their offsets in the original field text."""
        out: list[dict[str, object]] = []
        for name, first, last in sorted(set(hits))[:MAX_EVIDENCE]:
            start, end, text = doc.fields[name].span_text(first, last)
            out.append({"field": name, "text": text, "start": start, "end": end})
        return out


def compile_query(query: str, fields: tuple[str, ...] = ("title", "summary", "content"),
                  default_operator: DefaultOperator = "AND") -> CompiledQuery:
    """Parse and compile; raises QuerySyntaxError with a column on any problem."""
    node = parse_query(query, default_operator)
    return CompiledQuery(query, _Compiler(query, fields).compile(node))
