"""Entity mentions and canonical actors: tokenizer, gazetteer, patterns, acronyms, linker, scores.

The pipeline under test is the entity stage of ``pipeline/nlp/config.cfg``, built by
``build_nlp`` without the other stages. Tests that need the trained model skip when
``models/ner`` has not been built (``make train``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from pipeline.entities.examples import gold_examples
from pipeline.entities.gazetteer import alias_index, load_entries
from pipeline.entities.keys import normalise_name, slug_key
from pipeline.entities.scoring import format_entity_scores, score_entities
from pipeline.gold import GoldEntity, GoldSentence, annotated_paths, load_gold, sentence_reference
from pipeline.nlp import STAGES, blank_nlp, build_nlp

REPO = Path(__file__).resolve().parents[1]
MODELS = REPO / "models"
HAS_MODEL = (MODELS / "ner" / "config.cfg").exists()
GOLD_FILES = annotated_paths("train") + annotated_paths("heldout")
SEED = next((p for p in GOLD_FILES if p.name == "sofia-2018-nl.gold.json"), None)
needs_model = pytest.mark.skipif(not HAS_MODEL, reason="models/ner not built (make train)")
needs_seed = pytest.mark.skipif(SEED is None, reason="seed gold not found beside the repo")


# every stage but the entities: a stage added to the pipeline stays out of these tests
ENTITIES_ONLY = tuple(stage for stage in STAGES if stage != "entities")


@pytest.fixture(scope="module")
def tokenizer_nlp():
    return blank_nlp()


@pytest.fixture(scope="module")
def rules_nlp(tmp_path_factory):
    """Gazetteer and patterns only: what the pipeline does without a trained model."""
    return build_nlp(tmp_path_factory.mktemp("no-models"), exclude=ENTITIES_ONLY)


@pytest.fixture(scope="module")
def full_nlp():
    if not HAS_MODEL:
        pytest.skip("models/ner not built (make train)")
    return build_nlp(MODELS, exclude=ENTITIES_ONLY)


def ents(doc):
    return [(e.text, e.label_) for e in doc.ents]


# --- tokenizer -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("EU-subsidies", ["EU", "-", "subsidies"]),
        ("EU-JBZ-taskforce", ["EU", "-", "JBZ", "-", "taskforce"]),
        ("top EU-Westelijke Balkan", ["top", "EU", "-", "Westelijke", "Balkan"]),
        ("(Nis-Pristina)", ["(", "Nis", "-", "Pristina", ")"]),
        ("Frontex-directeur", ["Frontex", "-", "directeur"]),
        ("Bulgarije/Servië", ["Bulgarije", "/", "Servië"]),
        ("2024-2027", ["2024", "-", "2027"]),
        ("Erasmus+", ["Erasmus+"]),
        ("TEN-V-dagen", ["TEN-V-dagen"]),
        ("Noord-Macedonië", ["Noord-Macedonië"]),
        ("Zuidoost-Europa", ["Zuidoost-Europa"]),
        ("sociaal-economische", ["sociaal-economische"]),
        ("2021/947", ["2021/947"]),
        ("Kosovo*", ["Kosovo", "*"]),
    ],
)
def test_tokenizer_splits_names_out_of_compounds(tokenizer_nlp, text, tokens):
    assert [t.text for t in tokenizer_nlp(text)] == tokens


def test_the_tokenizer_is_a_registered_callable():
    nlp = spacy.blank(
        "nl", config={"nlp": {"tokenizer": {"@tokenizers": "declarations.Tokenizer.v1"}}}
    )
    assert [t.text for t in nlp("EU-subsidies")] == ["EU", "-", "subsidies"]


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_every_gold_entity_aligns_to_tokens(tokenizer_nlp, path):
    _examples, misaligned = gold_examples(tokenizer_nlp, [load_gold(path)])
    assert misaligned == []


def test_misaligned_gold_span_is_reported_not_dropped(tokenizer_nlp):
    sentence = GoldSentence("De EUsteun groeit.", "OTHER", [GoldEntity("EU", "ORG", "eu", 3, 5)])
    doc, misaligned = sentence_reference(tokenizer_nlp, sentence, "x")
    assert list(doc.ents) == []
    assert [(m.text, m.tokens) for m in misaligned] == [("EU", ["EUsteun"])]


# --- gazetteer -----------------------------------------------------------------------------


def test_country_names_come_from_cldr_with_alpha3_keys():
    entries = {e.key: e for e in load_entries()}
    assert "Kroatië" in entries["HRV"].names
    assert "Noord-Macedonië" in entries["MKD"].names
    assert "Bosnië en Herzegovina" in entries["BIH"].names
    assert entries["XKX"].names[0] == "Kosovo" and entries["XKX"].wikidata == "Q1246"
    assert entries["europe"].label == "LOC"


def test_every_gazetteer_name_has_one_key():
    seen: dict[str, str] = {}
    for entry in load_entries():
        assert entry.label in {"ORG", "GPE", "LOC", "EVENT", "LAW", "PROGRAMME", "PERSON"}
        for name in entry.names:
            assert seen.setdefault(name, entry.key) == entry.key, name


def test_names_normalise_for_lookup():
    assert normalise_name("de Europese Unie") == "europese unie"
    assert normalise_name("Kosovo*") == "kosovo"
    assert normalise_name("Niš") == "nis"
    assert slug_key("de Raad voor Regionale Samenwerking") == "raad_voor_regionale_samenwerking"
    assert alias_index()["europese unie"][0] == "eu"


# --- ruler patterns and the components after it -----------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Op 17 mei 2018 in Sofia.", [("17 mei 2018", "DATE"), ("Sofia", "GPE")]),
        (
            "Het plan van juli 2017 en de periode 2024-2027.",
            [("juli 2017", "DATE"), ("2024-2027", "DATE")],
        ),
        (
            "Er is EUR 6 miljard en 2 miljard euro beschikbaar.",
            [("EUR 6 miljard", "MONEY"), ("2 miljard euro", "MONEY")],
        ),
        (
            "Conform Resolutie 1244 (1999) van de VN-Veiligheidsraad.",
            [("Resolutie 1244 (1999)", "LAW"), ("VN-Veiligheidsraad", "ORG")],
        ),
        ("Verordening (EU) 2021/947 is van toepassing.", [("Verordening (EU) 2021/947", "LAW")]),
        ("Met aanzienlijke EU-subsidies.", [("EU", "ORG")]),
        ("De top van Thessaloniki in 2003.", [("top van Thessaloniki", "EVENT"), ("2003", "DATE")]),
        (
            "Het initiatief in Centraal- en Zuidoost-Europa.",
            [("Centraal- en Zuidoost-Europa", "LOC")],
        ),
        (
            "Het investeringskader voor de Westelijke Balkan groeit.",
            [("investeringskader voor de Westelijke Balkan", "PROGRAMME")],
        ),
        # naming conventions: the larger name wins over the place or body inside it
        (
            "De vierde top Afrikaanse Unie-Europese Unie en de top van het Oostelijk Partnerschap.",
            [
                ("vierde top Afrikaanse Unie-Europese Unie", "EVENT"),
                ("top van het Oostelijk Partnerschap", "EVENT"),
            ],
        ),
        (
            "Na de ministeriële bijeenkomst van Tirana en COP29.",
            [("ministeriële bijeenkomst van Tirana", "EVENT"), ("COP29", "EVENT")],
        ),
        (
            "Het Investeringsforum van Skopje over Groene Energie.",
            [("Investeringsforum van Skopje over Groene Energie", "EVENT")],
        ),
        (
            "De Verklaring van Praag, het Protocol van Nagoya en de NIS2-richtlijn.",
            [
                ("Verklaring van Praag", "LAW"),
                ("Protocol van Nagoya", "LAW"),
                ("NIS2-richtlijn", "LAW"),
            ],
        ),
        ("Het actieplan van Podgorica.", [("actieplan van Podgorica", "PROGRAMME")]),
    ],
)
def test_ruler_finds_names_dates_money_and_legal_references(rules_nlp, text, expected):
    assert ents(rules_nlp(text)) == expected


def test_resolver_larger_model_name_wins_but_never_relabels_or_cuts_a_known_name(tokenizer_nlp):
    from spacy.tokens import Span

    from pipeline.entities.resolver import CONTAINER_LABELS, resolve

    doc = tokenizer_nlp("Het groeiplan voor Moldavië en de Frontex-directeur in Servië.")
    ruler = [
        Span(doc, 3, 4, "GPE", span_id="MDA"),
        Span(doc, 6, 7, "ORG", span_id="frontex"),
        Span(doc, 10, 11, "GPE", span_id="SRB"),
    ]
    model = [Span(doc, 1, 4, "PROGRAMME"), Span(doc, 6, 9, "ORG"), Span(doc, 10, 11, "LOC")]
    assert [(s.text, s.label_) for s in resolve(ruler, model, CONTAINER_LABELS)] == [
        ("groeiplan voor Moldavië", "PROGRAMME"),  # the larger name wins
        ("Frontex", "ORG"),  # a compound around a known name does not
        ("Servië", "GPE"),  # the model does not relabel a known name
    ]


def test_resolver_drops_model_spans_that_no_name_has(tokenizer_nlp):
    from spacy.tokens import Span

    from pipeline.entities.resolver import CONTAINER_LABELS, resolve

    doc = tokenizer_nlp(
        "Het groeiplan tijdens de top.\nIndien Kotor en de Westelijke Balkan\nsteunen"
    )
    # tokens: Het groeiplan tijdens de top. \n Indien Kotor en de Westelijke Balkan \n steunen
    model = [
        Span(doc, 1, 3, "PROGRAMME"),  # ends in a function word
        Span(doc, 6, 7, "GPE"),  # "Indien": plain Dutch at a sentence start
        Span(doc, 7, 8, "GPE"),  # "Kotor": a town the model may find
        Span(doc, 10, 14, "PROGRAMME"),  # runs over a line break
    ]
    ruler = [Span(doc, 10, 12, "LOC", span_id="western_balkans")]
    assert [(s.text, s.label_) for s in resolve(ruler, model, CONTAINER_LABELS)] == [
        ("Kotor", "GPE"),
        ("Westelijke Balkan", "LOC"),
    ]


def test_every_entity_has_a_source_and_actors_have_keys(rules_nlp):
    doc = rules_nlp("De Commissie en Servië steunen Erasmus+ sinds 2014.")
    assert [(e.text, e._.source, e.kb_id_) for e in doc.ents] == [
        ("Commissie", "gazetteer", "european_commission"),
        ("Servië", "gazetteer", "SRB"),
        ("Erasmus+", "gazetteer", ""),
        ("2014", "pattern", ""),
    ]


def test_acronym_defined_in_brackets_shares_the_expansion_key(rules_nlp):
    # a body in no gazetteer: the expansion is found by the acronym's letters and labelled
    # by its head noun ("Forum" heads no ruler pattern, which also names meetings); the later
    # bare mention gets the same key
    doc = rules_nlp(
        "De Forum voor Noordelijke Visserij (FNV) vergadert. Later besloot de FNV anders."
    )
    found = [(e.text, e.label_, e.kb_id_, e._.source) for e in doc.ents]
    key = "forum_voor_noordelijke_visserij"
    assert found == [
        ("Forum voor Noordelijke Visserij", "ORG", key, "acronym"),
        ("FNV", "ORG", key, "acronym"),
        ("FNV", "ORG", key, "acronym"),
    ]
    assert doc._.acronyms == {"FNV": [3, 34]}


def test_acronym_takes_the_gazetteer_key_of_its_expansion(rules_nlp):
    doc = rules_nlp("De Europese Unie (EU) en de Commissie. De EU helpt.")
    keys = {e.text: e.kb_id_ for e in doc.ents}
    assert keys == {"Europese Unie": "eu", "EU": "eu", "Commissie": "european_commission"}


def test_bracket_after_a_place_is_no_acronym_of_it(rules_nlp):
    doc = rules_nlp("De missie in Kosovo (UNMIK) werkt.")
    assert doc._.acronyms is None
    assert [(e.text, e.kb_id_) for e in doc.ents] == [("Kosovo", "XKX"), ("UNMIK", "unmik")]


def test_unknown_names_get_stable_slug_keys_across_documents(rules_nlp):
    # the linker keys a name no gazetteer knows by its normalised form, in every document
    from pipeline.entities.linker import own_key

    first = rules_nlp.make_doc("de Raad voor Noordelijke Visserij")
    second = rules_nlp.make_doc("De raad voor noordelijke visserij")
    aliases = alias_index()
    assert own_key(first[1:], aliases) == own_key(second[1:], aliases)


def test_pipeline_runs_without_the_trained_model(rules_nlp, caplog):
    assert "ner" not in rules_nlp.pipe_names
    assert rules_nlp.pipe_names == ["entity_ruler", "entity_resolver", "acronyms", "actor_linker"]


# --- the seed's actors, end to end ---------------------------------------------------------


@needs_seed
def test_seed_actors_share_one_key_per_actor(rules_nlp):
    """Every ORG/GPE/LOC mention of the seed gets the key its gold key maps to, one predicted
    key per gold key and one gold key per predicted key (ANNOTATION.md, canonical actors)."""
    gold = load_gold(SEED)
    pairs = []
    for _segment, _i, sentence in gold.sentences():
        doc = rules_nlp(sentence.text)
        pairs.append((sentence, doc[:]))
    scores = score_entities(pairs)
    assert scores["keys"]["key_purity"] == 1.0
    assert scores["keys"]["key_exclusivity"] == 1.0
    predicted = {(e.text, e.kb_id_) for _s, span in pairs for e in span.ents if e.kb_id_}
    assert {
        ("EU", "eu"),
        ("Europese Unie", "eu"),
        ("Commissie", "european_commission"),
        ("Europese Commissie", "european_commission"),
        ("Kosovo", "XKX"),
        ("Westelijke Balkan", "western_balkans"),
    } <= predicted


@needs_seed
@needs_model
def test_full_pipeline_on_the_seed_scores_at_least_095_per_label(full_nlp):
    from pipeline.train.ner import sentence_pairs

    scores = score_entities(sentence_pairs(full_nlp, [load_gold(SEED)]))
    assert scores["micro"]["f"] >= 0.95, format_entity_scores(scores)
    for label, s in scores["per_label"].items():
        assert s["f"] >= 0.95, (label, format_entity_scores(scores))


@needs_model
def test_trained_model_finds_a_name_in_no_list(full_nlp):
    doc = full_nlp("De EU is ingenomen met de oprichting van het Balkanbureau voor Waterbeheer.")
    assert ("Balkanbureau voor Waterbeheer", "ORG") in ents(doc)


@needs_model
def test_trained_model_loads_from_the_repository():
    # everything from models/ and the package's data: nothing is fetched (speed: make bench)
    nlp = build_nlp(MODELS, exclude=ENTITIES_ONLY)
    assert nlp.pipe_names == ["entity_ruler", "ner", "entity_resolver", "acronyms", "actor_linker"]


# --- scoring -------------------------------------------------------------------------------


def test_scoring_counts_exact_matches_either_label_and_key_consistency(tokenizer_nlp):
    from spacy.tokens import Span

    text = "De EU en de Europese Unie steunen CESEC."
    gold = GoldSentence(
        text,
        "OTHER",
        [
            GoldEntity("EU", "ORG", "eu", 3, 5),
            GoldEntity("Europese Unie", "ORG", "eu", 12, 25),
            GoldEntity("CESEC", "PROGRAMME|ORG", "cesec", 34, 39),
        ],
    )
    doc = tokenizer_nlp(text)
    doc.ents = [
        Span(doc, 1, 2, label="ORG", kb_id="eu"),
        Span(doc, 4, 6, label="ORG", kb_id="europese_unie"),  # right span, other key
        Span(doc, 7, 8, label="ORG", kb_id="cesec"),  # either label counts
    ]
    scores = score_entities([(gold, doc[:])])
    assert scores["micro"]["tp"] == 3 and scores["micro"]["f"] == 1.0
    assert scores["keys"]["key_purity"] == 0.5  # "eu" got two predicted keys, "cesec" one
    assert scores["keys"]["key_exclusivity"] == 1.0
    table = format_entity_scores(scores)
    assert "micro" in table and "purity 0.500" in table


def test_scoring_counts_wrong_label_as_miss_and_spurious(tokenizer_nlp):
    from spacy.tokens import Span

    gold = GoldSentence("In Servië.", "OTHER", [GoldEntity("Servië", "GPE", "SRB", 3, 9)])
    doc = tokenizer_nlp("In Servië.")
    doc.ents = [Span(doc, 1, 2, label="LOC", kb_id="SRB")]
    scores = score_entities([(gold, doc[:])])
    assert scores["per_label"]["GPE"]["fn"] == 1
    assert scores["per_label"]["LOC"]["fp"] == 1
    assert scores["micro"]["f"] == 0.0


def test_official_long_forms_council_configurations_and_regional_fora_have_their_keys(rules_nlp):
    doc = rules_nlp(
        "De minister-president van het Koninkrijk Noorwegen, de Raad Milieu, de Groep van "
        "Twintig, de Raad van de Oostzeestaten en de Vlaamse Regering."
    )
    assert [(e.text, e.kb_id_) for e in doc.ents] == [
        ("Koninkrijk Noorwegen", "NOR"),
        ("Raad Milieu", "council_eu"),
        ("Groep van Twintig", "g20"),
        ("Raad van de Oostzeestaten", "cbss"),
        ("Vlaamse Regering", "flemish_government"),
    ]


def test_a_place_only_the_model_finds_is_keyed_as_a_town():
    # the gazetteer holds every country and sub-state government: a GPE it does not know is a
    # town, keyed like the gazetteer's cities, so that "in Wiesbaden" stays a place
    from spacy.tokens import Span

    from pipeline.entities.linker import own_key

    doc = spacy.blank("nl")("Het commando in Wiesbaden zal dat doen.")
    assert own_key(Span(doc, 3, 4, label="GPE"), alias_index()) == "city:wiesbaden"
    assert own_key(Span(doc, 0, 2, label="ORG"), alias_index()) == "commando"


@pytest.mark.parametrize(
    "text, key",
    [
        ("De Samenwerkingsraad van de Golf zal dat doen.", "gcc"),
        ("De CELAC zal dat doen.", "celac"),
        ("De Noordse Ministerraad zal dat doen.", "nordic_council_of_ministers"),
        ("De ministers van Vlaanderen zullen dat doen.", "flanders"),
        ("De regering van Noordrijn-Westfalen zal dat doen.", "nrw"),
        ("De burgemeester van Gent zal dat doen.", "city:ghent"),
    ],
)
def test_regional_organisations_sub_state_governments_and_towns_are_known(rules_nlp, text, key):
    assert key in [e.kb_id_ for e in rules_nlp(text).ents]


def test_a_body_named_on_an_organisation_noun_is_found_without_the_model(rules_nlp):
    doc = rules_nlp("De Havenautoriteit van Kenia en de Havenautoriteit van Tanzania werken samen.")
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == [
        ("Havenautoriteit van Kenia", "ORG", "havenautoriteit_van_kenia"),
        ("Havenautoriteit van Tanzania", "ORG", "havenautoriteit_van_tanzania"),
    ]


def test_a_one_word_known_name_keeps_its_own_end(rules_nlp):
    # "tot de Wereldhandelsorganisatie van Bosnië": Bosnia's accession, not a body of Bosnia's
    doc = rules_nlp("De toetreding tot de Wereldhandelsorganisatie van Servië gaat door.")
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Wereldhandelsorganisatie", "ORG"),
        ("Servië", "GPE"),
    ]


def test_a_short_form_takes_the_key_of_the_latest_full_name_with_its_head(rules_nlp):
    doc = rules_nlp(
        "Het Noords Agentschap voor Natuurherstel is opgericht. Het Agentschap zal veen "
        "vernatten. De Samenwerkingsraad van de Golf vergadert. De Samenwerkingsraad stelt "
        "beurzen beschikbaar."
    )
    assert [(e.text, e.kb_id_, e._.source) for e in doc.ents] == [
        ("Noords Agentschap voor Natuurherstel", "noords_agentschap_voor_natuurherstel", "pattern"),
        ("Agentschap", "noords_agentschap_voor_natuurherstel", "short_form"),
        ("Samenwerkingsraad van de Golf", "gcc", "gazetteer"),
        ("Samenwerkingsraad", "gcc", "short_form"),
    ]


def test_a_short_form_that_is_a_known_name_keeps_its_key(rules_nlp):
    # "de Raad" is the Council in every Council document, also after "Europese Raad"
    doc = rules_nlp("De Europese Raad besluit. De Raad zal dit uitvoeren. Een Raad voor Jeugd.")
    assert [(e.text, e.kb_id_) for e in doc.ents][:2] == [
        ("Europese Raad", "european_council"),
        ("Raad", "council_eu"),
    ]
