"""Tracking, the next authors' wording: a series written for it.

A fictional Rhine ministerial (Bazel 2026) and its follow-up (Straatsburg 2028). The records
are given by hand, so that only the tracking is tested:

- a report "jaarlijks aan de Raad" that becomes "halfjaarlijks aan de Raad en het Europees
  Parlement": revised, its scope widened by a changed frequency and a name joined to a list;
- a fund financed "samen met de Rijncommissie" that becomes "samen met de Rijncommissie en
  de Europese Investeringsbank": revised (scope) without any cue word;
- Noorwegen's pledge to take part from 2027, and "Noorwegen neemt sinds januari 2027 deel":
  a present tense with "sinds" reports the pledge done, where a trend with "sinds" ("is sinds
  2020 met een kwart gestegen") reports nothing;
- "De Raad neemt het Rijnprogramma aan" and, later, "..., dat het in 2026 aangenomen
  Rijnprogramma vervangt": the participle before the pledge's object reports it done in a
  sentence on something else;
- "uiterlijk in 2027 opnieuw bijeen te komen" and "is de afspraak om opnieuw bijeen te
  komen, zij het later dan voorzien, nagekomen": a promise kept, named by its own verb, is
  reported done though a pledge to meet again stands beside it.
"""

import pandas as pd
import spacy
from tracking_records import commitment_row

from pipeline.classify.progress import ProgressReporter, read_cues
from pipeline.compare.tracking import (
    attributive_report,
    commitment_tracking,
    frequency_changed,
    infinitive_pattern,
    names_added,
    promise_kept,
)

OLDER = {
    "p1.s1": "De Commissie zal jaarlijks aan de Raad verslag uitbrengen over de uitvoering van "
    "het Rijnprogramma.",
    "p2.s1": "Wij zullen samen met de Rijncommissie het herstel van de uiterwaarden financieren.",
    "p3.s1": "Wij verwelkomen de toezegging van Noorwegen om vanaf 2027 deel te nemen aan het "
    "Rijnplatform voor Schone Scheepvaart.",
    "p4.s1": "De Raad neemt het bij deze conclusies gevoegde Rijnprogramma aan.",
    "p5.s1": "Wij komen overeen uiterlijk in 2027 opnieuw op ministerieel niveau bijeen te komen.",
}
NEWER = {
    "p1.s1": "De Commissie zal voortaan halfjaarlijks aan de Raad en het Europees Parlement "
    "verslag uitbrengen over de uitvoering van het Rijnprogramma.",
    "p2.s1": "Wij zullen samen met de Rijncommissie en de Europese Investeringsbank het herstel "
    "van de uiterwaarden financieren.",
    "p3.s1": "Het aantal schepen met een schone motor is sinds 2020 met een kwart gestegen.",
    "p3.s2": "Noorwegen neemt sinds januari 2027 deel aan het Rijnplatform voor Schone "
    "Scheepvaart.",
    "p4.s1": "De Raad neemt het bij deze conclusies gevoegde Rijnprogramma 2028-2030 aan, dat het "
    "in 2026 aangenomen Rijnprogramma vervangt.",
    "p5.s1": "Met deze bijeenkomst is de afspraak om opnieuw op ministerieel niveau bijeen te "
    "komen, zij het later dan voorzien, nagekomen.",
    "p6.s1": "Wij komen overeen binnen twee jaar opnieuw op ministerieel niveau bijeen te komen.",
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
            commitment_row(
                OLD, "p4.s1", 1, "aannemen", "het bij deze conclusies gevoegde Rijnprogramma"
            ),
            commitment_row(OLD, "p5.s1", 1, "bijeenkomen", "op ministerieel niveau", "2027"),
            commitment_row(
                NEW, "p4.s1", 1, "aannemen", "het bij deze conclusies gevoegde Rijnprogramma"
            ),
            commitment_row(NEW, "p6.s1", 1, "bijeenkomen", "op ministerieel niveau", "2030"),
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


def test_a_pledges_participle_before_its_object_reports_it_done():
    sentence = NEWER["p4.s1"]
    assert attributive_report(
        "aannemen", "het bij deze conclusies gevoegde Rijnprogramma", sentence
    )
    # the participle of another verb, or before another noun, is no report of this pledge
    assert not attributive_report("voltooien", "het Rijnprogramma", sentence)
    assert not attributive_report("aannemen", "de begroting", sentence)
    assert _track()["p4.s1.c1"] == ("reported_done", "p4", [])


def test_a_promise_kept_named_by_its_own_verb_is_reported_done():
    assert _progress(NEWER)["p5.s1"]
    assert promise_kept(infinitive_pattern("bijeenkomen"), NEWER["p5.s1"])
    assert not promise_kept(infinitive_pattern("bijeenkomen"), NEWER["p6.s1"])
    assert _track()["p5.s1.c1"] == ("reported_done", "p5", [])
