"""Cue phrases found with spaCy's Matcher (pipeline/classify/cues.py): text or lemma, "a|b"
alternatives, bounded "..." gaps, each cue once at its first match."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from pipeline.classify import cues
from pipeline.classify.speech import LABELS

NLP = spacy.blank("nl")


def doc(words, lemmas=None):
    return Doc(NLP.vocab, words=words, lemmas=lemmas)


def first_match(cue_text, words, lemmas=None):
    matcher = cues.CueMatcher(cues.parse_cues([[cue_text, "X"]]))
    hits = matcher.find(doc(words, lemmas))
    return hits[0][0] if hits else -1


def test_cue_with_gap_matches_separable_verb():
    assert first_match("juicht ... toe", "De EU juicht de vooruitgang van Georgië toe".split()) == 2
    # the gap is bounded: a particle too far away is not the verb's
    far = ["De", "EU", "juicht"] + ["x"] * 12 + ["toe"]
    assert first_match("juicht ... toe", far) == -1


def test_cue_items_match_lemma_and_alternatives():
    words = "Montenegro heeft zich ertoe verbonden".split()
    assert first_match("zich ... verbinden|verbonden", words) == 2
    assert first_match("zullen", ["De", "EU", "zal"], ["de", "EU", "zullen"]) == 2
    assert first_match("zullen", ["De", "EU", "zal"]) == -1


def test_prefix_item_matches_the_start_of_a_word():
    assert first_match("verbind* zich", "Zij verbinden zich".split()) == 1


def test_matcher_reports_every_cue_once_in_reading_order():
    matcher = cues.CueMatcher(
        cues.parse_cues([["roept ... op", "CALL"], ["bevestigt", "REAFFIRMATION"]])
    )
    hits = matcher.find(doc("De EU bevestigt haar steun en roept Servië op , en bevestigt".split()))
    assert [(i, c.label) for i, c in hits] == [(2, "REAFFIRMATION"), (6, "CALL")]


def test_items_at_gives_the_tokens_of_a_match():
    matcher = cues.CueMatcher(cues.parse_cues([["verbinden ... zich", "X"]]))
    sentence = doc("De partners verbinden zich ertoe".split())
    (start, cue), *_ = matcher.find(sentence)
    assert matcher.items_at(sentence, start, cue) == {2, 3}


def test_cue_lexicon_file_covers_every_label_but_other_structure():
    labels = {c.label for c in cues.load_cues()}
    assert labels == set(LABELS)


def test_a_lexicon_larger_than_one_vocab_of_flags_finds_every_cue():
    # each item is a lexeme flag, 17 to a vocab: 40 cues of their own words need three groups
    words = [f"woord{n}" for n in range(40)]
    lexicon = [[w, "X"] for w in words] + [["woord30 ... woord38", "Y"]]
    matcher = cues.CueMatcher(cues.parse_cues(lexicon))
    assert len(matcher.groups) == 3
    hits = matcher.find(doc(["De"] + words))
    assert [(i, c.label) for i, c in hits if i == 31] == [(31, "X"), (31, "Y")]
    assert [i for i, _cue in hits] == sorted(list(range(1, 41)) + [31])
    # in the other order the two items of the gapped cue do not make it
    assert "Y" not in {c.label for _i, c in matcher.find(doc(["De"] + words[::-1]))}
