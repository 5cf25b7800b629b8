"""The spaCy Language every document goes through.

A blank Dutch pipeline whose components come from our own data files and models/:

    metadata       language, date and their warnings                  (pipeline/metadata.py)
    tokenizer      spaCy's Dutch tokenizer, adjusted for declaration names (pipeline/tokenizer.py)
    syntax         tagger, lemmatizer, parser                         (pipeline/syntax.py)
    entities       entity_ruler -> ner -> entity_resolver -> acronyms -> actor_linker
                                                                       (pipeline/entities/)
    speech_acts    sentence speech acts                                (pipeline/classify/speech.py)
    commitments    commitment records                                  (pipeline/classify/commitments.py)
    domains        policy domains per point, heading and bullet        (pipeline/classify/domains.py)

Each stage module exposes one ``add_*`` function that adds its registered components, so the
order reads here, top to bottom, and a stage can be left out with ``exclude``.
"""

from __future__ import annotations

import functools
from pathlib import Path

import spacy
from spacy.language import Language

from . import MODELS_DIR
from . import doc as _doc  # noqa: F401  (registers the extension attributes)


def _stage_adders():
    """Each stage's ``add_*`` function, in pipeline order (imported here, not at module level,
    so that ``blank_nlp`` stays light)."""
    from .classify.commitments import add_commitment_component
    from .classify.domains import add_domain_component
    from .classify.speech import add_speech_act_component
    from .entities import add_entity_components
    from .metadata import add_metadata_component
    from .syntax import add_syntax_components

    return {
        "metadata": add_metadata_component,
        "syntax": add_syntax_components,
        "entities": add_entity_components,
        "speech_acts": add_speech_act_component,
        "commitments": add_commitment_component,
        "domains": add_domain_component,
    }


def blank_nlp() -> Language:
    """The tokenizer alone: what segmentation and training data preparation need."""
    from . import tokenizer  # noqa: F401  (registers declarations.Tokenizer.v1)

    return spacy.blank(
        "nl", config={"nlp": {"tokenizer": {"@tokenizers": "declarations.Tokenizer.v1"}}}
    )


def build_nlp(models_dir: str | Path | None = None, exclude: tuple[str, ...] = ()) -> Language:
    """Assemble the full pipeline from models_dir (default: the repository's models/)."""
    models_dir = Path(models_dir) if models_dir else MODELS_DIR
    nlp = blank_nlp()
    for stage, add in _stage_adders().items():
        if stage not in exclude:
            add(nlp, models_dir)
    return nlp


@functools.lru_cache(maxsize=4)
def load_nlp(models_dir: str | None = None, exclude: tuple[str, ...] = ()) -> Language:
    """build_nlp, once per process (worker processes each build their own)."""
    return build_nlp(models_dir, exclude)
