"""Draw the sentences of the threat development set from real text (run once; output is annotated by hand).

Sources: ../shared/data/news/ant-articles.jsonl (title, summary, text) and the
sentences of ../shared/data/ner/train.conll. Candidates are sentences holding a
threat-like word (threats and hard negatives alike) plus uniformly random
sentences. Sampling is seeded, so the candidate list is reproducible.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

NEWS = Path("/work/shared/data/news/ant-articles.jsonl")
CONLL = Path("/work/shared/data/ner/train.conll")
# Strong cues: verbs and nouns that usually carry a threat (and their look-alikes).
STRONG = re.compile(
    r"(?:^|[\s\"(«])[وف]?(?:[يتنأ]?هدد|تهديد|توعد|يتوعد|تتوعد|أنذر|إنذار|انذار|أمهل|يمهل|[يت]?لوح|ملوح"
    r"|سترد|سيرد|سنرد|ستدفع|سيدفع|انتقام|مكتوف)"
)
# Weak cues: warnings, sanctions, strikes, responses; mostly hard negatives.
WEAK = re.compile(r"حذر|يحذر|تحذر|تحذير|مهلة|عقوبات|ضربة|الرد على|ستواصل|سيضرب")
SENTENCE_END = re.compile(r"(?<=[.!؟?])\s+|\n+")


def news_sentences(lengths: tuple[int, int] = (30, 400)) -> list[dict]:
    """News sentences whose length in characters lies in `lengths` (every draw before batch 23: 30-400)."""
    out, seen = [], set()
    for line in NEWS.open(encoding="utf-8"):
        art = json.loads(line)
        for field in ("title", "summary", "text"):
            text = art.get(field) or ""
            pos = 0
            for m in list(SENTENCE_END.finditer(text)) + [None]:
                end = m.start() if m else len(text)
                raw = text[pos:end]
                lead = len(raw) - len(raw.lstrip())
                s, e = pos + lead, pos + len(raw.rstrip())
                pos = m.end() if m else len(text)
                sent = text[s:e]
                if not lengths[0] <= len(sent) <= lengths[1] or sent in seen:
                    continue
                seen.add(sent)
                out.append({"source": "ant", "article_id": art["id"], "category": art["category"],
                            "field": field, "start": s, "end": e, "text": sent})
    return out


def conll_sentences() -> list[dict]:
    out, tokens, idx = [], [], 0
    for line in CONLL.open(encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            if tokens:
                sent = " ".join(tokens)
                if 30 <= len(sent) <= 400:
                    out.append({"source": "anercorp-train", "conll_sentence": idx, "text": sent})
                idx += 1
                tokens = []
            continue
        tokens.append(line.rsplit(" ", 1)[0])
    return out


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


def batch2(existing: list[dict]) -> list[dict]:
    """Second draw (dev only): more cue sentences, most of them threat verbs that name a target.

    Sentences already drawn, and near-duplicates (same story on another site, word Jaccard >= 0.5)
    of any held-out sentence, are left out so the held-out split stays unseen.
    """
    from tests.threats.data.build_devset import split_of

    rng = random.Random(52)
    news = news_sentences()
    taken = {c["text"] for c in existing}
    heldout = [_words(c["text"]) for c in existing if split_of(c["text"]) == "heldout"]

    def fresh(s: dict) -> bool:
        if s["text"] in taken:
            return False
        w = _words(s["text"])
        return all(len(w & h) / max(1, len(w | h)) < 0.5 for h in heldout)

    verbs = [s for s in news if VERB_TARGET.search(s["text"])]
    strong = [s for s in news if STRONG.search(s["text"]) and not VERB_TARGET.search(s["text"])]
    weak = [s for s in news if WEAK.search(s["text"]) and not STRONG.search(s["text"])]
    picked = rng.sample(verbs, 110) + rng.sample(strong, 30) + rng.sample(weak, 25)
    rows, seen = [], set()
    for s in picked:
        if s["text"] in seen or not fresh(s):
            continue
        seen.add(s["text"])
        rows.append({**s, "batch": 2})
    return rows


# Verbs that take the threatened party as object (هدد/توعد/أنذر/أمهل/حذر X): where targets are.
VERB_TARGET = re.compile(r"(?:^|[\s\"(«])[وف]?(?:[يتنأ]?هدد|توعد|يتوعد|تتوعد|أنذر|ينذر|أمهل|يمهل|[يت]?حذر|حذرت)\w*\s")


def batch3(existing: list[dict]) -> list[dict]:
    """Third draw (issue 5, role generalisation): only articles no earlier batch used, half of it a new held-out split.

    80 sentences with a threat verb that takes an object, 30 with another strong cue, 25 with only a weak
    cue and 30 random news sentences; at most two sentences an article; near-duplicates (word Jaccard >= 0.5)
    of any earlier sentence are left out. The split (`heldout2` or `dev`) is a salted hash of the text.
    """
    used = {c.get("article_id") for c in existing}
    news = [s for s in news_sentences() if s["article_id"] not in used]
    verbs = [s for s in news if VERB_TARGET.search(s["text"])]
    strong = [s for s in news if STRONG.search(s["text"]) and not VERB_TARGET.search(s["text"])]
    weak = [s for s in news if WEAK.search(s["text"]) and not STRONG.search(s["text"])]
    return _take([(verbs, 80), (strong, 30), (weak, 25), (news, 30)], random.Random(53), existing, batch=3)


# Threat verbs other than warnings (حذر draws mostly advisory warnings): where threats and their roles are.
THREAT_VERB = re.compile(
    r"(?:^|[\s\"(«])[وف]?(?:[يتنأ]?هدد|توعد|يتوعد|تتوعد|متوعد|أنذر|ينذر|أمهل|يمهل|[يت]?لوح|ملوح|تهديد\w* ب|سترد|سيرد|سنرد)"
)


def batch3_verbs(existing: list[dict]) -> list[dict]:
    """Second half of the third draw: 70 sentences with a threat verb (not حذر) from articles no earlier draw used."""
    used = {c.get("article_id") for c in existing}
    pool = [s for s in news_sentences() if s["article_id"] not in used and THREAT_VERB.search(s["text"])]
    return _take([(pool, 70)], random.Random(54), existing, batch=3)


def batch4(existing: list[dict]) -> list[dict]:
    """Fourth draw (issue 5, a third held-out split, `heldout3`): ~150 sentences from articles no earlier draw used.

    60 with a threat verb other than حذر, 30 with a verb that takes an object (حذر among them), 20 with
    another strong cue, 20 with only a weak cue and 20 random news sentences; at most two sentences an
    article; near-duplicates (word Jaccard >= 0.5) of any earlier sentence are left out. Seed 55.
    """
    return _fresh_mix(existing, random.Random(55), 4, (60, 30, 20, 20, 20))


def batch5(existing: list[dict]) -> list[dict]:
    """Fifth draw (`train2`, training data for the learned decision layer): ~250 sentences, batch 4's mix, seed 56.

    100 with a threat verb other than حذر, 50 with a verb that takes an object (mostly حذر), 33 with another
    strong cue, 33 with only a weak cue and 34 random news sentences; only articles no earlier draw used
    (heldout3 included), near-duplicates (word Jaccard >= 0.5) of any earlier sentence left out, at most two
    sentences an article.
    """
    return _fresh_mix(existing, random.Random(56), 5, (100, 50, 33, 33, 34))


def batch6(existing: list[dict]) -> list[dict]:
    """Sixth draw (`train3`, more training data for the decision layer): batch 5's mix at 300 sentences, seed 57."""
    return _fresh_mix(existing, random.Random(57), 6, (120, 60, 40, 40, 40))


def batch7(existing: list[dict]) -> list[dict]:
    """Seventh draw (`train4`): unused articles are spent, so new sentences of articles only training draws used.

    100 sentences with a threat verb other than حذر and 50 with a verb that takes an object, seed 58; articles with
    any heldout3 sentence are left out, and so are near-duplicates (word Jaccard >= 0.5) of any earlier sentence;
    at most two new sentences an article. Cross-validation folds group sentences by article.
    """
    news = _undrawn_news(existing, {c.get("article_id") for c in existing if c.get("batch") == 4})
    threat_verbs, verbs, _, _ = _cue_pools(news)
    return _take([(threat_verbs, 100), (verbs, 50)], random.Random(58), existing, batch=7)


def batch8(existing: list[dict]) -> list[dict]:
    """Eighth draw (`heldout4`, a second honest held-out split): only articles no training draw used, seed 59.

    Unused articles hold few threat verbs, so the draw takes every threat verb other than حذر (up to 40) and every
    verb that takes an object (up to 40) it can, then 25 other strong cues, 20 weak cues and 15 random news
    sentences; articles of heldout3 may give new sentences (they never trained anything); sentences already drawn
    and near-duplicates (word Jaccard >= 0.5) of any earlier sentence are left out, at most two sentences an article.
    """
    news = _undrawn_news(existing, {c.get("article_id") for c in existing if c.get("batch") != 4})
    threat_verbs, verbs, strong, weak = _cue_pools(news)
    return _take([(threat_verbs, 40), (verbs, 40), (strong, 25), (weak, 20), (news, 15)], random.Random(59), existing, 8)


def batch9(existing: list[dict]) -> list[dict]:
    """Ninth draw (`train5`, more training data): new sentences of articles that no held-out draw used, seed 60.

    80 sentences with a threat verb other than حذر and 40 with a verb that takes an object; articles with any heldout3
    or heldout4 sentence are left out, and so are sentences already drawn and near-duplicates (word Jaccard >= 0.5) of
    any earlier sentence; at most two new sentences an article.
    """
    news = _undrawn_news(existing, {c.get("article_id") for c in existing if c.get("batch") in (4, 8)})
    threat_verbs, verbs, _, _ = _cue_pools(news)
    return _take([(threat_verbs, 80), (verbs, 40)], random.Random(60), existing, batch=9)


def batch10(existing: list[dict]) -> list[dict]:
    """Tenth draw (`train6`): what is left of the news cue pools, and ANERcorp train sentences with a cue, seed 61.

    The news pools are nearly spent: every remaining sentence with a threat verb (other than حذر) or a verb that takes
    an object, 60 with another strong cue, from articles no held-out draw used; then 60 ANERcorp train sentences
    (2006-07 news: another period and other sites) with a strong or weak cue. Sentences already drawn and
    near-duplicates (word Jaccard >= 0.5) of any earlier sentence are left out, at most two sentences an article.
    """
    news = _undrawn_news(existing, {c.get("article_id") for c in existing if c.get("batch") in (4, 8)})
    threat_verbs, verbs, strong, _ = _cue_pools(news)
    taken_texts = {c["text"] for c in existing}
    conll = [s for s in conll_sentences()
             if s["text"] not in taken_texts and (STRONG.search(s["text"]) or WEAK.search(s["text"]))]
    return _take([(threat_verbs, 100), (verbs, 100), (strong, 60), (conll, 60)], random.Random(61), existing, batch=10)


# Future punitive acts and refusals (ستفرض، سنتخذ، سترد، لن نسمح، لن تتردد…): conditional commitments and vows of
# retaliation that name no threat verb, and the announcements and forecasts that look like them.
FUTURE_ACT = re.compile(
    r"(?:^|[\s\"(«])[وف]?(?:س[يتن]|سوف [يتن])(?:فرض|تخذ|عاقب|قطع|طرد|ستهدف|ضرب|قصف|هاجم|رد|دفع|ندم|لاحق|حاسب|صعد|وقف"
    r"|علق|جمد|سحب|نسحب|غلق|منع|دمر|سحق|تحرك|تدخل|لجأ|ستخدم)\w*|لن (?:ن|ت|ي)(?:سمح|قف|تهاون|سكت|تردد)\w*|مكتوف|سندفع|ستدفع"
)


def batch11(existing: list[dict]) -> list[dict]:
    """Eleventh draw (`train7`): 120 news sentences with a future punitive act or a refusal and no earlier cue pool's
    threat verb drawn, seed 62; articles with any heldout3 or heldout4 sentence are left out, and so are sentences
    already drawn and near-duplicates (word Jaccard >= 0.5) of any earlier sentence; at most two an article."""
    news = _undrawn_news(existing, {c.get("article_id") for c in existing if c.get("batch") in (4, 8)})
    pool = [s for s in news if FUTURE_ACT.search(s["text"])]
    return _take([(pool, 120)], random.Random(62), existing, batch=11)


# Warnings by a warn verb (حذر، يحذر، تحذر): the commonest trigger and the commonest look-alike.
WARN_VERB = re.compile(r"(?:^|[\s\"(«])[وف]?(?:حذر|يحذر|تحذر)")


def batch12(existing: list[dict]) -> list[dict]:
    """Twelfth draw (`train8`), seed 63, the same exclusions as batch 11: 60 of the news sentences left with a future
    punitive act or a refusal (batch 11's pool), every one left with a warn verb and no strong cue (the weak-cue pool,
    where warnings of one's own act hide among health, market and safety warnings; about 30 remain) and 40 of those
    left with another strong cue (threat nouns: تهديد، إنذار، انتقام …)."""
    news = _undrawn_news(existing, {c.get("article_id") for c in existing if c.get("batch") in (4, 8)})
    future = [s for s in news if FUTURE_ACT.search(s["text"])]
    _, _, strong, weak = _cue_pools(news)
    warn = [s for s in weak if WARN_VERB.search(s["text"]) and not FUTURE_ACT.search(s["text"])]
    strong = [s for s in strong if not FUTURE_ACT.search(s["text"])]
    return _take([(future, 60), (warn, 30), (strong, 40)], random.Random(63), existing, batch=12)


def batch13(existing: list[dict]) -> list[dict]:
    """Thirteenth draw (`train9`), seed 64, the same exclusions as batch 11: 50 more of the future-act pool (mostly
    announcements by now: hard negatives for the commitments) and 50 of the weak-cue pool (عقوبات، ضربة، الرد على، مهلة،
    ستواصل … with no strong cue), where threats stated through sanctions, strikes and responses hide among reports."""
    news = _undrawn_news(existing, {c.get("article_id") for c in existing if c.get("batch") in (4, 8)})
    future = [s for s in news if FUTURE_ACT.search(s["text"])]
    weak = [s for s in _cue_pools(news)[3] if not FUTURE_ACT.search(s["text"])]
    return _take([(future, 50), (weak, 50)], random.Random(64), existing, batch=13)


def batch14(existing: list[dict]) -> list[dict]:
    """Fourteenth draw (`train10`), seed 65, the same exclusions as batch 11: every news sentence left in the strong
    pools (a threat verb, a verb that takes its target as object, another strong cue) and in the warn-verb pool (the
    kinds of sentence threats are made of; the near-duplicate limit leaves about 25), every ANERcorp train sentence
    not drawn yet with a strong, future-act or weak cue (older news from other papers), and 30 of the news weak-cue
    pool."""
    news = _undrawn_news(existing, {c.get("article_id") for c in existing if c.get("batch") in (4, 8)})
    threat_verbs, verbs, strong, weak = _cue_pools(news)
    warn = [s for s in weak if WARN_VERB.search(s["text"]) and not FUTURE_ACT.search(s["text"])]
    taken = {c["text"] for c in existing}
    conll = [s for s in conll_sentences() if s["text"] not in taken
             and (STRONG.search(s["text"]) or FUTURE_ACT.search(s["text"]) or WEAK.search(s["text"]))]
    weak = [s for s in weak if not FUTURE_ACT.search(s["text"]) and not WARN_VERB.search(s["text"])]
    return _take([(threat_verbs, 30), (verbs, 21), (strong, 44), (warn, 16), (conll, 60), (weak, 30)],
                 random.Random(65), existing, batch=14)


def batch15(existing: list[dict]) -> list[dict]:
    """Fifteenth draw (`train11`), seed 66, batch 11's exclusions: 40 more of the future-act pool and 60 of the weak-cue
    pool (no strong cue, no future act): what is left of the news sample's cue sentences, mostly hard negatives."""
    news = _undrawn_news(existing, {c.get("article_id") for c in existing if c.get("batch") in (4, 8)})
    future = [s for s in news if FUTURE_ACT.search(s["text"])]
    weak = [s for s in _cue_pools(news)[3] if not FUTURE_ACT.search(s["text"])]
    return _take([(future, 40), (weak, 60)], random.Random(66), existing, batch=15)


def batch16(existing: list[dict]) -> list[dict]:
    """Sixteenth draw (`train12`), seed 67, batch 11's exclusions: every future-act sentence left that is no near-
    duplicate of a drawn one, then weak-cue sentences (no strong cue, no future act) to 100: the hard negatives that
    false alarms come from."""
    news = _undrawn_news(existing, {c.get("article_id") for c in existing if c.get("batch") in (4, 8)})
    future = [s for s in news if FUTURE_ACT.search(s["text"])]
    weak = [s for s in _cue_pools(news)[3] if not FUTURE_ACT.search(s["text"])]
    rows = _take([(future, 40)], random.Random(67), existing, batch=16)
    return rows + _take([(weak, 100 - len(rows))], random.Random(67), existing + rows, batch=16)


def batch17(existing: list[dict]) -> list[dict]:
    """Seventeenth draw (`train13`), seed 68, batch 11's exclusions: 100 more of the news weak-cue pool (no strong cue,
    no future act), the sentences about sanctions, strikes, deadlines and warnings that false alarms come from."""
    news = _undrawn_news(existing, {c.get("article_id") for c in existing if c.get("batch") in (4, 8)})
    weak = [s for s in _cue_pools(news)[3] if not FUTURE_ACT.search(s["text"])]
    return _take([(weak, 100)], random.Random(68), existing, batch=17)


def batch18(existing: list[dict]) -> list[dict]:
    """Eighteenth draw (`train14`), seed 69, batch 11's exclusions: sentences the extractor gives a trigger candidate that
    no cue pool of the earlier draws holds (the pools are plain-letter patterns, so "وتوعّد"، "حذّر"، "التهديد"، "تعهدت"
    and the measures and commitments never matched them). The extractor's own decision splits that pool: 50 sentences
    it calls a threat and 50 it does not, as the extractor and models of commit a7f738c (trained on dev … train13)
    decide: the draw is reproducible at that commit."""
    return _candidate_pool_draw(existing, seed=69, batch=18)


def batch19(existing: list[dict]) -> list[dict]:
    """Nineteenth draw (`train15`), seed 70: batch 18's pool again, what is left of it after batch 18, split as the
    extractor and models of commit 5ffba13 (trained on dev … train14) decide: up to 50 it calls a threat (the
    per-article limit and the near-duplicate filter left 44), 50 it does not."""
    return _candidate_pool_draw(existing, seed=70, batch=19)


def batch20(existing: list[dict]) -> list[dict]:
    """Twentieth draw (`train16`), seed 71: batch 18's pool once more, what is left of it, split as the extractor and
    models of commit 7ad6704 (trained on dev … train15) decide."""
    return _candidate_pool_draw(existing, seed=71, batch=20)


def batch21(existing: list[dict]) -> list[dict]:
    """Twenty-first draw (`train17`), seed 72: every undrawn sentence the extractor gives a candidate, in a cue pool
    or not (the cue pools' own draws had skipped them as near-duplicates or for the per-article limit at the time,
    or they came after the pool was drawn out), still passing both filters: all those the extractor and models of
    commit a5b0e53 (trained on dev … train16) call a threat (24), and 76 of the 178 they do not."""
    return _candidate_pool_draw(existing, seed=72, batch=21, wants=(50, 76), outside_cue_pools=False)


def batch22(existing: list[dict]) -> list[dict]:
    """Twenty-second draw (`train18`), seed 73: what batch 21 left of the same pool, as the extractor and models of commit
    ec51b68 (trained on dev … train17) split it: those it calls a threat (none expected: batch 21 took them all) and up
    to 100 it does not."""
    return _candidate_pool_draw(existing, seed=73, batch=22, wants=(50, 100), outside_cue_pools=False)


def batch23(existing: list[dict]) -> list[dict]:
    """Twenty-third draw (`train19`), seed 74, batch 11's exclusions: the sentences every earlier draw left out by their
    length, headlines under 30 characters ("الولايات المتحدة تهدد الصين") and sentences over 400, that the extractor
    gives a candidate: all of them that pass the per-article and near-duplicate filters. No model splits the pool."""
    from rasid.nlp.ner import extract_entities
    from rasid.nlp.threats.extractor import threat_candidates

    left_out = {c.get("article_id") for c in existing if c.get("batch") in (4, 8)}
    taken = {c["text"] for c in existing}
    pool = [s for s in news_sentences(lengths=(10, 100_000)) if not 30 <= len(s["text"]) <= 400
            and s["article_id"] not in left_out and s["text"] not in taken
            and threat_candidates(s["text"], extract_entities(s["text"], "text"))]
    return _take([(pool, len(pool))], random.Random(74), existing, batch=23)


def batch24(existing: list[dict]) -> list[dict]:
    """Twenty-fourth draw (`train20`), seed 75: every ANERcorp train sentence not drawn yet that the extractor gives a
    candidate (older news from other papers; the news sample's candidates are spent). No model splits the pool."""
    from rasid.nlp.ner import extract_entities
    from rasid.nlp.threats.extractor import threat_candidates

    taken = {c["text"] for c in existing}
    pool = [s for s in conll_sentences() if s["text"] not in taken
            and threat_candidates(s["text"], extract_entities(s["text"], "text"))]
    return _take([(pool, len(pool))], random.Random(75), existing, batch=24)


def _candidate_pool_draw(existing: list[dict], seed: int, batch: int, wants: tuple[int, int] = (50, 50),
                         outside_cue_pools: bool = True) -> list[dict]:
    """Up to `wants` undrawn sentences the extractor calls a threat and does not, of those it gives a candidate (outside
    every cue pool unless told otherwise; batch 11's exclusions). Imports the extractor: the split follows the models
    at the commit drawn from."""
    from rasid.nlp.ner import extract_entities
    from rasid.nlp.threats.decision import default_model
    from rasid.nlp.threats.extractor import threat_candidates

    model = default_model()
    news = _undrawn_news(existing, {c.get("article_id") for c in existing if c.get("batch") in (4, 8)})
    accepted, rejected = [], []
    for s in news:
        if outside_cue_pools and any(pool for pool in _cue_pools([s])):
            continue
        candidates = threat_candidates(s["text"], extract_entities(s["text"], "text"))
        if candidates:
            best = max(model.probability(c.features) for c in candidates)
            (accepted if best >= model.threshold else rejected).append(s)
    rows = _take([(accepted, wants[0])], random.Random(seed), existing, batch=batch)
    return rows + _take([(rejected, wants[1])], random.Random(seed), existing + rows, batch=batch)


def _undrawn_news(existing: list[dict], articles_left_out: set) -> list[dict]:
    """News sentences not drawn yet, outside the given articles."""
    taken_texts = {c["text"] for c in existing}
    return [s for s in news_sentences() if s["article_id"] not in articles_left_out and s["text"] not in taken_texts]


def _cue_pools(news: list[dict]) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """Batch 4's pools, each sentence in the first that fits: threat verbs other than حذر, verbs that take an object,
    other strong cues, weak cues only."""
    threat_verbs = [s for s in news if THREAT_VERB.search(s["text"])]
    verbs = [s for s in news if VERB_TARGET.search(s["text"]) and not THREAT_VERB.search(s["text"])]
    strong = [s for s in news if STRONG.search(s["text"]) and not VERB_TARGET.search(s["text"])
              and not THREAT_VERB.search(s["text"])]
    weak = [s for s in news if WEAK.search(s["text"]) and not STRONG.search(s["text"])]
    return threat_verbs, verbs, strong, weak


def _source_group(s: dict) -> str:
    """What "at most two sentences an article" counts by: the news article, or the ANERcorp sentence."""
    return s.get("article_id") or f"anercorp-train:{s['conll_sentence']}"


def _fresh_mix(existing: list[dict], rng: random.Random, batch: int, wants: tuple[int, ...]) -> list[dict]:
    """Batch 4's mix (threat verbs, object verbs, other strong cues, weak cues, random news) from unused articles."""
    used = {c.get("article_id") for c in existing}
    news = [s for s in news_sentences() if s["article_id"] not in used]
    threat_verbs, verbs, strong, weak = _cue_pools(news)
    return _take(list(zip((threat_verbs, verbs, strong, weak, news), wants)), rng, existing, batch)


def _take(pools: list[tuple[list[dict], int]], rng: random.Random, existing: list[dict], batch: int) -> list[dict]:
    """`want` random sentences of each pool in turn: at most two an article, no near-duplicate of an earlier one."""
    earlier = [_words(c["text"]) for c in existing]
    rows: list[dict] = []
    per_article: dict[str, int] = {}
    for pool, want in pools:
        taken = 0
        for s in rng.sample(pool, len(pool)):
            if taken == want:
                break
            w = _words(s["text"])
            if per_article.get(_source_group(s), 0) >= 2 or any(s["text"] == r["text"] for r in rows):
                continue
            if any(len(w & h) / max(1, len(w | h)) >= 0.5 for h in earlier):  # word Jaccard
                continue
            per_article[_source_group(s)] = per_article.get(_source_group(s), 0) + 1
            earlier.append(w)
            rows.append({**s, "batch": batch})
            taken += 1
    return rows


def main() -> None:
    draws = {"--batch3": batch3, "--batch3-verbs": batch3_verbs, "--batch4": batch4, "--batch5": batch5, "--batch6": batch6,
             "--batch7": batch7, "--batch8": batch8, "--batch9": batch9, "--batch10": batch10, "--batch11": batch11,
             "--batch12": batch12, "--batch13": batch13, "--batch14": batch14, "--batch15": batch15, "--batch16": batch16,
             "--batch17": batch17, "--batch18": batch18, "--batch19": batch19, "--batch20": batch20, "--batch21": batch21,
             "--batch22": batch22, "--batch23": batch23, "--batch24": batch24}
    if len(sys.argv) == 2 and sys.argv[1] in draws:
        here = Path(__file__).parent
        existing = [json.loads(line) for line in (here / "candidates.jsonl").open(encoding="utf-8")]
        next_cid = max(c["cid"] for c in existing) + 1
        draw = draws[sys.argv[1]]
        for i, s in enumerate(draw(existing)):
            sys.stdout.write(json.dumps({**s, "cid": next_cid + i}, ensure_ascii=False) + "\n")
        return
    if sys.argv[1:] == ["--batch2"]:
        here = Path(__file__).parent
        existing = [json.loads(line) for line in (here / "candidates.jsonl").open(encoding="utf-8")]
        next_cid = max(c["cid"] for c in existing) + 1
        for i, s in enumerate(batch2([c for c in existing if c.get("batch", 1) == 1])):
            sys.stdout.write(json.dumps({**s, "cid": next_cid + i}, ensure_ascii=False) + "\n")
        return
    rng = random.Random(5)
    news, conll = news_sentences(), conll_sentences()
    strong = [s for s in news if STRONG.search(s["text"])]
    weak = [s for s in news if WEAK.search(s["text"]) and not STRONG.search(s["text"])]
    conll_hits = [s for s in conll if STRONG.search(s["text"]) or WEAK.search(s["text"])]
    picked = (rng.sample(strong, 220) + rng.sample(weak, 60) + rng.sample(news, 40)
              + rng.sample(conll_hits, 40) + rng.sample(conll, 20))
    seen, rows = set(), []
    for s in picked:
        if s["text"] in seen:
            continue
        seen.add(s["text"])
        rows.append(s)
    for i, s in enumerate(rows):
        s["cid"] = i
        sys.stdout.write(json.dumps(s, ensure_ascii=False) + "\n")
    print(f"{len(strong)} strong, {len(weak)} weak news and {len(conll_hits)} conll cue sentences", file=sys.stderr)


if __name__ == "__main__":
    main()
