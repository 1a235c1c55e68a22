"""Where a field may hold a threat: one Aho-Corasick pass over its raw text for the cue letters of every trigger.

Most fields hold none and are never split into words. The cues are letter sequences, not words (a clitic or a
suffix may sit on either side), matched on the text without harakat and tatweel (they may sit inside a word);
positions are given in the original text, so a caller can tell which sentences hold one.
"""

from __future__ import annotations

import re
from bisect import bisect_right

import ahocorasick

from rasid.nlp.threats import lexicon as lx

_CUES = (
    "هدد", "تهديد", "توعد", "وعيد", "لوح", "تلويح", "مهل", "نذر", "نذار", "حذر", "تحذير", "سترد", "سيرد", "سنرد",
    "ترد ب", "يرد ب", "نرد ب", "دفع", "ندم", "واجه", "ستهدف", "سيضرب", "ستضرب", "سيقصف", "ستقصف", "سيهاجم", "ستهاجم",
    "واصل", "مكتوف", "لن تمر", "لن يمر", "انتقامي", "وإلا", "والا", "للرد", "ستخدم", "تتخذ", "يتخذ", "نتخذ", "ستفرض",
    "سيفرض", "سنفرض", "النظر في", "يدرس", "تدرس", "مستعد", "تعهد",
    "سيتم فرض", "سيتم توسيع", "سيتم تشديد", "سيتم اتخاذ", "سيتم إعادة", "سيتم اعادة",
)
_PERSONS = "يتن"
# Commitments ("ستطرد"، "سنلاحق"، "سوف ترد") and refusals ("لن نسمح"), in every person.
_COMMITMENTS = tuple(f"س{p}{stem}" for p in _PERSONS
                     for stem in (*lx.COMMIT_STEMS.replace("لجا", "لجأ|لجا").split("|"), "ضرب", "قصف", "هاجم"))
_REFUSALS = tuple(f"لن {p}{stem}" for p in _PERSONS for stem in lx.REFUSE_STEMS.split("|"))
_FUTURE = tuple(f"سوف {p}" for p in _PERSONS)

_MARKS = re.compile("[\u064b-\u0652\u0640]")


def _automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for cue in dict.fromkeys((*_CUES, *_COMMITMENTS, *_REFUSALS, *_FUTURE)):
        automaton.add_word(cue, len(cue))
    automaton.make_automaton()
    return automaton


_AUTOMATON = _automaton()


def cue_positions(text: str) -> list[int]:
    """Start offsets (in `text`) of every cue, in order; empty when the field holds none."""
    plain = _MARKS.sub("", text)
    starts = sorted({end - size + 1 for end, size in _AUTOMATON.iter(plain)})
    if starts and len(plain) != len(text):
        # Back to offsets in the text: a start moves right by the marks removed before it.
        removed_at = [m.start() - k for k, m in enumerate(_MARKS.finditer(text))]
        starts = [p + bisect_right(removed_at, p) for p in starts]
    return starts
