"""Policy domains: the CAP mapping file, the lexicon, the heading rule, scoring, the component."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pipeline.classify.domains import (
    CAP_MAPPING_PATH,
    CLASSIFIED_KINDS,
    DATA_DIR,
    META_FILE,
    MODEL_FILE,
    CompiledLexicon,
    DomainClassifier,
    Segment,
    cap_topic_names,
    cap_topics_for,
    decide,
    domain_keys,
    lemmas,
    lexicon_baseline,
    load_cap_mapping,
    load_lexicon,
    score_domains,
    segment_inputs,
)
from pipeline.nlp import build_nlp

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "models"

# ANNOTATION.md section 4, in its order: the contract every gold file and model follows
GUIDELINE_DOMAINS = [
    "enlargement",
    "rule_of_law",
    "security",
    "migration",
    "economy",
    "youth_education",
    "transport",
    "energy",
    "digital",
    "climate_environment",
    "reconciliation",
    "foreign_policy",
    "culture",
]
# the CAP master codebook's 21 major topics
CAP_MAJOR_TOPICS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23}


# --------------------------------------------------------------------------------------------
# the CAP mapping file


def test_every_guideline_domain_maps_to_cap_major_topics():
    mapping = load_cap_mapping()
    assert list(mapping) == GUIDELINE_DOMAINS
    assert set(cap_topic_names()) == CAP_MAJOR_TOPICS
    for domain, codes in mapping.items():
        assert codes, domain
        assert set(codes) <= CAP_MAJOR_TOPICS, domain
        assert codes == sorted(set(codes)), domain


def test_mapping_file_documents_each_domain():
    data = json.loads(CAP_MAPPING_PATH.read_text(encoding="utf-8"))
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for domain, entry in data["domains"].items():
        assert entry["covers"] and len(entry["rationale"]) > 40, domain
        assert f"| {domain} |" in readme, f"{domain} missing from the README's mapping table"


def test_a_mapping_with_an_unknown_code_is_refused(tmp_path):
    data = json.loads(CAP_MAPPING_PATH.read_text(encoding="utf-8"))
    data["domains"]["culture"]["cap"] = [11]  # not a CAP major topic
    bad = tmp_path / "cap.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="culture"):
        load_cap_mapping(bad)


def test_cap_topics_are_the_sorted_union_of_the_domains_codes():
    mapping = load_cap_mapping()
    assert cap_topics_for(["security", "rule_of_law"], mapping) == [2, 12, 16, 20]
    assert cap_topics_for([], mapping) == []


# --------------------------------------------------------------------------------------------
# words and the lexicon


def test_lemmas_fall_back_to_the_lowercased_word():
    assert lemmas("De Investeringen") == ["de", "investering"]
    assert lemmas("Grensdoorlaatposten") == ["grensdoorlaatposten"]  # not in the table
    assert lemmas("EU-subsidies") == ["eu-subsidie"]  # last part of a compound


def test_every_domain_has_lexicon_terms():
    entries = load_lexicon()
    assert {e.domain for e in entries} == set(GUIDELINE_DOMAINS)


@pytest.fixture(scope="module")
def lexicon():
    return CompiledLexicon(load_lexicon(), domain_keys())


def _domains_found(lexicon, text):
    keys = domain_keys()
    return {keys[d] for d, _ in lexicon.matched_terms(text)}


@pytest.mark.parametrize(
    "text, expected, not_expected",
    [
        # compounds: the term inside a longer word
        ("terrorismebestrijding opvoeren", {"security"}, set()),
        ("anticorruptieautoriteiten", {"rule_of_law"}, set()),
        # short stems that would hide in other words
        ("de strijd tegen mensenhandel", {"security"}, {"economy"}),
        ("handelsfacilitatie", {"economy"}, set()),
        ("de politieke dialoog", set(), {"security"}),
        ("verkeersveiligheid", {"transport"}, {"security"}),
        ("een investeringsvriendelijk ondernemingsklimaat", {"economy"}, set()),
        # phrases and hyphenated words
        ("het programma Creatief Europa", {"culture"}, set()),
        ("sociaal-economische ontwikkeling", {"economy"}, set()),
    ],
)
def test_lexicon_matching(lexicon, text, expected, not_expected):
    found = _domains_found(lexicon, text)
    assert expected <= found
    assert not (not_expected & found)


def test_lexicon_baseline_gives_every_domain_with_a_term():
    assert lexicon_baseline(["Samenwerking inzake migratie en terrorisme.", "Tot slot."]) == [
        ["security", "migration"],
        [],
    ]


def test_a_lexicon_with_an_unknown_domain_is_refused(tmp_path):
    bad = tmp_path / "lexicon.tsv"
    bad.write_text("domain\tterm\tmatch\nsport\tvoetbal\tword\n", encoding="utf-8")
    with pytest.raises(ValueError, match="sport"):
        load_lexicon(bad)


# --------------------------------------------------------------------------------------------
# scoring


def test_score_domains_per_domain_micro_and_macro():
    gold = [["security", "migration"], ["economy"], []]
    pred = [["security"], ["economy", "energy"], ["energy"]]
    scores = score_domains(gold, pred)
    sec, mig, eco, ene = (
        scores["per_domain"][d] for d in ("security", "migration", "economy", "energy")
    )
    assert (sec["precision"], sec["recall"], sec["f1"]) == (1.0, 1.0, 1.0)
    assert (mig["recall"], mig["support"]) == (0.0, 1)
    assert eco["f1"] == 1.0
    assert (ene["precision"], ene["support"], ene["predicted"]) == (0.0, 0, 2)
    # micro: tp 2, fp 2, fn 1
    assert scores["micro"]["precision"] == pytest.approx(0.5)
    assert scores["micro"]["recall"] == pytest.approx(2 / 3)
    # macro over the three domains with gold support: (1 + 0 + 1) / 3
    assert scores["macro_f1"] == pytest.approx(2 / 3)


def test_score_domains_refuses_unequal_lengths():
    with pytest.raises(ValueError):
        score_domains([["security"]], [])


# --------------------------------------------------------------------------------------------
# the heading rule


def _scores(**by_domain) -> np.ndarray:
    keys = domain_keys()
    row = np.zeros(len(keys))
    for d, p in by_domain.items():
        row[keys.index(d)] = p
    return row


def test_a_bullet_takes_only_the_heading_domains_it_is_about():
    segments = [
        Segment("h1", "heading", "Veiligheid en migratie"),
        Segment("h1.b1", "bullet", "Terrorisme bestrijden", "h1"),
        Segment("h1.b2", "bullet", "Grensbeheer verbeteren", "h1"),
    ]
    scores = np.vstack(
        [
            _scores(security=0.9, migration=0.8),
            _scores(security=0.9, migration=0.1),
            _scores(security=0.2, migration=0.45),
        ]
    )
    thresholds = np.full(len(domain_keys()), 0.5)
    plain = decide(scores, segments, domain_keys(), thresholds, 1.0, fallback=False)
    assert plain == [["security", "migration"], ["security"], []]
    # a heading domain needs less evidence in its bullets ...
    relaxed = decide(scores, segments, domain_keys(), thresholds, 0.8, fallback=False)
    assert relaxed[2] == ["migration"]
    # ... and a bullet with none of its own takes the heading domain it scores highest on
    fallback = decide(scores, segments, domain_keys(), thresholds, 1.0, fallback=True)
    assert fallback[2] == ["migration"]


def test_the_heading_rule_never_adds_a_domain_the_heading_lacks():
    segments = [
        Segment("h1", "heading", "Energie"),
        Segment("h1.b1", "bullet", "Iets anders", "h1"),
    ]
    scores = np.vstack([_scores(energy=0.9), _scores(culture=0.3)])
    thresholds = np.full(len(domain_keys()), 0.5)
    assert decide(scores, segments, domain_keys(), thresholds, 0.5, True)[1] == ["energy"]
    assert decide(scores, segments, domain_keys(), thresholds, 0.5, False)[1] == []


# --------------------------------------------------------------------------------------------
# the trained model and the component


@pytest.fixture(scope="module")
def model():
    return DomainClassifier.load(MODELS / "domains" / MODEL_FILE)


def test_model_meta_reports_heldout_scores_next_to_the_baseline():
    meta = json.loads((MODELS / "domains" / META_FILE).read_text(encoding="utf-8"))
    assert meta["heldout_documents"]
    held = meta["heldout"]
    assert set(held["model"]["per_domain"]) == set(GUIDELINE_DOMAINS)
    assert "micro" in held["lexicon_baseline"]
    # never trained on what it is scored on
    trained = {d["doc_id"] for d in meta["training_documents"]}
    assert not trained & set(meta["heldout_documents"])


def test_model_classifies_unseen_segments(model):
    # written for this test, not taken from any training document
    segments = [
        Segment(
            "p1",
            "point",
            "Wij zullen de strijd tegen terrorisme, radicalisering en de "
            "illegale wapenhandel samen opvoeren.",
        ),
        Segment("h1", "heading", "Energie en klimaat"),
        Segment(
            "h1.b1",
            "bullet",
            "De bouw van windparken en de koppeling van de elektriciteitsmarkten versnellen",
            "h1",
        ),
        Segment("fn1", "footnote", "Deze benaming laat de standpunten over de status onverlet."),
    ]
    results = model.classify(segments)
    assert "security" in results[0][0]
    assert "energy" in results[2][0]
    assert results[3] == ([], {})
    for _domains, scores in results[:3]:
        assert set(scores) == set(GUIDELINE_DOMAINS)
        assert all(0.0 <= p <= 1.0 for p in scores.values())


@pytest.mark.slow
def test_saved_model_round_trips(model, tmp_path):
    path = tmp_path / "domains.skops"
    model.save(path)
    again = DomainClassifier.load(path)
    segments = [Segment("p1", "point", "Onderwijs en beroepsopleiding voor jongeren.")]
    assert again.classify(segments) == model.classify(segments)
    assert list(again.thresholds) == list(model.thresholds)


def test_component_sets_domains_scores_and_cap_topics():
    from spacy.tokens import Span

    nlp = build_nlp(MODELS, exclude=("syntax", "entities", "speech_acts", "commitments"))
    doc = nlp.make_doc(
        "Titel van de top. De EU zal de samenwerking inzake migratie en "
        "grensbeheer verdiepen. Energie"
    )
    spans = [Span(doc, 0, 4), Span(doc, 4, len(doc) - 1), Span(doc, len(doc) - 1, len(doc))]
    for span, (sid, kind) in zip(spans, [("title", "title"), ("p1", "point"), ("h1", "heading")]):
        span._.segment_id, span._.kind = sid, kind
    doc.spans["segments"] = spans
    doc = nlp(doc)
    mapping = load_cap_mapping()
    title, point, heading = doc.spans["segments"]
    assert title._.domains == [] and title._.cap_topics == [] and title._.domain_scores == {}
    assert "migration" in point._.domains
    assert point._.domains == sorted(point._.domains)
    assert point._.cap_topics == cap_topics_for(point._.domains, mapping)
    assert 9 in point._.cap_topics  # Immigration
    assert set(heading._.domain_scores) == set(GUIDELINE_DOMAINS)


@pytest.mark.slow
def test_end_to_end_every_classified_segment_gets_domains(seed_gold):
    from pipeline.api import process_text
    from pipeline.gold import render_text

    doc = process_text(render_text(seed_gold), "sofia-2018-nl")
    gold = {s.id: s.domains for s in seed_gold.segments}
    spans = [s for s in doc.spans["segments"] if s._.kind in CLASSIFIED_KINDS]
    assert len(spans) == sum(s.kind in CLASSIFIED_KINDS for s in seed_gold.segments)
    predicted = [s._.domains for s in spans]
    assert all(s._.cap_topics == cap_topics_for(s._.domains, load_cap_mapping()) for s in spans)
    # the seed is training data: this checks the wiring (segment ids, headings), not accuracy
    scores = score_domains([gold[s._.segment_id] for s in spans], predicted)
    assert scores["micro"]["f1"] > 0.8


def test_the_classifier_follows_scikit_learns_contract():
    from sklearn.base import clone
    from sklearn.utils.estimator_checks import (
        check_get_params_invariance,
        check_no_attributes_set_in_init,
        check_parameters_default_constructible,
        check_set_params,
    )

    estimator = DomainClassifier(C=3.0, char_ngrams=False)
    for check in (
        check_no_attributes_set_in_init,
        check_get_params_invariance,
        check_set_params,
        check_parameters_default_constructible,
    ):
        check("DomainClassifier", estimator)
    copy = clone(estimator).set_params(C=30.0)
    assert copy.get_params()["C"] == 30.0 and estimator.get_params()["C"] == 3.0
    assert not hasattr(estimator, "classifier_")  # nothing is loaded or fitted before fit


def test_fit_predict_and_score_on_segments():
    segments = [
        Segment("p1", "point", "De strijd tegen corruptie en georganiseerde misdaad."),
        Segment("p2", "point", "Investeringen in energie en hernieuwbare elektriciteit."),
        Segment("p3", "point", "Samenwerking tegen corruptie en fraude."),
        Segment("p4", "point", "De elektriciteitsnetten en de energiemarkt koppelen."),
    ]
    X = segment_inputs(segments, "doc")
    y = [["rule_of_law"], ["energy"], ["rule_of_law"], ["energy"]]
    model = DomainClassifier(char_ngrams=False).fit(X, y)
    assert model.predict(X) == y
    assert model.score(X, y) == 1.0
    assert model.predict_proba(X).shape == (4, len(GUIDELINE_DOMAINS))
