"""Gold sentences as spaCy training examples, and the gold documents of each split.

Every gold entity must start and end on a token boundary of the project's tokenizer
(``pipeline/tokenizer.py``); a span that does not is reported, never silently dropped
(``pipeline.gold.sentence_example``).
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.training import Example

from ..gold import (
    GoldDocument,
    Misaligned,
    annotated_paths,
    load_gold,
    sentence_example,
)

REPO_DIR = Path(__file__).resolve().parents[2]
SEED_DOC_ID = "sofia-2018-nl"


def gold_examples(
    nlp: Language, documents: list[GoldDocument]
) -> tuple[list[Example], list[Misaligned]]:
    """One training example per gold sentence (sentences without entities included: they teach
    the model what is no name), plus every span that did not align to tokens."""
    examples, misaligned = [], []
    for document in documents:
        for _segment, _i, sentence in document.sentences():
            example, bad = sentence_example(nlp, sentence, document.doc_id)
            examples.append(example)
            misaligned.extend(bad)
    return examples, misaligned


def load_gold_documents() -> dict[str, list[GoldDocument]]:
    """{"train": [...], "heldout": [...]} by ``pipeline.gold.annotated_paths`` (the seed is
    training data; blind files are left out)."""
    return {
        split: [load_gold(path) for path in annotated_paths(split)]
        for split in ("train", "heldout")
    }
