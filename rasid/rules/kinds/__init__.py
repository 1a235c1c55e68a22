"""One class per rule `type:`, sharing the `Rule` interface."""

from rasid.rules.kinds.base import Firing, Rule, StateStore
from rasid.rules.kinds.flatline import FlatlineRule
from rasid.rules.kinds.frequency import FrequencyRule
from rasid.rules.kinds.matching import EntityRule, KeywordRule, ThreatRule
from rasid.rules.kinds.new_term import NewTermRule
from rasid.rules.kinds.spike import SpikeRule

RULE_CLASSES: dict[str, type[Rule]] = {
    cls.type_name: cls
    for cls in (KeywordRule, EntityRule, ThreatRule, FrequencyRule, SpikeRule, NewTermRule, FlatlineRule)
}

__all__ = [
    "EntityRule", "Firing", "FlatlineRule", "FrequencyRule", "KeywordRule", "NewTermRule", "RULE_CLASSES",
    "Rule", "SpikeRule", "StateStore", "ThreatRule",
]
