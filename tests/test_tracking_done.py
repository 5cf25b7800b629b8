"""Tracking where the newer declaration reports, renews and rewords: a series written for it.

A fictional Baltic Sea ministerial (Tartu 2024) and its follow-up (Riga 2026). The records are
given by hand, so that only the tracking is tested:

- an interim report "voorleggen" is reported done in its own verb ("heeft ... voorgelegd"),
  while the newer declaration also asks for the next one ("zal vóór eind 2027 een tussentijds
  verslag ... voorleggen"): reported done, not revised;
- a deadline moved inside its year ("uiterlijk in het voorjaar van 2026" -> "uiterlijk eind
  2026"), and one only reworded ("in december 2026" -> "vóór eind 2026");
- an amount raised in a relative clause on a fund ("..., waaraan wij EUR 40 miljoen zullen
  bijdragen" -> "EUR 60 miljoen"): the contribution's scope changed, the pledge beside it did
  not;
- a sentence kept word for word, whose newer record an extractor read as conditional: repeated.
"""

import pandas as pd
import spacy
from tracking_records import commitment_row

from pipeline.classify.progress import ProgressReporter, read_cues
from pipeline.compare.tracking import (
    commitment_tracking,
    deadline_moved,
    participle_pattern,
    without_clauses,
)

OLDER = {
    "p1.s1": "De Commissie zal de Raad vóór eind 2025 een tussentijds verslag over de uitvoering "
    "van het actieplan voor de Oostzee voorleggen.",
    "p2.s1": "Wij zullen uiterlijk in het voorjaar van 2026 een register van beschermde "
    "kustgebieden publiceren.",
    "p3.s1": "Wij zullen de visserijcontroles in de Oostzee versterken via het Fonds voor Blauwe "
    "Handhaving, waaraan wij gezamenlijk EUR 40 miljoen zullen bijdragen.",
    "p4.s1": "Wij zullen in december 2026 een gezamenlijke oefening voor de bestrijding van "
    "olierampen houden.",
    "p5.s1": "Elk van onze landen zal vóór de conferentie van 2027 een nationaal plan voor schone "
    "havens indienen.",
}
NEWER = {
    "p1.s1": "De Commissie heeft haar tussentijdse verslag over de uitvoering van het actieplan "
    "voor de Oostzee in november 2025 aan de Raad voorgelegd.",
    "p2.s1": "Het register van beschermde kustgebieden zal uiterlijk eind 2026 worden "
    "gepubliceerd.",
    "p3.s1": "Wij zullen de visserijcontroles in de Oostzee blijven versterken via het Fonds voor "
    "Blauwe Handhaving, waaraan wij gezamenlijk EUR 60 miljoen zullen bijdragen.",
    "p4.s1": "Wij zullen vóór eind 2026 een gezamenlijke oefening voor de bestrijding van "
    "olierampen houden.",
    "p5.s1": OLDER["p5.s1"],
    "p6.s1": "De Commissie zal de Raad vóór eind 2027 een tussentijds verslag over de uitvoering "
    "van het actieplan voor de Oostzee voorleggen.",
}
OLD, NEW = "tartu-2024", "riga-2026"
REPORT = "een tussentijds verslag over de uitvoering van het actieplan voor de Oostzee"


def _progress(texts):
    nlp = spacy.blank("nl")
    reporter = ProgressReporter(nlp.vocab, read_cues())
    return {sid: reporter.reading(nlp(text)[:])[0] for sid, text in texts.items()}


def _track():
    progress = _progress(NEWER)
    sentences = pd.DataFrame(
        [
            {
                "doc_id": doc_id,
                "segment_id": sid.split(".")[0],
                "sentence_id": sid,
                "text": text,
                "reports_progress": doc_id == NEW and progress[sid],
            }
            for doc_id, texts in ((OLD, OLDER), (NEW, NEWER))
            for sid, text in texts.items()
        ]
    )
    plan = "een nationaal plan voor schone havens"
    misread = {**commitment_row(NEW, "p5.s1", 1, "indienen", plan), "conditional": True}
    commitments = pd.DataFrame(
        [
            commitment_row(OLD, "p1.s1", 1, "voorleggen", REPORT, "eind 2025"),
            commitment_row(
                OLD,
                "p2.s1",
                1,
                "publiceren",
                "een register van beschermde kustgebieden",
                "voorjaar van 2026",
            ),
            commitment_row(OLD, "p3.s1", 1, "versterken", "de visserijcontroles in de Oostzee"),
            commitment_row(OLD, "p3.s1", 2, "bijdragen", "EUR 40 miljoen"),
            commitment_row(
                OLD,
                "p4.s1",
                1,
                "houden",
                "een gezamenlijke oefening voor de bestrijding van olierampen",
                "december 2026",
            ),
            commitment_row(OLD, "p5.s1", 1, "indienen", plan),
            # the newer declaration: no record in the agentless passive of p2
            commitment_row(NEW, "p3.s1", 1, "versterken", "de visserijcontroles in de Oostzee"),
            commitment_row(NEW, "p3.s1", 2, "bijdragen", "EUR 60 miljoen"),
            commitment_row(
                NEW,
                "p4.s1",
                1,
                "houden",
                "een gezamenlijke oefening voor de bestrijding van olierampen",
                "eind 2026",
            ),
            misread,
            commitment_row(NEW, "p6.s1", 1, "voorleggen", REPORT, "eind 2027"),
        ]
    )
    pairs = pd.DataFrame({"doc_a": [NEW], "doc_b": [OLD]})
    tracked = commitment_tracking(pairs, commitments, sentences)
    return {
        row.commitment_b: (row.status, row.segment_a, list(row.changes))
        for row in tracked.itertuples()
    }


def test_a_report_in_the_pledges_own_verb_is_done_though_the_pledge_is_renewed():
    assert _progress(NEWER)["p1.s1"]
    assert _track()["p1.s1.c1"] == ("reported_done", "p1", [])


def test_the_participle_of_a_pledges_verb():
    def participle(action, text):
        return bool(participle_pattern(action).search(text))

    assert participle("voorleggen", "heeft het verslag voorgelegd")
    assert participle("instellen", "het panel werd in oktober ingesteld")
    assert participle("opleiden", "heeft 5 000 jongeren opgeleid")
    assert participle("publiceren", "is gepubliceerd")
    assert participle("verstrekken", "werd volledig verstrekt")
    assert participle("openen", "werd geopend")
    assert participle("als gastheer optreden", "is als gastheer opgetreden")
    # strong verbs change their vowel (participles.tsv, kind "strong")
    assert participle("aannemen", "de in november 2022 aangenomen prioriteitenagenda")
    assert participle("sluiten", "werd een akkoord gesloten")
    assert participle("bijeenkomen", "zijn wij in Riga bijeengekomen")
    assert not participle("aannemen", "heeft kennisgenomen")
    assert not participle("instellen", "heeft ingestemd")
    assert participle_pattern("doen") is None


def test_a_deadline_moved_inside_its_year_is_revised():
    tracked = _track()
    # no record in the newer sentence: the sentence itself says "uiterlijk eind 2026"
    assert tracked["p2.s1.c1"] == ("revised", "p2", ["deadline"])
    # "in december 2026" and "vóór eind 2026" are one deadline
    assert tracked["p4.s1.c1"] == ("repeated", "p4", [])
    assert deadline_moved({"deadlines": ["in juni 2028"]}, {"deadlines": ["medio 2028"]}) is False
    assert deadline_moved({"deadlines": ["2028"]}, {"deadlines": ["eind 2028"]}) is False
    assert deadline_moved({"deadlines": ["begin 2028"]}, {"deadlines": ["eind 2028"]})


def test_an_amount_in_a_clause_on_a_fund_is_the_contributions_scope():
    tracked = _track()
    assert tracked["p3.s1.c1"] == ("repeated", "p3", [])
    assert tracked["p3.s1.c2"] == ("revised", "p3", ["scope"])
    assert without_clauses(OLDER["p3.s1"]) == (
        "Wij zullen de visserijcontroles in de Oostzee versterken via het Fonds voor Blauwe "
        "Handhaving"
    )


def test_a_sentence_kept_word_for_word_is_repeated_whatever_its_records_say():
    assert _track()["p5.s1.c1"] == ("repeated", "p5", [])


def test_the_next_authors_wording_of_completion_is_progress():
    said = {
        "far": "De Commissie heeft haar verslag over de uitvoering van het actieplan voor de "
        "Oostzee en de Golf van Finland in november 2025 aan de Raad voorgelegd.",
        "past": "Het verdrag trad op 1 januari 2026 in werking.",
        "host": "Estland trad in 2025 op als gastheer van de conferentie.",
        "opened": "Het centrum opende in maart 2025 zijn deuren.",
        "lent": "De lening werd in september volledig verstrekt.",
        "finished": "De aanleg van de kabel is afgerond.",
        "working": "Het coördinatiecentrum is sinds maart in Tallinn operationeel.",
        # not a report: a plan, and a participle before its noun
        "plan": "Het verdrag zal in werking treden zodra het is geratificeerd.",
        "before a noun": "Wij zijn ingenomen met de in Tallinn ondertekende verklaring.",
    }
    progress = _progress(said)
    assert [k for k, done in progress.items() if not done] == ["plan", "before a noun"]


def test_a_lead_in_noting_achievements_with_satisfaction_makes_its_items_progress():
    nlp = spacy.blank("nl")
    reporter = ProgressReporter(nlp.vocab, read_cues())
    lead_in = "Wij stellen met voldoening vast dat sinds de conferentie van Tartu:"
    assert reporter.reading(nlp(lead_in)[:]) == (False, True, False)
    pledge = "Wij stellen met voldoening vast dat de partners zullen samenwerken en zullen:"
    assert reporter.reading(nlp(pledge)[:])[1] is False
