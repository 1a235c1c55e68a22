"""Threat extraction on real sentences: inclusion and exclusion rules, offsets, dev-set figures.

Sentences come from tests/threats/data/threat_devset.jsonl (cited by `cid` and source id there)
or straight from ../shared/data/news/ant-articles.jsonl (cited by article id, field and offsets).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from rasid.nlp.ner import extract_entities
from rasid.nlp.threats import extract_threats
from rasid.nlp.threats.extractor import threat_candidates
from rasid.nlp.threats.role_choice import names_no_one
from rasid.nlp.threats.words import words_of
from rasid.records import ThreatStatement
from tests.threats.evaluate import evaluate, load

DEVSET = Path(__file__).parent / "data" / "threat_devset.jsonl"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
NEWS = SHARED / "data" / "news" / "ant-articles.jsonl"
SEED = SHARED / "fixtures" / "seed" / "article.txt"


@lru_cache(maxsize=1)
def _devset() -> dict[int, dict]:
    return {row["cid"]: row for row in map(json.loads, DEVSET.open(encoding="utf-8"))}


@lru_cache(maxsize=1)
def _articles() -> dict[str, dict]:
    return {a["id"]: a for a in map(json.loads, NEWS.open(encoding="utf-8"))}


def dev(cid: int) -> str:
    return _devset()[cid]["text"]


def news(article_id: str, field: str, start: int, end: int) -> str:
    return _articles()[article_id][field][start:end]


def only(text: str) -> ThreatStatement:
    threats = extract_threats(text, "text")
    assert len(threats) == 1, threats
    return threats[0]


def with_entities(text: str) -> ThreatStatement:
    """The threat as the pipeline finds it: with the field's entities from the entity model."""
    threats = extract_threats(text, "text", extract_entities(text, "text"))
    assert len(threats) == 1, threats
    for role in ("trigger", "actor", "target", "action", "condition", "reported_by"):
        span = getattr(threats[0], role)
        assert span is None or text[span.start : span.end] == span.text
    return threats[0]


def in_article(cid: int) -> ThreatStatement:
    """The threat of devset sentence `cid` as the pipeline finds it: entities and threats of its whole field."""
    article_id, field, span = _devset()[cid]["id"].split(":")[1:]
    start, end = map(int, span.split("-"))
    text = _articles()[article_id][field]
    threats = [t for t in extract_threats(text, field, extract_entities(text, field)) if start <= t.start < end]
    assert len(threats) == 1, threats
    return threats[0]


def assert_offsets(text: str, threat: ThreatStatement) -> None:
    assert text[threat.start : threat.end] == threat.text
    for role in ("trigger", "actor", "target", "action", "condition", "reported_by"):
        span = getattr(threat, role)
        if span is not None:
            assert text[span.start : span.end] == span.text, role


# --- what counts -------------------------------------------------------------------------


def test_verb_threat_with_condition_actor_target_and_sanctions_code() -> None:
    # cid 0, ant:BB-middleEast-… "وهدد وزير الخارجية الأمريكي مايك بومبيو الاثنين إيران …"
    t = only(dev(0))
    assert "بومبيو" in t.actor.text
    assert t.target is not None and t.target.text == "إيران"
    assert t.condition is not None and t.condition.text.startswith("إن لم")
    assert t.category == "economic" and t.cameo_code == "1312"


def test_headline_subject_first() -> None:
    t = only(dev(9))  # "إسرائيل تهدد بتوسيع ردها بعد أحداث "يوم الأرض""
    assert t.actor.text == "إسرائيل"
    assert t.action is not None and t.action.text.startswith("بتوسيع")


def test_ultimatum_gets_cameo_139() -> None:
    t = only(dev(175))  # "وأمهل الرئيس الأميركي، دونالد ترامب، الحلفاء الأوروبيين حتى يوم 12 مايو …"
    assert t.cameo_code == "139"
    assert "الرئيس الأميركي" in t.actor.text


def test_conditional_commitment_in_reported_speech() -> None:
    t = only(dev(65))  # "وقالت بريطانيا إنها سترد بقوة إذا أكدت الأدلة أن روسيا مسؤولة عن محاولة القتل."
    assert t.actor.text == "بريطانيا"
    assert t.condition is not None and t.condition.text.startswith("إذا أكدت")


def test_brandishing_military_force() -> None:
    t = only(dev(150))  # "… لوحت إسرائيل باللجوء إلى سلاح الاغتيالات لقادة حماس … إذا ما استمر التصعيد …"
    assert t.trigger.text == "لوحت" and t.actor.text == "إسرائيل"
    assert t.condition is not None
    assert t.severity == 5


def test_warning_that_announces_retaliation_is_a_threat() -> None:
    t = only(dev(96))  # "حذرت الولايات المتحدة إيران من أنها "سترد بسرعة وحسم" على أي هجمات …"
    assert t.trigger.text == "حذرت"
    assert "الولايات المتحدة" in t.actor.text


def test_nominal_report_of_a_threat_with_its_act() -> None:
    t = only(dev(208))  # "… بعد تهديد الرئيس الأميركي، دونالد ترامب، باستخدام القوة ردا على الهجوم على دوما …"
    assert t.trigger.text == "تهديد"
    assert t.category == "military" and t.cameo_code.startswith("138")


def test_vague_response_in_a_trade_dispute_is_coded_economic_not_military() -> None:
    # AL-economy-101-20180225 text: "… وزارة التجارة الصينية … وأن الصين ستتخذ الإجراءات اللازمة لحماية مصالحها …"
    text = news("AL-economy-101-20180225", "text", 0, 10**6)
    sentence = next(s for s in text.split("\n") if "ستتخذ الإجراءات اللازمة" in s)
    t = only(sentence)
    assert t.category == "economic" and t.cameo_code == "1312"
    assert t.severity_rule.endswith("trade_context")
    # The same vague "سترد" where the sentence is about attacks stays a military threat (cid 96).
    assert only(dev(96)).category == "military"


def test_regret_is_a_word_not_letters_inside_when() -> None:
    # FR-internationalNews-327-20180308: '"… ستتحرك بطريقة حازمة عندما تصبح الوقائع أكثر وضوحا"': "عندما" (when) holds
    # the letters of ندم (regret) and made the act a retaliation; "ستندم" still is one
    t = with_entities(sentence_with("FR-internationalNews-327-20180308", "text", "عندما تصبح الوقائع"))
    assert not t.severity_rule.startswith("retaliation"), t.severity_rule
    regret = with_entities(sentence_with("FR-internationalNews-640-20180409", "text", '"ستندم"'))
    assert regret.severity_rule.startswith("retaliation"), regret.severity_rule


@pytest.mark.parametrize(("article_id", "field", "phrase", "category", "cameo"), [
    # 'قال فيه إنه "سيدمر كوريا الشمالية تماما"': to destroy is force (it was coded sanctions: "مالي" in "الشمالية")
    ("BB-internationalNews-121-20180309", "text", "سيدمر كوريا", "military", "138"),
    ("SK-middleEast-1596-20180511", "title", "سندمر حيفا", "military", "138"),
    # "وهددت بيونغيانغ … بإلغاء القمة المرتقبة بين الزعيم الكوري الشمالي …": calling off a summit cuts relations
    ("SK-internationalNews-1602-20180516", "text", "بإلغاء القمة", "political", "1313"),
])
def test_north_korea_is_no_financial_word_and_destroying_is_force(article_id: str, field: str, phrase: str,
                                                                   category: str, cameo: str) -> None:
    t = with_entities(sentence_with(article_id, field, phrase))
    assert (t.category, t.cameo_code) == (category, cameo), t.severity_rule


def test_a_response_with_no_means_named_and_no_talk_of_arms_is_not_a_military_threat() -> None:
    # AL-internationalNews-410-20180309 text: "وهددت بريطانيا بأنها سترد بقوة إذا أكدت الأدلة أن روسيا مسؤولة عن
    # محاولة القتل." (the Skripal affair: the response came as expulsions). CAMEO 130, not 138.
    t = with_entities(sentence_with("AL-internationalNews-410-20180309", "text", "سترد بقوة"))
    assert t.actor.text == "بريطانيا" and t.target is not None and t.target.text == "روسيا"
    assert t.category == "other" and t.cameo_code == "130" and t.severity == 3
    assert t.severity_rule == "retaliation+unspecified_means"


def test_what_a_threat_answers_is_not_its_target() -> None:
    # cid 471 (ant:SK-middleEast-1055-20180416): "وتوعدت إيران، بالرد على هجوم التيفور ومقتل العسكريين الإيرانيين …";
    # cid 1372 (ant:BB-middleEast-1104-20181015): "السعودية تتوعد بالرد على أي عقوبة". The attack and the sanction
    # are what is answered; who will be hit is not named (the annotation's target is empty too).
    for cid, actor in ((471, "إيران"), (1372, "السعودية")):
        t = with_entities(dev(cid))
        assert t.actor is not None and t.actor.text == actor
        assert t.target is None, t.target


def sentence_with(article_id: str, field: str, words: str) -> str:
    text = news(article_id, field, 0, 10**6)
    return next(s for s in text.split("\n") if words in s)


def test_coding_reads_words_not_letters_inside_names() -> None:
    # SK-middleEast-2552-20180623 title: "ديمرتاش يتوعد أردوغان بمنافسة شرسة": the رد in أردوغان is no retaliation
    [t] = extract_threats(sentence_with("SK-middleEast-2552-20180623", "title", "بمنافسة شرسة"), "title")
    assert t.category != "military" and t.severity <= 2


def test_vague_measures_are_not_a_military_threat_without_talk_of_arms() -> None:
    # BB-technology-96-20180322: "قال زوكربيرغ إنه سيتخذ إجراءات منها:" (fixing Facebook's data problems)
    found = extract_threats(sentence_with("BB-technology-96-20180322", "text", "سيتخذ إجراءات منها"), "text")
    assert all(t.category != "military" for t in found)
    # BB-middleEast-26-20180213: a lawyer "سيتخذ إجراءات قانونية ضد جنينة": legal action, CAMEO 137
    [legal] = extract_threats(sentence_with("BB-middleEast-26-20180213", "text", "إجراءات قانونية ضد جنينة"), "text")
    assert legal.category == "political" and legal.cameo_code == "137"


def test_threat_after_a_denial_of_something_else_still_counts() -> None:
    # BB-internationalNews-109-20180307 text: "ونفى النائب في الدوما تلك الاتهامات، وهدد برفع دعوى عليها في المحكمة …"
    text = news("BB-internationalNews-109-20180307", "text", 0, 10**6)
    sentence = next(s for s in text.split("\n") if "وهدد برفع دعوى" in s)
    t = only(sentence)
    assert t.trigger.text == "وهدد" or t.trigger.text.endswith("هدد")
    assert t.category == "political"


def test_seed_article_threat_lines() -> None:
    # The seed article (../shared/fixtures/seed): lines 1, 3, 6, 9, 16 hold threats; 4, 7, 10-15, 19 do not.
    text = SEED.read_text(encoding="utf-8")
    starts, pos = [], 0
    for line in text.split("\n"):
        starts.append((pos, pos + len(line)))
        pos += len(line) + 1
    threats = extract_threats(text, "text")
    lines = {i + 1 for t in threats for i, (a, b) in enumerate(starts) if t.start < b and t.end > a}
    assert {1, 3, 6, 9, 16} <= lines
    assert not lines & {4, 7, 10, 11, 12, 13, 14, 15, 19}
    by_line = {i + 1: t for t in threats for i, (a, b) in enumerate(starts) if t.start < b and t.end > a}
    assert by_line[3].condition is not None and by_line[3].condition.text.startswith("إذا لم")
    assert by_line[9].actor is not None and by_line[9].actor.text == "الهيئة"
    assert by_line[6].target is not None and "للقوات الأميركية" in by_line[6].target.text
    for t in threats:
        assert_offsets(text, t)


# --- who threatens whom (roles from entities and word order) ------------------------------


def test_verb_first_target_after_a_place_phrase() -> None:
    # cid 517: "… حذر الرئيس الأمريكي دونالد ترامب في تغريدة … على موقع "تويتر" نظيره الإيراني حسن روحاني من تداعيات …"
    t = with_entities(dev(517))
    assert "دونالد ترامب" in t.actor.text and "تويتر" not in t.actor.text
    assert t.target is not None and "حسن روحاني" in t.target.text


def test_appositive_name_belongs_to_the_actor_and_the_target_follows_the_time_word() -> None:
    # cid 124: "توعّد الرئيس التركي، رجب طيب #أردوغان، الثلاثاء، المسؤولين عن مقتل مدنيين …"
    t = with_entities(dev(124))
    assert t.actor.text.startswith("الرئيس التركي") and "أردوغان" in t.actor.text
    assert t.target is not None and t.target.text.startswith("المسؤولين")


def test_attached_pronoun_object_resolves_to_the_earlier_name() -> None:
    # cid 120: "واتهمت إسرائيل فيلق القدس بالوقوف وراء الهجوم الصاروخي وتوعدته بأنه سيدفع ثمن ذلك."
    t = with_entities(dev(120))
    assert t.actor.text == "إسرائيل"
    assert t.target is not None and t.target.text == "فيلق القدس"


def test_coordinated_verb_takes_the_earlier_subject_and_its_object_is_the_target() -> None:
    # cid 418: "… قبل أن تحدد السلطات سعر صرف ثابت … وتحذر الإيرانيين من أنهم سيواجهون عقوبات …"
    t = with_entities(dev(418))
    assert t.actor.text == "السلطات"
    assert t.target is not None and t.target.text == "الإيرانيين"


def test_subject_of_the_reported_clause_not_the_newspaper() -> None:
    # cid 466: "وقالت صحيفة "أس" إن رونالدو "غاضب جدا" وقد هدد بمقاضاة محطة "ميدياسيت" الإسبانية …"
    t = with_entities(dev(466))
    assert t.actor.text == "رونالدو"
    assert t.reported_by is not None and "صحيفة" in t.reported_by.text
    # cid 93: "ذكرت صحيفة "لوموند "الفرنسية السبت أن السعودية دعت فرنسا …، ملوحة بإمكانية لجوئها إلى "تحرك عسكري" ضد الدوحة …"
    t = with_entities(dev(93))
    assert t.actor.text == "السعودية"
    assert t.target is not None and t.target.text == "الدوحة"


def test_target_named_inside_the_threatened_act() -> None:
    # cid 416: "وكان ترامب قد توعد بشن هجوم على النظام السوري، …"
    t = with_entities(dev(416))
    assert t.actor.text == "ترامب" and t.target.text == "النظام السوري"
    # cid 28: "… بينما هددت تركيا بأنها ستستهدف تلك القوات حال اتخاذها …"
    t = with_entities(dev(28))
    assert t.actor.text == "تركيا" and "تلك القوات" in t.target.text
    # cid 452: "وهدد الرئيس دونالد ترامب في وقت سابق بفرض رسوم جمركية، على واردات السيارات من الاتحاد الأوروبي."
    t = with_entities(dev(452))
    assert t.target is not None and t.target.text == "الاتحاد الأوروبي"


def test_subject_before_the_verb_with_a_dropped_pronoun() -> None:
    # cid 397: "… رئيس الوزراء الكندي قوّض محاولات إظهار الوحدة عندما أكد أنه حذر الرئيس الأمريكي بأن كندا ستفرض رسوماً …"
    t = with_entities(dev(397))
    assert t.actor.text == "رئيس الوزراء الكندي"
    assert t.target is not None and t.target.text == "الرئيس الأمريكي"


def test_conditional_response_targets_whom_the_condition_names() -> None:
    # cid 484: "… أعلنت وزيرة التجارة التركية روهصار بكجان، الجمعة، أن تركيا ستردّ في حال قررت الولايات المتحدة فرض عقوبات …"
    t = with_entities(dev(484))
    assert t.trigger.text == "ستردّ" and t.actor.text == "تركيا"
    assert t.target is not None and t.target.text == "الولايات المتحدة"
    assert t.reported_by is not None and "وزيرة التجارة" in t.reported_by.text


def test_ultimatum_noun_with_its_giver() -> None:
    # cid 4: "ووضع ترامب مهلة للأوروبيين حتى تاريخ 12 أيار/مايو …"
    t = with_entities(dev(4))
    assert t.trigger.text == "مهلة" and t.cameo_code == "139"
    assert t.actor.text == "ترامب" and t.target.text.startswith("للأوروبيين")


def test_warnings_that_announce_tariffs_or_interceptions_are_threats() -> None:
    for cid in (397, 399, 441):  # ستفرض رسوماً جمركية انتقامية، قد يفرض … رسوما على، سوف تُسقط الصواريخ الأمريكية
        assert _devset()[cid]["threat"] is True
        assert extract_threats(dev(cid), "text") != [], cid


def test_a_warning_of_military_action_said_before_had_is_a_threat() -> None:
    # ant:SK-middleEast-974-20180412 text 948-1130: "وكان الرئيس الأميركي قد حذر، الأربعاء، روسيا من إجراء عسكري وشيك في
    # سوريا …": "قد" before a past verb is "had", not "may", and a military action is the warner's harm
    text = news("SK-middleEast-974-20180412", "text", 948, 1130)
    threat = with_entities(text)
    assert threat.trigger.text == "حذر" and threat.actor is not None and "الرئيس الأميركي" in threat.actor.text
    assert threat.target is not None and threat.target.text == "روسيا"  # past the time between commas, not سوريا


def test_what_was_threatened_in_a_relative_clause() -> None:
    # cid 420: "… حال تنفيذ الحكومة السورية ما هددت به من هجوم شامل …"; cid 400: "… مضيق هرمز الذي هدد الرئيس الإيراني حسن روحاني بإغلاقه."
    assert with_entities(dev(420)).actor.text == "الحكومة السورية"
    assert "حسن روحاني" in with_entities(dev(400)).actor.text


# --- what does not count -----------------------------------------------------------------


@pytest.mark.parametrize(
    "cid",
    [
        17,  # health: "… لكن خبراء الصحة يحذرون من تبعات خطيرة للعادة "السيئة" …"
        273,  # health: "ونتيجة لذلك حذر الدكتور محمد العامري … من ترك الأطفال في السيارات …"
        247,  # safety: "ويحذر الخبراء من مغبة استغلال الطائرات بدون طيار الصغيرة …"
        253,  # market: "… بعدما حذر وزراء مالية ومحافظو البنوك المركزية بدول مجموعة الـ20 من تزايد المخاطر …"
    ],
)
def test_health_safety_and_market_warnings_are_not_threats(cid: int) -> None:
    assert _devset()[cid]["threat"] is False
    assert extract_threats(dev(cid), "text") == []


def test_weather_warning_is_not_a_threat() -> None:
    # BB-internationalNews-83-20180302 text[455:568]
    text = news("BB-internationalNews-83-20180302", "text", 455, 568)
    assert "تحذيرات من الطقس" in text
    assert extract_threats(text, "text") == []


@pytest.mark.parametrize("cid", [20, 43, 140, 156])  # يهدد حلمه في المشاركة، بمثابة إنذار لسيتي، تلقى إنذارا من الحكم، هدد بعضها مرمى
def test_sport_is_not_a_threat(cid: int) -> None:
    assert extract_threats(dev(cid), "text") == []


@pytest.mark.parametrize("cid", [6, 8, 13, 33, 127, 173, 71, 487, 492])  # تهديدا لأمنها القومي، "تهديدا له"، شكل "تهديدا لمصر" …
def test_abstract_threat_nouns_are_not_threats(cid: int) -> None:
    assert extract_threats(dev(cid), "text") == []


@pytest.mark.parametrize("cid", [22, 27, 40, 54, 57, 67, 85, 98, 412, 428, 455, 473])  # يهدد in the sense "endangers"
def test_endangering_is_not_threatening(cid: int) -> None:
    assert extract_threats(dev(cid), "text") == []


@pytest.mark.parametrize("cid", [10, 81, 181, 238])  # retaliation or strikes already carried out
def test_reports_of_past_attacks_are_not_threats(cid: int) -> None:
    assert extract_threats(dev(cid), "text") == []


def test_denial_is_not_a_threat() -> None:
    # BB-internationalNews-229-20180326 text: "… ونفى كوهين أيضا أنه هدد كليفورد بأي صورة من الصور."
    text = news("BB-internationalNews-229-20180326", "text", 0, 10**6)
    sentence = text[text.index("ونفى كوهين") : text.index("من الصور.") + len("من الصور.")]
    assert extract_threats(sentence, "text") == []


def test_a_negation_joined_to_its_conjunction_negates() -> None:
    # "ولم يتعهد ترامب برفع العقوبات …" (and Trump did not pledge …): ولم is لم after its conjunction
    text = news("SK-internationalNews-3472-20181014", "text", 760, 853)
    assert extract_threats(text, "text", extract_entities(text, "text")) == []


def test_negated_past_threat_is_not_a_threat() -> None:
    # cid 435: "وتابعا "لم نكن نهدد الرهائن في بداية الأمر بالقتل لكننا كنا مضطرين للمضي قدما وإلا فقد كنا سنفقد مصداقيتنا"."
    assert _devset()[435]["reason"] == "denial"
    assert extract_threats(dev(435), "text") == []


def test_warning_whose_harm_word_is_inside_another_word_is_not_a_threat() -> None:
    # cid 444: "حذرت مفوضة العدل … قد تكون "مكلفة" بعد شهر مايو عندما تدخل لائحة …" (عندما holds the letters of ندم)
    assert extract_threats(dev(444), "text") == []


def test_question_is_not_a_threat() -> None:
    # BB-middleEast-700-20180705 text[333:…]: "ماذا يعني تهديد إيران بـ"إغلاق مضيق هرمز"؟"
    text = news("BB-middleEast-700-20180705", "text", 333, 333 + 42)
    assert text.endswith("؟")
    assert extract_threats(text, "text") == []


def test_a_headline_threat_followed_by_a_question_is_still_a_threat() -> None:
    # AL-economy-155-20180304 title: "ترمب يهدد بفرض ضريبة على السيارات الأوروبية..فما الرد؟": the question is
    # the headline's second clause, after the ellipsis; it does not make the threat a question.
    text = _articles()["AL-economy-155-20180304"]["title"]
    threats = extract_threats(text, "title", extract_entities(text, "title"))
    assert [t.text for t in threats] == ["ترمب يهدد بفرض ضريبة على السيارات الأوروبية.."]
    assert threats[0].actor is not None and threats[0].actor.text == "ترمب"
    assert threats[0].category == "economic"


def test_look_alike_words_are_not_triggers() -> None:
    for cid in (17, 25, 47, 131, 195):  # لوحة، يلوح في الأفق، …
        if _devset()[cid]["reason"] == "noncue":
            assert extract_threats(dev(cid), "text") == [], cid


def test_and_the_feast_of_is_not_a_threat_noun() -> None:
    # "بين عيد الفطر وعيد الأضحى": و + عيد (feast), spelled like وعيد (a threat); the model scored it a threat.
    text = news("AL-culture-145-20180308", "text", 113, 311)
    assert "وعيد الأضحى" in text
    assert extract_threats(text, "text", extract_entities(text, "text")) == []


def test_role_spans_keep_their_quote_marks_paired() -> None:
    # An actor runs up to where the quoted speech begins, and a quoted name keeps its closing mark.
    speech = news("CN-internationalNews-459-20180810", "text", 1061, 1291)
    rules = extract_threats(speech, "text", extract_entities(speech, "text"), role_model=None)
    assert len(rules) == 1 and rules[0].actor is not None and rules[0].actor.text == "بلادها"  # not 'بلادها "ستعمل'
    name = news("FR-internationalNews-1190-20180511", "text", 5777, 6013)
    assert with_entities(name).actor.text == 'تنظيم "الدولة الإسلامية"'


@pytest.mark.parametrize(("cid", "actor", "condition"), [
    # train7: "… إن السعودية تؤكد أنها إذا "تلقت أي إجراء فسوف ترد عليه بإجراء أكبر"
    (1941, "السعودية", 'إذا "تلقت أي إجراء'),
    # train7: "إذا لم تتخذ تركيا إجراءات فورية … وتعيده إلى بلاده ستفرض الولايات المتحدة عقوبات كبيرة على تركيا"
    (2071, "الولايات المتحدة", "إذا لم تتخذ تركيا إجراءات فورية لإطلاق سراح هذا الرجل المؤمن البريء وتعيده إلى بلاده"),
])
def test_a_condition_put_first_ends_where_its_answer_begins(cid: int, actor: str, condition: str) -> None:
    # Who acts is found outside the condition (the one who receives a measure or fails to act is not the actor).
    # (The rules' reading of the commitment; whether it is reported is the decision layer's call.)
    text = dev(cid)
    [candidate] = [c for c in threat_candidates(text, extract_entities(text, "text")) if c.trigger.kind in ("commit", "measure")]
    cond, words, rules = candidate.situation.condition, candidate.situation.words, candidate.situation.rules
    assert cond is not None and text[words[cond[0]].start : words[cond[1]].end] == condition
    assert rules.actor is not None and text[rules.actor[0] : rules.actor[1]] == actor


@pytest.mark.parametrize("cid", [1988, 1907])  # "المتحدث … لو كانغ" (a name), "في حالة حرب مع سوريا" (a state)
def test_names_and_states_are_not_conditions(cid: int) -> None:
    threat = with_entities(dev(cid))
    assert threat.condition is None
    assert threat.actor is not None and threat.actor.text == {1988: "الصين", 1907: "إسرائيل"}[cid]


# --- batch 3 (dev split): rules that fix classes of errors on fresh articles -------------------


def test_relative_clause_with_a_named_antecedent_is_an_agent() -> None:
    # cid 691 (ant:SK-economy-1039-20180725:summary:0-173): "… دونالد ترامب الذي هدد بفرض رسوم جمركية على جميع الواردات الصينية."
    t = with_entities(dev(691))
    assert t.trigger.text == "هدد" and "ترامب" in t.actor.text
    # cid 687 (ant:SK-middleEast-764-20180403:text:896-1040): "… والتي هدد الرئيس الجمهوري بالانسحاب منها." (و + relative)
    assert extract_threats(dev(687), "text") != []


def test_complement_clause_act_and_the_latter() -> None:
    # cid 721 (ant:AL-economy-259-20180318:text:364-505): "وطالبت اليابان والاتحاد الأوروبي واشنطن … بل هددت الأخيرة أنها ستفرض رسوما …"
    t = with_entities(dev(721))
    assert t.actor.text == "الأوروبي" or "الاتحاد الأوروبي" in t.actor.text
    assert t.action is not None and t.action.text.startswith("ستفرض")


def test_brandishing_past_a_relative_clause() -> None:
    # cid 742 (ant:FR-internationalNews-2043-20180628:summary:162-322): "لوحت موسكو التي صوتت ضد القرار، بالانسحاب من المنظمة"
    t = with_entities(dev(742))
    assert t.trigger.text == "لوحت" and t.actor.text == "موسكو"
    assert t.action is not None and t.action.text.startswith("بالانسحاب")


@pytest.mark.parametrize("cid", [591, 577, 532, 651])  # من رد قوي، سوف يستدعي تدخلا أميركيا، ما لم ينجح …، بأنها ستهاجم
def test_warnings_of_a_forceful_response_an_intervention_or_an_unless_are_threats(cid: int) -> None:
    assert _devset()[cid]["threat"] is True
    assert extract_threats(dev(cid), "text") != []


@pytest.mark.parametrize("cid", [548, 562, 579, 718, 745])  # تلوث الهواء يهددنا، خطة تهدد بإغلاق، الأمطار … تهدد بغمر، أزمة تهدد العمل، هدد بعضها حياة
def test_things_and_events_that_endanger_are_not_threateners(cid: int) -> None:
    assert _devset()[cid]["reason"] == "endanger" or _devset()[cid]["reason"] == "weather"
    assert extract_threats(dev(cid), "text") == []


@pytest.mark.parametrize("cid", [701, 706, 722])  # وجود تهديدات بتفجير، تلقت تهديدات بأعمال عنف، تلقت تهديدات بالقتل
def test_threats_received_without_their_author_are_vague(cid: int) -> None:
    assert _devset()[cid]["reason"] == "vague"
    assert extract_threats(dev(cid), "text") == []


def test_an_administrative_deadline_is_not_an_ultimatum() -> None:
    # cid 207 (ant:SK-internationalNews-1683-20180521:text:1591-1708): "وأمهل الحاكم حزب بهاراتيا جاناتا 15 يوما لإثبات أغلبيته …"
    assert extract_threats(dev(207), "text") == []
    # cid 744 (ant:SK-internationalNews-332-20180313:text:1116-1289): "أمهلت رئيسة الوزراء البريطانية تيريزا ماي، روسيا حتى نهاية الثلاثاء لتفسر …"
    t = with_entities(dev(744))
    assert t.cameo_code == "139" and t.target is not None and t.target.text == "روسيا"  # حتى (normalised حتي) ends the phrase


def test_appositive_title_after_a_name_belongs_to_the_actor() -> None:
    # cid 539 (ant:CN-middleEast-1363-20180912:text:1469-1613): "حذرت سارة ساندرز، المتحدثة باسم البيت الأبيض، إيران من مغبة مهاجمة …"
    text = dev(539)
    rules = extract_threats(text, "text", extract_entities(text, "text"), role_model=None)
    assert "سارة ساندرز" in rules[0].actor.text and "المتحدثة" in rules[0].actor.text
    t = with_entities(text)
    assert "سارة ساندرز" in t.actor.text  # the role selector may keep the name alone
    assert t.target is not None and t.target.text == "إيران"


def test_time_phrase_before_the_verb_is_not_its_subject() -> None:
    # cid 577 (ant:SK-middleEast-1030-20180414:text:1729-1963): "وفي أغسطس 2012 حذر الرئيس الأميركي السابق باراك أوباما سوريا من أن …"
    t = with_entities(dev(577))
    assert "أوباما" in t.actor.text
    assert t.target is not None and t.target.text == "سوريا"


def test_clause_openers_then_and_discourse_this() -> None:
    # cid 552 (ant:SK-technology-1234-20180802:text:525-668): "…، ثم تهدد الضحية بالعقاب إذا رفض …": ثم keeps the earlier subject
    t = with_entities(dev(552))
    assert t.target is not None and t.target.text == "الضحية"
    # cid 696 (ant:SK-middleEast-940-20180411:text:1209-1355): "هذا وتتوعد دول غربية منذ يومين بـ"رد قوي"": verb-first after هذا و
    assert with_entities(dev(696)).actor.text == "دول غربية"


def test_condition_subject_without_entities_is_the_target() -> None:
    # cid 532 (ant:SK-internationalNews-436-20180318:text:638-828): "… ما لم ينجح الحلفاء الأوروبيون أو الكونغرس في …"
    t = with_entities(dev(532))
    assert t.target is not None and t.target.text.startswith("الحلفاء الأوروبيون")


def test_indirect_object_and_continued_attacks_name_the_target() -> None:
    # cid 398 (ant:FR-internationalNews-418-20180314:text:1330-1490): "… لن يسمح لأي وسيلة إعلام بريطانية بالعمل في روسيا …"
    t = with_entities(dev(398))
    assert t.target is not None and "وسيلة إعلام بريطانية" in t.target.text
    # cid 628 (ant:FR-internationalNews-1859-20180617:text:2294-2382): "… أنها ستواصل استهداف القوات الأطلسية التي تقودها الولايات المتحدة."
    t = with_entities(dev(628))
    assert t.target is not None and t.target.text.startswith("القوات الأطلسية")


def test_a_response_is_aimed_at_its_provoker() -> None:
    # cid 732 (ant:BB-internationalNews-304-20180406:text:0-135): "هددت روسيا بـ"رد صارم" عقب قرار الولايات المتحدة فرض عقوبات جديدة …"
    t = with_entities(dev(732))
    assert t.actor.text == "روسيا"
    assert t.target is not None and t.target.text == "الولايات المتحدة"
    assert "عقب" not in t.action.text


def test_possessive_verbal_noun_after_by_means_of_is_the_object() -> None:
    # cid 486 (ant:BB-middleEast-538-20180526:text:1374-1466): "إن القانون يقول لآلاف الأسر السورية أن تبقى في لبنان من خلال تهديدهم بمصادرة أملاكهم."
    t = with_entities(dev(486))
    assert t.actor.text == "القانون"
    assert t.target is not None and "الأسر السورية" in t.target.text


def test_announced_retaliation_measures_are_threats() -> None:
    # cid 613 (ant:SK-internationalNews-2055-20180610:text:1088-1255): "… مضي بلاده قدما في فرض إجراءات انتقامية اعتبارا من 1 يوليو …"
    t = with_entities(dev(613))
    assert "انتقامية" in t.trigger.text


def test_adverb_between_verb_and_act_is_not_the_target() -> None:
    # cid 720 (ant:SK-internationalNews-1416-20180507:text:997-1306): "لكن طهران هددت مرارا بالانسحاب من الاتفاق النووي، إذا انسحبت منه أميركا"
    t = with_entities(dev(720))
    assert t.actor.text == "طهران"
    assert t.target is not None and t.target.text == "أميركا"


# --- offsets and figures ---------------------------------------------------------------


def test_every_span_is_the_field_text_at_its_offsets() -> None:
    checked = 0
    for article in list(_articles().values())[:400]:
        for field in ("title", "summary", "text"):
            text = article[field] or ""
            for t in extract_threats(text, field):
                assert t.field == field
                assert_offsets(text, t)
                assert 1 <= t.severity <= 5 and t.severity_rule
                assert t.cameo_code.startswith("13") and t.plover_code.startswith("THREATEN")
                checked += 1
    assert checked > 10


def test_dev_split_figures_stay_above_floor() -> None:
    # dev split (505 sentences, 138 threats, batch 3 included) with the entity model:
    # P 0.985, R 0.957, actor 0.94, target 0.83 when first written; P 0.992, R 0.957, actor 0.96,
    # target 0.93 after the role rules of the fourth session. The decision layer trains on dev, so detection here
    # is in-sample (P 1.0, R 0.978, actor 0.953, target 0.902 with it); the out-of-sample floor is the
    # cross-validation test below. The roles are the rules' and were tuned on dev. Retrained with the self-trained
    # entity model: P 1.0, R 0.986, actor 0.946, target 0.882 (4 more threats detected, their targets harder).
    result = evaluate(load("dev"))
    assert result["precision"] >= 0.97
    assert result["recall"] >= 0.94
    assert result["actor_overlap"] >= 0.93
    assert result["target_overlap"] >= 0.87


# --- role generalisation (issue 5, fourth session): targets and actors from the grammar of the verbs -------


def test_a_name_inside_the_act_is_the_target_whatever_its_preposition() -> None:
    # cid 211 (ant:BB-internationalNews-286-20180404:text:1294-1497): "وهدد علانية بوقف المساعدات التي تقدم إلى هندوراس …"
    # (in its article, where the entity model sees هندوراس named four times)
    t = in_article(211)
    assert t.target is not None and "هندوراس" in t.target.text
    # cid 725 (ant:SK-internationalNews-1482-20180508:text:306-550): "هدد ترامب بتمزيق الاتفاق النووي الموقع مع إيران"
    t = with_entities(dev(725))
    assert t.actor.text == "ترامب" and t.target is not None and t.target.text == "إيران"


def test_a_pronoun_in_the_act_points_back_to_the_party_named_before() -> None:
    # cid 578 (ant:FR-internationalNews-2408-20180720:summary:0-176): "… غرامة مالية على أندية عربية مختلفة …،
    # كما هدد الفيفا بوضع حظر عليها في سوق الانتقالات"
    t = with_entities(dev(578))
    assert t.target is not None and t.target.text == "أندية عربية مختلفة"


def test_coordinated_threat_verbs_share_their_object() -> None:
    # cid 561 (ant:SK-internationalNews-2955-20180811:title:20-50): "تركيا تحذر واشنطن وتتوعد بالرد"
    t = with_entities(dev(561))
    assert t.actor.text == "تركيا" and t.target is not None and t.target.text == "واشنطن"


def test_the_addressee_of_a_threat_is_its_target() -> None:
    # cid 613 (ant:SK-internationalNews-2055-20180610:text:1088-1255): "وقال ترودو إنه أبلغ ترامب …"
    t = with_entities(dev(613))
    assert t.target is not None and t.target.text == "ترامب"
    # cid 217 (ant:BB-internationalNews-900-20180730:text:1133-1276): "… رد … على روحاني ونصحه بعدم تهديد … وإلا …"
    t = with_entities(dev(217))
    assert t.target is not None and t.target.text == "روحاني"


def test_whoever_answers_a_threat_is_its_target() -> None:
    # cid 491 (ant:CN-middleEast-1162-20180810:title:0-49): "خلفان يرد على تهديد كوهين "بكشف زياراته" لإسرائيل"
    t = with_entities(dev(491))
    assert t.actor.text == "كوهين" and t.target is not None and t.target.text == "خلفان"


def test_a_quantity_of_goods_is_not_the_target_their_origin_is() -> None:
    # cid 721 (ant:AL-economy-259-20180318:text:364-505): "… ستفرض رسوما … على مجموعة واسعة من المنتجات الأميركية"
    t = with_entities(dev(721))
    assert t.target is not None and t.target.text == "المنتجات الأميركية"


def test_withdrawing_from_an_organisation_targets_it_but_not_an_agreement() -> None:
    # cid 742 (ant:FR-internationalNews-2043-20180628:summary:162-322): "لوحت موسكو … بالانسحاب من المنظمة"
    t = with_entities(dev(742))
    assert t.target is not None and t.target.text == "المنظمة"


def test_a_bare_name_before_a_named_country_is_the_actor_and_the_country_the_target() -> None:
    # cid 547 (ant:AL-internationalNews-1095-20180510:text:997-1066): "وحذر ترمب إيران من "عواقب وخيمة جداً" في حال …"
    t = with_entities(dev(547))
    assert t.actor.text == "ترمب" and t.target is not None and t.target.text == "إيران"


def test_who_will_regret_is_the_target_and_the_speaker_the_actor() -> None:
    # cid 108 (ant:FR-internationalNews-1130-20180508:text:4598-4709): "أعلن روحاني أن الإدارة الأمريكية ستندم …"
    t = with_entities(dev(108))
    assert t.actor.text == "روحاني" and t.target is not None and t.target.text == "الإدارة الأمريكية"


def test_a_verb_is_never_the_actor() -> None:
    # cid 66 (ant:SK-internationalNews-28-20180219:title:0-44): "ترامب يهاجم أوبرا مجددا ويتوعدها بـ"الهزيمة""
    t = with_entities(dev(66))
    assert t.actor.text == "ترامب" and t.target is not None and t.target.text == "أوبرا"


def test_a_dropped_subject_after_an_means_the_agreeing_name_before() -> None:
    # cid 73 (ant:FR-economy-57-20180615:text:631-832): "… إعلان ترامب سيدفع الصين … بعد أن توعدت بالرد"
    t = with_entities(dev(73))
    assert t.actor.text == "الصين"


def test_a_fronted_subject_with_its_apposition_is_the_actor() -> None:
    # cid 232 (ant:BB-internationalNews-339-20180415:summary:0-144): "الرئيس الأمريكي، دونالد ترامب، يحذر الحكومة السورية …"
    t = with_entities(dev(232))
    assert "دونالد ترامب" in t.actor.text and t.target is not None and t.target.text == "الحكومة السورية"


def test_a_relative_after_an_apposition_and_a_discourse_opener_keep_the_threat() -> None:
    # cid 692 (ant:SK-internationalNews-2487-20180705:summary:0-218): "… الرئيس الإيراني، حسن روحاني، الذي هدد فيها بمنع …"
    t = with_entities(dev(692))
    assert "روحاني" in t.actor.text
    # cid 752 (ant:SK-internationalNews-350-20180314:text:1124-1245): "هذا وهددت روسيا باتخاذ إجراءات مماثلة ضد لندن"
    t = with_entities(dev(752))
    assert t.actor.text == "روسيا" and t.target is not None and t.target.text == "لندن"


def test_active_participle_and_verb_first_response_are_threats() -> None:
    # ant:SK-internationalNews-2976-20180812 summary 0-182: "… منحته مهلة … مهددة بفرض مزيد من العقوبات في حال …"
    text = news("SK-internationalNews-2976-20180812", "summary", 0, 182)
    t = with_entities(text)
    assert t.trigger.text == "مهددة" and "الولايات المتحدة" in t.actor.text
    # ant:AL-economy-950-20180706 text 1106-1186: "لكن إذا لجأ أي طرف لزيادة الرسوم، فسترد الصين بإجراءات …"
    t = with_entities(news("AL-economy-950-20180706", "text", 1106, 1186))
    assert t.actor.text == "الصين"


def test_a_response_to_an_event_targets_the_events_author() -> None:
    # ant:SK-internationalNews-2586-20180711 text 492-627: "… إنها سترد بالمثل على طرد اليونان اثنين من الدبلوماسيين الروس"
    t = with_entities(news("SK-internationalNews-2586-20180711", "text", 492, 627))
    assert t.target is not None and t.target.text == "اليونان"


def test_a_threat_to_someone_and_a_possessed_threat() -> None:
    # ant:SK-technology-12-20180216 title 0-50: "تهديد لفيسبوك إن لم تتوقف عن جمع بيانات المستخدمين"; the role rule
    # (تهديد لـX: X is the target) is pinned on the rules alone: train2 (cid 1053) labels this headline `vague`
    # (no threatener), so whether it is a threat at all is the decision layer's call.
    text = news("SK-technology-12-20180216", "title", 0, 50)
    rules = extract_threats(text, "text", extract_entities(text, "text"), model=None)
    assert len(rules) == 1 and rules[0].target is not None and rules[0].target.text == "لفيسبوك" and rules[0].actor is None
    # ant:FR-internationalNews-1682-20180607 summary 0-217: "… أن تتخلى إدارة الرئيس دونالد ترامب عن تهديدها بفرض رسوم …"
    t = with_entities(news("FR-internationalNews-1682-20180607", "summary", 0, 217))
    assert t.actor is not None and "إدارة" in t.actor.text


@pytest.mark.parametrize(
    "source",
    [
        ("dev", 615),  # "تلقى ضابط شرطة هندي تهديدات بالقتل": threats received, author unnamed
        ("dev", 116),  # "ولكن الدستور يمهلها حتى السبت لإعلان النتائج النهائية": a deadline a law sets
        ("dev", 719),  # "… لأن الولايات المتحدة سترد فورا بفرض …": a reason an analyst gives
        ("dev", 710),  # "وقال آل الشيخ متوعدا: "نتيجة مباراة … مؤسفة": the quote announces no harm
        ("news", "SK-middleEast-1067-20180415", "text", 394, 527),  # "أمهلت المحكمة العليا الحكومة حتى الأحد": a court's deadline
        ("news", "FR-internationalNews-2693-20180813", "text", 912, 1098),  # "منحت النازيين الجدد مهلة ساعتين للتظاهر"
        ("news", "SK-middleEast-3957-20181019", "text", 2161, 2315),  # "رفضها لأي محاولة … سواء عبر التلويح بفرض عقوبات"
        ("news", "AL-technology-286-20180603", "text", 1548, 1842),  # "فإن الفضيحة هددت بابتلاع عملاق التكنولوجيا"
        ("news", "SK-technology-1543-20181004", "summary", 0, 140),  # "وسط تحذيرات طبية من التبعات الخطيرة"
        ("news", "FR-culture-59-20180508", "text", 6406, 6536),  # "عدة تحذيرات ونصائح، للتذكير بالتبعات": nobody's warning
        ("news", "AL-sport-469-20180307", "text", 2832, 3054),  # "دافعا قويا للإحتراز والحذر": caution, a noun
    ],
)
def test_non_threats_found_on_fresh_text(source: tuple) -> None:
    text = dev(source[1]) if source[0] == "dev" else news(*source[1:])
    assert extract_threats(text, "text", extract_entities(text, "text")) == []


def test_coordinated_verb_and_masdar_after_a_preposition_take_the_right_subject() -> None:
    # ant:FR-internationalNews-1761-20180611 text 669-886: "… فأظهر ترامب الجانب الآخر من شخصيته وهدد بتدمير ومحو كوريا الشمالية …"
    t = with_entities(news("FR-internationalNews-1761-20180611", "text", 669, 886))
    assert t.actor.text == "ترامب"
    # ant:CN-middleEast-727-20180426 text 652-845: "وحول توعد الحوثيون بالرد على دول التحالف …": حول is about, not who
    t = with_entities(news("CN-middleEast-727-20180426", "text", 652, 845))
    assert t.actor.text == "الحوثيون" and t.target is not None and "دول التحالف" in t.target.text


def test_who_will_face_consequences_in_a_warning_is_its_target() -> None:
    # ant:BB-internationalNews-1124-20180926 summary 0-207: "… حذر من أن "نظام الملالي القاتل" في طهران سيواجه عواقب كبيرة إذا …"
    t = with_entities(news("BB-internationalNews-1124-20180926", "summary", 0, 207))
    assert t.target is not None and "نظام الملالي" in t.target.text


# --- the learned decision layer (issue 5, fifth session) ------------------------------------------------------


def test_cross_validated_detection_beats_the_rules_on_fresh_text() -> None:
    # 5-fold CV (folds by article) with the shipped model's settings over dev, heldout, heldout2 and train2-20
    # (2844 sentences, 748 threats): P 0.854 R 0.79 F1 0.821 when trained (the rules alone: P 0.893 R 0.6). On
    # train2-20, which the rules were never tuned on, the rules reach P 0.822 R 0.461 and the cross-validated model
    # P 0.804 R 0.73. (train7-19, future punitive acts with no threat verb, warnings, threat nouns, weak cues, older
    # ANERcorp news and candidates no cue pool held, are the hardest: the rules find 0-60 % of their threats, the model
    # out of fold 8-88 %; train13, train16 and train18 are mostly hard negatives. The floor was P 0.88 R 0.84 on train2-6,
    # P 0.85 R 0.84 on train2-7, P 0.87 R 0.80 on train2-8, P 0.87 R 0.78 on train2-9, P 0.87 R 0.77 on train2-10 and
    # train2-11, P 0.84 R 0.76 on train2-13. Points of near-equal F1 trade precision for recall as rows or rules
    # change, so F1 is held and P and R get slack: the tie rule chose P 0.831 R 0.833 with train14, P 0.871 R 0.781
    # with train15, P 0.835 R 0.813 with train16, P 0.87 R 0.79 with the death-threat rule, P 0.861 R 0.788
    # with train17, then P 0.857 R 0.79 and P 0.878 R 0.773 as role rules changed the rules' role features; with
    # train18, whose 12 threats the model finds 1 of out of fold, F1 0.822 became 0.816, and 0.814 with train19's
    # headlines and run-on sentences, then 0.82 with the match-report, court-deadline and "جعل X مهددا" rules, and
    # 0.818 (threshold 0.46 → 0.45) once "مرمى" and "حدود" were endangered objects, 0.819 after review; the F1 floor
    # was 0.815 until train19.)
    from rasid.nlp.threats.decision import MODEL_PATH
    from rasid.nlp.threats.training import (
        FRESH_SPLITS,
        fresh_weights,
        load_sentences,
        out_of_fold_scores,
        prf,
    )

    meta = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert "heldout3" not in meta["trained_on"] and "heldout4" not in meta["trained_on"]
    sentences = load_sentences(DEVSET)
    assert all(s.split not in ("heldout3", "heldout4") for s in sentences)
    scores = out_of_fold_scores(sentences, meta["l2"], fresh_weights(meta["fresh_weight"]))
    gold = [s.threat for s in sentences]
    cv = prf([sc >= meta["threshold"] for sc in scores], gold)
    assert cv["f1"] >= 0.81 and cv["precision"] >= 0.81 and cv["recall"] >= 0.76, cv
    fresh = [k for k, s in enumerate(sentences) if s.split in FRESH_SPLITS]
    model_fresh = prf([scores[k] >= meta["threshold"] for k in fresh], [gold[k] for k in fresh])
    rules_fresh = prf([sentences[k].rule_says for k in fresh], [gold[k] for k in fresh])
    assert model_fresh["f1"] > rules_fresh["f1"], (model_fresh, rules_fresh)


@pytest.mark.parametrize("cid", [
    # train2 sentences the rules miss and the model finds, in-sample and out of fold alike (CV probability >= 0.84)
    999,  # "ولوح الرئيس الأميركي دونالد ترامب، قبل أيام، بأن الولايات المتحدة ستفرض "عقوبات كبيرة" على تركيا"
    1074,  # "أن فرض واشنطن رسوما على وارداتها من الفولاذ والألومنيوم "مخالف للقانون" وسيواجه بإجراءات انتقامية"
    # train7: threats stated as a future punitive act, with no threat verb for the rules to find
    1834,  # "قال وزير الخارجية الروسي سيرغي لافروف … إن موسكو ستطرد دبلوماسيين بريطانيين قريبا ردا على قرار لندن …"
    1888,  # "… وأن الصين ستتخذ الإجراءات اللازمة لحماية مصالحها، إذا أثر القرار النهائي عليها."
    1841,  # "وأكد بولتون أن الولايات المتحدة لن تتردد في تفعيل العقوبات الاقتصادية على إيران …"
])
def test_the_decision_layer_finds_threats_the_rules_skip(cid: int) -> None:
    text = dev(cid)
    assert extract_threats(text, "text", extract_entities(text, "text"), model=None) == []
    threats = extract_threats(text, "text", extract_entities(text, "text"))
    assert len(threats) == 1 and threats[0].actor is not None


@pytest.mark.parametrize("cid", [
    1926,  # "وأضاف كيم أن بلاده ستوقف التجارب الصاروخية أثناء المحادثات الدبلوماسية.": an announcement, nobody harmed
    1853,  # "… إنه سيغلق موقع التجارب النووية في مايو أيار على مرأى من العالم الخارجي كله."
    1839,  # "ولن يسمح توخيل للبرازيلي نيمار ورفاقه بالسهر لوقت متأخر …": a coach's house rule
])
def test_a_future_act_that_harms_no_party_is_no_threat(cid: int) -> None:
    text = dev(cid)
    assert extract_threats(text, "text", extract_entities(text, "text")) == []


@pytest.mark.parametrize("cid", [
    1850,  # "إذا لم نمنع ذلك الآن وفي مراحله الأولى، سندفع ثمنا باهظا مستقبلا": the speaker's own price
    2002,  # "ومن المرتقب أن يعلن الرئيس الأمريكي … ما إذا كان سينسحب من الاتفاق …": a decision still open
])
def test_our_own_price_and_an_open_decision_are_no_threat(cid: int) -> None:
    text = dev(cid)
    entities = extract_entities(text, "text")
    assert extract_threats(text, "text", entities) == []
    assert extract_threats(text, "text", entities, model=None) == []  # the hand rules say so too


@pytest.mark.parametrize(("cid", "trigger"), [
    (1998, "ولن نتردد"),  # "ولن نتردد بإبعاد الإرهابيين من منبج": a refusal after its conjunction, not a negation
    (2048, "لن يمر الأمر دون"),  # "عبدالملك الحوثي … ويجدد تهديداته: لن يمر الأمر دون حساب": with its subject
])
def test_refusals_after_a_conjunction_or_with_their_subject_are_candidates(cid: int, trigger: str) -> None:
    # (whether a refusal is a threat is the decision layer's call, measured by the cross-validation test)
    text = dev(cid)
    candidates = threat_candidates(text, extract_entities(text, "text"))
    assert trigger in [text[c.trigger_start : c.trigger_end] for c in candidates]


@pytest.mark.parametrize(("cid", "actor"), [
    (2145, "واشنطن"),  # "… إن واشنطن مستعدة لتوجيه ضربة عسكرية في سوريا إذا استخدمت دمشق الأسلحة الكيماوية …"
    (2116, "إيران"),  # "وكانت إيران قد أعلنت أنها مستعدة لاستئناف تخصيب اليورانيوم … إلا إذا قدمت القوى الأوروبية …"
])
def test_readiness_for_a_harmful_act_is_a_threat(cid: int, actor: str) -> None:
    text = dev(cid)
    entities = extract_entities(text, "text")
    assert extract_threats(text, "text", entities, model=None) == []  # no threat verb: the model decides
    t = with_entities(text)
    assert t.actor is not None and t.actor.text == actor


@pytest.mark.parametrize(("cid", "actor"), [
    (2236, "دونالد ترامب"),  # "وتعهد دونالد ترامب بأن تفرض واشنطن "أعلى مستوى من العقوبات الإقتصادية على النظام الإيراني""
    (2253, "ترامب"),  # "كان ترامب أعلن … انسحاب الولايات المتحدة من الاتفاق النووي … وتعهد بإعادة تفعيل العقوبات"
])
def test_a_pledge_of_a_harmful_act_is_a_vow(cid: int, actor: str) -> None:
    text = dev(cid)
    assert extract_threats(text, "text", extract_entities(text, "text"), model=None) == []  # the model decides
    t = with_entities(text)
    assert t.trigger.text.endswith("تعهد") and t.actor is not None and t.actor.text == actor


def test_a_pledge_to_end_a_war_is_no_vow() -> None:
    text = news("BB-internationalNews-727-20180702", "text", 1557, 1716)  # "كما تعهد بتحقيق السلام … وإنهاء الحرب الاهلية"
    assert extract_threats(text, "text", extract_entities(text, "text")) == []


def test_the_dual_of_paying_the_price_is_found() -> None:
    # cid 2179: "وقالت المصادر العسكرية … إن الأسد ونظامه سيدفعان ثمن أي هجوم إيراني انتقامي على إسرائيل"
    t = with_entities(dev(2179))
    assert t.trigger.text == "سيدفعان ثمن" and t.target is not None and "الأسد" in t.target.text


def test_an_adjective_after_a_threat_noun_is_not_its_author() -> None:
    # "… وتضمنت تهديدا مبطنا": "مبطنا" (veiled) describes the threat, it names nobody (the rules' roles of the candidate;
    # whether a veiled threat with no act named is reported at all is the model's call)
    text = news("SK-internationalNews-1762-20180524", "summary", 0, 171)
    [candidate] = threat_candidates(text, extract_entities(text, "summary"))
    actor = candidate.situation.rules.actor
    assert text[candidate.trigger_start : candidate.trigger_end] == "تهديدا"
    assert actor is None or "مبطنا" not in text[actor[0] : actor[1]]


def test_a_future_strike_with_its_object_pronoun_and_a_condition_is_a_threat() -> None:
    # cid 2063: "أكد نتانياهو "… وجهنا ضربة قاصمة لحماس وسنضربها سبعة أضعاف ذلك إذا كان هذا ضروريا""
    text = dev(2063)
    threats = extract_threats(text, "text", extract_entities(text, "text"), model=None)  # the hand rules alone
    assert len(threats) == 1 and threats[0].trigger.text == "وسنضربها" and threats[0].condition is not None


@pytest.mark.parametrize(("cid", "actor"), [
    (1987, "فرنسا"),  # "فرنسا: إذا تجاوز الأسد "الخطوط الحمراء" سنضرب من جديد": the headline's speaker
    (1992, "نتنياهو"),  # "وأضاف نتنياهو: "… لن نسمح لإيران بترسيخ وجودها عسكريا في سوريا"": who says "we"
])
def test_whoever_says_we_will_strike_is_the_actor(cid: int, actor: str) -> None:
    t = with_entities(dev(cid))
    assert t.actor is not None and t.actor.text == actor


def test_the_model_decides_which_candidates_become_threats() -> None:
    # cid 1049 (train2): "كما حذر ترامب أشخاصا بارزين آخرين ينتقدونه من أنهم يخاطرون بإدراجهم على لائحة سوداء"
    from rasid.nlp.threats.decision import DecisionModel

    text = dev(1049)
    never = DecisionModel({}, -30.0, 0.5)  # a model that accepts nothing
    always = DecisionModel({}, 30.0, 0.5)  # and one that accepts every candidate
    assert extract_threats(text, "text", [], model=never) == []
    assert len(extract_threats(text, "text", [], model=always)) == 1
    assert extract_threats(text, "text", [], model=None) == []  # the rules alone reject the warning


# --- the learned role selector (issue 5, sixth session) --------------------------------------------------------


@pytest.mark.parametrize(("cid", "target"), [
    # train4: "هدد المتحدث باسم الرئاسة التركية إبراهيم قالن بأن المجموعات الموالية للنظام السوري، ستكون "هدفا مشروعا…""
    (1429, "المجموعات الموالية للنظام السوري"),
    # train3: "وتبقى الصين تحت تهديد الرسوم الجمركية الأمريكية العقابية من واشنطن …": who is under the threat
    (1234, "الصين"),
])
def test_the_role_selector_finds_targets_the_rules_miss(cid: int, target: str) -> None:
    # (on the sentence's one candidate, whatever the decision layer makes of it)
    from rasid.nlp.threats.role_choice import choose_roles, default_role_model

    text = dev(cid)
    [candidate] = threat_candidates(text, extract_entities(text, "text"))
    model = default_role_model()
    assert candidate.situation.rules.target is None and model is not None
    learned = choose_roles(candidate.situation, model).target
    assert learned is not None and text[learned[0] : learned[1]] == target


def test_cross_validated_target_choice_beats_the_rules_on_fresh_text() -> None:
    # Grouped 5-fold CV over the annotated threats of the training splits (heldout3/4 never read): the selector's best
    # span overlaps the annotated target in 0.727 of 483 threats (rules 0.663; train6-20 add 221 hard ones); on
    # train2-5 0.713 against 0.631. (The floor was 0.76 at 356 threats, before train10, 0.75 at 369, before train11,
    # 0.74 at 384, before train12, and 0.73 at 400, before train14, whose targets the selector then shipped found in
    # half the threats.)
    from rasid.nlp.threats.role_choice import ROLES_MODEL_PATH
    from rasid.nlp.threats.role_training import cross_validate, load_choices

    meta = json.loads(ROLES_MODEL_PATH.read_text(encoding="utf-8"))
    choices = [c for c in load_choices(DEVSET) if c.role == "target" and c.gold is not None]
    assert not {c.split for c in choices} & {"heldout3", "heldout4"}
    right = cross_validate(choices, meta["l2"]["target"])
    fresh = [k for k, c in enumerate(choices) if c.split in ("train2", "train3", "train4", "train5")]
    model_fresh = sum(right[k] for k in fresh) / len(fresh)
    rules_fresh = sum(choices[k].rule_hit for k in fresh) / len(fresh)
    assert sum(right) / len(right) >= 0.72 and model_fresh >= rules_fresh + 0.08, (model_fresh, rules_fresh)


def test_function_words_are_never_an_actor_or_a_target() -> None:
    # cid 1341 (ant:FR-internationalNews-2572-20180802): "ولم تهدد إيران بإغلاق باب المندب …": "ولم" (and did not)
    # was the actor; cid 126 (ant:FR-internationalNews-621-20180408): "هددت بعض النقابات بالتصعيد …": the unions
    # threaten, not "بعض" (some).
    t = with_entities(dev(1341))
    assert t.actor is None or t.actor.text != "ولم"
    assert t.trigger.text != "تهدد"  # "ولم تهدد" is negated: the threats are the later ones
    t = with_entities(dev(126))
    assert t.actor is not None and t.actor.text == "النقابات"


def test_the_verb_before_the_subject_is_not_part_of_the_actor() -> None:
    # Verb-subject order: the verb that opens the clause is no part of who threatens, and a verb alone names no one.
    # ANT FR-internationalNews-567-20180406 summary: "صعدت الرئيس الأمريكي دونالد ترامب تهديداته التجارية …"
    t = with_entities(news("FR-internationalNews-567-20180406", "summary", 0, 134))
    assert t.actor is not None and t.actor.text == "الرئيس الأمريكي دونالد ترامب"
    # ANT FR-internationalNews-656-20180410 text: "وردت الصين ملوحة بفرض رسوم جمركية على وارداتها …"
    t = with_entities(news("FR-internationalNews-656-20180410", "text", 1187, 1356))
    assert t.actor is not None and t.actor.text == "الصين"
    # ANT AL-economy-940-20180708 text: 'وأضاف "إذا أرادت جهة ما زيادة رسومها الجمركية، ستتخذ الصين تدابير مضادة".'
    t = with_entities(news("AL-economy-940-20180708", "text", 753, 826))
    assert t.actor is None or t.actor.text != "وأضاف"


def test_the_side_of_a_discourse_opener_is_not_the_actor() -> None:
    # cid 1816 (ANERcorp train): "… من جهة ثانية هدد إقليم كردستان العراق بالانفصال إذا لم تستجب الحكومة العراقية …":
    # "من جهة ثانية" is "on the other hand", not who threatens.
    text = dev(1816)
    threats = extract_threats(text, "text", extract_entities(text, "text"))
    assert threats and all(t.actor is None or "جهة" not in t.actor.text for t in threats)


# --- session ten: rules pinned by real sentences -------------------------------------------------------------


@pytest.mark.parametrize("cid", [
    1863,  # "ستكون السيارات المستقبلية بدون نوافذ، حيث ستستخدم شاشات داخلية …": using screens
    1865,  # ""إذا كنت ستستخدم سيارات ذاتية القيادة، فعليك اختبارها …"": using cars, under a condition
])
def test_using_something_other_than_force_is_no_attack(cid: int) -> None:
    text = dev(cid)
    entities = extract_entities(text, "text")
    assert extract_threats(text, "text", entities, model=None) == []
    assert extract_threats(text, "text", entities) == []


def test_using_force_is_still_an_attack_candidate() -> None:
    # cid 595 (heldout2): "… وحذرت الشرطة من أنها ستستخدم القوة لتفريق المظاهرة."
    text = dev(595)
    kinds = {(c.trigger.kind, c.trigger.strict) for c in threat_candidates(text, extract_entities(text, "text"))}
    assert ("attack", True) in kinds


@pytest.mark.parametrize(("cid", "trigger"), [
    (2321, "وتدرس"),  # "وتدرس الولايات المتحدة بقوة فرض عقوبات على قطاع النفط الفنزويلي": the measure four words on
    (2230, "سيتم توسيع"),  # "… ، سيتم توسيع العقوبات لتشمل منع سفر المسؤولين الإيرانيين …": a passive measure
    (2414, "سيتم إعادة فرض"),  # "سيتم إعادة فرض العقوبات التي تستهدف الشركات التي تتعامل مع صناعة النفط الإيرانية …"
])
def test_measures_weighed_or_announced_are_candidates(cid: int, trigger: str) -> None:
    text = dev(cid)
    candidates = threat_candidates(text, extract_entities(text, "text"))
    assert [text[c.trigger_start : c.trigger_end] for c in candidates if c.trigger.kind == "measure"] == [trigger]


def test_a_passive_measure_names_no_imposer_and_its_condition_opens_with_a_conjunction() -> None:
    # cid 2230: "وإذا استمرت إيران في موقفها الرافض لوقف تخصيب اليورانيوم ، سيتم توسيع العقوبات …"
    text = dev(2230)
    [candidate] = threat_candidates(text, extract_entities(text, "text"))
    rules = candidate.situation.rules
    assert rules.actor is None  # not "استمرت إيران", the verb of the condition with its subject
    assert rules.target is not None and text[rules.target[0] : rules.target[1]] == "إيران"
    cond, words = candidate.situation.condition, candidate.situation.words  # a word range
    assert cond is not None and text[words[cond[0]].start : words[cond[1]].end].startswith("وإذا استمرت إيران")


def test_a_vso_subject_after_the_act_referred_back_to_and_a_condition_ending_at_a_comparison() -> None:
    # cid 1341: "… إنها ستغلق مضيق هرمز في الخليج العربي إذا تم منعها من تصدير النفط كما توعدتها بذلك الولايات
    # المتحدة الأمريكية …": the United States threatened, not the Gulf; the condition ends before "كما"
    text = dev(1341)
    [threat] = extract_threats(text, "text", extract_entities(text, "text"), model=None)
    assert threat.trigger.text == "توعدتها"
    assert threat.actor is not None and threat.actor.text == "الولايات المتحدة الأمريكية"
    assert threat.condition is not None and threat.condition.text == "إذا تم منعها من تصدير النفط"


def test_how_many_times_is_never_the_target() -> None:
    # cid 2063: "… وجهنا ضربة قاصمة لحماس وسنضربها سبعة أضعاف ذلك إذا كان هذا ضروريا": whom "ها" points to, or none
    text = dev(2063)
    [threat] = extract_threats(text, "text", extract_entities(text, "text"))
    assert threat.target is None or ("أضعاف" not in threat.target.text and "حماس" in threat.target.text)


@pytest.mark.parametrize(("cid", "actor", "target"), [
    (1032, "صالحي", "الرئيس الأميركي"),  # "وحذر صالحي الرئيس الأميركي، دونالد ترامب، من الانسحاب …": name, then title
    (1049, "ترامب", "أشخاصا بارزين آخرين ينتقدونه"),  # "كما حذر ترامب أشخاصا بارزين …": name, then an object
    (1365, "الرئيس الأمريكي", "إيران"),  # "… أنذر الرئيس الأمريكي إيران بأنه ستكون هناك عواقب": title, then a country
])
def test_the_subject_after_a_verb_ends_where_its_object_begins(cid: int, actor: str, target: str) -> None:
    text = dev(cid)
    [candidate] = [c for c in threat_candidates(text, extract_entities(text, "text")) if c.trigger.kind in ("warn",)]
    rules = candidate.situation.rules
    assert rules.actor is not None and text[rules.actor[0] : rules.actor[1]] == actor
    assert rules.target is not None and text[rules.target[0] : rules.target[1]] == target


def test_a_measure_others_fear_is_speculation_not_a_threat() -> None:
    # cid 2381: "يستعد عملاء النفط اليابانيون … وسط مخاوف من أن واشنطن ستفرض عقوبات على الدول التي تستورد الخام الإيراني"
    text = dev(2381)
    assert threat_candidates(text, extract_entities(text, "text")) == []


@pytest.mark.parametrize(("cid", "target"), [
    (1882, "المسلحين"),  # "وأضاف أن بلاده ستطرد المسلحين من العراق أيضا."
    (1897, "موظفين بريطانيين"),  # "… إنها ستطرد موظفين بريطانيين من موسكو في غضون أسبوع"
    (1998, "الإرهابيين"),  # "ولن نتردد بإبعاد الإرهابيين من منبج"
])
def test_whom_an_expulsion_names_is_its_target_not_the_place(cid: int, target: str) -> None:
    text = dev(cid)
    [candidate] = threat_candidates(text, extract_entities(text, "text"))
    rules = candidate.situation.rules
    assert rules.target is not None and text[rules.target[0] : rules.target[1]] == target
    assert rules.actor is None or not text[rules.actor[0] : rules.actor[1]].startswith("وأضاف")  # no reporting verb


@pytest.mark.parametrize(("article_id", "field", "start", "end"), [
    ("FR-internationalNews-1565-20180601", "summary", 134, 219),  # "… وأم لأربعة أطفال مهددة بالإعدام لانتمائها …"
    ("BB-technology-284-20180621", "text", 454, 637),  # "… وأول سفيرة لفصيلتها المهددة بالانقراض، توفيت …"
])
def test_a_party_said_to_be_under_threat_is_no_threat_statement(article_id: str, field: str, start: int, end: int) -> None:
    text = news(article_id, field, start, end)
    assert threat_candidates(text, extract_entities(text, field)) == []


@pytest.mark.parametrize(("text", "found"), [
    ("وقال إن الحكومة ستستخدم كل الأموال المتاحة إذا استمرت الأزمة.", False),  # all the money: no force
    ("وقال إن الحكومة ستستخدم كل الوسائل المتاحة إذا استمرت الهجمات.", True),  # all means
])
def test_using_all_of_something_is_an_attack_only_when_it_is_means(text: str, found: bool) -> None:
    # (sentences written for the rule's edge, not news: the rule's real sentences are pinned above, cids 595 and 1865)
    kinds = {(c.trigger.kind, c.trigger.strict) for c in threat_candidates(text)}
    assert (("attack", True) in kinds) == found


def test_a_passive_measure_needs_a_measure_after_its_act() -> None:
    # "سيتم فرض حظر التجول"، "سيتم إعادة فتح المدارس": a curfew and reopening schools are no measure against anyone
    for text in ("وقال المتحدث إنه سيتم فرض حظر التجول في المدينة.", "وقالت الوزارة إنه سيتم إعادة فتح المدارس وفق إجراءات صحية."):
        assert [c for c in threat_candidates(text) if c.trigger.kind == "measure"] == []


def test_or_else_about_a_match_is_no_threat() -> None:
    # "يقول ماركوس ألونسو … إنه يتعين على فريقه الفوز على جاره … في الدوري الانجليزي … وإلا فإن فرصته … ستتراجع كثيرا"
    text = news("AL-sport-988-20180331", "text", 0, 232)
    entities = extract_entities(text, "text")
    assert threat_candidates(text, entities) == [] and extract_threats(text, "text", entities, model=None) == []


def test_ready_to_lift_sanctions_is_an_offer_not_a_threat() -> None:
    # "… أن الولايات المتحدة "ليست مستعدة لاستثمار أموال دافعي الضرائب …، لكنها مستعدة لرفع العقوبات …""
    text = news("SK-internationalNews-1563-20180513", "text", 644, 922)
    assert threat_candidates(text, extract_entities(text, "text")) == []


def test_is_not_a_threat_is_negated() -> None:
    # "وطمأن قائلا "يجب أن نشرح لهم أن التقنيات الرقمية ليست تهديدا"." (ليس/ليست negate what follows, as لم/لا do)
    text = news("FR-economy-8-20180126", "text", 1975, 2037)
    assert text.endswith('ليست تهديدا".')
    assert threat_candidates(text, extract_entities(text, "text")) == []


def test_threats_suffered_with_no_author_and_a_performance_that_endangers_are_no_threat() -> None:
    # "كما زعمت بعض العاملات أنهن تعرضن لتهديدات بالانتقام …": threats received (feminine plural), nobody's threat
    text = news("BB-economy-140-20180523", "text", 736, 831)
    entities = extract_entities(text, "text")
    assert extract_threats(text, "text", entities) == [] and extract_threats(text, "text", entities, model=None) == []
    # cid 1625: "لكن أداء صلاح المذهل يهدد بكسر هذه الهيمنة": a performance endangers, it threatens no one
    text = dev(1625)
    [candidate] = threat_candidates(text, extract_entities(text, "text"))
    assert "rule=endangers" in candidate.features and not candidate.rule_accepts


@pytest.mark.parametrize(("article_id", "field", "start", "end"), [
    # "وإذا لم يستطع بوغبا المشاركة في المباراة ، سيواصل مورينيو الدفع باللاعبين …": a coach's line-up
    ("AL-sport-567-20180312", "text", 583, 790),
    # "… الشاب التونسي الذي أنقذ طفلين من حريق في فرنسا لم يعد مهددا بالطرد": no longer under threat
    ("FR-internationalNews-1639-20180605", "title", 0, 73),
    # "… عيد الإله "مين"، وعيد زيارة الإله آمون لمعبد الأقصر …": "and the feast of", after a feast
    ("BB-culture-97-20180404", "text", 506, 764),
    # "- تعهد الولايات المتحدة وجمهورية كوريا … بالعثور على رفات أسرى الحرب …": a pledge to find remains
    ("FR-internationalNews-1773-20180612", "text", 2122, 2252),
])
def test_look_alikes_found_over_the_ant_sample_are_no_candidates(article_id: str, field: str, start: int, end: int) -> None:
    text = news(article_id, field, start, end)
    assert threat_candidates(text, extract_entities(text, field)) == []


def test_going_on_with_something_harmless_is_no_candidate() -> None:
    # "… سنواصل السعي إلى اتفاق طموح للتجارة الحرة …": a future "continue" in a sentence that names no harm
    text = news("SK-internationalNews-2637-20180713", "text", 1004, 1173)
    assert threat_candidates(text, extract_entities(text, "text")) == []
    # cid 2434: "سنواصل ممارسة أقصى الضغوط، فرض عقوبات هائلة عليهم": the same verb with sanctions stays a candidate
    text = dev(2434)
    assert [c.trigger.kind for c in threat_candidates(text, extract_entities(text, "text"))] == ["continue"]


@pytest.mark.parametrize(("article_id", "field", "start", "end"), [
    ("AL-sport-221-20180224", "text", 578, 711),  # "ويظل بالاس مهددا بالهبوط إذ يقبع في المركز 15 …"
    ("FR-sport-37-20180310", "text", 802, 885),  # "وبات ليفربول مهددا بالتراجع إلى المركز الرابع …"
    ("SK-internationalNews-2123-20180613", "text", 1209, 1369),  # "… مما يجعله مهددا بعدم التمثيل في البرلمان …"
    ("SK-middleEast-863-20180408", "text", 528, 729),  # "… إيجار الشقة التي يسكن فيها وأصبح مهددا بمغادرتها …"
])
def test_under_threat_after_a_verb_of_being_is_a_state_not_a_threat(article_id: str, field: str, start: int, end: int) -> None:
    # "مهددا" spells both "threatening" (a حال after a comma) and "threatened"; after ظل/بات/يجعله/أصبح it is the latter
    text = news(article_id, field, start, end)
    entities = extract_entities(text, field)
    assert "مهددا" in text
    assert extract_threats(text, field, entities) == [] and extract_threats(text, field, entities, model=None) == []


def test_a_condition_that_endangers_is_no_threatener() -> None:
    text = news("AL-economy-827-20180614", "title", 0, 21)
    assert text == "شلل مالي يهدد إيران.."  # financial paralysis endangers Iran: a state of affairs, nobody's threat
    entities = extract_entities(text, "title")
    assert extract_threats(text, "title", entities) == [] and extract_threats(text, "title", entities, model=None) == []


@pytest.mark.parametrize(("article_id", "field", "start", "end", "word"), [
    ("FR-internationalNews-1190-20180511", "text", 1079, 1363, "تحديا"),  # "فإنه سيواجه تحديا يتمثل في إعادة إعمار العراق"
    ("SK-technology-292-20180331", "text", 635, 831, "صعوبات"),  # "… سيواجه الجيش الأميركي صعوبات"
    ("BB-internationalNews-462-20180504", "text", 368, 502, "صعوبات"),  # "إذ قال إن عائلته ستواجه "صعوبات …""
    ("SK-internationalNews-2832-20180801", "text", 1055, 1272, "ادعاءات"),  # "كما أنه سيواجه بشكل منفصل ادعاءات …"
    ("FR-internationalNews-1648-20180605", "text", 588, 651, "سجن"),  # "وفي حال إثبات إدانته، فإنه سيواجه عقوبة سجن …"
    ("BB-internationalNews-462-20180504", "text", 208, 320, "السجن"),  # "… وسيواجه عقوبة السجن لمدة قد تصل إلى 18 شهرا"
])
def test_a_hardship_someone_will_face_is_no_threat(article_id: str, field: str, start: int, end: int, word: str) -> None:
    text = news(article_id, field, start, end)
    assert word in text
    assert extract_threats(text, field, extract_entities(text, field)) == []


def test_replying_to_a_request_is_not_retaliating() -> None:
    text = news("BB-internationalNews-309-20180407", "text", 983, 1048)
    assert text == "وقالت وزارة الخارجية إنها سترد على الطلب الروسي في الوقت المناسب."
    assert threat_candidates(text, extract_entities(text, "text")) == []
    # the same verb answering a decision stays a threat: "… أن بلاده سترد بالمثل على قرار الولايات المتحدة طرد …"
    text = news("BB-internationalNews-236-20180327", "text", 1870, 2069)
    assert [t.trigger.text for t in extract_threats(text, "text", extract_entities(text, "text"))] == ["سترد"]


def test_a_draw_in_the_cup_is_about_a_match() -> None:
    text = news("CN-sport-107-20180316", "text", 387, 493)
    assert "قرعة برشلونة" in text and "سيواجه روما" in text
    assert threat_candidates(text, extract_entities(text, "text")) == []


@pytest.mark.parametrize(("article_id", "field", "start", "end", "word"), [
    ("BB-culture-74-20180314", "text", 839, 934, "بعلامة"),  # "لوّح عيتاني بعلامة النصر والدموع تسيل من عينيه"
    ("SK-middleEast-622-20180328", "text", 132, 373, "ملوّحًا به"),  # "وعاد بـ "حفّار الكوسا" ملوّحًا به بشكل بريء"
])
def test_waving_a_sign_or_a_thing_is_not_brandishing_a_threat(article_id: str, field: str, start: int, end: int, word: str) -> None:
    text = news(article_id, field, start, end)
    assert word in text
    entities = extract_entities(text, field)
    assert extract_threats(text, field, entities) == [] and extract_threats(text, field, entities, model=None) == []


def test_a_thing_that_portends_warns_no_one() -> None:
    # "… في هذه الاضطرابات التي تحصل في الجو، وتنذر بتبعات أكثر خطورة إذا لم يتحرك العالم."
    text = news("SK-technology-1441-20180910", "text", 1053, 1190)
    assert "وتنذر بتبعات" in text
    assert threat_candidates(text, extract_entities(text, "text")) == []
    # cids 518 "وينذر هذا الهبوط بموجة ارتفاع"، 535 "مما ينذر بحدوث كارثة": the same, in the dev set
    for cid in (518, 535):
        assert [c for c in threat_candidates(dev(cid), extract_entities(dev(cid), "text")) if c.trigger.kind == "warn"] == []
    # past أنذر with its subject named stays a warning: "أنذر الرئيس الأمريكي إيران بأنه "ستكون هناك عواقب وخيمة"" (cid 1365)
    assert [c.trigger.kind for c in threat_candidates(dev(1365), extract_entities(dev(1365), "text"))][:1] == ["warn"]


@pytest.mark.parametrize(("cid", "target"), [
    (129, "الدول الأخرى"),  # "وأوصت الدول الأخرى بضرورة وقف كل وارداتها …، وإلا ستصبح عرضة لإجراءات مالية أمريكية"
    (2563, "المكسيك"),  # 'وتابع بغضب: "عليهم (المكسيك) وقف التدفق الكبير …وإلا سأضع حدا لبقرتهم الحلوب، نافتا.'
    (2823, "الشركات الأجنبية"),  # "وطلبت من جميع الدول وقف شراء النفط الإيراني …، ومن الشركات الأجنبية وقف التعامل مع
    # إيران وإلا ستدرج على قوائم سوداء": the party asked (طلب من)
    (2808, "إيران"),  # "كان شدد، الأربعاء، على إيران أن تتفاوض وإلا سيحدث شيء ما": the party it is incumbent on
])
def test_an_ultimatum_targets_whom_its_demand_binds_not_its_consequence(cid: int, target: str) -> None:
    text = dev(cid)
    [candidate] = [c for c in threat_candidates(text, extract_entities(text, "text")) if c.trigger.kind == "or_else"]
    rules = candidate.situation.rules
    assert rules.target is not None and text[rules.target[0] : rules.target[1]] == target


@pytest.mark.parametrize(("cid", "actor", "target"), [
    # "بعد أن وجه ترمب تحذيرا إلى روسيا …": whoever issues the warning threatens, whom it is sent to is threatened
    (2810, "ترمب", "روسيا"),
    # "ترمب كان شدد، الأربعاء، على إيران أن تتفاوض وإلا سيحدث شيء ما": the verb before وإلا is nobody
    (2808, "دونالد ترمب", "إيران"),
    # "ومن جهة أخرى يلوّح سيد البيت الأبيض بتغليظ العقوبات": a discourse opener is nobody, the subject follows the verb
    (2818, "سيد البيت الأبيض", None),
])
def test_the_rules_find_an_issuer_and_skip_verbs_and_discourse_openers(cid: int, actor: str, target: str | None) -> None:
    text = dev(cid)
    [threat] = extract_threats(text, "text", extract_entities(text, "text"), model=None)
    assert threat.actor is not None and actor in threat.actor.text
    assert target is None or (threat.target is not None and threat.target.text == target)


@pytest.mark.parametrize(("article_id", "start", "end", "actor", "target"), [
    # "وقال الرئيس التركي رجب طيب أردوغان لنظيره الروسي فلاديمير بوتين إن دمشق سوف تواجه "تبعات غير محمودة" …": the
    # speaker stops before whom he speaks to, and "سوف" belongs to the verb, not to its subject
    ("BB-middleEast-53-20180220", 586, 747, "الرئيس التركي رجب طيب أردوغان", "دمشق"),
    # 'وتابع بوردستان بالقول: "لن نكون البادئ في أي حرب أبداً لكن إذا تحولت التهديدات إلى شكل عملي سنرد عليها …'
    ("CN-middleEast-1015-20180524", 581, 809, "بوردستان", None),
    # "أكد المدير الفني للمنتخب الروسي لكرة القدم، ستانيسلاف تشيرتشيسوف، أن … توعد بإبطال مفعوله": a لـ-word inside
    # a title is no addressee
    ("SK-sport-925-20180429", 0, 246, "المدير الفني للمنتخب الروسي لكرة القدم", None),
])
def test_a_speaker_ends_before_whom_and_how_he_speaks(article_id: str, start: int, end: int, actor: str,
                                                       target: str | None) -> None:
    text = news(article_id, "text", start, end)
    [threat] = extract_threats(text, "text", extract_entities(text, "text"), model=None)
    assert threat.actor is not None and threat.actor.text == actor
    assert target is None or (threat.target is not None and threat.target.text == target)


def test_a_time_is_never_a_role() -> None:
    # ant:BB-middleEast-509-20180517 text 1644-1854: "وهدد الاتحاد الأوروبي عام 1996 بتنفيذ هذا التشريع …": the year
    # after the subject (where a VSO object would stand) was picked as the target
    text = news("BB-middleEast-509-20180517", "text", 1644, 1854)
    threat = with_entities(text)
    assert threat.actor is not None and threat.actor.text == "الاتحاد الأوروبي"
    assert threat.target is None or "1996" not in threat.target.text


@pytest.mark.parametrize(("article_id", "start", "end", "not_target"), [
    # "وكانت طهران قد هددت عدة مرات سابقا بإغلاق هذا المضيق مع تصاعد الضغوط الغربية عليها": how often names no one
    ("BB-middleEast-700-20180705", 221, 332, ("عدة مرات",)),
    # "يلوّح سيد البيت الأبيض بتغليظ العقوبات إلى حد الوصول إلى التهديدات العسكرية": how far is no one
    ("AL-economy-758-20180606", 1290, 1398, ("حد الوصول",)),
    # '"… وأنه سيدمر وسيقصف وغيرها، …"': "and others" is no one
    ("CN-middleEast-600-20180413", 1314, 1529, ("وغيرها",)),
    # 'قال فيه إنه "سيدمر كوريا الشمالية تماما"': an adverb is no one
    ("BB-internationalNews-121-20180309", 583, 670, ("تماما",)),
])
def test_how_often_how_far_and_and_others_are_no_target(article_id: str, start: int, end: int,
                                                         not_target: tuple[str, ...]) -> None:
    threat = with_entities(news(article_id, "text", start, end))
    assert threat.target is None or not any(word in threat.target.text for word in not_target), threat.target


@pytest.mark.parametrize(("article_id", "start", "end", "not_actor"), [
    # "لكنها مع ذلك أشارت إلى أنها ستواصل استهداف القوات الأطلسية": "but it" is a pronoun, no name
    ("FR-internationalNews-1859-20180617", 2294, 2382, "لكنها"),
    # "… بأن التهديدات التي أطلقها بخنق إيران اقتصاديا، والتلويح بالحرب ضدها": the threats do not threaten
    ("FR-internationalNews-2558-20180801", 641, 948, "التهديدات"),
    # 'وحثت موسكو … الدول الغربية على "التفكير جديا" في عواقب تهديداتها بضرب سوريا': nor do their consequences
    ("FR-middleEast-270-20180413", 1360, 1478, "عواقب"),
    # '"إذا لم يقدم الأوروبيون … ضمانا مكتوبا …، فإننا سننسحب من الاتفاق النووي"': "we", left unnamed
    ("CN-middleEast-884-20180511", 722, 845, "فإننا"),
])
def test_a_pronoun_a_threat_or_its_consequences_are_no_actor(article_id: str, start: int, end: int,
                                                               not_actor: str) -> None:
    threat = with_entities(news(article_id, "text", start, end))
    assert threat.actor is None or not_actor not in threat.actor.text, threat.actor


def test_the_measure_threatened_is_no_party() -> None:
    # 'أكد أن القوات المسلحة الليبية "ستتخذ جميع الإجراءات الكفيلة بحماية الدولة الليبية …"': the act, not its target
    threat = with_entities(news("SK-middleEast-2661-20180629", "text", 394, 552))
    assert threat.actor is not None and threat.actor.text == "القوات المسلحة الليبية"
    assert threat.target is None or "الإجراءات" not in threat.target.text
    # "… في وقت لا تزال تحت تهديد فرض رسوم جمركية أمريكية": nor who threatens
    threat = with_entities(news("FR-economy-54-20180609", "text", 1958, 2149))
    assert threat.actor is None or "رسوم" not in threat.actor.text
    # "… إن الجيش الأميركي سيتخذ كل الخطوات الضرورية لمواجهة السلوك الإيراني "الخبيث"": the party is what the measure
    # is for; what a measure protects is none ("ستتخذ إجراءات صارمة لحماية حقوقها التجارية المشروعة")
    threat = with_entities(_articles()["SK-internationalNews-1703-20180521"]["summary"])
    assert threat.target is not None and threat.target.text.startswith("السلوك الإيراني")
    assert with_entities(dev(1988)).target is None


def test_a_bare_object_pronoun_is_no_target() -> None:
    # '… قائلا: "إياك أن تهددنا مجددا، وإلا فستواجه تداعيات …"': the guidelines leave a bare pronoun's target null
    threat = with_entities(news("SK-internationalNews-2795-20180723", "text", 954, 1098))
    assert threat.target is None or threat.target.text != "نا"


@pytest.mark.parametrize("phrase", ["جزر سبراتلي المتنازع عليها", "وزرائه والمقربين منه", "ترامب مجددا"])
def test_a_party_named_before_a_pronoun_carrying_preposition_or_an_adverb_is_still_a_party(phrase: str) -> None:
    # Real phrases of the ANT sample: the pronoun after عليها/منه belongs to a participle, not to a verb's object;
    # "وعاد ترامب مجددا للتهديد": a name before an adverb is no verb (ترامب reads as an imperfect's shape)
    assert any(phrase in article["text"] for article in _articles().values())
    words = words_of(phrase)
    assert not names_no_one(words, (0, len(words) - 1))


def test_whom_a_speaker_addresses_is_not_who_threatens() -> None:
    # 'وقال مخاطبا ترامب: "لقد ضمنا دائما أمن هذا المضيق، فلا تلعب بالنار لأنك ستندم"': Rouhani, named before, warns Trump
    threat = with_entities(news("FR-middleEast-834-20180723", "text", 978, 1057))
    assert threat.actor is None or "ترامب" not in threat.actor.text


@pytest.mark.parametrize(("article_id", "field", "start", "end", "target"), [
    # 'النيابة العامة السعودية تقول إنها ستعاقب من يبث محتوى على مواقع التواصل الاجتماعي يتضمن "السخرية …"'
    ("BB-middleEast-968-20180905", "summary", 0, 166, "مواقع التواصل الاجتماعي"),
    # "… والتي كانت قد أعطت مهلة لإيران تنتهي في 14 أكتوبر": the deadline ends, not Iran
    ("CN-internationalNews-666-20181008", "text", 1885, 2070, "لإيران"),
])
def test_a_target_ends_before_its_own_verb(article_id: str, field: str, start: int, end: int, target: str) -> None:
    threat = with_entities(news(article_id, field, start, end))
    assert threat.target is not None and threat.target.text == target


def test_a_purpose_is_never_a_role() -> None:
    # cid 923: "لكن إذا لجأ أي طرف لزيادة الرسوم، فسترد الصين بإجراءات لحماية مصالحها التنموية": the purpose was picked
    # as the target
    text = dev(923)
    threats = extract_threats(text, "text", extract_entities(text, "text"))
    assert threats and all(t.target is None or not t.target.text.startswith("لحماية") for t in threats)
    assert all(t.actor is None or not t.actor.text.startswith("لحماية") for t in threats)


@pytest.mark.parametrize(("article_id", "field", "start", "end", "word"), [
    ("AL-economy-940-20180708", "text", 503, 577, "خفض الرسوم"),  # 'بكين ستواصل "خفض الرسوم على الواردات …"'
    ("SK-economy-1371-20181006", "summary", 0, 204, "منح إعفاء"),  # "واشنطن تدرس منح إعفاء من العقوبات للدول …"
    ("AL-economy-351-20180330", "text", 616, 760, "بنحو 2%"),  # "فستستهدفه مصر بنحو 2% من الناتج المحلي": a goal
])
def test_relief_from_a_measure_and_a_goal_aimed_at_are_no_candidates(article_id: str, field: str, start: int, end: int,
                                                                      word: str) -> None:
    text = news(article_id, field, start, end)
    assert word in text
    assert threat_candidates(text, extract_entities(text, field)) == []
    # cutting holdings in reprisal for sanctions stays one (cid 2485: "ستواصل خفض حيازتها من الأوراق المالية الأمريكية")
    assert [c.trigger.kind for c in threat_candidates(dev(2485), extract_entities(dev(2485), "text"))] == ["continue"]


@pytest.mark.parametrize("cid", [
    2683,  # '… "على الحكومة عدم الرضوخ للحملة …، وإلا سنصبح وكالة توظيف للعالم أجمع"'
    2691,  # '"يجب أن يقف مجلس الأمن وراء قراراته …، وإلا فإننا نجازف بتقويض مصداقية النظام الدولي"'
])
def test_or_else_that_names_only_our_own_loss_is_no_ultimatum(cid: int) -> None:
    text = dev(cid)
    assert "وإلا" in text
    assert [c for c in threat_candidates(text, extract_entities(text, "text")) if c.trigger.kind == "or_else"] == []
    # one speaker's act against others stays one: 'عليهم (المكسيك) وقف التدفق … وإلا سأضع حدا لبقرتهم الحلوب، نافتا'
    text = dev(2563)
    assert [c.trigger.kind for c in threat_candidates(text, extract_entities(text, "text"))] == ["or_else"]


def first_rejection(text: str, kind: str, entities: list | None = None) -> str | None:
    """Why the hand rules reject the first trigger of `kind` in `text` (None: they accept it)."""
    from rasid.nlp.threats.extractor import _rejection, _sentences, find_triggers

    for _sent, words, _mentions, entity_tokens, sentence_norm in _sentences(text, entities or []):
        for trig in find_triggers(words, entity_tokens, permissive=True):
            if trig.kind == kind:
                return _rejection(words, trig, entity_tokens, sentence_norm)
    raise AssertionError(f"no {kind} trigger in {text!r}")


def test_the_new_look_alike_rules_keep_their_threats() -> None:
    # (sentences written for the rules' edges, not news; the rules' real sentences are pinned above)
    reason = first_rejection
    assert reason("وقال إن الحكومة لن تتراجع وإلا سنرد بحزم على أي اعتداء.", "or_else") is None  # not our own loss
    assert reason("وكان ترامب قد خرج مهددا بالانسحاب من الاتفاق.", "threaten") is None  # مهددا goes with خرج
    assert reason("وقالت مصادر إن الجيش ينذر السكان بإخلاء المنطقة.", "warn") != "portends"  # an agent warns
    assert any(c.trigger.kind == "attack" for c in threat_candidates(
        "وقال إن القوات ستستهدف نحو عشرين موقعا عسكريا إذا لم ينسحب المسلحون."))  # a number of targets, not a goal


@pytest.mark.parametrize(("cid", "authored"), [
    (1610, False),  # "تهديد بالقتل لضابط هندي أنقذ مسلما من حشد هندوسي غاضب": a headline, no author
    (2667, False),  # "وتعرض نبيل عيوش بسبب فيلم … لتهديدات بالموت"
    (601, True),  # "بل أرسلوا لها تهديدات بالقتل": sent by the ones named
])
def test_death_threats_count_only_when_someone_sent_them(cid: int, authored: bool) -> None:
    text = dev(cid)
    assert (first_rejection(text, "noun", extract_entities(text, "text")) != "threats_without_author") == authored


# --- session thirteen: circumstances and the end of an actor ------------------------------------------------------


def test_a_during_phrase_names_where_not_who() -> None:
    # ANT SK-middleEast-1402-20180504: "وتوعد العبادي خلال حفل انتخابي بمحافظة النجف، بكشف ملابسات اغتيال …":
    # Najaf is where he spoke, not whom he threatened.
    t = with_entities(news("SK-middleEast-1402-20180504", "text", 155, 355))
    assert t.actor is not None and t.actor.text == "العبادي"
    assert t.target is None or "النجف" not in t.target.text
    # ANT SK-internationalNews-350-20180314: "وتابعت، خلال إلقائها كلمة أمام البرلمان البريطاني "سنعلق …": Parliament
    # heard May; it suspends nothing.
    t = with_entities(news("SK-internationalNews-350-20180314", "text", 511, 699))
    assert t.actor is None or "البرلمان" not in t.actor.text
    # ANT AL-internationalNews-1376-20180530: "وهدد المتحدث باسم الجيش خلال مؤتمر صحفي عقده مساء الثلاثاء باغتيال قادة
    # المقاومة في غزة": the phrase ends at its own verb; the target after it stays.
    t = with_entities(news("AL-internationalNews-1376-20180530", "text", 2279, 2427))
    assert t.target is not None and "قادة المقاومة" in t.target.text


def test_an_actor_ends_before_his_own_speech_or_verb() -> None:
    # ANT CN-middleEast-874-20180510: "واختتم نتنياهو كلمته قائلا: "أي أحد سيضربنا سنرد الضربة 7 مرات أقوى …"
    threats = extract_threats(t := news("CN-middleEast-874-20180510", "text", 937, 1050), "text", extract_entities(t, "text"))
    assert threats and threats[0].actor is not None and threats[0].actor.text == "نتنياهو"
    # ANT AL-internationalNews-953-20180503: "ولفت البيان إلى أن جابر يقوم بتهديد الصحافيين بالسجن …"
    t = with_entities(news("AL-internationalNews-953-20180503", "text", 2507, 2594))
    assert t.actor is not None and t.actor.text == "جابر"


@pytest.mark.parametrize("cid", [
    3011,  # "وتركي آل الشيخ يتوعد": a headline's bare verb names neither act nor target
    3025,  # "وروسيا تتوعد"
])
def test_a_bare_verb_of_threatening_is_no_threat_statement(cid: int) -> None:
    text = dev(cid)
    assert extract_threats(text, "text", extract_entities(text, "text")) == []


def test_a_verb_that_carries_its_target_is_not_bare() -> None:
    # cid 921 (train2): "مادورو يفوز بولاية ثانية و"فالكون" وواشنطن يتوعدانه": the pronoun is Maduro, the one threatened.
    text = dev(921)
    assert [t.trigger.text for t in extract_threats(text, "text", extract_entities(text, "text"))] == ["يتوعدانه"]


def test_a_bare_verb_beside_a_threat_keeps_the_threat() -> None:
    # cid 15 (dev): "تركيا تتوعد برد مناسب واليونان تحذر": Greece's bare warning is nothing, Turkey's vow is a threat.
    text = dev(15)
    threats = extract_threats(text, "text", extract_entities(text, "text"))
    assert [t.trigger.text for t in threats] == ["تتوعد"]


@pytest.mark.parametrize(("cid", "kind", "reason"), [
    # "… ما جعل "البيسيليستي" مهددا بالخروج من الدور الأول": made to be under threat, a state
    (2593, "threaten", "threatened_party"),
    # "… وهاجم بقوة وهدد مرمى الغرافة بقوة": a shot on goal
    (951, "threaten", "sport"),
    # "وقامت المحكمة الإسرائيلية العليا بتجميد الخطة وأمهلت الدولة حتى 26 مارس …": a court's deadline, its subject
    # five words back
    (964, "ultimatum", "administrative_deadline"),
])
def test_match_reports_states_and_court_deadlines_are_no_threats(cid: int, kind: str, reason: str) -> None:
    text = dev(cid)
    assert first_rejection(text, kind, extract_entities(text, "text")) == reason
    assert extract_threats(text, "text", extract_entities(text, "text")) == []




def test_whoever_a_demand_names_before_or_else_is_not_the_one_threatening() -> None:
    # cid 139 (split heldout, a training split; annotated with no actor): "لا تحاول أبدا تهديد الولايات المتحدة مرة أخرى، وإلا
    # ستعاني من عقبات وخيمة"": the demand's words were the actor ("أبدا تهديد الولايات المتحدة").
    text = dev(139)
    threats = extract_threats(text, "text", extract_entities(text, "text"))
    assert threats and all(t.actor is None for t in threats)
    # ANT SK-middleEast-764-20180403: "وتابع بغضب: "عليهم (المكسيك) وقف التدفق الكبير للمخدرات والأشخاص وإلا سأضع حدا
    # لبقرتهم الحلوب، نافتا.": Mexico is asked to act and is threatened; the demanded act is nobody.
    t = with_entities(news("SK-middleEast-764-20180403", "text", 637, 738))
    assert t.actor is None and t.target is not None and t.target.text == "المكسيك"


def test_an_actor_ends_before_the_act_and_starts_after_another_verb() -> None:
    # ANT FR-internationalNews-2063-20180629: "… فيديو عبر تطبيق "تلغرام"، يهدد فيه عناصر من التنظيم المتطرف بإعدام ستة
    # أشخاص …": the actor was "التنظيم المتطرف بإعدام ستة أشخاص".
    t = with_entities(news("FR-internationalNews-2063-20180629", "text", 1419, 1635))
    assert t.actor is not None and t.actor.text == "التنظيم المتطرف"
    # ANT BB-middleEast-652-20180623: "وتعهد الأسد باستعادة المنطقة …، وهدد بشن هجوم على منطقة خفض التصعيد …": the
    # actor was the whole first clause.
    threats = extract_threats(t := news("BB-middleEast-652-20180623", "text", 1099, 1277), "text", extract_entities(t, "text"))
    assert any(x.actor is not None and x.actor.text == "الأسد" for x in threats)


def test_a_verb_joined_after_a_complement_clause_does_not_take_its_subject() -> None:
    # ANT SK-middleEast-3745-20181004: "كما اعتبر أن الصواريخ الإيرانية الأخيرة التي تم إطلاقها في سوريا كانت "طائشة
    # وتصعيدية"، وتوعد بمحاسبة الإيرانيين …": the missiles were the actor; he (named earlier) vows.
    t = with_entities(news("SK-middleEast-3745-20181004", "text", 289, 448))
    assert t.actor is None or "الصواريخ" not in t.actor.text
    assert t.target is not None and t.target.text == "الإيرانيين"


@pytest.mark.parametrize(("article_id", "start", "end", "actor", "target"), [
    # "أمهلت رئيسة الحكومة البريطانية تيريزا ماي موسكو حتى منتصف ليل …": a feminine title opens the actor as a
    # masculine one does (the actor was "رئيسة", and the target the rest up to Moscow)
    ("FR-internationalNews-418-20180314", 377, 614, "رئيسة الحكومة البريطانية تيريزا ماي", "موسكو"),
    # "وكان وزير الخارجية الإيراني محمد جواد ظريف رد السبت … محذرا بأن طهران ستستأنف …": a subject phrase's word limit
    # cut the name after "محمد"
    ("FR-internationalNews-886-20180424", 2125, 2304, "وزير الخارجية الإيراني محمد جواد ظريف", None),
    # "وحدد وزير الداخلية الألماني هورست سيهوفر … لمركيل مهلة … مهددا …": likewise after "هورست"
    ("BB-internationalNews-715-20180629", 2450, 2682, "وزير الداخلية الألماني هورست سيهوفر", None),
])
def test_a_titled_name_is_taken_whole(article_id: str, start: int, end: int, actor: str, target: str | None) -> None:
    text = news(article_id, "text", start, end)
    threats = extract_threats(text, "text", extract_entities(text, "text"))
    assert threats and all(t.actor is not None and t.actor.text == actor for t in threats), threats
    assert target is None or all(t.target is not None and t.target.text == target for t in threats)


@pytest.mark.parametrize(("article_id", "start", "end", "adjective"), [
    # "… رسالة إلى الحكومة العراقية …، انطوت على تهديد مبطن باستعمال القوة العسكرية في أراضيهما": "مبطن" (veiled)
    # describes the threat; it was the actor
    ("SK-middleEast-3646-20180911", 321, 583, "مبطن"),
    # "وتسببت تهديدات أردوغان المتكررة بالتوجه إلى منبج …": "المتكررة" (repeated) is no target
    ("SK-middleEast-180-20180309", 1412, 1608, "المتكررة"),
    # "… وذلك بعد أقل من عام على تهديد آخر بتحويل البحر الأحمر إلى "ساحة حرب"": "another" threat
    ("SK-middleEast-511-20180324", 983, 1243, "آخر"),
])
def test_how_a_threat_is_made_is_no_party(article_id: str, start: int, end: int, adjective: str) -> None:
    threat = with_entities(news(article_id, "text", start, end))
    for role in (threat.actor, threat.target):
        assert role is None or adjective not in role.text, threat


def test_an_actor_ends_before_its_future_verb() -> None:
    # "كشف الرئيس الفرنسي أن بلاده ستعلن "خلال الأيام المقبلة" ردها …، وفي حال قررت شن ضربات عسكرية فسوف تستهدف …"
    text = news("SK-middleEast-908-20180410", "text", 1189, 1392)
    threats = extract_threats(text, "text", extract_entities(text, "text"))
    assert threats and all(t.actor is None or "ستعلن" not in t.actor.text for t in threats), threats
