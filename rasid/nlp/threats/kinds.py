"""Trigger kinds, grouped by what the filters, roles and features test them for.

Imports nothing from the package: roles.py cannot import extractor.py (a cycle), so the kinds live here.
"""

from __future__ import annotations

from typing import Literal

Kind = Literal[
    "threaten", "noun", "vow", "brandish", "ultimatum", "warn",  # words of threatening
    "respond", "attack", "continue", "retaliate", "pay", "regret", "face", "or_else",  # the act, its price, "وإلا"
    "commit", "refuse", "measure",  # candidates only (permissive): the decision layer judges them
]

# Verbs of threatening: their subject is the actor, before the verb (SVO) or after it (VSO).
THREAT_VERBS: frozenset[str] = frozenset(("threaten", "vow", "brandish", "warn", "ultimatum"))
# Threat verbs whose م- form is a participle (مهددا، متوعدا، ملوحا، محذرا); ultimatum's is the noun مهلة.
PARTICIPIAL: frozenset[str] = frozenset(("threaten", "vow", "brandish", "warn"))
# A threat said to someone: the verb takes the threatened as a pronoun (توعدهم), its participle opens a quote.
SPOKEN_THREATS: frozenset[str] = frozenset(("vow", "threaten", "warn"))
# Triggers that name the threatened act in a بـ-complement ("هدد بفرض…"، "تهديد بالانسحاب").
ACT_IN_B_COMPLEMENT: frozenset[str] = frozenset(("threaten", "vow", "brandish", "noun", "ultimatum"))
# A future act the verb's subject will do ("سترد الصين"): the subject is the actor, even after the verb (VSO).
OWN_ACTS: frozenset[str] = frozenset(("respond", "attack", "continue", "commit", "refuse"))
# A consequence the verb's subject will suffer ("ستندم"، "ستواجه عواقب"): the subject is the target.
CONSEQUENCES: frozenset[str] = frozenset(("regret", "pay", "face"))
# The trigger is the future act itself, no verb of threatening: a forecast or speculation reads the same.
FUTURE_ACTS: frozenset[str] = OWN_ACTS | CONSEQUENCES | {"retaliate"}
# Coded as an ultimatum (CAMEO 139): a deadline, or "وإلا" (do it or else).
ULTIMATUMS: frozenset[str] = frozenset(("ultimatum", "or_else"))
