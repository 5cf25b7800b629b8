"""Commitment tracking across a series: repeated, revised, reported done, dropped.

A small series written for this test (three declarations of a fictional summit, 2021, 2023,
2025, given in the wrong order) goes through the whole pipeline: the progress component marks
the sentences that report a pledge fulfilled, the series rule pairs each declaration with the
one before it, and ``commitment_tracking`` says what each pledge became. Every status and every
kind of change occurs in it.
"""

import pandas as pd
import pytest

import pipeline
from pipeline.compare import consecutive_pairs, document_series
from pipeline.compare.tracking import changes_between, scope_changed
from pipeline.tables import COLUMNS, CORPUS_TABLES

PREAMBLE = (
    "Wij, de leiders van de Europese Unie (EU) en haar lidstaten, zijn vandaag in {city} "
    "bijeengekomen met onze partners van de Westelijke Balkan en zijn het volgende "
    "overeengekomen:"
)

SERIES = {
    "aardam-2021": f"""Verklaring van Aardam, 3 mei 2021

{PREAMBLE.format(city="Aardam")}

1. De EU zal de visumplicht voor studenten uit de regio opheffen.

2. Wij zullen vóór 2022 een gemeenschappelijk netwerk van laadpalen langs de snelwegen aanleggen.

3. De EU zal haar steun voor de hervorming van het openbaar bestuur verhogen.

4. De EU zal een fonds voor kleine boerenbedrijven in de berggebieden oprichten.

5. De EU zal de samenwerking op het gebied van cyberbeveiliging versterken.

6. De EU zal de opleiding van jonge rechters en aanklagers financieren.

7. De EU zal een nieuw programma voor de uitwisseling van leraren opzetten.

8. De EU zal de bouw van de brug over de rivier de Drina financieren.

9. De EU zal een actieplan voor de modernisering van de spoorwegen opstellen.
""",
    "belmar-2023": f"""Verklaring van Belmar, 14 juni 2023

{PREAMBLE.format(city="Belmar")}

1. De visumplicht voor studenten uit de regio is opgeheven.

2. Wij zullen vóór 2025 een gemeenschappelijk netwerk van laadpalen langs de snelwegen aanleggen.

3. De EU zal haar steun voor de hervorming van het openbaar bestuur verder verhogen.

4. De EU zal de samenwerking op het gebied van cyberbeveiliging versterken, ook voor ziekenhuizen, waterbedrijven, energiecentrales en havens.

5. De EU zal overwegen de opleiding van jonge rechters en aanklagers te financieren.

6. Mits de partners de nodige middelen vrijmaken, zal de EU een nieuw programma voor de uitwisseling van leraren opzetten.

7. Sinds de top van Aardam zijn belangrijke stappen gezet:

a) de brug over de rivier de Drina werd in 2022 geopend;

b) de nieuwe grensovergang bij Zvornik is in gebruik.

8. De partners van de Westelijke Balkan zullen een actieplan voor de modernisering van de spoorwegen opstellen.
""",
    "corvale-2025": f"""Verklaring van Corvale, 2 oktober 2025

{PREAMBLE.format(city="Corvale")}

1. Het gemeenschappelijke netwerk van laadpalen langs de snelwegen is voltooid.

2. De EU zal haar steun voor de hervorming van het openbaar bestuur verder verhogen.

3. De EU zal de samenwerking op het gebied van cyberbeveiliging versterken, ook voor ziekenhuizen, waterbedrijven, energiecentrales en havens.

4. Mits de partners de nodige middelen vrijmaken, zal de EU een nieuw programma voor de uitwisseling van leraren opzetten.

5. De partners van de Westelijke Balkan zullen een actieplan voor de modernisering van de spoorwegen opstellen.
""",
}


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    folder = tmp_path_factory.mktemp("series")
    # newest first: the order of the series comes from the dates, not from the input
    for doc_id in ("corvale-2025", "aardam-2021", "belmar-2023"):
        (folder / f"{doc_id}.txt").write_text(SERIES[doc_id], encoding="utf-8")
    paths = [folder / f"{d}.txt" for d in ("corvale-2025", "aardam-2021", "belmar-2023")]
    return pipeline.process(paths, keep_docs=False).tables


def _status(tracking, doc_a, segment_b):
    rows = tracking[(tracking["doc_a"] == doc_a) & (tracking["segment_b"] == segment_b)]
    assert len(rows) == 1, f"{doc_a}: one row for the pledge of {segment_b}"
    row = rows.iloc[0]
    return row["status"], row["segment_a"], sorted(row["changes"])


def test_sentences_reporting_a_pledge_fulfilled_are_progress_and_no_commitment(series):
    sentences = series["sentences"].set_index(["doc_id", "sentence_id"])
    progress = sentences["reports_progress"]
    assert progress[("belmar-2023", "p1.s1")]  # "is opgeheven"
    assert progress[("belmar-2023", "p7.s1")]  # the lead-in "zijn belangrijke stappen gezet:"
    assert progress[("belmar-2023", "p7.b1.s1")]  # "werd in 2022 geopend", a list item
    assert progress[("belmar-2023", "p7.b2.s1")]  # under the lead-in: "is in gebruik"
    assert progress[("corvale-2025", "p1.s1")]  # "is voltooid"
    assert not progress[("aardam-2021", "p1.s1")]  # "zal ... opheffen": a pledge
    assert not progress[("belmar-2023", "p6.s1")]  # "zal ... opzetten"
    done = sentences[progress].index
    records = series["commitments"].set_index(["doc_id", "sentence_id"]).index
    assert not set(done) & set(records)


def test_each_declaration_is_compared_with_the_one_before_it_by_date(series):
    pairs = series["commitment_tracking"][["doc_a", "doc_b"]].drop_duplicates()
    assert sorted(map(tuple, pairs.itertuples(index=False))) == [
        ("belmar-2023", "aardam-2021"),
        ("corvale-2025", "belmar-2023"),
    ]


def test_every_pledge_of_the_older_declaration_gets_its_status(series):
    tracking = series["commitment_tracking"]
    assert list(tracking.columns[: len(COLUMNS["commitment_tracking"])]) == list(
        COLUMNS["commitment_tracking"]
    )
    expected = {
        "p1": ("reported_done", "p1", []),  # "is opgeheven"
        "p2": ("revised", "p2", ["deadline"]),  # 2022 -> 2025
        "p3": ("repeated", "p3", []),  # "verder" verhogen: the same pledge
        "p4": ("dropped", None, []),  # the fund for small farms: not mentioned
        "p5": ("revised", "p4", ["scope"]),  # cyber security, now also hospitals, ports ...
        "p6": ("revised", "p5", ["strength"]),  # "zal financieren" -> "zal overwegen"
        "p7": ("revised", "p6", ["conditional"]),  # "Mits de partners ..."
        "p8": ("reported_done", "p7.b1", []),  # the bridge, in a list item of another point
        "p9": ("revised", "p8", ["actors"]),  # now the partners' pledge
    }
    for segment_b, (status, segment_a, changes) in expected.items():
        found_status, found_segment, found_changes = _status(tracking, "belmar-2023", segment_b)
        assert found_status == status, segment_b
        assert (found_segment if status != "dropped" else None) == segment_a, segment_b
        assert found_changes == changes, segment_b
    assert _status(tracking, "corvale-2025", "p2")[:2] == ("reported_done", "p1")
    assert _status(tracking, "corvale-2025", "p4")[:2] == ("repeated", "p3")
    assert _status(tracking, "corvale-2025", "p5")[0] == "dropped"  # the judges' training
    done = tracking[tracking["status"] == "reported_done"]
    assert done["commitment_a"].isna().all() and done["evidence"].notna().all()
    assert tracking[tracking["status"] == "dropped"]["segment_a"].isna().all()


def test_the_changes_of_a_revision_compare_the_two_records():
    older = {
        "action": "aanleggen",
        "object": "een netwerk van laadpalen",
        "strength": "strong",
        "conditional": False,
        "actors": ["eu"],
        "deadlines": ["vóór 2022"],
    }
    sentence = "De EU zal vóór 2022 een netwerk van laadpalen aanleggen."
    assert changes_between(older, dict(older), sentence, sentence) == []
    newer = {
        **older,
        "strength": "weak",
        "conditional": True,
        "actors": ["eu", "wb_partners"],
        "deadlines": ["uiterlijk in 2026"],
    }
    assert changes_between(older, newer, sentence, sentence) == [
        "deadline",
        "strength",
        "conditional",
        "actors",
    ]
    wider = "De EU zal vóór 2022 een netwerk van laadpalen aanleggen, ook in havens, dorpen, parkeergarages en stations."
    assert scope_changed(older, older, sentence, wider)
    assert not scope_changed(older, older, sentence, "Wij zullen vóór 2022 laadpalen aanleggen.")


def test_a_series_column_of_the_metadata_decides_over_the_rule():
    documents = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d"],
            "date": ["2020-01-01", "2021-01-01", "2022-01-01", "2023-01-01"],
            "series": ["wb", None, "wb", None],
        }
    )
    similar = pd.DataFrame(
        {
            "doc_a": ["d", "d", "c"],
            "doc_b": ["b", "b", "a"],
            "method": ["tfidf_cosine", "shingle_jaccard", "tfidf_cosine"],
            "score": [0.6, 0.1, 0.1],
        }
    )
    named = document_series(documents, similar)
    assert named["a"] == named["c"] == "wb"
    assert named["b"] == named["d"] != "wb"  # the rule: cosine and shingles both high enough
    rank = pd.Series([0, 1, 2, 3], index=["a", "b", "c", "d"])
    pairs = consecutive_pairs(documents, rank, similar)
    assert sorted(zip(pairs["doc_a"], pairs["doc_b"])) == [("c", "a"), ("d", "b")]


def test_two_unrelated_documents_are_no_series():
    documents = pd.DataFrame({"doc_id": ["x", "y"]})
    similar = pd.DataFrame(
        {
            "doc_a": ["y", "y"],
            "doc_b": ["x", "x"],
            "method": ["tfidf_cosine", "shingle_jaccard"],
            "score": [0.52, 0.01],  # alike in words, but no passage in common
        }
    )
    assert consecutive_pairs(documents, pd.Series([0, 1], index=["x", "y"]), similar).empty


def test_commitment_tracking_is_a_corpus_table():
    assert "commitment_tracking" in CORPUS_TABLES
