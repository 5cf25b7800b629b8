"""Commitment records from sentences whose entities and speech acts are set by hand (as the
entity linker and the speech-act tagger would set them)."""
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
pytestmark = pytest.mark.skipif(not (MODELS / "parser" / "config.cfg").exists(),
                                reason="the rules read POS tags: run `make train` (parser)")

EU = {"text": "EU", "label": "ORG", "key": "eu"}
WB = {"text": "Westelijke Balkan", "label": "LOC", "key": "western_balkans"}


def sentence(text, act, entities=()):
    return {"text": text, "speech_act": act, "entities": list(entities)}


POINTS = [
    sentence("De EU zal haar financiële steun voor de hervormingen opvoeren.", "COMMITMENT",
             [EU]),
    sentence("De EU is ingenomen met het voornemen van Kroatië om in 2020 als gastheer op te "
             "treden voor een top.", "ENDORSEMENT",
             [EU, {"text": "Kroatië", "label": "GPE", "key": "HRV"},
              {"text": "2020", "label": "DATE"}]),
    sentence("De EU zal overwegen haar steun voor de verkiezingswaarneming uit te breiden.",
             "COMMITMENT", [EU]),
    sentence("Deze middelen zullen slechts worden uitbetaald indien de hervormingen zijn "
             "uitgevoerd.", "COMMITMENT"),
    sentence("Onze samenwerking inzake migratie zal verder worden ontwikkeld.", "COMMITMENT"),
    sentence("De EU zal haar samenwerking op het gebied van cyberbeveiliging verdiepen en "
             "bijstandsmaatregelen voor de strijdkrachten financieren.", "COMMITMENT", [EU]),
    sentence("De EU is vastbesloten haar betrokkenheid te versterken en te intensiveren om de "
             "omvorming in de regio te ondersteunen.", "COMMITMENT", [EU]),
    sentence("De EU roept de partners op hun hervormingen voort te zetten.", "CALL", [EU]),
    sentence("De EU juicht toe dat de partners van de Westelijke Balkan beloven sneller "
             "uitvoering te geven aan het acquis.", "ENDORSEMENT", [EU, WB]),
    sentence("De Europese Investeringsbank zal in 2025 EUR 300 miljoen beschikbaar stellen.",
             "COMMITMENT", [{"text": "Europese Investeringsbank", "label": "ORG", "key": "eib"},
                            {"text": "2025", "label": "DATE"}]),
]

GOLD = {
    "doc_id": "test-commitments",
    "language": "nl",
    "segments": [
        {"id": "title", "kind": "title", "number": None, "heading": None, "domains": [],
         "sentences": [sentence("Verklaring van Teststad", "OTHER")]},
        {"id": "preamble", "kind": "preamble", "number": None, "heading": None, "domains": [],
         "sentences": [sentence(
             "Wij, de leiders van de EU, bijeengekomen met de leiders van onze partners van de "
             "Westelijke Balkan, verklaren het volgende:", "OTHER", [EU, WB])]},
        *[{"id": f"p{n}", "kind": "point", "number": str(n), "heading": None, "domains": [],
           "sentences": [s]} for n, s in enumerate(POINTS, start=1)],
        {"id": "annex_title", "kind": "annex_title", "number": None, "heading": None,
         "domains": [], "sentences": [sentence("Bijlage", "OTHER")]},
        {"id": "h1", "kind": "heading", "number": None, "heading": None, "domains": [],
         "sentences": [sentence("Veiligheid", "OTHER")]},
        {"id": "h1.b1", "kind": "bullet", "number": None, "heading": "h1", "domains": [],
         "sentences": [sentence("De operationele samenwerking tegen georganiseerde misdaad "
                                "aanzienlijk verbeteren", "COMMITMENT")]},
        {"id": "h1.b2", "kind": "bullet", "number": None, "heading": "h1", "domains": [],
         "sentences": [sentence("Een nieuw actieplan voor vuurwapens opstellen, teneinde "
                                "illegale wapens aan te pakken", "COMMITMENT")]},
    ],
}


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    path = tmp_path_factory.mktemp("gold") / "test-commitments.gold.json"
    path.write_text(json.dumps(GOLD), encoding="utf-8")
    gold = load_gold(path)
    nlp = spacy.blank("nl")
    add_syntax_components(nlp, MODELS)
    doc = doc_from_gold(gold, nlp, with_entities=True)
    for span, (_seg, _i, g) in zip(doc.spans["sentences"], gold.sentences()):
        span._.speech_act = g.speech_act
    cm.CommitmentExtractor()(doc)
    return {s._.sentence_id: s._.commitments for s in doc.spans["sentences"]}


def test_summit_from_preamble(tmp_path):
    path = tmp_path / "g.gold.json"
    path.write_text(json.dumps(GOLD), encoding="utf-8")
    doc = doc_from_gold(load_gold(path), spacy.blank("nl"), with_entities=True)
    summit = cm.summit_of(doc)
    assert summit.authors == ["eu"]
    assert summit.participants == ["eu", "wb_partners"]
    assert summit.is_reported(["wb_partners"]) and not summit.is_reported(["eu"])


def test_plain_pledge(records):
    (r,) = records["p1.s1"]
    assert r["actors"] == ["eu"] and r["action"] == "opvoeren" and r["strength"] == "strong"
    assert r["reported"] is False and r["conditional"] is False
    assert "steun" in r["object"]


def test_reported_intention_is_moderate_with_its_date(records):
    (r,) = records["p2.s1"]
    assert r["actors"] == ["HRV"] and r["action"] == "optreden"
    assert r["strength"] == "moderate" and r["reported"] is True and r["dates"] == ["2020"]


def test_hedged_pledge_is_weak(records):
    (r,) = records["p3.s1"]
    assert r["strength"] == "weak" and r["action"] == "uitbreiden"


def test_agentless_passive_commits_the_eu_and_is_conditional(records):
    (r,) = records["p4.s1"]
    assert r["actors"] == ["eu"] and r["action"] == "uitbetalen" and r["conditional"] is True


def test_passive_with_our_cooperation_commits_both_sides(records):
    (r,) = records["p5.s1"]
    assert r["actors"] == ["eu", "wb_partners"] and r["action"] == "ontwikkelen"


def test_two_objects_two_records(records):
    actions = [r["action"] for r in records["p6.s1"]]
    assert actions == ["verdiepen", "financieren"]


def test_shared_object_one_record_and_purpose_clause_skipped(records):
    assert [r["action"] for r in records["p7.s1"]] == ["versterken"]


def test_call_yields_no_record(records):
    assert records["p8.s1"] == []


def test_reported_promise_with_light_verb(records):
    (r,) = records["p9.s1"]
    assert r["actors"] == ["wb_partners"] and r["action"] == "uitvoering geven"
    assert r["reported"] is True


def test_other_party_with_verb_second_light_verb(records):
    (r,) = records["p10.s1"]
    assert r["actors"] == ["eib"] and r["action"] == "beschikbaar stellen"
    assert r["reported"] is True and r["dates"] == ["2025"]


def test_annex_items_commit_participants_with_verb_class_strength(records):
    (improve,) = records["h1.b1.s1"]
    assert improve["actors"] == ["eu", "wb_partners"] and improve["action"] == "verbeteren"
    assert improve["strength"] == "moderate"
    (plan,) = records["h1.b2.s1"]
    assert plan["action"] == "opstellen" and plan["strength"] == "strong"


def test_score_commitments_matching():
    gold = [{"actors": ["eu"], "action": "a", "strength": "strong", "conditional": False,
             "reported": False},
            {"actors": ["eu", "wb_partners"], "action": "b", "strength": "moderate",
             "conditional": False, "reported": False}]
    pred = [{"actors": ["wb_partners", "eu"], "action": "b", "strength": "strong",
             "conditional": False, "reported": False},
            {"actors": ["eib"], "action": "a", "strength": "strong", "conditional": False,
             "reported": True}]
    s = cm.score_commitments([(gold, pred), ([], [])])
    assert s["found"] == 1 and s["found_share"] == 0.5 and s["precision"] == 0.5
    assert s["strength_accuracy"] == 0.0 and s["action_agreement"] == 1.0
