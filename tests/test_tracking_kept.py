"""Tracking, the next authors' wording: a series written for it.

A fictional Rhine ministerial (Bazel 2026) and its follow-up (Straatsburg 2028). The records
are given by hand, so that only the tracking is tested:

- a report "jaarlijks aan de Raad" that becomes "halfjaarlijks aan de Raad en het Europees
  Parlement": revised, its scope widened by a changed frequency and a name joined to a list;
- a fund financed "samen met de Rijncommissie" that becomes "samen met de Rijncommissie en
  de Europese Investeringsbank": revised (scope) without any cue word;
- Noorwegen's pledge to take part from 2027, and "Noorwegen neemt sinds januari 2027 deel":
  a present tense with "sinds" reports the pledge done, where a trend with "sinds" ("is sinds
  2020 met een kwart gestegen") reports nothing.
"""

import pandas as pd
import spacy
from tracking_records import commitment_row

from pipeline.classify.progress import ProgressReporter, read_cues
from pipeline.compare.tracking import commitment_tracking, frequency_changed, names_added

OLDER = {
    "p1.s1": "De Commissie zal jaarlijks aan de Raad verslag uitbrengen over de uitvoering van "
    "het Rijnprogramma.",
    "p2.s1": "Wij zullen samen met de Rijncommissie het herstel van de uiterwaarden financieren.",
    "p3.s1": "Wij verwelkomen de toezegging van Noorwegen om vanaf 2027 deel te nemen aan het "
    "Rijnplatform voor Schone Scheepvaart.",
}
NEWER = {
    "p1.s1": "De Commissie zal voortaan halfjaarlijks aan de Raad en het Europees Parlement "
    "verslag uitbrengen over de uitvoering van het Rijnprogramma.",
    "p2.s1": "Wij zullen samen met de Rijncommissie en de Europese Investeringsbank het herstel "
    "van de uiterwaarden financieren.",
    "p3.s1": "Het aantal schepen met een schone motor is sinds 2020 met een kwart gestegen.",
    "p3.s2": "Noorwegen neemt sinds januari 2027 deel aan het Rijnplatform voor Schone "
    "Scheepvaart.",
}
OLD, NEW = "bazel-2026", "straatsburg-2028"


def _progress(texts):
    nlp = spacy.blank("nl")
    reporter = ProgressReporter(nlp.vocab, read_cues())
    return {sid: reporter.reading(nlp(text)[:])[0] for sid, text in texts.items()}


def _tables(older=OLDER, newer=NEWER):
    progress = _progress(newer)
    sentences = pd.DataFrame(
        [
            {
                "doc_id": doc_id,
                "segment_id": sid.split(".")[0],
                "sentence_id": sid,
                "text": text,
                "reports_progress": doc_id == NEW and progress[sid],
            }
            for doc_id, texts in ((OLD, older), (NEW, newer))
            for sid, text in texts.items()
        ]
    )
    report = "aan de Raad over de uitvoering van het Rijnprogramma"
    floodplains = "het herstel van de uiterwaarden"
    commitments = pd.DataFrame(
        [
            commitment_row(OLD, "p1.s1", 1, "verslag uitbrengen", f"jaarlijks {report}"),
            commitment_row(OLD, "p2.s1", 1, "financieren", floodplains),
            commitment_row(
                OLD, "p3.s1", 1, "deelnemen", "aan het Rijnplatform voor Schone Scheepvaart", "2027"
            ),
            commitment_row(NEW, "p1.s1", 1, "verslag uitbrengen", f"halfjaarlijks {report}"),
            commitment_row(NEW, "p2.s1", 1, "financieren", floodplains),
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


def test_a_report_made_more_often_to_more_institutions_is_widened():
    assert frequency_changed(OLDER["p1.s1"].lower(), NEWER["p1.s1"].lower())
    assert not frequency_changed("jaarlijks verslag", "elk jaar een verslag")
    assert not frequency_changed("jaarlijks verslag", "een verslag")
    assert _track()["p1.s1.c1"] == ("revised", "p1", ["scope"])


def test_a_partner_joined_to_a_list_of_names_widens_the_pledge():
    assert names_added(OLDER["p2.s1"], NEWER["p2.s1"])
    # the same names in another order, or a name alone where the older had none, is no widening
    assert not names_added("met Bazel en Mulhouse", "met Mulhouse en Bazel")
    assert not names_added("de uiterwaarden herstellen", "de uiterwaarden langs de Rijn herstellen")
    assert _track()["p2.s1.c1"] == ("revised", "p2", ["scope"])


def test_a_present_tense_since_a_time_reports_the_pledge_done():
    progress = _progress(NEWER)
    assert progress["p3.s2"]
    assert not progress["p3.s1"]  # a trend since a time
    assert not _progress({"s": "Het aantal schepen stijgt sinds 2020."})["s"]
    assert not _progress({"s": "Noorwegen zal sinds 2027 deelnemen."})["s"]
    assert _track()["p3.s1.c1"] == ("reported_done", "p3", [])
