"""Rule types on real articles (ANT ids cited): what fires, when, and with which stable id."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

from ant import article
from rasid.records import Entity, Span, ThreatStatement, alert_id_for
from rasid.rules.engine import RuleEngine
from rasid.rules.loader import load_rule_file

T0 = datetime(2018, 9, 1, 12, 0, tzinfo=timezone.utc)


def engine_with(tmp_path: Path, **rule: object) -> RuleEngine:
    (tmp_path / "rule.yaml").write_text(yaml.safe_dump(rule, allow_unicode=True), encoding="utf-8")
    engine = RuleEngine(tmp_path)
    assert not engine.problems, engine.problems
    return engine


def mention(ant_id: str, name: str, label: str, field: str = "content") -> Entity:
    """An entity at its real offsets in the article's field."""
    text = article(ant_id).text_of(field)
    start = text.index(name)
    return Entity(text=name, label=label, start=start, end=start + len(name), field=field)  # type: ignore[arg-type]


def test_keyword_rule_fires_once_per_article_with_a_stable_id(tmp_path: Path) -> None:
    engine = engine_with(tmp_path, name="Baghdad", type="keyword", query="بغداد")
    # CN-middleEast-941-20180516 title: '… "وجود قاسم سليماني ببغداد"'
    hit = article("CN-middleEast-941-20180516")
    [alert] = engine.evaluate(hit, T0)
    assert alert.alert_id == alert_id_for("rule", hit.id)
    assert alert.article_id == hit.id and alert.url == hit.url and alert.title == hit.title
    assert any(t["text"] == "ببغداد" for t in alert.matched["terms"])
    assert engine.evaluate(article("AL-economy-1019-20180714"), T0) == []  # Fitch/Turkey: no Baghdad
    [again] = engine.evaluate(hit, T0 + timedelta(seconds=5))  # a replay: same id, so it dedupes downstream
    assert again.alert_id == alert.alert_id


def test_entity_rule_matches_name_and_aliases_with_label(tmp_path: Path) -> None:
    engine = engine_with(tmp_path, name="Erdogan", type="entity", realert="0m",
                         entity={"label": "PER", "name": "رجب طيب أردوغان", "aliases": ["أردوغان"]})
    # AL-economy-691-20180530: 'الرئيس التركي، رجب طيب أردوغان، في الآونة الأخيرة'
    full = article("AL-economy-691-20180530", entities=[mention("AL-economy-691-20180530", "رجب طيب أردوغان", "PER")])
    # AL-economy-1019-20180714: 'فإن أردوغان جدد وعده'
    alias = article("AL-economy-1019-20180714", entities=[mention("AL-economy-1019-20180714", "أردوغان", "PER")])
    wrong_label = article("AL-economy-1019-20180714",
                          entities=[mention("AL-economy-1019-20180714", "أردوغان", "ORG")])
    assert len(engine.evaluate(full, T0)) == 1
    [alert] = engine.evaluate(alias, T0)
    assert alert.matched["mentions"][0]["text"] == "أردوغان"
    assert engine.evaluate(wrong_label, T0) == []


def threat_in(ant_id: str, sentence_part: str, trigger: str, actor: str, severity: int, **kw: object) -> ThreatStatement:
    row_article = article(ant_id)
    field = "title" if sentence_part in row_article.title else "content"
    text = row_article.text_of(field)
    start = text.index(sentence_part)

    def span(word: str) -> Span:
        at = text.index(word, start)
        return Span(text=word, start=at, end=at + len(word))

    return ThreatStatement(text=sentence_part, start=start, end=start + len(sentence_part), field=field,
                           trigger=span(trigger), actor=span(actor), severity=severity, **kw)  # type: ignore[arg-type]


def test_threat_rule_filters_actor_category_code_and_severity(tmp_path: Path) -> None:
    engine = engine_with(tmp_path, name="Iran threats", type="threat", realert="0m",
                         threat={"actor": "إيران OR طهران", "category": "military", "cameo_code": ["13*"],
                                 "min_severity": 3})
    # BB-middleEast-700-20180705 title: 'معلومات مهمة عن مضيق هرمز الذي هددت إيران بإغلاقه'
    ant_id = "BB-middleEast-700-20180705"
    sentence = "مضيق هرمز الذي هددت إيران بإغلاقه"
    strong = threat_in(ant_id, sentence, "هددت", "إيران", 4, category="military", cameo_code="138")
    weak = threat_in(ant_id, sentence, "هددت", "إيران", 2, category="military", cameo_code="138")
    other_actor = threat_in(ant_id, sentence, "هددت", "هرمز", 4, category="military", cameo_code="138")
    negated = threat_in(ant_id, sentence, "هددت", "إيران", 4, category="military", cameo_code="138", negated=True)
    assert len(engine.evaluate(article(ant_id, threats=[strong]), T0)) == 1
    for threat in (weak, other_actor, negated):
        assert engine.evaluate(article(ant_id, threats=[threat]), T0) == []


def test_a_threat_rule_on_an_actor_finds_him_under_the_title_the_article_names_him_with(tmp_path: Path) -> None:
    from ant import ant_rows
    from rasid.nlp.enrichment import enrich
    from rasid.samples.ant_corpus import article_from_ant_row

    engine = engine_with(tmp_path, name="Trump threats", type="threat", realert="0m", threat={"actor": "ترامب"})
    # SK-economy-324-20180410: a threat whose actor is written "الرئيس الأميركي" alone; the article names him in full
    enriched = enrich(article_from_ant_row(ant_rows()["SK-economy-324-20180410"]))
    titled = [t for t in enriched.threats if t.actor and t.actor.text == "الرئيس الأميركي"]
    assert titled
    [alert] = engine.evaluate(enriched.model_copy(update={"threats": titled}), T0)
    assert alert.matched["threats"][0]["actor_names"] == ["دونالد ترامب"]
    # the span alone would not have fired: the name is what matched
    unnamed = [t.model_copy(update={"actor_names": []}) for t in titled]
    assert engine.evaluate(enriched.model_copy(update={"threats": unnamed, "id": "other"}), T0) == []


FIVE = ["CN-economy-233-20180902", "CN-economy-237-20180901", "CN-economy-252-20180901",
        "CN-middleEast-941-20180516", "BB-middleEast-401-20180424"]  # all mention بغداد


def test_frequency_counts_within_the_window_and_replays_do_not_double_count(tmp_path: Path) -> None:
    engine = engine_with(tmp_path, name="busy Baghdad", type="frequency", query="بغداد", num_events=3,
                         timeframe={"minutes": 10}, realert="0m")
    a, b, c, d, _ = (article(i) for i in FIVE)
    assert engine.evaluate(a, T0) == []
    assert engine.evaluate(b, T0 + timedelta(minutes=1)) == []
    assert engine.evaluate(b, T0 + timedelta(minutes=1)) == []  # replayed b: still two, not three
    [alert] = engine.evaluate(c, T0 + timedelta(minutes=2))
    assert alert.matched["count"] == 3
    [replayed] = engine.evaluate(c, T0 + timedelta(minutes=2))  # replay of the firing article
    assert replayed.alert_id == alert.alert_id
    # Counting restarts after an alert; d alone, far later, is not three.
    assert engine.evaluate(d, T0 + timedelta(minutes=30)) == []


def test_frequency_per_key_counts_each_place_apart(tmp_path: Path) -> None:
    engine = engine_with(tmp_path, name="per place", type="frequency", query="بغداد", num_events=2,
                         timeframe={"hours": 1}, query_key="entity:LOC", realert="0m")
    first = article(FIVE[0], entities=[mention(FIVE[0], "طهران", "LOC")])
    second = article(FIVE[3], entities=[mention(FIVE[3], "بغداد", "LOC")])
    third = article(FIVE[4], entities=[mention(FIVE[4], "بغداد", "LOC")])
    assert engine.evaluate(first, T0) == []
    assert engine.evaluate(second, T0) == []
    [alert] = engine.evaluate(third, T0 + timedelta(minutes=5))
    assert alert.matched["key"] == "بغداد"


def test_realert_throttles_per_rule_and_key(tmp_path: Path) -> None:
    engine = engine_with(tmp_path, name="by source", type="keyword", query="بغداد", query_key="source",
                         realert={"minutes": 30})
    cnn = [article(i) for i in FIVE[:3]]  # all CN (cnn) articles
    assert len(engine.evaluate(cnn[0], T0)) == 1
    assert engine.evaluate(cnn[1], T0 + timedelta(minutes=10)) == []
    assert len(engine.evaluate(article(FIVE[4]), T0 + timedelta(minutes=10))) == 1  # BBC: another key
    assert len(engine.evaluate(cnn[2], T0 + timedelta(minutes=31))) == 1


def test_spike_compares_with_the_previous_window(tmp_path: Path) -> None:
    engine = engine_with(tmp_path, name="spike", type="spike", query="بغداد", timeframe={"minutes": 10},
                         spike_height=3, threshold_cur=3, realert="0m")
    articles = [article(i) for i in FIVE]
    assert engine.evaluate(articles[0], T0) == []  # reference window: 1
    alerts = [engine.evaluate(a, T0 + timedelta(minutes=12, seconds=i)) for i, a in enumerate(articles[1:4])]
    assert alerts[0] == [] and alerts[1] == []
    [alert] = alerts[2]
    assert (alert.matched["current"], alert.matched["reference"]) == (3, 1)


def test_new_term_fires_the_first_time_only_and_after_the_window(tmp_path: Path) -> None:
    engine = engine_with(tmp_path, name="new place", type="new_term", query_key="entity:LOC",
                         terms_window_size={"days": 1}, realert="0m")
    first = article(FIVE[0], entities=[mention(FIVE[0], "طهران", "LOC")])
    again = article(FIVE[1], entities=[mention(FIVE[1], "طهران", "LOC")])
    [alert] = engine.evaluate(first, T0)
    assert alert.matched["new_term"] == "طهران"
    assert engine.evaluate(again, T0 + timedelta(hours=1)) == []
    assert len(engine.evaluate(first, T0 + timedelta(days=3))) == 1


def test_flatline_fires_on_the_timer_for_a_silent_feed(tmp_path: Path) -> None:
    engine = engine_with(tmp_path, name="feed stopped", type="flatline", timeframe={"hours": 1}, threshold=1,
                         realert={"hours": 1})
    bbc = article(FIVE[4])
    engine.evaluate(bbc, T0)
    assert engine.tick(T0 + timedelta(minutes=30)) == []
    [alert] = engine.tick(T0 + timedelta(minutes=61))
    assert alert.article_id is None and bbc.feed_url in alert.title
    [same] = engine.tick(T0 + timedelta(minutes=65))  # the timer again: same quiet spell, same id
    assert same.alert_id == alert.alert_id
    engine.evaluate(bbc, T0 + timedelta(minutes=70))  # the feed is back
    assert engine.tick(T0 + timedelta(minutes=80)) == []


class CountingStore(dict):
    """A rule store that counts writes: each is a changelog record in the stream."""

    writes = 0

    def __setitem__(self, key: str, value: object) -> None:
        self.writes += 1
        super().__setitem__(key, value)


def test_flatline_remembers_a_busy_feed_without_a_write_per_article_and_is_never_early(tmp_path: Path) -> None:
    (tmp_path / "rule.yaml").write_text("name: feed stopped\ntype: flatline\nthreshold: 1\n"
                                        "timeframe: {hours: 1}\n", encoding="utf-8")
    store = CountingStore()
    engine = RuleEngine(tmp_path, store=store)
    bbc = article(FIVE[4])
    for second in range(0, 30):  # the feed publishes every second for half a minute
        engine.evaluate(bbc, T0 + timedelta(seconds=second))
    assert store.writes <= 3  # first sighting (times + watched feeds), then nothing new to keep
    engine.tick(T0)  # the timer starts watching
    # Its last article came at T0+29s: one hour after T0 it has not been quiet for an hour yet.
    assert engine.tick(T0 + timedelta(hours=1, seconds=20)) == []
    [alert] = engine.tick(T0 + timedelta(minutes=61, seconds=30))  # at most 1% of the window late
    assert bbc.feed_url in alert.title


def test_new_term_is_not_rewritten_for_every_sighting_and_never_new_again_too_early(tmp_path: Path) -> None:
    (tmp_path / "rule.yaml").write_text("name: new place\ntype: new_term\nquery_key: entity:LOC\n"
                                        "terms_window_size: {days: 1}\nrealert: 0m\n", encoding="utf-8")
    store = CountingStore()
    engine = RuleEngine(tmp_path, store=store)
    tehran = [article(ant_id, entities=[mention(ant_id, "طهران", "LOC")]) for ant_id in FIVE[:3]]
    assert len(engine.evaluate(tehran[0], T0)) == 1
    writes = store.writes
    for minute in range(1, 11):  # seen again every minute: nothing the rule needs to write
        assert engine.evaluate(tehran[1], T0 + timedelta(minutes=minute)) == []
    assert store.writes == writes
    # Last seen T0+10min: 24 hours after T0 it was seen within the day, so it is not new.
    assert engine.evaluate(tehran[2], T0 + timedelta(days=1, minutes=5)) == []


def test_state_survives_a_new_engine_on_the_same_store(tmp_path: Path) -> None:
    """What a restarted worker sees when the store is a changelog-backed table."""
    store: dict = {}
    (tmp_path / "f.yaml").write_text("name: f\ntype: frequency\nquery: بغداد\nnum_events: 2\n"
                                     "timeframe: {hours: 1}\n", encoding="utf-8")
    RuleEngine(tmp_path, store=store).evaluate(article(FIVE[0]), T0)
    [alert] = RuleEngine(tmp_path, store=store).evaluate(article(FIVE[1]), T0 + timedelta(minutes=1))
    assert alert.matched["count"] == 2


def test_sample_rules_ship_and_validate() -> None:
    from rasid.rules.engine import default_rules_directory
    from rasid.rules.loader import load_rules

    loaded = load_rules(default_rules_directory())
    assert loaded.problems == []
    assert {r.type_name for r in loaded.rules} == {"keyword", "entity", "threat", "frequency", "spike",
                                                   "new_term", "flatline"}
    rule = load_rule_file(default_rules_directory() / "baghdad-attacks.yaml")
    assert rule.rule_id == "baghdad-attacks"
