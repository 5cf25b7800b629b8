"""Tracking where the newer declaration's records say little: its sentences read themselves.

A pair written for this test (a fictional Black Sea ministerial, Sozopol 2023 and its
follow-up of 2025). The older declaration's records are given by hand; of the newer one's,
only those an extractor would find are given, so that only the tracking is tested:

- an endorsement holds the pledge ("Wij zijn ingenomen met het besluit van de EIB om vóór eind
  2027 leningen ten belope van 2 miljard euro beschikbaar te stellen"), with no record: the
  sentence itself shows the deadline and the amount changed;
- a pledge made conditional ("..., zodra de financiering rond is"), again with no record;
- a pledge aimed at rather than promised ("Wij streven ernaar ...");
- two pledges share a sentence and the newer keeps only the first ("... de beurzen handhaven"):
  the second is dropped, not repeated;
- a list of ports loses one ("Varna, Constanta en Batoemi" -> "Varna en Constanta"): the scope
  narrowed;
- a data centre "is opengesteld": progress, as the progress component reads it.
"""

import pandas as pd
import spacy
from tracking_records import commitment_row

from pipeline.classify.progress import ProgressReporter, read_cues
from pipeline.compare.tracking import (
    commitment_tracking,
    deadline_years,
    names_left_out,
    sentence_reading,
)

OLDER = {
    "p1.s1": "De Europese Investeringsbank zal aanvullende leningen ten belope van 1,5 miljard "
    "euro verstrekken voor havenprojecten aan de Zwarte Zee.",
    "p2.s1": "Wij zullen de aanleg van een elektriciteitskabel door de Zwarte Zee tussen "
    "Georgië en Roemenië voorbereiden.",
    "p3.s1": "Wij zullen de beurzen voor de Zomerschool van Sozopol handhaven en de deelname aan "
    "het uitwisselingsprogramma voor jonge onderzoekers uitbreiden.",
    "p4.s1": "Wij zullen de walstroomvoorziening in de havens van Varna, Constanta en Batoemi "
    "uitbreiden.",
    "p5.s1": "Wij zullen het regionale datacentrum in Burgas openstellen voor universiteiten uit "
    "de hele regio.",
    "p6.s1": "Wij zullen alle archieven over de ramp van 1986 openstellen voor onderzoekers.",
}
NEWER = {
    "p1.s1": "Wij zijn ingenomen met het besluit van de Europese Investeringsbank om vóór eind "
    "2027 leningen ten belope van 2 miljard euro beschikbaar te stellen voor havenprojecten "
    "aan de Zwarte Zee.",
    "p2.s1": "Wij zullen een begin maken met de aanleg van de elektriciteitskabel door de Zwarte "
    "Zee tussen Georgië en Roemenië, zodra de financiering rond is.",
    "p3.s1": "Wij zullen de beurzen voor de Zomerschool van Sozopol handhaven.",
    "p4.s1": "Wij zullen de walstroomvoorziening in de havens van Varna en Constanta uitbreiden.",
    "p5.s1": "Het regionale datacentrum in Burgas is opengesteld voor universiteiten uit de "
    "hele regio.",
    "p6.s1": "Wij streven ernaar alle archieven over de ramp van 1986 open te stellen voor "
    "onderzoekers.",
}
OLD, NEW = "sozopol-2023", "sozopol-2025"


def _progress(texts):
    """Which sentences report progress, as the progress component reads them."""
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
    commitments = pd.DataFrame(
        [
            commitment_row(
                OLD, "p1.s1", 1, "verstrekken", "aanvullende leningen ten belope van 1,5 miljard"
            ),
            commitment_row(
                OLD, "p2.s1", 1, "voorbereiden", "de aanleg van een elektriciteitskabel"
            ),
            commitment_row(
                OLD, "p3.s1", 1, "handhaven", "de beurzen voor de Zomerschool van Sozopol"
            ),
            commitment_row(
                OLD,
                "p3.s1",
                2,
                "uitbreiden",
                "de deelname aan het uitwisselingsprogramma voor jonge onderzoekers",
            ),
            commitment_row(
                OLD,
                "p4.s1",
                1,
                "uitbreiden",
                "de walstroomvoorziening in de havens van Varna, Constanta en Batoemi",
            ),
            commitment_row(OLD, "p5.s1", 1, "openstellen", "het regionale datacentrum in Burgas"),
            commitment_row(OLD, "p6.s1", 1, "openstellen", "alle archieven over de ramp van 1986"),
            # the newer declaration: records only where an extractor finds the pledge plainly
            commitment_row(
                NEW, "p3.s1", 1, "handhaven", "de beurzen voor de Zomerschool van Sozopol"
            ),
            commitment_row(
                NEW,
                "p4.s1",
                1,
                "uitbreiden",
                "de walstroomvoorziening in de havens van Varna en Constanta",
            ),
        ]
    )
    pairs = pd.DataFrame({"doc_a": [NEW], "doc_b": [OLD]})
    tracked = commitment_tracking(pairs, commitments, sentences)
    return {
        row.commitment_b: (row.status, row.segment_a, list(row.changes))
        for row in tracked.itertuples()
    }


def test_a_pledge_without_a_record_in_the_newer_sentence_is_compared_with_the_sentence():
    tracked = _track()
    # vóór eind 2027, and 2 instead of 1,5 miljard euro
    assert tracked["p1.s1.c1"] == ("revised", "p1", ["deadline", "scope"])
    # "zodra de financiering rond is"
    assert tracked["p2.s1.c1"] == ("revised", "p2", ["conditional"])
    # "Wij streven ernaar" is a moderate pledge marker; "zullen" was strong
    assert tracked["p6.s1.c1"] == ("revised", "p6", ["strength"])


def test_a_pledge_left_out_of_a_shared_sentence_is_dropped():
    tracked = _track()
    assert tracked["p3.s1.c1"] == ("repeated", "p3", [])
    assert tracked["p3.s1.c2"][0] == "dropped"


def test_a_list_of_names_narrowed_is_a_change_of_scope():
    assert _track()["p4.s1.c1"] == ("revised", "p4", ["scope"])
    object_ = "de strijdkrachten van Georgië, de Republiek Moldavië en Oekraïne"
    assert names_left_out(object_, "De EU steunt de strijdkrachten van Moldavië en Oekraïne.")
    assert not names_left_out(object_, "De EU steunt Georgië, Moldavië en Oekraïne.")
    # nothing kept: another pledge, not a narrower one
    assert not names_left_out(object_, "De EU steunt de strijdkrachten van Armenië.")


def test_opened_to_users_is_progress_and_reported_done():
    assert _progress(NEWER) == {f"p{k}.s1": k == 5 for k in range(1, 7)}
    assert _track()["p5.s1.c1"] == ("reported_done", "p5", [])


def test_a_sentence_read_as_a_pledge():
    assert deadline_years("uiterlijk in juni 2028 openen, zoals in het plan van juli 2017") == [
        "2028"
    ]
    reading = sentence_reading(NEWER["p2.s1"])
    assert reading == {"deadlines": [], "strength": "strong", "conditional": True, "actors": None}
    assert sentence_reading(NEWER["p6.s1"])["strength"] == "moderate"
