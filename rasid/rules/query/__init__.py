"""The keyword query language of Rasid rules: terms, "phrases", AND/OR/NOT, NEAR/n, prefix*, (…)."""

from rasid.rules.query.parser import QuerySyntaxError, parse_query
from rasid.rules.query.syntax import And, Near, Not, Or, Phrase, Prefix, QueryNode, Term

__all__ = [
    "And", "Near", "Not", "Or", "Phrase", "Prefix", "QueryNode", "QuerySyntaxError", "Term", "parse_query",
]
