"""The spaCy Language every document goes through.

A blank Dutch pipeline whose components come from our own data files and models/:

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
import os
from pathlib import Path

import spacy
from spacy.language import Language

from . import doc as _doc  # noqa: F401  (registers the extension attributes)

PACKAGE_DIR = Path(__file__).resolve().parent
# models/ next to the package in a checkout; DECLARATIONS_MODELS overrides it
MODELS_DIR = Path(os.environ.get("DECLARATIONS_MODELS", PACKAGE_DIR.parent / "models"))

def _stage_adders():
    """Each stage's ``add_*`` function, in pipeline order (imported here, not at module level,
    so that ``blank_nlp`` stays light)."""
    from .classify.commitments import add_commitment_component
    from .classify.domains import add_domain_component
    from .classify.speech import add_speech_act_component
    from .entities import add_entity_components
    from .syntax import add_syntax_components

    return {
        "syntax": add_syntax_components,
        "entities": add_entity_components,
        "speech_acts": add_speech_act_component,
        "commitments": add_commitment_component,
        "domains": add_domain_component,
    }


def blank_nlp() -> Language:
    """The tokenizer alone: what segmentation and training data preparation need."""
    from .tokenizer import customize_tokenizer

    nlp = spacy.blank("nl")
    customize_tokenizer(nlp)
    return nlp


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


def model_versions(models_dir: str | Path | None = None) -> dict[str, str]:
    """A fingerprint of what decides a document's results, for the run cache: every model and
    data file the pipeline loads at run time, and the pipeline's own code."""
    import hashlib

    models_dir = Path(models_dir) if models_dir else MODELS_DIR
    sources = {
        "models": sorted(p for p in models_dir.rglob("*") if p.is_file()) if models_dir.exists()
        else [],
        # not the training data (data/annotated), which the pipeline never reads at run time
        "data": sorted(p for p in (PACKAGE_DIR / "data").rglob("*") if p.is_file()
                       and "annotated" not in p.relative_to(PACKAGE_DIR / "data").parts),
        "code": sorted(p for p in PACKAGE_DIR.rglob("*.py") if "bench" not in p.parts),
    }
    digest: dict[str, str] = {}
    for name, paths in sources.items():
        h = hashlib.sha256()
        for path in paths:
            h.update(path.name.encode())
            h.update(path.read_bytes())
        digest[name] = h.hexdigest()[:16]
    return digest
