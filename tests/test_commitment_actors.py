"""Who commits: the declaring parties of declarations that are not the EU's, and the actors of
their pledges, on short declarations written for these tests (entities and speech acts set by
hand, as the entity linker and the speech-act tagger would set them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from pipeline.classify import commitments as cm
from pipeline.gold import load_gold
from pipeline.syntax import add_syntax_components
from pipeline.train.speech import doc_from_gold

MODELS = Path(__file__).resolve().parents[1] / "models"
pytestmark = pytest.mark.skipif(
    not (MODELS / "parser" / "config.cfg").exists(),
    reason="the rules read POS tags and the parse: run `make train` (parser)",
)


def ent(text, label, key=None):
    return {"text": text, "label": label, **({"key": key} if key else {})}


def segment(sid, kind, text, act="OTHER", entities=()):
    return {
        "id": sid,
        "kind": kind,
        "number": sid[1:] if kind == "point" else None,
        "heading": None,
        "domains": [],
        "sentences": [{"text": text, "speech_act": act, "entities": list(entities)}],
    }


def declaration(preamble, points, tmp_path):
    """A Doc of a title, a preamble and numbered points, each point one sentence (text,
    speech act, entities), with the commitment records set."""
    gold = {
        "doc_id": "test-actors",
        "language": "nl",
        "segments": [
            segment("title", "title", "Verklaring van Teststad"),
            segment("preamble", "preamble", *preamble),
            *(segment(f"p{n}", "point", *p) for n, p in enumerate(points, start=1)),
        ],
    }
    path = tmp_path / "test-actors.gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    nlp = spacy.blank("nl")
    add_syntax_components(nlp, MODELS, parser=True)
    doc = doc_from_gold(load_gold(path), nlp, with_entities=True)
    for span, sent in zip(
        doc.spans["sentences"], [s for g in gold["segments"] for s in g["sentences"]]
    ):
        span._.speech_act = sent["speech_act"]
    cm.CommitmentExtractor(["eu"])(doc)
    return doc


def actors_of(doc, segment_id):
    records = [
        r for s in doc.spans["sentences"] if s._.segment_id == segment_id for r in s._.commitments
    ]
    return [sorted(r["actors"]) for r in records]


def test_the_body_the_speakers_are_united_in_declares(tmp_path):
    # mayors of three towns "verenigd in" a network: "wij" is the network, whatever its key
    network = ent("Stedennetwerk van de Kust", "ORG", "stedennetwerk_van_de_kust")
    doc = declaration(
        (
            "Wij, burgemeesters van Aarhus, Delft en Porto, verenigd in het Stedennetwerk van "
            "de Kust, leggen het volgende vast:",
            "OTHER",
            [
                ent("Aarhus", "GPE", "city:aarhus"),
                ent("Delft", "GPE", "city:delft"),
                ent("Porto", "GPE", "city:porto"),
                network,
            ],
        ),
        [("Wij zullen tegen 2032 in onze havens walstroom aanbieden.", "COMMITMENT")],
        tmp_path,
    )
    assert cm.summit_of(doc, ["eu"]).authors == ["stedennetwerk_van_de_kust"]
    assert actors_of(doc, "p1") == [["stedennetwerk_van_de_kust"]]


def test_a_process_the_speakers_meet_in_is_no_author(tmp_path):
    # "in het kader van" a PROGRAMME (a process) leaves the ministers who met the authors
    doc = declaration(
        (
            "Wij, de ministers van Denemarken en Noorwegen, bijeengekomen in het kader van het "
            "Noordzeeproces, verklaren het volgende:",
            "OTHER",
            [
                ent("Denemarken", "GPE", "DNK"),
                ent("Noorwegen", "GPE", "NOR"),
                ent("Noordzeeproces", "PROGRAMME"),
            ],
        ),
        [("Wij zullen de grensovergangen tegen 2030 moderniseren.", "COMMITMENT")],
        tmp_path,
    )
    assert actors_of(doc, "p1") == [["DNK", "NOR"]]


def test_an_agentless_passive_of_two_declaring_parties_commits_both(tmp_path):
    eu, celac = ent("EU", "ORG", "eu"), ent("CELAC", "ORG", "celac")
    doc = declaration(
        (
            "Wij, de staatshoofden en regeringsleiders van de EU en van de CELAC, zijn het "
            "volgende overeengekomen:",
            "OTHER",
            [eu, celac],
        ),
        [("De volgende top zal in 2031 in Europa worden gehouden.", "COMMITMENT")],
        tmp_path,
    )
    assert actors_of(doc, "p1") == [["celac", "eu"]]


def test_an_agentless_passive_of_a_summit_with_partners_stays_the_authors(tmp_path):
    # partners the EU met are not co-authors: the decided case of docs/annotation.md
    doc = declaration(
        (
            "Wij, de leiders van de EU, bijeengekomen met de leiders van onze partners van de "
            "Westelijke Balkan, verklaren het volgende:",
            "OTHER",
            [ent("EU", "ORG", "eu"), ent("Westelijke Balkan", "LOC", "western_balkans")],
        ),
        [("Het actieplan zal in 2027 worden herzien.", "COMMITMENT")],
        tmp_path,
    )
    assert actors_of(doc, "p1") == [["eu"]]


def test_a_minister_named_by_office_and_country_acts_for_the_country(tmp_path):
    kenya, tanzania = ent("Kenia", "GPE", "KEN"), ent("Tanzania", "GPE", "TZA")
    doc = declaration(
        (
            "De regering van Kenia en de regering van Tanzania zijn het volgende overeengekomen:",
            "OTHER",
            [kenya, tanzania],
        ),
        [
            (
                "De Keniaanse minister van Handel, Peter Kiprono, zal binnen drie maanden een "
                "gemengd comité bijeenroepen.",
                "COMMITMENT",
                [ent("Peter Kiprono", "PERSON")],
            ),
            (
                "De Tanzaniaanse minister zal de tarieven voor de doorvoer vaststellen.",
                "COMMITMENT",
            ),
        ],
        tmp_path,
    )
    assert actors_of(doc, "p1") == [["KEN"]]
    assert actors_of(doc, "p2") == [["TZA"]]


def test_a_regional_minister_acts_for_the_region(tmp_path):
    doc = declaration(
        (
            "Wij, de ministers van Onderwijs van Nederland en Vlaanderen, zijn het volgende "
            "overeengekomen:",
            "OTHER",
            [ent("Nederland", "GPE", "NLD"), ent("Vlaanderen", "GPE", "flanders")],
        ),
        [
            ("De Vlaamse minister zal een gezamenlijke taalproef ontwikkelen.", "COMMITMENT"),
            ("Wij zullen de uitvoering elk jaar evalueren.", "COMMITMENT"),
        ],
        tmp_path,
    )
    assert actors_of(doc, "p1") == [["flanders"]]
    assert actors_of(doc, "p2") == [["NLD", "flanders"]]


def test_the_allies_of_an_alliance_are_its_authors(tmp_path):
    nato = ent("NAVO", "ORG", "nato")
    doc = declaration(
        ("Wij, de staatshoofden en regeringsleiders van de NAVO, verklaren:", "OTHER", [nato]),
        [
            (
                "De bondgenoten zullen Oekraïne voor 2030 EUR 40 miljard aan steun toezeggen.",
                "COMMITMENT",
                [ent("Oekraïne", "GPE", "UKR")],
            )
        ],
        tmp_path,
    )
    assert actors_of(doc, "p1") == [["nato"]]


def test_the_other_ministers_are_the_authors_the_sentence_before_did_not_name(tmp_path):
    countries = [("Denemarken", "DNK"), ("Noorwegen", "NOR"), ("België", "BEL")]
    doc = declaration(
        (
            "Wij, de ministers van Denemarken, Noorwegen en België, verklaren het volgende:",
            "OTHER",
            [ent(name, "GPE", key) for name, key in countries],
        ),
        [
            (
                "Noorwegen en Denemarken hebben hun visserijregeling afgerond.",
                "ASSESSMENT",
                [ent("Noorwegen", "GPE", "NOR"), ent("Denemarken", "GPE", "DNK")],
            ),
            ("De overige ministers zullen de vangstbeperkingen in 2030 herzien.", "COMMITMENT"),
        ],
        tmp_path,
    )
    assert actors_of(doc, "p2") == [["BEL"]]
