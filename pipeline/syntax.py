"""Dutch syntax for the pipeline: part-of-speech and morphology, lemmas, dependencies.

The components come from models/parser, a small spaCy pipeline trained on the Dutch UD
treebanks by ``python -m pipeline train parser`` (see pipeline/train/parser.py and
models/parser/meta.json for its data, scores and licence):

    syntax_tok2vec        shared CNN encoder (64 wide, 2 layers: cheap)
    morphologizer         token.pos_ (UPOS) and token.morph
    parser                token.dep_ / token.head (UD relations)
    trainable_lemmatizer  token.lemma_

Without models/parser the pipeline still runs: a warning is logged and only spaCy's Dutch lookup
lemmatizer (spacy-lookups-data) is added, so lemmas exist but POS and dependencies do not; the
commitment extractor then falls back on word-order rules.

Dutch puts the particle of a separable verb far from its verb ("De EU juicht ... toe",
"... op te voeren"). The lemmatiser gives the base verb ("juichen"); :func:`verb_lemma` joins the
particle back ("toejuichen"), from the parse where there is one and from word order otherwise.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import cast

import srsly
from spacy.language import Language
from spacy.pipeline import Morphologizer, TrainablePipe
from spacy.tokens import Doc, Token
from spacy.util import load_config, load_language_data, registry

log = logging.getLogger(__name__)

PARSER_DIR = "parser"
CUES_DIR = Path(__file__).resolve().parent / "data" / "cues"


def add_syntax_components(nlp: Language, models_dir: Path, parser: bool = False) -> None:
    """Add tagger, lemmatiser and (with ``parser=True``) the parser from ``models_dir/parser``.

    Each component is built from its section of the saved config and loads its trained weights
    from its folder, keeping its own tok2vec (``syntax_tok2vec``), which no other stage listens
    to. (``spacy.load`` + ``add_pipe(source=...)`` would build a second Dutch pipeline first, a
    second or so.) Missing model: warn, add the lookup lemmatizer only.
    """
    parser_dir = Path(models_dir) / PARSER_DIR
    if (parser_dir / "config.cfg").exists():
        config = load_config(parser_dir / "config.cfg")
        names = [
            n
            for n in config["nlp"]["pipeline"]
            if (parser or n not in ("parser", "parser_tok2vec")) and n not in nlp.pipe_names
        ]
        for name in names:
            section = dict(config["components"][name])
            nlp.add_pipe(section.pop("factory"), name=name, config=section)
        for name in names:  # once all are in, so that the listeners find their tok2vec
            cast(TrainablePipe, nlp.get_pipe(name)).from_disk(parser_dir / name, exclude=["vocab"])
        # the lemmatizer's edit trees name their strings by hash: ours must know them
        for string in srsly.read_json(parser_dir / "vocab" / "strings.json"):
            nlp.vocab.strings.add(string)
        if "morphologizer" in nlp.pipe_names:
            # the components bring their labels, not their morphology strings: register
            # them in our vocab, or saved Docs cannot be read back (spaCy E018)
            morphologizer = cast(Morphologizer, nlp.get_pipe("morphologizer"))
            for feats in morphologizer.cfg["labels_morph"].values():
                nlp.vocab.morphology.add(feats)
    else:
        log.warning(
            "no syntax model in %s (run `python -m pipeline train parser`): lemmas "
            "from the lookup table only; no POS tags or dependencies",
            parser_dir,
        )
    if "lookup_lemmas" not in nlp.pipe_names:
        nlp.add_pipe("lookup_lemmas")


@functools.lru_cache(maxsize=1)
def lemma_table() -> dict[str, str]:
    """spaCy's Dutch lemma lookup table (spacy-lookups-data, MIT licence): word form -> lemma.

    The table's data as a plain dict: ``spacy.lookups.load_lookups`` builds a ``Table``, which
    hashes every one of its 213,000 keys on load (half a second in every process)."""
    return cast(dict[str, str], load_language_data(registry.lookups.get("nl")["lemma_lookup"]))


class LookupFirstLemmatizer:
    """Lemma from the lookup table where the table knows the word form, else the trained
    lemmatiser's (or the form itself when there is none).

    On the UD Dutch test files this beats either alone (lemma accuracy, lowercased: trained
    0.928, lookup 0.880, lookup-first 0.956; verbs 0.80 / 0.62 / 0.91): the table knows the
    irregular and inflected forms of common words ("juicht" -> "juichen"), the trained model
    generalises to words the table lacks.
    """

    def __init__(self):
        self.table = lemma_table()

    def __call__(self, doc: Doc) -> Doc:
        table = self.table
        for token in doc:
            lemma_ = table.get(token.text) or table.get(token.lower_)
            if lemma_:
                token.lemma_ = lemma_
            elif not token.lemma_:
                token.lemma_ = token.lower_ if token.is_lower or token.i == 0 else token.text
        return doc


@Language.factory("lookup_lemmas")
def make_lookup_lemmas(nlp: Language, name: str):
    return LookupFirstLemmatizer()


# --------------------------------------------------------------------------------------------
# helpers the classifiers share


@functools.lru_cache(maxsize=1)
def particles() -> frozenset[str]:
    """Separable-verb particles (pipeline/data/cues/particles.txt)."""
    lines = (CUES_DIR / "particles.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def has_parse(doc: Doc) -> bool:
    """Whether a parser ran. Looks at two tokens only: ``Doc.has_annotation`` scans the whole
    document, and the rules ask this for every token."""
    return len(doc) > 0 and (doc[0].dep != 0 or doc[len(doc) // 2].dep != 0)


def has_tags(doc: Doc) -> bool:
    """Whether a tagger ran (see has_parse)."""
    return len(doc) > 0 and (doc[0].pos != 0 or doc[len(doc) // 2].pos != 0)


def lemma(token: Token) -> str:
    """The token's lemma, lowercased; its lowercase text where no lemmatiser ran."""
    return (token.lemma_ or token.lower_).lower()


def is_verb(token: Token) -> bool:
    """A content verb: POS VERB where tagged; otherwise an -en/-d/-t word after "te", or a
    word the lookup lemmatiser maps to an -en infinitive different from itself."""
    if has_tags(token.doc):
        return token.pos_ == "VERB"
    if token.i > 0 and token.doc[token.i - 1].lower_ == "te" and token.lower_.endswith("en"):
        return True
    return lemma(token).endswith("en") and token.is_alpha and token.is_lower


def particle_of(verb: Token) -> Token | None:
    """The separated particle belonging to ``verb``, if any.

    Parse: a ``compound:prt`` child. Word order, for "op te voeren" / "uit te breiden": a
    particle right before "te"; for a finite verb-second verb ("juicht ... toe"): a particle
    that closes the clause (before punctuation or the sentence end) after the verb.
    """
    doc = verb.doc
    if has_parse(doc):
        for child in verb.children:
            if child.dep_ == "compound:prt":
                return child
    i = verb.i
    if i >= 2 and doc[i - 1].lower_ == "te" and doc[i - 2].lower_ in particles():
        return doc[i - 2]
    finite = "Fin" in verb.morph.get("VerbForm", []) if has_tags(doc) else True
    if finite:  # the parse may miss a particle that closes the clause: word order then
        sent_end = verb.sent.end if doc.has_annotation("SENT_START") else len(doc)
        for j in range(i + 1, min(sent_end, i + 12)):
            tok = doc[j]
            if tok.is_punct or tok.lower_ in ("dat", "om", "te", "die", "en"):
                break
            if tok.lower_ in particles() and (
                j + 1 == sent_end or doc[j + 1].is_punct or doc[j + 1].lower_ in ("dat", "om", "te")
            ):
                return tok
    return None


def verb_lemma(verb: Token) -> str:
    """The verb's lemma with its separated particle joined back ("toe" + "juichen")."""
    base = lemma(verb)
    prt = particle_of(verb)
    if prt is not None and not base.startswith(prt.lower_):
        return prt.lower_ + base
    return base
