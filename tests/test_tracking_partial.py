"""Tracking where the newer declaration reports part of a pledge: a series written for it.

A fictional Danube ministerial (Ruse 2025) and its follow-up (Novi Sad 2027). The records are
given by hand, so that only the tracking is tested:

- one of two ferry links "werd geopend", the other promised again for a later date: the
  pledge is revised (narrowed, its deadline moved) into the renewed pledge, not reported done;
- a network "telt inmiddels acht havens" where twelve were promised, and renewed for fifteen:
  revised into the renewed pledge;
- an agentless passive, whose actors an extractor infers from each declaration's authors,
  kept in other words: repeated, though the two declarations' authors differ;
- a pledge of a shared sentence ("alsook van het voornemen van Bulgarije om de haven van Lom
  uit te breiden") whose neighbour alone is kept: dropped, not carried to its neighbour;
- one progress sentence reporting two pledges of two points in their own verbs ("heeft ...
  schippers opgeleid en heeft een vestiging ... geopend"): both reported done.
"""

import pandas as pd
import spacy
from tracking_records import commitment_row

from pipeline.classify.progress import ProgressReporter, read_cues
from pipeline.compare.tracking import commitment_tracking, partial_report

OLDER = {
    "p1.s1": "Wij zullen vóór eind 2026 veerverbindingen openen tussen Ruse en Giurgiu en "
    "tussen Vidin en Calafat.",
    "p2.s1": "Wij zullen het netwerk van groene rivierhavens uitbreiden tot twaalf havens.",
    "p3.s1": "Prioriteit zal worden gegeven aan de veiligheid van de binnenvaart op de Donau.",
    "p4.s1": "De Raad neemt nota van de toezegging van Roemenië om de haven van Constanța te "
    "moderniseren, alsook van het voornemen van Bulgarije om de haven van Lom uit te breiden.",
    "p5.s1": "Het opleidingscentrum voor de binnenvaart zal jaarlijks 500 schippers opleiden.",
    "p6.s1": "Het opleidingscentrum zal daarnaast een vestiging in Vidin openen.",
}
NEWER = {
    "p1.s1": "De veerverbinding tussen Ruse en Giurgiu werd in mei 2026 geopend.",
    "p2.s1": "Wij zullen de veerverbinding tussen Vidin en Calafat uiterlijk in juni 2028 openen.",
    "p3.s1": "Het netwerk van groene rivierhavens telt inmiddels acht havens.",
    "p4.s1": "Wij zullen het netwerk van groene rivierhavens tegen 2029 uitbreiden tot vijftien "
    "havens.",
    "p5.s1": "Prioriteit zal blijven worden gegeven aan de veiligheid van de binnenvaart op de "
    "Donau.",
    "p6.s1": "Roemenië zal de modernisering van de haven van Constanța uiterlijk in 2028 "
    "voltooien.",
    "p7.s1": "Het opleidingscentrum voor de binnenvaart heeft sinds 2025 ruim 500 schippers "
    "opgeleid en heeft een vestiging in Vidin geopend.",
}
OLD, NEW = "ruse-2025", "novi-sad-2027"
FERRIES = "veerverbindingen tussen Ruse en Giurgiu en tussen Vidin en Calafat"
HARBOURS = "het netwerk van groene rivierhavens"


def _progress(texts):
    nlp = spacy.blank("nl")
    reporter = ProgressReporter(nlp.vocab, read_cues())
    return {sid: reporter.reading(nlp(text)[:])[0] for sid, text in texts.items()}


def _passive(row, *actors):
    return {**row, "actors": list(actors), "actor_source": "passive"}


def _tables():
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
    safety = "aan de veiligheid van de binnenvaart op de Donau"
    commitments = pd.DataFrame(
        [
            commitment_row(OLD, "p1.s1", 1, "openen", FERRIES, "eind 2026"),
            commitment_row(OLD, "p2.s1", 1, "uitbreiden", f"{HARBOURS} tot twaalf havens"),
            _passive(commitment_row(OLD, "p3.s1", 1, "prioriteit geven", safety), "eu"),
            # as an extractor may read it: Roemenië's pledge missed, Bulgarije's found
            commitment_row(OLD, "p4.s1", 1, "uitbreiden", "de haven van Lom"),
            commitment_row(OLD, "p5.s1", 1, "opleiden", "jaarlijks 500 schippers"),
            commitment_row(OLD, "p6.s1", 1, "openen", "een vestiging in Vidin"),
            commitment_row(
                NEW,
                "p2.s1",
                1,
                "openen",
                "de veerverbinding tussen Vidin en Calafat",
                "juni 2028",
            ),
            commitment_row(NEW, "p4.s1", 1, "uitbreiden", f"{HARBOURS} tot vijftien havens"),
            _passive(commitment_row(NEW, "p5.s1", 1, "prioriteit geven", safety), "eu", "partners"),
            commitment_row(
                NEW, "p6.s1", 1, "voltooien", "de modernisering van de haven van Constanța", "2028"
            ),
        ]
    )
    return commitments, sentences


def _track():
    commitments, sentences = _tables()
    pairs = pd.DataFrame({"doc_a": [NEW], "doc_b": [OLD]})
    tracked = commitment_tracking(pairs, commitments, sentences)
    return {
        row.commitment_b: (row.status, row.segment_a, list(row.changes))
        for row in tracked.itertuples()
    }


def test_one_of_two_links_opened_and_the_other_promised_again_is_revised():
    assert _progress(NEWER)["p1.s1"]
    assert _track()["p1.s1.c1"] == ("revised", "p2", ["deadline", "scope"])


def test_a_network_partly_built_and_renewed_for_more_is_revised():
    assert _track()["p2.s1.c1"] == ("revised", "p4", ["scope"])


def test_a_partial_report_is_the_counterpart_only_where_nothing_renews_the_pledge():
    texts = [NEWER["p3.s1"], NEWER["p4.s1"], NEWER["p1.s1"]]
    pledge = {"object": f"{HARBOURS} tot twaalf havens"}
    rows = [0, 1, 2]
    done = [False, False, True]
    with_record = [False, True, False]
    found = partial_report(pledge, OLDER["p2.s1"], texts, rows, done, with_record)
    # "telt inmiddels acht": part of it; the renewed pledge is a pledge, not a report
    assert list(found) == [True, False, False]
    ferries = partial_report({"object": FERRIES}, OLDER["p1.s1"], texts, rows, done, with_record)
    assert list(ferries) == [False, False, True]
    # where the newer declaration renews nothing, the partial report still serves
    commitments, sentences = _tables()
    alone = sentences[(sentences["doc_id"] == OLD) | (sentences["sentence_id"] == "p3.s1")]
    pairs = pd.DataFrame({"doc_a": [NEW], "doc_b": [OLD]})
    tracked = commitment_tracking(pairs, commitments, alone).set_index("commitment_b")
    assert tracked.loc["p2.s1.c1", "segment_a"] == "p3"


def test_an_agentless_passive_kept_is_repeated_whoever_the_authors_are():
    assert _track()["p3.s1.c1"] == ("repeated", "p5", [])


def test_a_pledge_of_a_shared_sentence_does_not_continue_into_its_neighbours_counterpart():
    assert _track()["p4.s1.c1"][0] == "dropped"


def test_one_report_of_two_pledges_in_their_own_verbs_serves_both():
    tracked = _track()
    assert tracked["p5.s1.c1"] == ("reported_done", "p7", [])
    assert tracked["p6.s1.c1"] == ("reported_done", "p7", [])
