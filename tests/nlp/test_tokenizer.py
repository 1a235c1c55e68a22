"""Tokens and sentences keep offsets into the original text (real ANT articles)."""

from __future__ import annotations

from rasid.nlp.tokenizer import split_sentences, tokenize


def test_offsets_point_into_original_text(ant_sample: list[dict]) -> None:
    for doc in ant_sample:
        for field in ("title", "summary", "text"):
            text = doc[field] or ""
            tokens = tokenize(text)
            assert all(text[t.start : t.end] == t.text for t in tokens)
            assert all(not t.text.isspace() and t.text for t in tokens)
            assert [t.start for t in tokens] == sorted(t.start for t in tokens)
            # Nothing but whitespace is left out.
            assert "".join(t.text for t in tokens) == "".join(text.split())
            for s in split_sentences(text):
                assert text[s.start : s.end] == s.text and s.text == s.text.strip()


def test_clitics_and_diacritics_stay_in_the_word_punctuation_splits(ant_article) -> None:
    # AL-culture-100-20180227: «... ألبومه (ديفايد) وأغنيتيه (شيب أوف يو) و(بيرفكت).»
    text = ant_article("AL-culture-100-20180227")["text"]
    words = [t.text for t in tokenize(text)]
    assert "وأغنيتيه" in words
    i = words.index("ديفايد")
    assert words[i - 1 : i + 2] == ["(", "ديفايد", ")"]
    assert "و" in words and "2017" in words
    assert [t.text for t in tokenize("مَبنا ولداً روبرـــت 3.5 لـ\"الهيئة\"")] == [
        "مَبنا", "ولداً", "روبرـــت", "3.5", "لـ", '"', "الهيئة", '"'
    ]


def test_sentences_split_on_arabic_question_mark_quotes_and_newlines(ant_article) -> None:
    # AL-sport-1354-20180415 has «…» quotes, "؟." and paragraph breaks.
    text = ant_article("AL-sport-1354-20180415")["text"]
    sentences = [s.text for s in split_sentences(text)]
    assert sentences[0].endswith("«بحكوا».")  # the closing quote stays with its sentence
    assert sentences[1].endswith("مصدر المعلومة؟.")
    assert sentences[2].startswith("دون أدنى شك")
    # A sentence never spans a line break.
    assert all("\n" not in s for s in sentences)
    # The Arabic comma does not end a sentence.
    assert any("،" in s[:-1] for s in sentences)
    # A quotation that opens a paragraph starts the sentence; "؟." ends it.
    quoted = next(s for s in sentences if s.startswith("«بقولوا"))
    assert quoted.endswith("صاحب المعلومة اللي قال؟.")


def test_initials_do_not_end_a_sentence() -> None:
    text = "قال د. محمد إن الوكالة (د.ب.أ) نقلت الخبر. ثم غادر"
    assert [s.text for s in split_sentences(text)] == ["قال د. محمد إن الوكالة (د.ب.أ) نقلت الخبر.", "ثم غادر"]


def test_an_ellipsis_joining_two_clauses_ends_a_sentence(ant_article) -> None:
    # AL-economy-155-20180304 title: a headline's statement and question, joined by "..".
    title = ant_article("AL-economy-155-20180304")["title"]
    assert [s.text for s in split_sentences(title)] == ["ترمب يهدد بفرض ضريبة على السيارات الأوروبية..", "فما الرد؟"]
    # Between digits it is no sentence end.
    assert len(split_sentences("ارتفع السعر من 3..5 دولارات")) == 1
