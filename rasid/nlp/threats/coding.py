"""Category, severity and event codes (CAMEO 13x THREATEN family, PLOVER) of a threat statement.

CAMEO 2.0 codes used: 130 threaten (unspecified), 131 threaten non-force, 1311 reduce/stop aid,
1312 boycott/embargo/sanctions, 1313 reduce/break relations, 133 political dissent (strike, protest),
137 repression (arrest), 138 military force, 1381 blockade, 1384 conventional attack, 1385 WMD,
139 ultimatum. PLOVER folds them into its THREATEN event; the mode says what is threatened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rasid.records.threat import ThreatCategory


@dataclass(frozen=True, slots=True)
class Coding:
    category: ThreatCategory
    severity: int
    severity_rule: str
    cameo_code: str
    plover_code: str


# (rule name, pattern on the normalised action+trigger text, category, severity, CAMEO, PLOVER mode)
_RULES: tuple[tuple[str, re.Pattern[str], ThreatCategory, int, str, str], ...] = (
    ("wmd", re.compile(r"قنبله|نوويه ضد|بالنووي|خريطه العالم|بازاله|اباده"), "military", 5, "1385", "THREATEN:wmd"),
    ("cyber_attack", re.compile(r"سيبراني|الكتروني|قرصن|اختراق"), "cyber", 3, "130", "THREATEN:cyber"),
    ("terror_attack", re.compile(r"تفجير|سيفجر|اغتيال|اختطاف|ذبح|اعدام"), "terrorism", 5, "1383", "THREATEN:unconventional_violence"),
    # مالي as a word ("المالية"، "وبالمالية"), not inside one ("الشمالية"، "ماليزيا")
    ("sanctions", re.compile(r"عقوب|رسوم|ضريب|جمرك|تجاري|اقتصاد|صادرات|واردات"
                             r"|(?<!\w)[وفبل]{0,2}(?:ال|لل)?مالي(?:ه|ا|ين|ون|يه)?(?!\w)"),
     "economic", 3, "1312", "THREATEN:sanction"),
    ("military_strike", re.compile(r"ضرب|قصف|دمر|تدمير|سحق|صاروخ|صواريخ|غار|عسكري|القوه|حرب|هجوم|هجمات|مهاجم|استهداف|ستستهدف|الاسطول|النار|سلاح|اجتياح|غزو|قتال"),
     "military", 5, "138", "THREATEN:conventional_attack"),
    ("blockade", re.compile(r"اغلاق مضيق|اغلاق هذا المضيق|حصار|اغلاق الحدود|اغلاق حدود|قطع .*الملاحه"), "military", 4, "1381", "THREATEN:blockade"),
    ("relations", re.compile(r"انسحاب|الانسحاب|مقاطعه|سحب الثقه|طرد|قطع العلاقات|تجميد|وقف الاتفاق|الغاء|عزل|يعزل|التخلي عن"), "political", 2, "1313", "THREATEN:reduce_relations"),
    ("repression", re.compile(r"اعتقال|السجن|سجن|اعتقل|مقاضاه|محاكمه|قضائي|السلطات|دعوي|المحكمه|القضاء|ملاحق|القانون|قانوني"),
     "political", 2, "137", "THREATEN:repress"),
    ("dissent", re.compile(r"اضراب|الاعتصام|اعتصام|تظاهر|احتجاج|التصعيد|بالتصعيد"), "political", 2, "133", "THREATEN:protest"),
    ("aid_cut", re.compile(r"المساعدات|التمويل|الدعم|مشروع"), "economic", 3, "1311", "THREATEN:reduce_aid"),
    # رد as a word (سنرد، للرد، ردا), never inside a name (اردوغان، برلمان… the old substring match).
    # ندم as a verb or noun ("ستندم"، "الندم"), not inside "عندما" or "سيندمج"
    ("retaliation", re.compile(r"(?<!\w)[وفبلسنيت]{0,3}(?:ال)?رد(?:ا|ه|ها|هم|ون|وا)?(?!\w)|انتقام|ثمن|عواقب|تصعيد|عقاب"
                               r"|(?<!\w)(?:[وف]?س?[يتن]?|ب?ال)ندم(?:ون|وا|ين|ان|ه|ها)?(?!\w)"),
     "military", 4, "138", "THREATEN:conventional_attack"),
    # "Measures", "consequences": no means named; the sentence's context may say which (below).
    ("measures", re.compile(r"اجراء|تدابير|تبعات|تداعيات|مشكلات|شيئا|السبل"), "other", 2, "130", "THREATEN"),
)


# Vague responses ("ستتخذ الإجراءات اللازمة", "سترد") say nothing of their means; where the sentence is
# about trade and not about arms, the response is a trade one, not a military strike.
_VAGUE_RULES = ("retaliation", "measures", "unspecified_harm")
# Narrower than the action patterns above on purpose: these scan a whole sentence, where substrings
# such as غار، ضرب or مالي turn up inside unrelated words (مغاربة، اضراب، الشمالي).
_TRADE_CONTEXT = re.compile(r"تجاري|التجاره|رسوم|جمرك|واردات|الواردات|صادرات|الصادرات|تعريف|عقوبات اقتصاديه")
_MILITARY_CONTEXT = re.compile(r"عسكري|قصف|صاروخ|صواريخ|غارات|هجوم|هجمات|القوات|قوات|الجيش|سلاح|اسلحه|الحرب علي")


def _in_trade_context(normalized_sentence: str) -> bool:
    return bool(_TRADE_CONTEXT.search(normalized_sentence)) and not _MILITARY_CONTEXT.search(normalized_sentence)


def code_threat(normalized_action: str, trigger_kind: str, actor_is_militant: bool,
                normalized_sentence: str = "") -> Coding:
    """Category, severity (1-5 with the rule that set it) and CAMEO/PLOVER codes."""
    coding = _code_action(normalized_action, trigger_kind, actor_is_militant)
    rule = coding.severity_rule.split("+")[-1]
    if rule not in _VAGUE_RULES:
        return coding
    cameo = "139" if trigger_kind == "ultimatum" else None
    if _in_trade_context(normalized_sentence):
        return Coding("economic", 3, f"{coding.severity_rule}+trade_context", cameo or "1312", "THREATEN:sanction")
    if rule == "retaliation" and not _MILITARY_CONTEXT.search(normalized_sentence):
        # "سترد", "ستدفع الثمن", "عواقب وخيمة" with no talk of arms: a response whose means are not said
        # (CAMEO 130), not a threat of military force; diplomatic rows and domestic warnings read so.
        return Coding("terrorism" if actor_is_militant else "other", 3, f"{coding.severity_rule}+unspecified_means",
                      cameo or "130", "THREATEN")
    # Named but vague means ("measures", "will face") among talk of arms: a military threat, held at
    # severity 3 since the means are inferred. No action found at all says too little to infer from.
    if rule != "retaliation" and normalized_action and _MILITARY_CONTEXT.search(normalized_sentence):
        category = "terrorism" if actor_is_militant else "military"
        return Coding(category, 3, f"{coding.severity_rule}+military_context", cameo or "138",
                      "THREATEN:conventional_attack")
    return coding


def _code_action(normalized_action: str, trigger_kind: str, actor_is_militant: bool) -> Coding:
    for name, pattern, category, severity, cameo, plover in _RULES:
        if pattern.search(normalized_action):
            if actor_is_militant and category == "military":
                category = "terrorism"
            if trigger_kind == "ultimatum":
                return Coding(category, max(severity, 3), f"ultimatum+{name}", "139", plover)
            return Coding(category, severity, name, cameo, plover)
    if trigger_kind == "ultimatum":
        return Coding("political", 3, "ultimatum", "139", "THREATEN")
    return Coding("terrorism" if actor_is_militant else "other", 1 if not normalized_action else 2,
                  "unspecified_harm", "130", "THREATEN")


MILITANT = re.compile(r"تنظيم|داعش|الدوله الاسلاميه|القاعده|طالبان|بوكو|الشباب|ميليشي|مليشي|فصائل|الحوثي|جماعه|مسلحه|مسلحين|المتمردين")
