"""The label scheme, defined once: every closed set of values the annotations and tables use.

``docs/annotation.md`` (the annotation guide) is the authority; ``tests/test_scheme.py`` checks
this module against its tables, so the guide, the models and the tables cannot drift apart.
Every other module imports its labels from here. Each label carries its definition and an
example, for the codebook written with every run.

The policy domains come from the data file ``data/domains/cap_mapping.json`` (their keys, what
each covers, their Comparative Agendas Project major topics); this module only reads it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

CAP_MAPPING_PATH = Path(__file__).resolve().parent / "data" / "domains" / "cap_mapping.json"


class Label(NamedTuple):
    """One value of a closed set: its name, what it means, and an example of it."""

    name: str
    definition: str
    example: str = ""


def names(labels: tuple[Label, ...]) -> tuple[str, ...]:
    return tuple(label.name for label in labels)


# --- units (annotation guide, section 1; docs/decisions.md adds `paragraph`) ----------------

SEGMENT_KIND_LABELS = (
    Label("title", "the declaration's title", "Verklaring van Sofia, 17 mei 2018"),
    Label(
        "preamble",
        'the opening "Wij, de leiders ..." sentence',
        "Wij, de leiders van de Europese Unie (EU) en van haar lidstaten, ... hebben vandaag het "
        "volgende besloten:",
    ),
    Label("point", "a numbered paragraph, with its number", "1. De EU is ingenomen met ..."),
    Label(
        "annex_title",
        "the title of the annex",
        "Bijlage bij de verklaring / Prioriteitenagenda van Sofia",
    ),
    Label(
        "heading", "an annex section heading", "Versterkte steun aan de rechtsstaat en goed bestuur"
    ),
    Label(
        "bullet",
        "one annex action item, belonging to the heading above it",
        "Proceswaarneming op het gebied van ernstige corruptie en georganiseerde misdaad invoeren",
    ),
    Label(
        "footnote",
        "text that a `*` or a number refers to",
        "* Deze benaming laat de standpunten over de status van Kosovo onverlet ...",
    ),
    Label(
        "closing",
        "unnumbered text after the last point or bullet, e.g. a final sentence of the annex",
        "",
    ),
    Label(
        "paragraph",
        "a paragraph of a document with no recognisable structure (no numbered points, no "
        "lists); the one kind added to the guide's list (docs/decisions.md)",
        "",
    ),
)
SEGMENT_KINDS = names(SEGMENT_KIND_LABELS)
# the segment kinds that carry policy domains (guide, section 4); domain profiles share over them
DOMAIN_KINDS = ("point", "heading", "bullet")

# --- named entities (section 2) -------------------------------------------------------------

ENTITY_LABEL_DEFINITIONS = (
    Label("PERSON", "named people", "Donald Tusk"),
    Label(
        "ORG",
        "organisations, institutions, agencies, courts, missions, banks, named bodies",
        "Europese Unie, EU, Europese Commissie, Commissie (meaning the European Commission), "
        "Wereldhandelsorganisatie, VN-Veiligheidsraad, EULEX, Energiegemeenschap",
    ),
    Label(
        "GPE",
        "countries, states, cities, territories with a government",
        "Kroatië, Bosnië en Herzegovina, Kosovo, Belgrado",
    ),
    Label(
        "LOC",
        "regions and areas that are not one state",
        "Westelijke Balkan, Europa, Centraal- en Zuidoost-Europa",
    ),
    Label(
        "EVENT",
        "named meetings and events",
        "top van Thessaloniki, top EU-Westelijke Balkan, TEN-V-dagen",
    ),
    Label(
        "LAW",
        "named treaties, agreements, conventions, resolutions, acts, declarations",
        "Overeenkomst van Parijs, Energiegemeenschapsverdrag, Resolutie 1244 (1999)",
    ),
    Label(
        "PROGRAMME",
        "named programmes, funds, facilities, initiatives, agendas, strategies, policies, projects",
        "Erasmus+, Creatief Europa, investeringskader voor de Westelijke Balkan, "
        "gemeenschappelijk buitenlands en veiligheidsbeleid, GBVB, prioriteitenagenda van Sofia",
    ),
    Label("DATE", 'absolute dates and years (not "vandaag")', "17 mei 2018, 2003, juli 2017"),
    Label("MONEY", "amounts of money", "EUR 3,3 miljard"),
)
ENTITY_LABELS = names(ENTITY_LABEL_DEFINITIONS)
# the labels whose mentions carry a canonical actor key (section 2, "Canonical actors")
ACTOR_LABELS = ("ORG", "GPE", "LOC")

# which component found an entity (``entities.source``)
ENTITY_SOURCE_LABELS = (
    Label("gazetteer", "a name of the project's gazetteer (pipeline/data/gazetteer)", "EU"),
    Label("pattern", "a date, amount, legal reference or naming-convention pattern", "2018"),
    Label("acronym", "an acronym in brackets after its expansion, or its later uses", "GBVB"),
    Label("ner", "the statistical named-entity recogniser", "Jongerenlab"),
    Label(
        "short_form",
        "a body's head noun after its full name, linked to it (pipeline/entities/short_forms.py)",
        "het Agentschap",
    ),
)
ENTITY_SOURCES = names(ENTITY_SOURCE_LABELS)

# --- speech acts (section 3): one primary label per sentence --------------------------------

SPEECH_ACT_LABELS = (
    Label(
        "COMMITMENT",
        "pledges, decides or sets out future action by the declaring parties or a named party; "
        "every annex action item",
        "zal/zullen + action, beloven, toezeggen, vastbesloten, komt overeen, zich inzetten, "
        'heeft een begin gemaakt met; "De steun ... versterken"',
    ),
    Label(
        "ENDORSEMENT",
        "welcomes, supports or takes note of another party's commitment, position or action",
        "is ingenomen met, juicht toe, verwelkomt, steunt de toezegging, het verheugt de EU dat",
    ),
    Label(
        "REAFFIRMATION",
        "restates an existing position or recalls an earlier event or commitment",
        "bevestigt, herhaalt, indachtig, herinnert aan, wijst erop",
    ),
    Label(
        "CALL",
        "urges, asks or encourages another party to act",
        "roept op, dringt aan, moedigt aan, verzoekt, X moet / dient te (X not the speaker)",
    ),
    Label(
        "ASSESSMENT",
        "states a fact, principle, condition or evaluation without pledging action",
        "hangt af van, speelt een cruciale rol, is van essentieel belang, worden geconfronteerd "
        "met",
    ),
    Label(
        "OTHER",
        "titles, headings, procedural frames, footnotes",
        '"hebben vandaag het volgende besloten:"',
    ),
)
SPEECH_ACTS = names(SPEECH_ACT_LABELS)

# --- commitment records (section 3, "Commitment records") -----------------------------------

# from the weakest to the strongest
STRENGTH_LABELS = (
    Label(
        "weak",
        "the action is considered or encouraged",
        "overwegen, mogelijkheden verkennen, aanmoedigen",
    ),
    Label(
        "moderate",
        "an effort towards the action or support for it",
        "streven naar, werken aan, intensiveren, opvoeren, versterken as an annex item",
    ),
    Label("strong", "a firm pledge", "zullen, beloven, toezeggen, vastbesloten, verbinden zich"),
)
STRENGTHS = names(STRENGTH_LABELS)

# how a record's committing actors were found (``commitments.actor_source``)
ACTOR_SOURCE_LABELS = (
    Label(
        "mention",
        'named in the sentence (or its lead-in, or "zij"/"hij" for one just named)',
        "De EU zal ...",
    ),
    Label(
        "group",
        '"wij", "onze", "samen", "de partners", or nobody named: the declaring parties',
        "Wij zullen ...",
    ),
    Label(
        "annex",
        "an annex action item: the summit's participants, EU and Western Balkans partners together",
        "De steun ... versterken (a bullet)",
    ),
    Label(
        "passive",
        'an agentless passive: the authors, or all participants ("samen", "ons")',
        "zal worden ontwikkeld",
    ),
)
ACTOR_SOURCES = names(ACTOR_SOURCE_LABELS)

# --- comparing declarations -----------------------------------------------------------------

RELATION_LABELS = (
    Label("identical", "the same words in the same order", "p1 of both declarations"),
    Label(
        "revised",
        "the closest counterpart, with changed words (similarity above the calibrated threshold)",
        "a point with a new deadline",
    ),
    Label("new", "no counterpart in the older document", "a point the newer declaration added"),
    Label("dropped", "a segment of the older document with no counterpart in the newer", ""),
)
RELATIONS = names(RELATION_LABELS)

SIMILARITY_METHOD_LABELS = (
    Label("tfidf_cosine", "cosine of the documents' TF-IDF vectors of lemmas"),
    Label(
        "shingle_jaccard",
        "Jaccard similarity of the documents' word 5-grams, never across a segment boundary",
    ),
    Label("shingle_containment", "share of the newer document's 5-grams found in the older"),
    Label("shingle_containment_b", "share of the older document's 5-grams kept in the newer"),
)
SIMILARITY_METHODS = names(SIMILARITY_METHOD_LABELS)

# what ``profile_changes`` compares, and what the newer document does with each item
PROFILE_FACET_LABELS = (
    Label("domain", "a policy domain: in_a/in_b count the segments with it", "energy"),
    Label("actor", "a canonical actor key: in_a/in_b count its mentions", "wb_partners"),
    Label("commitment", "a commitment record: in_a/in_b are 1 or 0", ""),
)
PROFILE_FACETS = names(PROFILE_FACET_LABELS)
PROFILE_CHANGE_LABELS = (
    Label("added", "in the newer document only"),
    Label("kept", "in both"),
    Label("dropped", "in the older document only"),
)
PROFILE_CHANGES = names(PROFILE_CHANGE_LABELS)

# --- commitment tracking (section 6) --------------------------------------------------------

TRACKING_STATUS_LABELS = (
    Label("repeated", "the same pledge again, wording may differ"),
    Label(
        "revised",
        "the same pledge with a changed deadline, scope, strength, condition or actors "
        "(which: in `changes`)",
    ),
    Label("reported_done", "the newer text reports it fulfilled"),
    Label("dropped", "no counterpart"),
)
TRACKING_STATUSES = names(TRACKING_STATUS_LABELS)

CHANGE_KIND_LABELS = (
    Label("deadline", "the deadline changed"),
    Label("scope", "the object of the pledge changed"),
    Label("strength", "the strength changed"),
    Label("conditional", "the pledge became conditional or unconditional"),
    Label("actors", "the committing actors changed"),
)
CHANGE_KINDS = names(CHANGE_KIND_LABELS)

# how a domain lexicon term matches a token (pipeline/data/domains/README.md): its whole form,
# a prefix of it, a part of a compound, or consecutive tokens
MATCH_MODES = ("word", "prefix", "part", "phrase")

# --- policy domains (section 4) and their CAP major topics, from the data file --------------


def read_cap_mapping(path: Path = CAP_MAPPING_PATH) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        topics = {int(code): name for code, name in data["cap_major_topics"].items()}
        domains = data["domains"]
        for key, entry in domains.items():
            if not entry["cap"] or set(entry["cap"]) - set(topics):
                raise ValueError(f"domain {key!r} needs CAP codes of the codebook")
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ValueError(f"{path}: not a CAP mapping file: {err}") from err
    return {"topics": topics, "domains": domains, "source": data.get("codebook", "")}


_CAP = read_cap_mapping()
DOMAIN_LABELS = tuple(Label(key, entry["covers"]) for key, entry in _CAP["domains"].items())
DOMAINS = names(DOMAIN_LABELS)
# CAP major-topic code -> its name in the CAP master codebook
CAP_TOPICS: dict[int, str] = dict(sorted(_CAP["topics"].items()))
CAP_SOURCE: str = _CAP["source"]
# domain key -> its sorted CAP major-topic codes
DOMAIN_CAP: dict[str, tuple[int, ...]] = {
    key: tuple(sorted({int(c) for c in entry["cap"]})) for key, entry in _CAP["domains"].items()
}
