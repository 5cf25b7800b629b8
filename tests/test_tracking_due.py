"""Tracking a pair whose pledges fell due, with quantities and pledges that share a sentence.

A pair written for this test (a fictional Black Sea ministerial, Varna 2022 and its follow-up,
held in Varna in 2024), its records given by hand so that only the tracking is tested:

- the older declaration pledged to meet again "in 2024 in Varna"; the newer one reports that
  meeting ("zijn wij in Varna bijeengekomen") and pledges the next one, in Ohrid in 2026, in
  the same words: the pledge fell due and is reported done, not revised;
- one report ("zijn wij in Varna bijeengekomen om de uitvoering ervan te evalueren") keeps
  two pledges of two points that fell due: to meet again and to evaluate;
- one sentence holds two pledges, one reported done in the newer text, one not mentioned:
  each is told apart by its own object;
- an office due in 2023 is reported opened, and a second one pledged for 2025: by the newer
  declaration's date the first fell due, so the report wins (without dates, the pledge);
- "ten minste tien havens" becomes "ten minste twintig havens": the scope changed.
"""

import pandas as pd
import spacy
from tracking_records import commitment_row

from pipeline.classify.progress import ProgressReporter, read_cues
from pipeline.compare.tracking import commitment_tracking, quantities, scope_changed

OLDER = {
    "p1.s1": "Wij komen overeen in 2024 opnieuw bijeen te komen in Varna om de uitvoering van "
    "deze verklaring te evalueren.",
    "p2.s1": "Wij zullen vóór 2024 een strategie voor de visserij in de Zwarte Zee aannemen en "
    "de kustwacht van Burgas moderniseren.",
    "p3.s1": "De EU zal tegen 2026 ten minste tien havens aan de Zwarte Zee van walstroom voorzien.",
    "p4.s1": "De EU zal in 2023 een kantoor voor maritieme samenwerking in Constanta openen.",
    "p5.s1": "De uitvoering van deze verklaring zal in 2024 in Varna worden geëvalueerd.",
}
NEWER = {
    "p1.s1": "Overeenkomstig de verklaring van 2022 zijn wij in Varna bijeengekomen om de "
    "uitvoering ervan te evalueren.",
    "p2.s1": "Wij komen overeen in 2026 opnieuw bijeen te komen in Ohrid om de uitvoering van "
    "deze verklaring te evalueren.",
    "p3.s1": "De kustwacht van Burgas is gemoderniseerd.",
    "p4.s1": "De EU zal tegen 2026 ten minste twintig havens aan de Zwarte Zee van walstroom "
    "voorzien.",
    "p5.s1": "De EU heeft in 2023 een kantoor voor maritieme samenwerking in Constanta geopend.",
    "p6.s1": "De EU zal in 2025 een tweede kantoor voor maritieme samenwerking in Constanta openen.",
}
PROGRESS = {"p1.s1", "p3.s1", "p5.s1"}  # of the newer declaration, as the progress component says


def _tables():
    sentences = pd.DataFrame(
        [
            {
                "doc_id": doc_id,
                "segment_id": sid.split(".")[0],
                "sentence_id": sid,
                "text": text,
                "reports_progress": doc_id == "varna-2024" and sid in PROGRESS,
            }
            for doc_id, texts in (("varna-2022", OLDER), ("varna-2024", NEWER))
            for sid, text in texts.items()
        ]
    )
    commitments = pd.DataFrame(
        [
            commitment_row("varna-2022", "p1.s1", 1, "bijeenkomen", "opnieuw in Varna", "in 2024"),
            commitment_row(
                "varna-2022", "p2.s1", 1, "aannemen", "een strategie voor de visserij", "vóór 2024"
            ),
            commitment_row(
                "varna-2022", "p2.s1", 2, "moderniseren", "de kustwacht van Burgas", "vóór 2024"
            ),
            commitment_row(
                "varna-2022", "p3.s1", 1, "voorzien", "ten minste tien havens", "tegen 2026"
            ),
            commitment_row(
                "varna-2022",
                "p4.s1",
                1,
                "openen",
                "een kantoor voor maritieme samenwerking",
                "in 2023",
            ),
            commitment_row(
                "varna-2024",
                "p6.s1",
                1,
                "openen",
                "een tweede kantoor voor maritieme samenwerking",
                "in 2025",
            ),
            commitment_row(
                "varna-2022",
                "p5.s1",
                1,
                "evalueren",
                "de uitvoering van deze verklaring",
                "in 2024",
            ),
            commitment_row("varna-2024", "p2.s1", 1, "bijeenkomen", "opnieuw in Ohrid", "in 2026"),
            commitment_row(
                "varna-2024", "p4.s1", 1, "voorzien", "ten minste twintig havens", "tegen 2026"
            ),
        ]
    )
    documents = pd.DataFrame(
        {"doc_id": ["varna-2022", "varna-2024"], "date": ["2022-06-01", "2024-06-12"]}
    )
    return commitments, sentences, documents


def _track(documents):
    commitments, sentences, _ = _tables()
    pairs = pd.DataFrame({"doc_a": ["varna-2024"], "doc_b": ["varna-2022"]})
    tracked = commitment_tracking(pairs, commitments, sentences, None, documents)
    return {
        row.commitment_b: (row.status, row.segment_a, list(row.changes))
        for row in tracked.itertuples()
    }


def test_a_pledge_that_fell_due_is_reported_done_by_the_meeting_it_promised():
    tracked = _track(_tables()[2])
    assert tracked["p1.s1.c1"] == ("reported_done", "p1", [])
    # the same report also keeps the evaluation due in 2024 in Varna, another point's pledge
    assert tracked["p5.s1.c1"] == ("reported_done", "p1", [])
    # the two pledges of one sentence: one done, one not mentioned again
    assert tracked["p2.s1.c2"] == ("reported_done", "p3", [])
    assert tracked["p2.s1.c1"][0] == "dropped"
    assert tracked["p3.s1.c1"] == ("revised", "p4", ["scope"])
    # the office due in 2023: "werd geopend" wins over "zal in 2025 een tweede kantoor openen"
    assert tracked["p4.s1.c1"] == ("reported_done", "p5", [])


def test_a_pledge_dated_without_a_deadline_falls_due_by_its_date():
    commitments, sentences, documents = _tables()
    office = commitments["sentence_id"].eq("p4.s1") & commitments["doc_id"].eq("varna-2022")
    commitments["dates"] = commitments["deadlines"]
    commitments.loc[office, "deadlines"] = pd.Series(
        [[]] * office.sum(), index=office[office].index
    )
    pairs = pd.DataFrame({"doc_a": ["varna-2024"], "doc_b": ["varna-2022"]})
    tracked = commitment_tracking(pairs, commitments, sentences, None, documents)
    row = tracked[tracked["commitment_b"] == "p4.s1.c1"].iloc[0]
    assert (row["status"], row["segment_a"]) == ("reported_done", "p5")


def test_without_dates_no_pledge_is_known_to_have_fallen_due():
    tracked = _track(None)
    # the evaluation due in 2024 in Varna may no longer share another point's report
    assert tracked["p5.s1.c1"][0] == "dropped"
    # the office "geopend": a report in the pledge's own verb wins whatever the dates
    # (tests/test_tracking_done.py), before the pledge of a second office
    assert tracked["p4.s1.c1"] == ("reported_done", "p5", [])
    assert tracked["p3.s1.c1"] == ("revised", "p4", ["scope"])


def test_quantities_are_numerals_other_than_years_and_number_words():
    assert quantities("EUR 150 miljoen in de periode 2024-2027") == {"150", "1000000"}
    assert quantities("ten minste tien havens") == {"10"}
    assert quantities("meer dan 5 000 jongeren sinds januari 2027") == {"5000"}
    assert quantities("vóór eind 2027") == frozenset()


def test_a_changed_quantity_is_a_change_of_scope():
    record = {"conditional": False}
    older = "De Commissie zal EUR 150 miljoen uittrekken voor het fonds."
    assert scope_changed(record, record, older, older.replace("150", "200"))
    assert not scope_changed(record, record, older, older)
    # a deadline moved is no quantity
    assert not scope_changed(record, record, "uiterlijk in 2027", "uiterlijk in 2028")


def test_a_meeting_held_and_an_evaluation_done_are_progress():
    nlp = spacy.blank("nl")
    reporter = ProgressReporter(nlp.vocab, read_cues())
    held = nlp("Overeenkomstig de verklaring van Tanger zijn wij in Limassol bijeengekomen.")
    evaluated = nlp("De Agenda van Struga voor Jongeren is op deze top geëvalueerd.")
    planned = nlp("De uitvoering van deze agenda zal in 2027 worden geëvalueerd.")
    assert reporter.reading(held[:])[0]
    assert reporter.reading(evaluated[:])[0]
    assert not reporter.reading(planned[:])[0]
