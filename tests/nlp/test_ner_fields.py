"""An article's fields tagged in one call: each field's own entities, and the names the other fields tag
(ANT corpus articles)."""

from __future__ import annotations

from rasid.nlp.ner import extract_entities, extract_entities_many

FIELDS = ("title", "summary", "text")


def test_fields_tagged_together_give_each_fields_own_entities(ant_sample: list[dict]) -> None:
    articles = ant_sample[:40]
    together = [extract_entities_many([(doc.get(f) or "", f) for f in FIELDS]) for doc in articles]
    alone = [[extract_entities(doc.get(f) or "", f) for f in FIELDS] for doc in articles]
    # Together, a field keeps what it finds alone (or a longer name over it) and may gain a name another
    # field tags: the fields of one article agree on their names.
    gained = 0
    for fields_together, fields_alone in zip(together, alone, strict=True):
        for found, own in zip(fields_together, fields_alone, strict=True):
            assert all(any(f.start <= e.start and e.end <= f.end for f in found) for e in own)
            gained += len(found) - len(own)
    assert gained > 0
    # Real news: every field names something somewhere, and offsets point into each field's own text.
    for doc, fields in zip(articles, together, strict=True):
        for field, entities in zip(FIELDS, fields, strict=True):
            assert all(e.field == field and doc[field][e.start : e.end] == e.text for e in entities)
    assert all(sum(len(found) for found in (fields[i] for fields in together)) > 20 for i in range(3))


def test_blank_fields_have_no_entities_and_leave_the_others_as_they_are(ant_article) -> None:
    doc = ant_article("AL-internationalNews-1003-20180504")  # names ماريانو راخوي
    fields = [("", "title"), ("  \n", "summary"), (doc["text"], "text")]
    title, summary, text = extract_entities_many(fields)
    assert title == [] and summary == []
    assert text == extract_entities(doc["text"], "text")
    assert any(e.label == "PER" and "راخوي" in e.text for e in text)
    assert extract_entities_many([]) == []


def test_a_short_name_in_one_field_takes_the_full_name_another_field_gives(ant_article) -> None:
    # AL-economy-155-20180304: the title's "ترمب" is the summary's "الرئيس الأميركي دونالد ترمب": one key for both
    # (spelled ترامب, as most news spells him)
    article = ant_article("AL-economy-155-20180304")
    title, summary, _ = extract_entities_many([(article[f] or "", f) for f in FIELDS])
    assert [e.normalized for e in title] == ["دونالد ترامب"]
    assert "دونالد ترامب" in {e.normalized for e in summary}
