"""Entity mentions and canonical actors.

``add_entity_components(nlp, models_dir)`` adds, in this order:

1. ``entity_ruler``: spaCy's ``span_ruler`` fed with the gazetteer's names (phrase patterns,
   exact case) and token patterns for dates, money, legal references and naming conventions;
   its matches go to ``doc.spans["entity_ruler"]``, not yet to ``doc.ents``;
2. ``ner``: the statistical recogniser trained by ``pipeline/train/ner.py``, sourced from
   ``models_dir/ner`` (skipped with a warning when that model is missing);
3. ``entity_resolver``: merges both into ``doc.ents`` (a known name is never relabelled or cut
   by the model; a model name that contains known names wins, see ``resolver.py``);
4. ``acronyms``: "Raad voor Regionale Samenwerking (RSR)" -> "RSR" is an entity like its
   expansion, everywhere in the document;
5. ``actor_linker``: ``ent.kb_id_`` = canonical key for ORG/GPE/LOC, ``ent._.source`` for all.

Nothing here touches the network; building the components takes well under a second.
"""

from __future__ import annotations

import logging
from pathlib import Path

from spacy.language import Language
from spacy.util import load_config

from .. import doc as _doc_extensions  # noqa: F401  (registers Span._.source)
from . import acronyms, linker, resolver  # noqa: F401  (register the component factories)
from .gazetteer import load_entries, phrase_patterns
from .patterns import token_patterns
from .resolver import RULER_SPANS_KEY

log = logging.getLogger(__name__)

NER_MODEL_NAME = "ner"


def ruler_patterns() -> list[dict]:
    """All patterns of the entity ruler: gazetteer names first, then token patterns."""
    return phrase_patterns(load_entries()) + token_patterns()


def add_entity_ruler(nlp: Language, name: str = "entity_ruler") -> Language:
    ruler = nlp.add_pipe(
        "span_ruler",
        name=name,
        config={
            "spans_key": RULER_SPANS_KEY,
            "annotate_ents": False,
            "phrase_matcher_attr": "ORTH",
            "overwrite": True,
        },
    )
    # spaCy tokenises phrase patterns with every component before the ruler enabled (a parser,
    # in the full pipeline): only the tokenizer is needed, so switch them all off meanwhile
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(ruler_patterns())
    return ruler


def add_trained_ner(nlp: Language, model_path: Path, name: str = "ner") -> None:
    """The trained recogniser, built from its saved config and weights in place.

    ``spacy.load`` + ``add_pipe(source=...)`` would build a second Dutch pipeline (seconds);
    the component alone needs its config section and its ``ner/`` folder."""
    config = load_config(model_path / "config.cfg")["components"][name]
    config = {key: value for key, value in config.items() if key != "factory"}
    component = nlp.add_pipe("ner", name=name, config=config)
    component.from_disk(model_path / name, exclude=["vocab"])


def add_entity_components(nlp: Language, models_dir: Path) -> None:
    """Add the entity components to ``nlp`` (whose tokenizer ``customize_tokenizer`` has set)."""
    add_entity_ruler(nlp)
    model_path = Path(models_dir) / NER_MODEL_NAME
    if (model_path / "config.cfg").exists():
        add_trained_ner(nlp, model_path)
    else:
        log.warning(
            "no trained entity recogniser at %s: using the gazetteer and patterns only "
            "(run `make train` to build it)",
            model_path,
        )
    nlp.add_pipe("entity_resolver")
    nlp.add_pipe("acronyms")
    nlp.add_pipe("actor_linker")
