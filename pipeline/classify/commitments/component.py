"""The spaCy component ``commitments``: every sentence's records in ``span._.commitments``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from ... import doc as _doc  # noqa: F401  (registers the extension attributes)
from ..speech import sentence_contexts
from .actors import FIRST_PERSON, actors_in, subject_actors
from .clauses import clause_regions
from .extraction import SentenceInfo, date_entities, extract_commitments, find_marker
from .parties import Summit, summit_of
from .record import Commitment

if not Doc.has_extension("declared_by"):
    # a document-level setting: the actor keys of the declaration's authors where its preamble
    # does not name them (a G7 communiqué is not the EU's); None: the component's default
    Doc.set_extension("declared_by", default=None)


class CommitmentExtractor:
    """Sets ``span._.commitments`` on every sentence of ``doc.spans["sentences"]``.

    ``default_authors``: who declares where the preamble names nobody and the document sets no
    ``doc._.declared_by`` (config ``[components.commitments] default_authors``)."""

    def __init__(self, default_authors: Sequence[str]):
        self.default_authors = tuple(default_authors)

    def __call__(self, doc: Doc) -> Doc:
        sentences = list(doc.spans["sentences"]) if "sentences" in doc.spans else []
        if not sentences:
            return doc
        summit = summit_of(doc, doc._.declared_by or self.default_authors)
        contexts = sentence_contexts(doc)
        previous: list[str] = []
        lead_in: dict[str, list[str] | None] = {}
        calls: set[str] = set()  # lead-ins that ask another party to act
        doc_dates = date_entities(doc)
        found: list[Commitment] = []
        for sent, ctx in zip(sentences, contexts):
            tokens = [t for t in sent if not t.is_space]
            info = SentenceInfo(
                sent._.speech_act,
                ctx.kind,
                sent._.segment_id or "",
                ctx.in_annex,
                sent._.sentence_id or "",
                sent._.speech_act_score,
            )
            parent = info.segment_id.rsplit(".b", 1)[0] if ".b" in info.segment_id else None
            records: list[Commitment]
            if parent in calls:  # "De Raad roept de partners op om: a) ... b) ...": asked,
                records = []  # not pledged
            elif sent._.reports_progress:  # "De visumplicht is opgeheven": a pledge kept, not
                records = []  # made (the progress component, pipeline/classify/progress.py)
            else:
                records = extract_commitments(
                    sent,
                    info,
                    summit,
                    previous,
                    lead_in.get(parent) if parent else None,
                    tokens,
                    doc_dates,
                )
            sent._.commitments = [r.as_record() for r in records]
            found.extend(records)
            named = actors_in(tokens, summit)
            if named:
                previous = named
            if ctx.lead_in and ctx.index == ctx.n_in_segment - 1:
                lead_in[info.segment_id] = _lead_in_actors(tokens, summit)
                # a lead-in with the speakers' own pledge marker ("nemen de bondgenoten de
                # volgende verplichtingen op zich:") pledges its items whatever the label
                if info.act == "CALL" and ctx.kind != "heading" and find_marker(tokens) is None:
                    calls.add(info.segment_id)
        set_span_groups(doc, found)
        return doc


SPAN_GROUPS = ("commitment_actions", "commitment_objects", "commitment_actors")


def set_span_groups(doc: Doc, records: list[Commitment]) -> None:
    """The records' parts as Doc spans, each with its record's id (``span.id_``):
    ``doc.spans["commitment_actions"]`` (label ACTION), ``["commitment_objects"]`` (OBJECT:
    first to last word of the object) and ``["commitment_actors"]`` (ACTOR, ``kb_id_`` the
    actor key; mentions only)."""
    actions, objects, actors = [], [], []
    for r in records:
        actions.append(Span(doc, min(r.action_tokens), max(r.action_tokens) + 1, "ACTION"))
        actions[-1].id_ = r.commitment_id
        if r.object_tokens:
            objects.append(Span(doc, min(r.object_tokens), max(r.object_tokens) + 1, "OBJECT"))
            objects[-1].id_ = r.commitment_id
        for start, end, key in r.actor_tokens:
            actors.append(Span(doc, start, end, "ACTOR", kb_id=key))
            actors[-1].id_ = r.commitment_id
    for name, spans in zip(SPAN_GROUPS, (actions, objects, actors)):
        doc.spans[name] = spans


def _lead_in_actors(tokens, summit: Summit) -> list[str] | None:
    """The actors a lead-in to a list pledges for ("verbinden de EU en haar partners zich
    ertoe:"); None when it names none (a heading, "De Raad stemt in met de volgende acties:"),
    so that its items commit the summit's participants like any action item."""
    if not tokens:
        return None
    regions = clause_regions(tokens)
    marker = find_marker(tokens)
    if marker is None:
        # "Daartoe lanceren wij het initiatief ..., waarmee wij:": the speakers of the lead-in's
        # last clause pledge its items
        last = max((j for j, t in enumerate(tokens) if t.text == ","), default=-1) + 1
        if any(t.lower_ in FIRST_PERSON for t in tokens[last:]):
            return list(summit.participants) or None
        return None
    return subject_actors(tokens, marker[0], regions, summit) or None


@Language.factory(
    "commitments",
    default_config={"default_authors": ["eu"]},
    assigns=["span._.commitments", "doc.spans"],
    requires=[
        "token.pos",
        "token.lemma",
        "doc.ents",
        "span._.speech_act",
        "span._.reports_progress",
    ],
)
def make_commitment_extractor(nlp: Language, name: str, default_authors: list[str]):
    return CommitmentExtractor(default_authors)


def add_commitment_component(nlp: Language, models_dir: Path) -> None:
    """The extractor is rules over data files: models_dir is not needed (kept for the common
    signature of the stage adders)."""
    nlp.add_pipe("commitments")
