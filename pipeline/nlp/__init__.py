"""The spaCy Language every document goes through, described by ``config.cfg`` beside this file.

    metadata       language, date and their warnings                      (pipeline/metadata.py)
    tokenizer      spaCy's Dutch tokenizer, adjusted for declaration names (pipeline/tokenizer.py)
    syntax         tagger, lemmatizer, parser                             (pipeline/syntax.py)
    entities       entity_ruler -> ner -> entity_resolver -> acronyms -> actor_linker
                                                                            (pipeline/entities/)
    speech_acts    sentence speech acts                             (pipeline/classify/speech.py)
    progress       sentences reporting a pledge fulfilled         (pipeline/classify/progress.py)
    commitments    commitment records                          (pipeline/classify/commitments/)
                   -> speech_act_agreement: a sentence with a pledge is a COMMITMENT
                                                     (pipeline/classify/speech_agreement.py)
    domains        policy domains per point, heading and bullet    (pipeline/classify/domains.py)

The convention every component follows: a factory registered with ``@Language.factory`` that
declares what it ``assigns`` and ``requires`` and takes only settings from its config section;
its data (gazetteer names, models, lexicons) comes through ``initialize`` (the
``[initialize.components.NAME]`` section of config.cfg, registered ``@misc`` functions or file
paths) and is written and read back by its ``to_disk``/``from_disk``. Trained spaCy components
are sourced from models/. So ``nlp.to_disk(DIR)`` and ``spacy.load(DIR)`` round-trip the whole
pipeline, and ``nlp.analyze_pipes()`` checks its order.

A stage is left out with ``exclude`` (stage names, see STAGES); a stage whose model folder is
missing is left out with a warning, so that the pipeline still runs before ``make train``.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import cast

import srsly
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.util import load_config, load_model_from_config, registry
from thinc.api import Config

from .. import MODELS_DIR
from .. import doc as _doc
from .. import entities as _entities  # noqa: F401  (registers the entity factories)
from .. import metadata as _metadata  # noqa: F401  (registers document_metadata)
from .. import syntax as _syntax  # noqa: F401  (registers lookup_lemmas)
from .. import tokenizer as _tokenizer  # noqa: F401  (registers declarations.Tokenizer.v1)
from ..classify import commitments as _commitments  # noqa: F401  (registers commitments)
from ..classify import domains as _domains  # noqa: F401  (registers domains)
from ..classify import progress as _progress  # noqa: F401  (registers progress)
from ..classify import speech as _speech  # noqa: F401  (registers speech_acts)
from ..classify import speech_agreement as _agreement  # noqa: F401  (speech_act_agreement)

log = logging.getLogger(__name__)

CONFIG_PATH = Path(__file__).resolve().with_name("config.cfg")

# the stages ``exclude`` names, and their components in config.cfg
STAGES = {
    "metadata": ("document_metadata",),
    "syntax": (
        "syntax_tok2vec",
        "morphologizer",
        "trainable_lemmatizer",
        "parser_tok2vec",
        "parser",
        "lookup_lemmas",
    ),
    "entities": ("entity_ruler", "ner", "entity_resolver", "acronyms", "actor_linker"),
    "speech_acts": ("speech_acts",),
    "progress": ("progress",),
    "commitments": ("commitments", "speech_act_agreement"),
    "domains": ("domains",),
}


@registry.callbacks("declarations.extensions.v1")
def create_extensions():
    """``[nlp] after_creation``: every Language built from the config, including one loaded
    with ``spacy.load``, has the Doc and Span extensions of pipeline/doc.py."""

    def register(nlp: Language) -> Language:
        _doc.register_extensions()
        return nlp

    return register


def blank_nlp() -> Language:
    """The tokenizer alone: what segmentation and training data preparation need."""
    return build_nlp(exclude=tuple(STAGES))


def pipeline_config(
    models_dir: str | Path | None = None,
    exclude: tuple[str, ...] = (),
    parser: bool = False,
    user_data: dict[str, str] | None = None,
) -> tuple[Config, dict[str, Path]]:
    """config.cfg for ``models_dir``, without the excluded stages, with every sourced component's
    section taken from its model's own config.cfg; and the folder of each one's weights.

    Sourcing by spaCy (``load_model_from_config`` on ``source = ...``) would load each model
    folder as a whole pipeline first: two seconds more at every start, on this machine. The
    section and the weights are all a component needs.
    """
    models_dir = Path(models_dir) if models_dir else MODELS_DIR
    # user_data: a researcher's files by [paths] name ("gazetteer", "lexicon"; run --gazetteer)
    overrides = {"paths.models": str(models_dir)}
    overrides.update({f"paths.{name}": str(path) for name, path in (user_data or {}).items()})
    config = load_config(CONFIG_PATH, overrides=overrides, interpolate=True)
    unknown = set(exclude) - set(STAGES)
    if unknown:
        raise ValueError(f"unknown stages {sorted(unknown)}: choose from {list(STAGES)}")
    dropped = {name for stage in exclude for name in STAGES[stage]}
    weights: dict[str, Path] = {}
    sources: dict[Path, Config | None] = {}
    for name in config["nlp"]["pipeline"]:
        section = config["components"][name]
        if name in dropped or "source" not in section:
            continue
        source = Path(section["source"])
        if source not in sources:
            sources[source] = (
                load_config(source / "config.cfg") if (source / "config.cfg").is_file() else None
            )
            if sources[source] is None:
                log.warning(
                    "no trained model in %s (see `python -m pipeline train`): running without "
                    "its components",
                    source,
                )
        source_config = sources[source]
        if source_config is None:
            dropped.add(name)
            continue
        component = section.get("component", name)
        config["components"][name] = source_config["components"][component]
        weights[name] = source / component
    if parser and "parser" not in dropped:
        config["nlp"]["disabled"] = [n for n in config["nlp"]["disabled"] if n != "parser"]
    config["nlp"]["pipeline"] = [n for n in config["nlp"]["pipeline"] if n not in dropped]
    config["nlp"]["disabled"] = [n for n in config["nlp"]["disabled"] if n not in dropped]
    for name in dropped:
        config["components"].pop(name, None)
        config["initialize"]["components"].pop(name, None)
    return config, weights


def build_nlp(
    models_dir: str | Path | None = None,
    exclude: tuple[str, ...] = (),
    parser: bool = False,
    user_data: dict[str, str] | None = None,
) -> Language:
    """The pipeline of config.cfg over ``models_dir`` (default: the repository's models/):
    built, trained weights loaded, the other components initialised with their data (and
    ``user_data``: {"gazetteer": FILE, "lexicon": FILE}, a researcher's own)."""
    config, weights = pipeline_config(models_dir, exclude, parser, user_data)
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    for name, folder in weights.items():  # once all are in, so listeners find their tok2vec
        cast(TrainablePipe, nlp.get_pipe(name)).from_disk(folder, exclude=["vocab"])
    for source in {folder.parent for folder in weights.values()}:
        # a component's labels and edit trees name their strings by hash, and its labels
        # bring no morphology strings: our vocab must know them, or saved Docs cannot be
        # read back (spaCy E018)
        for string in srsly.read_json(source / "vocab" / "strings.json"):
            nlp.vocab.strings.add(string)
    if "morphologizer" in weights:
        morphologizer = cast(TrainablePipe, nlp.get_pipe("morphologizer"))
        for feats in morphologizer.cfg["labels_morph"].values():
            nlp.vocab.morphology.add(feats)
    # only the components that take data: the entity ruler runs the pipes enabled before it
    # over its 1,500 phrase patterns (to match on ORTH, which the tokenizer alone sets), so the
    # metadata and lemma components, which have nothing to initialise, stay out of that
    initialise = [
        name
        for name in nlp.component_names
        if name not in weights and hasattr(nlp.get_pipe(name), "initialize")
    ]
    with nlp.select_pipes(enable=[n for n in initialise if n in nlp.pipe_names]):
        nlp.initialize()
    return nlp


@functools.lru_cache(maxsize=4)
def load_nlp(
    models_dir: str | None = None,
    exclude: tuple[str, ...] = (),
    user_data: tuple[tuple[str, str], ...] = (),
) -> Language:
    """build_nlp, once per process (worker processes each build their own); ``user_data`` as
    (name, file) pairs, hashable for the cache."""
    return build_nlp(models_dir, exclude, user_data=dict(user_data))
