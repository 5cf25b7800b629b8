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
pytestmark = pytest.mark.skipif(
    not (MODELS / "parser" / "config.cfg").exists(),
    reason="the rules read POS tags: run `make train` (parser)",
)

EU = {"text": "EU", "label": "ORG", "key": "eu"}
WB = {"text": "Westelijke Balkan", "label": "LOC", "key": "western_balkans"}


def sentence(text, act, entities=()):
    return {"text": text, "speech_act": act, "entities": list(entities)}


POINTS = [
    sentence("De EU zal haar financiële steun voor de hervormingen opvoeren.", "COMMITMENT", [EU]),
    sentence(
        "De EU is ingenomen met het voornemen van Kroatië om in 2020 als gastheer op te "
        "treden voor een top.",
        "ENDORSEMENT",
        [EU, {"text": "Kroatië", "label": "GPE", "key": "HRV"}, {"text": "2020", "label": "DATE"}],
    ),
    sentence(
        "De EU zal overwegen haar steun voor de verkiezingswaarneming uit te breiden.",
        "COMMITMENT",
        [EU],
    ),
    sentence(
        "Deze middelen zullen slechts worden uitbetaald indien de hervormingen zijn uitgevoerd.",
        "COMMITMENT",
    ),
    sentence("Onze samenwerking inzake migratie zal verder worden ontwikkeld.", "COMMITMENT"),
    sentence(
        "De EU zal haar samenwerking op het gebied van cyberbeveiliging verdiepen en "
        "bijstandsmaatregelen voor de strijdkrachten financieren.",
        "COMMITMENT",
        [EU],
    ),
    sentence(
        "De EU is vastbesloten haar betrokkenheid te versterken en te intensiveren om de "
        "omvorming in de regio te ondersteunen.",
        "COMMITMENT",
        [EU],
    ),
    sentence("De EU roept de partners op hun hervormingen voort te zetten.", "CALL", [EU]),
    sentence(
        "De EU juicht toe dat de partners van de Westelijke Balkan beloven sneller "
        "uitvoering te geven aan het acquis.",
        "ENDORSEMENT",
        [EU, WB],
    ),
    sentence(
        "De Europese Investeringsbank zal in 2025 EUR 300 miljoen beschikbaar stellen.",
        "COMMITMENT",
        [
            {"text": "Europese Investeringsbank", "label": "ORG", "key": "eib"},
            {"text": "2025", "label": "DATE"},
        ],
    ),
]


def point_segments(sentences):
    """Gold segments of numbered points p1, p2, ..., one sentence each."""
    return [
        {
            "id": f"p{n}",
            "kind": "point",
            "number": str(n),
            "heading": None,
            "domains": [],
            "sentences": [s],
        }
        for n, s in enumerate(sentences, start=1)
    ]


GOLD = {
    "doc_id": "test-commitments",
    "language": "nl",
    "segments": [
        {
            "id": "title",
            "kind": "title",
            "number": None,
            "heading": None,
            "domains": [],
            "sentences": [sentence("Verklaring van Teststad", "OTHER")],
        },
        {
            "id": "preamble",
            "kind": "preamble",
            "number": None,
            "heading": None,
            "domains": [],
            "sentences": [
                sentence(
                    "Wij, de leiders van de EU, bijeengekomen met de leiders van onze partners van de "
                    "Westelijke Balkan, verklaren het volgende:",
                    "OTHER",
                    [EU, WB],
                )
            ],
        },
        *point_segments(POINTS),
        {
            "id": "annex_title",
            "kind": "annex_title",
            "number": None,
            "heading": None,
            "domains": [],
            "sentences": [sentence("Bijlage", "OTHER")],
        },
        {
            "id": "h1",
            "kind": "heading",
            "number": None,
            "heading": None,
            "domains": [],
            "sentences": [sentence("Veiligheid", "OTHER")],
        },
        {
            "id": "h1.b1",
            "kind": "bullet",
            "number": None,
            "heading": "h1",
            "domains": [],
            "sentences": [
                sentence(
                    "De operationele samenwerking tegen georganiseerde misdaad "
                    "aanzienlijk verbeteren",
                    "COMMITMENT",
                )
            ],
        },
        {
            "id": "h1.b2",
            "kind": "bullet",
            "number": None,
            "heading": "h1",
            "domains": [],
            "sentences": [
                sentence(
                    "Een nieuw actieplan voor vuurwapens opstellen, teneinde "
                    "illegale wapens aan te pakken",
                    "COMMITMENT",
                )
            ],
        },
    ],
}


def gold_doc(gold_dict: dict, folder):
    """A Doc of a gold document written as a dict: gold segments, entities and speech acts,
    tags and lemmas from the syntax stage; what the commitments component reads."""
    path = folder / f"{gold_dict['doc_id']}.gold.json"
    path.write_text(json.dumps(gold_dict), encoding="utf-8")
    gold = load_gold(path)
    nlp = spacy.blank("nl")
    add_syntax_components(nlp, MODELS, parser=True)
    doc = doc_from_gold(gold, nlp, with_entities=True)
    for span, (_seg, _i, g) in zip(doc.spans["sentences"], gold.sentences()):
        span._.speech_act = g.speech_act
    return doc


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    doc = gold_doc(GOLD, tmp_path_factory.mktemp("gold"))
    cm.CommitmentExtractor(["eu"])(doc)
    return doc


@pytest.fixture(scope="module")
def records(extracted):
    return {s._.sentence_id: s._.commitments for s in extracted.spans["sentences"]}


def test_summit_from_preamble(tmp_path):
    path = tmp_path / "g.gold.json"
    path.write_text(json.dumps(GOLD), encoding="utf-8")
    doc = doc_from_gold(load_gold(path), spacy.blank("nl"), with_entities=True)
    summit = cm.summit_of(doc, ["eu"])
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
    gold = [
        {
            "actors": ["eu"],
            "action": "a",
            "strength": "strong",
            "conditional": False,
            "reported": False,
        },
        {
            "actors": ["eu", "wb_partners"],
            "action": "b",
            "strength": "moderate",
            "conditional": False,
            "reported": False,
        },
    ]
    pred = [
        {
            "actors": ["wb_partners", "eu"],
            "action": "b",
            "strength": "strong",
            "conditional": False,
            "reported": False,
        },
        {
            "actors": ["eib"],
            "action": "a",
            "strength": "strong",
            "conditional": False,
            "reported": True,
        },
    ]
    s = cm.score_commitments([(gold, pred), ([], [])])
    # each gold record is matched to the prediction of its own action, whatever the order
    assert s["found"] == 1.0 and s["precision"] == 1.0
    assert s["action"] == 1.0 and s["actor_exact"] == 0.5 and s["usable"] == 0.5
    assert s["strength"] == 0.5


def test_usable_needs_most_of_the_object_and_deadlines_are_compared_as_sets():
    gold = {
        "actors": ["eu"],
        "action": "versterken",
        "object": "de goede nabuurschapsbetrekkingen en de regionale stabiliteit",
        "deadlines": ["uiterlijk in 2028"],
    }
    truncated = dict(gold, object="de goede", deadlines=["Uiterlijk in  2028"])
    s = cm.score_commitments([([gold], [truncated])])
    assert s["object_f1"] < 0.6 and s["usable"] == 0.0 and s["deadline_accuracy"] == 1.0
    whole = dict(gold, deadlines=[])
    s = cm.score_commitments([([gold], [whole])])
    assert s["object_f1"] == 1.0 and s["usable"] == 1.0 and s["deadline_accuracy"] == 0.0


# --------------------------------------------------------------------------------------------
# who declares: parties resolved from the whole document


RAAD = {"text": "Raad", "label": "ORG", "key": "council_eu"}


def segment(seg_id, kind, text, act, entities=(), heading=None):
    return {
        "id": seg_id,
        "kind": kind,
        "number": None,
        "heading": heading,
        "domains": [],
        "sentences": [sentence(text, act, entities)],
    }


def summit_doc(tmp_path, preamble_text, entities, segments=()):
    gold = {
        "doc_id": "test-summit",
        "language": "nl",
        "segments": [
            segment("title", "title", "Verklaring", "OTHER"),
            segment("preamble", "preamble", preamble_text, "OTHER", entities),
            *segments,
        ],
    }
    return gold_doc(gold, tmp_path)


def test_forum_stands_for_its_members(tmp_path):
    doc = summit_doc(
        tmp_path,
        "Wij, de leiders van de lidstaten van de Unie voor het "
        "Middellandse Zeegebied, verklaren het volgende:",
        [
            {
                "text": "Unie voor het Middellandse Zeegebied",
                "label": "ORG",
                "key": "union_for_the_mediterranean",
            }
        ],
    )
    summit = cm.summit_of(doc, ["eu"])
    assert summit.authors == ["eu", "mediterranean_partners"]


def test_bilateral_body_names_its_parties(tmp_path):
    name = "Associatieraad tussen de Europese Unie en Georgië"
    doc = summit_doc(
        tmp_path,
        f"De {name} is vandaag in Brussel bijeengekomen.",
        [{"text": name, "label": "ORG", "key": "associatieraad_eu_georgie"}],
        [
            segment(
                "p1",
                "point",
                "Beide partijen zullen de samenwerking op het gebied van energie verdiepen.",
                "COMMITMENT",
            )
        ],
    )
    summit = cm.summit_of(doc, ["eu"])
    assert summit.authors == ["eu", "GEO"] and not summit.is_reported(["GEO"])
    cm.CommitmentExtractor(["eu"])(doc)
    (r,) = doc.spans["sentences"][2]._.commitments
    assert r["actors"] == ["eu", "GEO"] and r["action"] == "verdiepen"


def test_region_whose_leaders_meet_is_the_partner_group(tmp_path):
    doc = summit_doc(
        tmp_path,
        "De leiders van de EU en van de Westelijke Balkan zijn vandaag bijeengekomen.",
        [EU, WB],
    )
    summit = cm.summit_of(doc, ["eu"])
    assert summit.authors == ["eu"] and summit.participants == ["eu", "wb_partners"]


def test_council_conclusions_resolve_parties_from_the_document(tmp_path):
    countries = [
        {"text": t, "label": "GPE", "key": k}
        for t, k in (("Albanië", "ALB"), ("Servië", "SRB"), ("Montenegro", "MNE"))
    ]
    doc = summit_doc(
        tmp_path,
        "De Raad heeft de volgende conclusies aangenomen:",
        [RAAD],
        [
            segment(
                "p1",
                "point",
                "De Raad keurt het bijgevoegde actieplan goed en zal de "
                "uitvoering ervan jaarlijks evalueren.",
                "COMMITMENT",
                [RAAD],
            ),
            segment(
                "p2",
                "point",
                "Albanië, Servië en Montenegro hebben hun hervormingsagenda's ingediend.",
                "ASSESSMENT",
                countries,
            ),
            segment("p3", "point", "De Raad roept de partners op om:", "CALL", [RAAD]),
            segment(
                "p3.b1",
                "bullet",
                "hun visumbeleid af te stemmen op dat van de EU;",
                "COMMITMENT",
                [EU],
            ),
            segment("annex_title", "annex_title", "Bijlage", "OTHER"),
            segment("h1", "heading", "Grensbeheer", "OTHER"),
            segment(
                "h1.b1",
                "bullet",
                "Een regionaal netwerk van verbindingsofficieren opzetten",
                "COMMITMENT",
                heading="h1",
            ),
        ],
    )
    cm.CommitmentExtractor(["eu"])(doc)
    got = {s._.sentence_id: s._.commitments for s in doc.spans["sentences"]}
    # a performative present coordinated with "en zal" is a decision of its own
    assert [(r["actors"], r["action"]) for r in got["p1.s1"]] == [
        (["council_eu"], "goedkeuren"),
        (["council_eu"], "evalueren"),
    ]
    # the items of a call are asked, not pledged
    assert got["p3.b1.s1"] == []
    # action items under a heading commit the EU and the partners the document is about,
    # though the preamble names none
    (item,) = got["h1.b1.s1"]
    assert item["actors"] == ["eu", "wb_partners"] and item["action"] == "opzetten"


# --------------------------------------------------------------------------------------------
# records a researcher can check against the text


def test_objects_are_the_whole_complement_without_verb_subject_or_modifier(records):
    assert records["p1.s1"][0]["object"] == "haar financiële steun voor de hervormingen"
    assert records["p9.s1"][0]["object"] == "het acquis"  # "uitvoering geven aan X": X
    assert records["h1.b1.s1"][0]["object"] == (
        "De operationele samenwerking tegen georganiseerde misdaad"
    )  # not "aanzienlijk"
    assert records["h1.b2.s1"][0]["object"] == "Een nieuw actieplan voor vuurwapens"


def test_ids_offsets_and_span_groups_point_at_the_text(extracted, records):
    text = extracted.text
    (r,) = records["p1.s1"]
    assert r["commitment_id"] == "p1.s1.c1"
    assert text[r["action_start"] : r["action_end"]] == "opvoeren"
    assert text[r["object_start"] : r["object_end"]] == r["object"]
    objects = {s.id_: s.text for s in extracted.spans["commitment_objects"]}
    assert objects["p1.s1.c1"] == r["object"]
    actors = [(s.id_, s.kb_id_) for s in extracted.spans["commitment_actors"]]
    assert ("p1.s1.c1", "eu") in actors
    assert [r["commitment_id"] for r in records["p6.s1"]] == ["p6.s1.c1", "p6.s1.c2"]


def test_actor_source_says_where_the_actors_come_from(records):
    assert records["p1.s1"][0]["actor_source"] == "mention"
    assert records["p4.s1"][0]["actor_source"] == "passive"
    assert records["h1.b1.s1"][0]["actor_source"] == "annex"
    assert all(0 < r["confidence"] <= 1 for rs in records.values() for r in rs)


def test_deadlines_are_the_dates_that_bound_the_action(records):
    assert records["p2.s1"][0]["deadlines"] == ["2020"]  # "om in 2020 ... op te treden"
    assert records["p10.s1"][0]["deadlines"] == ["2025"]


EDITED = [
    sentence(
        "De EU zal haar steun voor de hervormingen tegen 2028 verdubbelen.",
        "COMMITMENT",
        [EU, {"text": "2028", "label": "DATE"}],
    ),
    sentence(
        "De EU zal het actieplan van juli 2017 uitvoeren.",
        "COMMITMENT",
        [EU, {"text": "juli 2017", "label": "DATE"}],
    ),
    # labelled COMMITMENT by mistake: a statement and a call make no record
    sentence("De COVID-19-pandemie vereist een gecoördineerde aanpak.", "COMMITMENT"),
    sentence("De EU roept de partners op de hervormingen te versnellen.", "COMMITMENT", [EU]),
]


def test_calls_and_statements_labelled_commitment_make_no_record(tmp_path):
    gold = dict(GOLD, doc_id="edited")
    gold["segments"] = GOLD["segments"][:2] + point_segments(EDITED)
    doc = gold_doc(gold, tmp_path)
    cm.CommitmentExtractor(["eu"])(doc)
    found = {s._.sentence_id: s._.commitments for s in doc.spans["sentences"]}
    assert found["p1.s1"][0]["deadlines"] == ["2028"]
    assert found["p2.s1"][0]["dates"] == ["juli 2017"] and found["p2.s1"][0]["deadlines"] == []
    assert found["p3.s1"] == [] and found["p4.s1"] == []


def test_the_default_author_is_a_setting_not_the_eu(tmp_path):
    gold = {
        "doc_id": "g7",
        "language": "nl",
        "segments": [
            {
                "id": "p1",
                "kind": "point",
                "number": "1",
                "heading": None,
                "domains": [],
                "sentences": [
                    sentence("Wij zullen de steun voor Oekraïne opvoeren.", "COMMITMENT")
                ],
            },
        ],
    }
    doc = gold_doc(gold, tmp_path)
    cm.CommitmentExtractor(["g7"])(doc)
    (r,) = doc.spans["sentences"][0]._.commitments
    assert r["actors"] == ["g7"]
    doc._.declared_by = ["eu", "african_union"]
    cm.CommitmentExtractor(["g7"])(doc)
    (r,) = doc.spans["sentences"][0]._.commitments
    assert r["actors"] == ["eu", "african_union"]


def points_doc(tmp_path, sentences, preamble=None, default_authors=("eu",)):
    """The records of a document of numbered points (and a preamble, when given)."""
    segments = []
    if preamble is not None:
        segments.append(
            {
                "id": "preamble",
                "kind": "preamble",
                "number": None,
                "heading": None,
                "domains": [],
                "sentences": [preamble],
            }
        )
    segments += point_segments(sentences)
    doc = gold_doc({"doc_id": "points", "language": "nl", "segments": segments}, tmp_path)
    cm.CommitmentExtractor(list(default_authors))(doc)
    return doc, {s._.sentence_id: s._.commitments for s in doc.spans["sentences"]}


DATE = "DATE"


def test_time_phrases_are_deadlines_of_their_action_and_not_part_of_the_object(tmp_path):
    _doc, found = points_doc(
        tmp_path,
        [
            sentence(
                "De EU zal in de loop van 2029 haar steun voor de landbouw herzien.",
                "COMMITMENT",
                [EU, {"text": "2029", "label": DATE}],
            ),
            sentence(
                "De EU zal binnen zes maanden een plan voor de havens voorleggen.",
                "COMMITMENT",
                [EU],
            ),
            sentence(
                "De EU zal vóór de volgende bijeenkomst een verslag over de visserij indienen.",
                "COMMITMENT",
                [EU],
            ),
            # a date of a noun, or of a condition, bounds nothing
            sentence(
                "De EU zal het klimaatdoel voor 2040 verdedigen, mits de Raad in maart 2028 "
                "besluit.",
                "COMMITMENT",
                [EU, {"text": "2040", "label": DATE}, {"text": "maart 2028", "label": DATE}],
            ),
            sentence(
                "De EU zal voor de periode 2028-2034 de middelen voor onderzoek verhogen.",
                "COMMITMENT",
                [EU, {"text": "2028-2034", "label": DATE}],
            ),
        ],
    )
    (r,) = found["p1.s1"]
    assert r["deadlines"] == ["2029"] and r["object"] == "haar steun voor de landbouw"
    (r,) = found["p2.s1"]
    assert r["deadlines"] == ["binnen zes maanden"] and r["object"] == "een plan voor de havens"
    (r,) = found["p3.s1"]
    assert r["deadlines"] == ["vóór de volgende bijeenkomst"]
    assert r["object"] == "een verslag over de visserij"
    assert found["p4.s1"][0]["deadlines"] == []
    assert found["p5.s1"][0]["deadlines"] == []


def test_coordinated_verb_final_actions_each_keep_their_own_object(tmp_path):
    _doc, found = points_doc(
        tmp_path,
        [
            sentence(
                "De EU belooft de rechten van minderheden te waarborgen, de vrijheid van "
                "vereniging te beschermen en de kieswet te herzien.",
                "COMMITMENT",
                [EU],
            )
        ],
    )
    objects = [r["object"] for r in found["p1.s1"]]
    assert objects == ["de rechten van minderheden", "de vrijheid van vereniging", "de kieswet"]


def test_an_inquiry_is_the_action_and_its_question_the_object(tmp_path):
    _doc, found = points_doc(
        tmp_path,
        [
            sentence(
                "De EU zal nagaan of de regels voor staatssteun kunnen worden vereenvoudigd.",
                "COMMITMENT",
                [EU],
            )
        ],
    )
    (r,) = found["p1.s1"]
    assert r["action"] == "nagaan" and r["strength"] == "weak"
    assert r["object"] == "of de regels voor staatssteun kunnen worden vereenvoudigd"


def test_a_passive_after_er_or_a_fronted_phrase_has_its_subject_after_the_verb(tmp_path):
    _doc, found = points_doc(
        tmp_path,
        [
            sentence("Er zal een netwerk van adviescentra worden opgezet.", "COMMITMENT"),
            sentence(
                "Binnen het partnerschap zal een forum voor de jeugd worden opgericht.",
                "COMMITMENT",
            ),
        ],
    )
    (r,) = found["p1.s1"]
    assert r["action"] == "opzetten" and r["object"] == "een netwerk van adviescentra"
    assert r["actor_source"] == "passive"
    (r,) = found["p2.s1"]
    assert r["object"] == "een forum voor de jeugd"


def test_participle_infinitive_from_the_form():
    from pipeline.classify.commitments.verbs import participle_infinitive

    assert participle_infinitive("opgezet") == "opzetten"
    assert participle_infinitive("vastgesteld") == "vaststellen"
    assert participle_infinitive("gemaakt") == "maken"
    assert participle_infinitive("geschiedenis") is None


def test_the_declaring_parties_come_from_the_document(tmp_path):
    nld = {"text": "Nederland", "label": "GPE", "key": "NLD"}
    bel = {"text": "België", "label": "GPE", "key": "BEL"}
    # no segment labelled preamble: the sentence in which the speakers describe themselves
    doc, found = points_doc(
        tmp_path,
        [
            sentence(
                "Wij, de regeringen van België en Nederland, zijn in Gent bijeengekomen.",
                "OTHER",
                [bel, nld],
            ),
            sentence("Beide regeringen zullen de grenscontroles afstemmen.", "COMMITMENT"),
        ],
    )
    assert cm.summit_of(doc, ["eu"]).authors == ["BEL", "NLD"]
    assert found["p2.s1"][0]["actors"] == ["BEL", "NLD"]


def test_observers_of_a_summit_are_not_its_participants(tmp_path):
    g7 = {"text": "G7", "label": "ORG", "key": "g7"}
    council = {"text": "Europese Raad", "label": "ORG", "key": "european_council"}
    doc, _found = points_doc(
        tmp_path,
        [sentence("Wij zullen de steun voor de vrede opvoeren.", "COMMITMENT")],
        preamble=sentence(
            "Wij, de leiders van de G7, in aanwezigheid van de voorzitter van de Europese "
            "Raad, verklaren het volgende:",
            "OTHER",
            [g7, council],
        ),
    )
    summit = cm.summit_of(doc, ["eu"])
    assert summit.authors == ["g7"] and summit.participants == ["g7"]


def test_the_speakers_own_pledge_counts_whatever_the_label(tmp_path):
    _doc, found = points_doc(
        tmp_path,
        [
            # the speech-act model may take "verbinden ons ertoe ... te" for a call
            sentence("Wij verbinden ons ertoe de kosten van roaming te verlagen.", "CALL"),
            sentence("De EU roept de partners op de kosten van roaming te verlagen.", "CALL", [EU]),
        ],
    )
    (r,) = found["p1.s1"]
    assert r["action"] == "verlagen" and r["object"] == "de kosten van roaming"
    assert r["confidence"] < 0.6  # relabelled: flagged for review
    assert found["p2.s1"] == []


def test_an_agent_door_inside_the_object_does_not_end_it(tmp_path):
    _doc, found = points_doc(
        tmp_path,
        [
            sentence(
                "De EU zal steun verlenen aan door de partners geleide missies.",
                "COMMITMENT",
                [EU],
            )
        ],
    )
    (r,) = found["p1.s1"]
    assert r["action"] == "steun verlenen"
    assert r["object"] == "door de partners geleide missies"


def test_items_under_a_lead_in_of_the_speakers_pledge_for_them(tmp_path):
    g7 = {"text": "G7", "label": "ORG", "key": "g7"}

    def segment(sid, kind, text, act, heading=None):
        return {
            "id": sid,
            "kind": kind,
            "number": None,
            "heading": heading,
            "domains": [],
            "sentences": [sentence(text, act)],
        }

    gold = {
        "doc_id": "lead-in",
        "language": "nl",
        "segments": [
            {
                "id": "preamble",
                "kind": "preamble",
                "number": None,
                "heading": None,
                "domains": [],
                "sentences": [
                    sentence("Wij, de leiders van de G7, verklaren het volgende:", "OTHER", [g7])
                ],
            },
            segment(
                "par1", "paragraph", "Daartoe lanceren wij een initiatief, waarmee wij:", "OTHER"
            ),
            segment("par1.b1", "bullet", "de voorraden van graan vergroten;", "CALL", "par1"),
        ],
    }
    doc = gold_doc(gold, tmp_path)
    cm.CommitmentExtractor(["eu"])(doc)
    found = {s._.sentence_id: s._.commitments for s in doc.spans["sentences"]}
    (r,) = found["par1.b1.s1"]
    assert r["actors"] == ["g7"] and r["action"] == "vergroten"
    assert r["object"] == "de voorraden van graan"


def test_nominal_items_under_a_lead_in_name_their_action_by_a_noun(tmp_path):
    g7 = {"text": "G7", "label": "ORG", "key": "g7"}
    gold = {
        "doc_id": "nominal-items",
        "language": "nl",
        "segments": [
            {
                "id": "preamble",
                "kind": "preamble",
                "number": None,
                "heading": None,
                "domains": [],
                "sentences": [
                    sentence("Wij, de leiders van de G7, verklaren het volgende:", "OTHER", [g7])
                ],
            },
            segment(
                "par1", "paragraph", "Daartoe lanceren wij een initiatief, waarmee wij:", "OTHER"
            ),
            # the deadline set off by commas between the noun and its complement
            segment(
                "par1.b1",
                "bullet",
                "de oprichting, uiterlijk in 2032, van een fonds voor jonge boeren dat hun oogst verzekert;",
                "COMMITMENT",
                [{"text": "2032", "label": DATE}],
                heading="par1",
            ),
            # the nominalisation's agent and the condition are not the object
            segment(
                "par1.b2",
                "bullet",
                "een verdubbeling van de voorraden van graan door de partners, op voorwaarde "
                "dat de oogst het toelaat;",
                "CALL",
                heading="par1",
            ),
            # the item's own infinitive is the action, not the noun before it
            segment(
                "par1.b3",
                "bullet",
                "de aanleg van de silo's in de havens voltooien.",
                "COMMITMENT",
                heading="par1",
            ),
        ],
    }
    doc = gold_doc(gold, tmp_path)
    cm.CommitmentExtractor(["eu"])(doc)
    found = {s._.sentence_id: s._.commitments for s in doc.spans["sentences"]}
    (r,) = found["par1.b1.s1"]
    assert (r["actors"], r["action"]) == (["g7"], "oprichten")
    assert r["object"] == "een fonds voor jonge boeren dat hun oogst verzekert"
    assert r["deadlines"] == ["2032"]
    (r,) = found["par1.b2.s1"]
    assert (r["action"], r["object"]) == ("verdubbelen", "de voorraden van graan")
    assert r["conditional"]
    assert [r["action"] for r in found["par1.b3.s1"]] == ["voltooien"]


def test_the_condition_is_the_text_of_its_clause_with_its_offsets(tmp_path, records, extracted):
    (r,) = records["p4.s1"]
    assert r["condition"] == "indien de hervormingen zijn uitgevoerd"
    text = extracted.text
    assert text[r["condition_start"] : r["condition_end"]] == r["condition"]
    doc, found = points_doc(
        tmp_path,
        [
            sentence(
                "Zodra de Raad heeft besloten, zal de EU de middelen voor de havens vrijmaken.",
                "COMMITMENT",
                [EU, {"text": "Raad", "label": "ORG", "key": "council_eu"}],
            ),
            sentence(
                "De EU zal de steun voortzetten, tenzij de partners de hervormingen stopzetten.",
                "COMMITMENT",
                [EU],
            ),
            sentence("De EU zal een plan voor de havens voorleggen.", "COMMITMENT", [EU]),
        ],
    )
    (first,) = found["p1.s1"]
    assert first["condition"] == "Zodra de Raad heeft besloten" and first["conditional"]
    (second,) = found["p2.s1"]
    assert second["condition"] == "tenzij de partners de hervormingen stopzetten"
    assert doc.text[second["condition_start"] : second["condition_end"]] == second["condition"]
    (plain,) = found["p3.s1"]
    assert plain["condition"] == "" and plain["conditional"] is False
    assert plain["condition_start"] == plain["condition_end"] == plain["action_start"]


def test_a_government_named_by_its_countrys_adjective_is_the_country(tmp_path):
    _doc, found = points_doc(
        tmp_path,
        [
            sentence(
                "De Commissie en de Canadese regering zullen uiterlijk in 2028 een "
                "gezamenlijke evaluatie publiceren.",
                "COMMITMENT",
                [{"text": "Commissie", "label": "ORG", "key": "european_commission"}],
            ),
            sentence(
                "Wij verwelkomen de toezegging van de Oekraïense regering om de wet op de "
                "rechtspraak aan te nemen.",
                "ENDORSEMENT",
            ),
        ],
    )
    (r,) = found["p1.s1"]
    assert r["actors"] == ["european_commission", "CAN"] and r["actor_source"] == "mention"
    (r,) = found["p2.s1"]
    assert r["actors"] == ["UKR"] and r["action"] == "aannemen"


BEL = {"text": "België", "label": "GPE", "key": "BEL"}
DNK = {"text": "Denemarken", "label": "GPE", "key": "DNK"}
NLD = {"text": "Nederland", "label": "GPE", "key": "NLD"}


def test_countries_listed_after_in_are_the_authors_and_a_passive_commits_them_all(tmp_path):
    doc, found = points_doc(
        tmp_path,
        [sentence("De resultaten zullen in juni openbaar worden gemaakt.", "COMMITMENT")],
        preamble=sentence(
            "Wij, de ministers die in België, Denemarken en Nederland verantwoordelijk zijn "
            "voor de visserij, bijeengekomen in Harlingen, verklaren het volgende:",
            "OTHER",
            [BEL, DNK, NLD],
        ),
    )
    assert cm.summit_of(doc, ["eu"]).authors == ["BEL", "DNK", "NLD"]
    (r,) = found["p1.s1"]
    assert r["actors"] == ["BEL", "DNK", "NLD"] and r["actor_source"] == "passive"


def test_members_of_a_partner_group_beside_other_countries_stay_themselves(tmp_path):
    alb = {"text": "Albanië", "label": "GPE", "key": "ALB"}
    bgr = {"text": "Bulgarije", "label": "GPE", "key": "BGR"}
    mkd = {"text": "Noord-Macedonië", "label": "GPE", "key": "MKD"}
    srb = {"text": "Servië", "label": "GPE", "key": "SRB"}
    preamble = "Wij, de ministers van Vervoer van Albanië, {} en {}, verklaren het volgende:"
    doc, _found = points_doc(
        tmp_path,
        [sentence("Wij zullen de grenscontroles vereenvoudigen.", "COMMITMENT")],
        preamble=sentence(
            preamble.format("Bulgarije", "Noord-Macedonië"), "OTHER", [alb, bgr, mkd]
        ),
    )
    assert cm.summit_of(doc, ["eu"]).authors == ["ALB", "BGR", "MKD"]
    # three partners of the Western Balkans and nobody else: their group
    doc, _found = points_doc(
        tmp_path,
        [sentence("Wij zullen de grenscontroles vereenvoudigen.", "COMMITMENT")],
        preamble=sentence(preamble.format("Servië", "Noord-Macedonië"), "OTHER", [alb, srb, mkd]),
    )
    assert cm.summit_of(doc, ["eu"]).authors == ["wb_partners"]


def test_the_title_names_the_authors_where_the_preamble_does_not(tmp_path):
    title = {
        "id": "title",
        "kind": "title",
        "number": None,
        "heading": None,
        "domains": [],
        "sentences": [
            sentence(
                "Verklaring van de leiders van de G20 in Recife",
                "OTHER",
                [{"text": "G20", "label": "ORG", "key": "g20"}],
            )
        ],
    }
    points = point_segments(
        [sentence("Wij zullen de procedures van het kader vereenvoudigen.", "COMMITMENT")]
    )
    doc = gold_doc({"doc_id": "g20", "language": "nl", "segments": [title, *points]}, tmp_path)
    cm.CommitmentExtractor(["eu"])(doc)
    assert cm.summit_of(doc, ["eu"]).authors == ["g20"]
    (r,) = doc.spans["sentences"][1]._.commitments
    assert r["actors"] == ["g20"]


def test_an_organisation_named_again_by_its_first_word_is_the_same_actor(tmp_path):
    pif = {"text": "Forum van de Pacifische Eilanden", "label": "ORG", "key": "pif"}
    _doc, found = points_doc(
        tmp_path,
        [
            sentence("Het Forum zal binnen een jaar een veerkrachtfonds oprichten.", "COMMITMENT"),
            sentence(
                "De EU is ingenomen met het fonds, waarin Noorwegen en Japan samen EUR 90 "
                "miljoen zullen storten.",
                "ENDORSEMENT",
                [
                    EU,
                    {"text": "Noorwegen", "label": "GPE", "key": "NOR"},
                    {"text": "Japan", "label": "GPE", "key": "JPN"},
                ],
            ),
        ],
        preamble=sentence(
            "Wij, de secretaris-generaal van het Forum van de Pacifische Eilanden en de "
            "voorzitter van de Europese Commissie, verklaren het volgende:",
            "OTHER",
            [pif, {"text": "Europese Commissie", "label": "ORG", "key": "european_commission"}],
        ),
    )
    (r,) = found["p1.s1"]
    assert r["actors"] == ["pif"] and r["actor_source"] == "mention"
    # "samen" beside named parties is theirs together, not the summit's participants
    assert [r["actors"] for r in found["p2.s1"]] == [["NOR", "JPN"]]


def test_countries_named_without_their_group_do_not_make_the_document_about_it(tmp_path):
    ukr = {"text": "Oekraïne", "label": "GPE", "key": "UKR"}
    mda = {"text": "Moldavië", "label": "GPE", "key": "MDA"}
    doc, _found = points_doc(
        tmp_path,
        [
            sentence("Wij steunen Oekraïne en Moldavië.", "OTHER", [ukr, mda]),
            sentence("Wij zullen de steun aan Oekraïne opvoeren.", "COMMITMENT", [ukr]),
        ],
        preamble=sentence(
            "Wij, de leiders van de G7, verklaren het volgende:",
            "OTHER",
            [{"text": "G7", "label": "ORG", "key": "g7"}],
        ),
    )
    assert cm.summit_of(doc, ["eu"]).default_group is None


def test_seasons_dated_events_and_spans_after_uiterlijk_are_the_deadlines(tmp_path):
    _doc, found = points_doc(
        tmp_path,
        [
            sentence(
                "De EU zal uiterlijk in het voorjaar van 2030 een plan voor de havens indienen.",
                "COMMITMENT",
                [EU, {"text": "2030", "label": DATE}],
            ),
            sentence(
                "De EU zal vóór de volgende bijeenkomst van de ministers in 2031 een verslag "
                "over de visserij indienen.",
                "COMMITMENT",
                [EU, {"text": "2031", "label": DATE}],
            ),
            sentence(
                "De EU zal uiterlijk drie maanden na de ondertekening van deze verklaring een "
                "werkprogramma vaststellen.",
                "COMMITMENT",
                [EU],
            ),
        ],
    )
    (r,) = found["p1.s1"]
    assert r["deadlines"] == ["voorjaar van 2030"] and r["object"] == "een plan voor de havens"
    (r,) = found["p2.s1"]
    assert r["deadlines"] == ["2031"] and r["object"] == "een verslag over de visserij"
    (r,) = found["p3.s1"]
    assert r["deadlines"] == ["uiterlijk drie maanden na de ondertekening van deze verklaring"]
    assert r["object"] == "een werkprogramma"


def test_deelnemen_and_een_besluit_nemen_are_whole_actions(tmp_path):
    _doc, found = points_doc(
        tmp_path,
        [
            sentence(
                "De EU belooft aan het programma voor leraren deel te nemen.",
                "COMMITMENT",
                [EU],
            ),
            sentence(
                "De EU zal een besluit nemen over een bijdrage aan het project.",
                "COMMITMENT",
                [EU],
            ),
        ],
    )
    (r,) = found["p1.s1"]
    assert r["action"] == "deelnemen" and r["object"] == "het programma voor leraren"
    (r,) = found["p2.s1"]
    assert r["action"] == "een besluit nemen"
    assert r["object"] == "een bijdrage aan het project"


def test_clauses_of_waar_and_zolang_are_neither_object_nor_pledge(tmp_path):
    _doc, found = points_doc(
        tmp_path,
        [
            sentence(
                "De EU zal een loket voor ondernemers openen, waar vragen over belastingen "
                "worden beantwoord.",
                "COMMITMENT",
                [EU],
            ),
            sentence(
                "De EU zal een schip ter beschikking stellen voor het toezicht, zolang de "
                "partners geen eigen schip hebben.",
                "COMMITMENT",
                [EU],
            ),
        ],
    )
    assert [(r["action"], r["object"]) for r in found["p1.s1"]] == [
        ("openen", "een loket voor ondernemers")
    ]
    assert [(r["action"], r["object"]) for r in found["p2.s1"]] == [
        ("ter beschikking stellen", "een schip voor het toezicht")
    ]


def test_present_tense_pledges_of_a_party_whatever_label_the_sentence_got(tmp_path):
    nld = {"text": "Nederland", "label": "GPE", "key": "NLD"}
    bel = {"text": "België", "label": "GPE", "key": "BEL"}
    _doc, found = points_doc(
        tmp_path,
        [
            # a party gives something: a pledge without marker or date
            sentence(
                "Nederland stelt zijn gegevens over de getijden beschikbaar aan de partners.",
                "ASSESSMENT",
                [nld],
            ),
            # a party acts by a date, in the present tense
            sentence(
                "België organiseert in 2031 een conferentie over de Schelde.",
                "ASSESSMENT",
                [bel, {"text": "2031", "label": DATE}],
            ),
            # another party's marker, not the speakers'
            sentence(
                "Nederland en België streven ernaar de sluizen van Terneuzen te vernieuwen.",
                "CALL",
                [nld, bel],
            ),
            # an action decided, in the passive
            sentence(
                "Er wordt een gezamenlijk fonds voor de havens opgericht.",
                "ASSESSMENT",
            ),
        ],
    )
    assert [(r["action"], r["actors"]) for r in found["p1.s1"]] == [
        ("beschikbaar stellen", ["NLD"])
    ]
    assert [r["action"] for r in found["p2.s1"]] == ["organiseren"]
    assert found["p2.s1"][0]["deadlines"] == ["2031"]
    assert [(r["action"], sorted(r["actors"])) for r in found["p3.s1"]] == [
        ("vernieuwen", ["BEL", "NLD"])
    ]
    assert [(r["action"], r["object"]) for r in found["p4.s1"]] == [
        ("oprichten", "een gezamenlijk fonds voor de havens")
    ]


def test_present_tense_descriptions_judgements_and_requests_pledge_nothing(tmp_path):
    nld = {"text": "Nederland", "label": "GPE", "key": "NLD"}
    _doc, found = points_doc(
        tmp_path,
        [
            sentence("Nederland beschikt over veel havens aan de Noordzee.", "ASSESSMENT", [nld]),
            sentence(
                "De ministers stellen vast dat de capaciteit in 2028 is gegroeid.",
                "ASSESSMENT",
                [{"text": "2028", "label": DATE}],
            ),
            sentence(
                "De partners worden verzocht het verdrag volledig toe te passen.",
                "ASSESSMENT",
            ),
            sentence(
                "De geplande windparken zullen niet vóór 2033 stroom leveren.",
                "ASSESSMENT",
                [{"text": "2033", "label": DATE}],
            ),
        ],
    )
    assert all(not found[f"p{n}.s1"] for n in range(1, 5))


def test_a_pledge_another_party_announced_or_offered_is_reported(tmp_path):
    prt = {"text": "Portugal", "label": "GPE", "key": "PRT"}
    _doc, found = points_doc(
        tmp_path,
        [
            sentence(
                "Het verheugt ons dat Portugal heeft aangeboden de volgende top in 2032 te "
                "organiseren.",
                "ENDORSEMENT",
                [prt, {"text": "2032", "label": DATE}],
            ),
            # an announcement referred to, not a pledge
            sentence(
                "Wij stellen vast dat de aangekondigde hervormingen zijn uitgevoerd.",
                "ASSESSMENT",
            ),
        ],
    )
    (r,) = found["p1.s1"]
    assert (r["actors"], r["action"], r["reported"]) == (["PRT"], "organiseren", True)
    assert r["object"] == "de volgende top" and r["deadlines"] == ["2032"]
    assert found["p2.s1"] == []


def test_a_period_or_bound_before_a_date_is_the_dates_not_the_objects(tmp_path):
    _doc, found = points_doc(
        tmp_path,
        [
            sentence(
                "De EU zal in de periode 2029-2031 EUR 50 miljoen voor het fonds uittrekken.",
                "COMMITMENT",
                [EU, {"text": "2029-2031", "label": DATE}],
            ),
            sentence(
                "De EU zal de heffing op kolen ten minste tot 2031 handhaven.",
                "COMMITMENT",
                [EU, {"text": "2031", "label": DATE}],
            ),
        ],
    )
    assert [r["object"] for r in found["p1.s1"]] == ["EUR 50 miljoen voor het fonds"]
    assert [r["object"] for r in found["p2.s1"]] == ["de heffing op kolen"]


def test_a_deadline_before_the_object_bounds_both_coordinated_actions(tmp_path):
    _doc, found = points_doc(
        tmp_path,
        [
            sentence(
                "De EU zal tegen 2030 de havens moderniseren en de wegen naar de grens verbeteren.",
                "COMMITMENT",
                [EU, {"text": "2030", "label": DATE}],
            ),
            # next to its verb, the phrase is inside the first conjunct
            sentence(
                "De EU zal de havens uiterlijk in 2030 moderniseren en een studie naar de "
                "wegen indienen.",
                "COMMITMENT",
                [EU, {"text": "2030", "label": DATE}],
            ),
            # before the "en" of a second clause, the phrase closes the first one
            sentence(
                "De EU verdubbelt tegen 2031 de beurzen voor studenten en vereenvoudigt de "
                "visumprocedures.",
                "COMMITMENT",
                [EU, {"text": "2031", "label": DATE}],
            ),
        ],
    )
    assert [r["deadlines"] for r in found["p1.s1"]] == [["2030"], ["2030"]]
    assert [r["deadlines"] for r in found["p2.s1"]] == [["2030"], []]
    assert [r["deadlines"] for r in found["p3.s1"]][-1] == []


def test_meetings_halves_and_durations_as_deadlines(tmp_path):
    _doc, found = points_doc(
        tmp_path,
        [
            sentence(
                "De EU zal op haar bijeenkomst van oktober 2029 de vorderingen bespreken.",
                "COMMITMENT",
                [EU, {"text": "oktober 2029", "label": DATE}],
            ),
            sentence(
                "De EU zal tegen de top van 2031 een plan voor de havens indienen.",
                "COMMITMENT",
                [EU, {"text": "2031", "label": DATE}],
            ),
            sentence(
                "De EU zal tegen de volgende ministeriële bijeenkomst een centrum voor "
                "maritieme informatie oprichten.",
                "COMMITMENT",
                [EU],
            ),
            sentence(
                "De EU zal in de eerste helft van 2030 de onderhandelingen hervatten.",
                "COMMITMENT",
                [EU, {"text": "2030", "label": DATE}],
            ),
            # "tot" says how long the action lasts, not when it falls due
            sentence(
                "De EU zal de steun voor de landbouw tot 2031 verlengen.",
                "COMMITMENT",
                [EU, {"text": "2031", "label": DATE}],
            ),
            # a date inside the indirect question bounds what is asked, not the inquiry
            sentence(
                "De EU zal verkennen of de netten vóór 2030 kunnen worden gekoppeld.",
                "COMMITMENT",
                [EU, {"text": "2030", "label": DATE}],
            ),
            # the object's noun after the meeting is no part of the deadline
            sentence(
                "De EU zal vóór de volgende bijeenkomst proefleveringen van ammoniak verzorgen.",
                "COMMITMENT",
                [EU],
            ),
        ],
    )
    deadlines = {k: [r["deadlines"] for r in v] for k, v in found.items()}
    assert deadlines["p1.s1"] == [["oktober 2029"]]
    assert deadlines["p2.s1"] == [["top van 2031"]]
    assert deadlines["p3.s1"] == [["tegen de volgende ministeriële bijeenkomst"]]
    assert deadlines["p4.s1"] == [["eerste helft van 2030"]]
    assert deadlines["p5.s1"] == [[]]
    assert deadlines["p6.s1"] == [[]]
    assert deadlines["p7.s1"] == [["vóór de volgende bijeenkomst"]]
