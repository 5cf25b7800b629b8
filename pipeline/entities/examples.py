"""Gold sentences as spaCy training examples, and where to find the gold documents.

Every gold entity must start and end on a token boundary of the project's tokenizer
(``pipeline/tokenizer.py``); a span that does not is reported, never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

from ..gold import GoldDocument, GoldSentence, annotated_paths, load_gold

REPO_DIR = Path(__file__).resolve().parents[2]
SEED_DOC_ID = "sofia-2018-nl"


@dataclass
class Misaligned:
    doc_id: str
    sentence: str
    text: str
    start: int
    end: int
    tokens: list[str]


def primary_label(label: str) -> str:
    """The first of "A|B": the label a model is trained to predict for an either-or mention."""
    return label.split("|")[0]


def sentence_doc(
    nlp: Language, sentence: GoldSentence, doc_id: str = ""
) -> tuple[Doc, list[Misaligned]]:
    """The sentence tokenised by ``nlp`` with its gold entities as ``doc.ents``."""
    doc = nlp.make_doc(sentence.text)
    spans, misaligned = [], []
    for ent in sentence.entities:
        span = doc.char_span(
            ent.start, ent.end, label=primary_label(ent.label), alignment_mode="strict"
        )
        if span is None:
            near = [t.text for t in doc if t.idx < ent.end and t.idx + len(t) > ent.start]
            misaligned.append(Misaligned(doc_id, sentence.text, ent.text, ent.start, ent.end, near))
        else:
            spans.append(span)
    doc.ents = spans
    return doc, misaligned


def gold_examples(
    nlp: Language, documents: list[GoldDocument]
) -> tuple[list[Example], list[Misaligned]]:
    """One training example per gold sentence (sentences without entities included: they teach
    the model what is no name), plus every span that did not align to tokens."""
    examples, misaligned = [], []
    for document in documents:
        for _segment, _i, sentence in document.sentences():
            reference, bad = sentence_doc(nlp, sentence, document.doc_id)
            examples.append(Example(nlp.make_doc(sentence.text), reference))
            misaligned.extend(bad)
    return examples, misaligned


def load_gold_documents() -> dict[str, list[GoldDocument]]:
    """{"train": [...], "heldout": [...]}: the seed gold (always train, corpus/gold/) and the team's documents, split by their "split" field."""
    return {
        split: [load_gold(path) for path in annotated_paths(split)]
        for split in ("train", "heldout")
    }
