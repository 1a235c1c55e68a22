"""Recursive-descent parser for keyword queries, with errors that point at the column.

Precedence, tightest first: NOT (also `-x`, `!x`), NEAR/n, AND (also `&&`, or two
terms side by side when the default operator is AND), OR (also `||`). `a NOT b`
always means `a AND NOT b`, as in Lucene's query syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rasid.rules.query.syntax import And, Near, Not, Or, Phrase, Prefix, QueryNode, Term

DefaultOperator = Literal["AND", "OR"]
FIELD_NAMES = ("title", "summary", "content")
_NEAR = re.compile(r"^NEAR/(\d+)$")
MAX_SLOP = 1000


class QuerySyntaxError(ValueError):
    def __init__(self, query: str, column: int, message: str, expected: str) -> None:
        self.query = query
        self.column = column  # 0-based offset into the query text
        self.message = message
        self.expected = expected
        pointer = " " * column + "^"
        super().__init__(f"{message} at column {column + 1} (expected {expected})\n  {query}\n  {pointer}")


@dataclass(frozen=True)
class _Token:
    kind: str  # WORD, PHRASE, LPAREN, RPAREN, AND, OR, NOT, NEAR, END
    text: str
    column: int
    slop: int = 0


def _lex(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch == "(":
            tokens.append(_Token("LPAREN", ch, i))
            i += 1
        elif ch == ")":
            tokens.append(_Token("RPAREN", ch, i))
            i += 1
        elif ch == '"':
            end = query.find('"', i + 1)
            if end < 0:
                raise QuerySyntaxError(query, i, "unclosed quote", 'a closing " for the phrase')
            tokens.append(_Token("PHRASE", query[i + 1 : end], i))
            i = end + 1
        elif query.startswith("&&", i):
            tokens.append(_Token("AND", "&&", i))
            i += 2
        elif query.startswith("||", i):
            tokens.append(_Token("OR", "||", i))
            i += 2
        elif ch in "!-" and i + 1 < n and not query[i + 1].isspace():
            tokens.append(_Token("NOT", ch, i))
            i += 1
        else:
            start = i
            while i < n and not query[i].isspace() and query[i] not in '()"':
                i += 1
            word = query[start:i]
            if word.endswith(":") and i < n and query[i] == '"':
                # field:"a phrase" — the field travels with the phrase token.
                end = query.find('"', i + 1)
                if end < 0:
                    raise QuerySyntaxError(query, i, "unclosed quote", 'a closing " for the phrase')
                tokens.append(_Token("PHRASE", word + query[i + 1 : end], start))
                i = end + 1
                continue
            near = _NEAR.match(word)
            if word in ("AND", "OR", "NOT"):
                tokens.append(_Token(word, word, start))
            elif near:
                slop = int(near.group(1))
                if slop > MAX_SLOP:
                    raise QuerySyntaxError(query, start, f"NEAR/{slop} is too wide", f"NEAR/n with n ≤ {MAX_SLOP}")
                tokens.append(_Token("NEAR", word, start, slop))
            elif word.upper().startswith("NEAR") and word.upper() != "NEAR" and "/" in word:
                raise QuerySyntaxError(query, start, f"{word!r} is not a proximity operator", "NEAR/n, e.g. NEAR/5")
            elif word == "NEAR":
                raise QuerySyntaxError(query, start, "NEAR needs a distance", "NEAR/n, e.g. NEAR/5")
            else:
                tokens.append(_Token("WORD", word, start))
    tokens.append(_Token("END", "", n))
    return tokens


class _Parser:
    def __init__(self, query: str, default_operator: DefaultOperator) -> None:
        self.query = query
        self.tokens = _lex(query)
        self.pos = 0
        self.default_operator = default_operator

    @property
    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def fail(self, token: _Token, message: str, expected: str) -> QuerySyntaxError:
        return QuerySyntaxError(self.query, token.column, message, expected)

    def starts_operand(self) -> bool:
        return self.peek.kind in ("WORD", "PHRASE", "LPAREN", "NOT")

    def parse(self) -> QueryNode:
        if self.peek.kind == "END":
            raise self.fail(self.peek, "empty query", "at least one term")
        node = self.or_expr()
        if self.peek.kind != "END":
            token = self.peek
            what = "unmatched ')'" if token.kind == "RPAREN" else f"unexpected {token.text!r}"
            raise self.fail(token, what, "AND, OR, NOT, NEAR/n or the end of the query")
        return node

    def or_expr(self) -> QueryNode:
        children = [self.and_expr()]
        while True:
            if self.peek.kind == "OR":
                self.take()
                children.append(self.and_expr())
            elif self.default_operator == "OR" and self.starts_operand() and self.peek.kind != "NOT":
                children.append(self.and_expr())
            else:
                break
        return children[0] if len(children) == 1 else Or(tuple(children))

    def and_expr(self) -> QueryNode:
        children = [self.near_expr()]
        while True:
            if self.peek.kind == "AND":
                self.take()
                children.append(self.near_expr())
            elif self.peek.kind == "NOT" or (self.default_operator == "AND" and self.starts_operand()):
                children.append(self.near_expr())
            else:
                break
        return children[0] if len(children) == 1 else And(tuple(children))

    def near_expr(self) -> QueryNode:
        node = self.unary()
        while self.peek.kind == "NEAR":
            op = self.take()
            right = self.unary()
            for side in (node, right):
                if not _positional(side):
                    raise self.fail(op, f"NEAR/{op.slop} joins words, phrases and prefixes only, not {side}",
                                    "terms, \"phrases\", prefix* or (a OR b) of those on both sides of NEAR")
            node = Near(node, right, op.slop)
        return node

    def unary(self) -> QueryNode:
        if self.peek.kind == "NOT":
            self.take()
            if not self.starts_operand():
                raise self.fail(self.peek, "NOT with nothing to negate", "a term, phrase or (group) after NOT")
            return Not(self.unary())
        return self.primary()

    def primary(self) -> QueryNode:
        token = self.take()
        if token.kind == "LPAREN":
            if self.peek.kind == "RPAREN":
                raise self.fail(self.peek, "empty parentheses", "a query inside ( )")
            node = self.or_expr()
            if self.peek.kind != "RPAREN":
                raise self.fail(self.peek, "missing ')'", f"')' to close the '(' at column {token.column + 1}")
            self.take()
            return node
        if token.kind == "PHRASE":
            field, text = self.split_field(token, token.text)
            if not text.strip():
                raise self.fail(token, "empty phrase", "words between the quotes")
            return Phrase(text, field, token.column)
        if token.kind == "WORD":
            field, text = self.split_field(token, token.text)
            if "*" in text[:-1] or "?" in text:
                raise self.fail(token, f"wildcard inside {text!r}", "'*' only at the end of a word (prefix*)")
            if text.endswith("*"):
                if len(text) < 2:
                    raise self.fail(token, "a lone '*'", "a prefix before '*', e.g. تفجير*")
                return Prefix(text[:-1], field, token.column)
            return Term(text, field, token.column)
        if token.kind == "END":
            raise self.fail(token, "query ends too early", "a term, phrase or (group)")
        raise self.fail(token, f"unexpected {token.text!r}", "a term, phrase or (group)")

    def split_field(self, token: _Token, text: str) -> tuple[str | None, str]:
        name, sep, rest = text.partition(":")
        if not sep or not name or name not in FIELD_NAMES:
            if sep and name.isascii() and name.isalpha():
                raise self.fail(token, f"unknown field {name!r}", f"one of {', '.join(FIELD_NAMES)}")
            return None, text
        if not rest:
            raise self.fail(token, f"nothing after {name}:", f"{name}:word or {name}:\"a phrase\"")
        return name, rest


def _positional(node: QueryNode) -> bool:
    if isinstance(node, (Term, Phrase, Prefix, Near)):
        return True
    if isinstance(node, Or):
        return all(_positional(c) for c in node.children)
    return False


def parse_query(query: str, default_operator: DefaultOperator = "AND") -> QueryNode:
    return _Parser(query, default_operator).parse()
