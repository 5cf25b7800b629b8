"""Train the Dutch tagger, lemmatiser and dependency parser in models/parser (spaCy format).

Data: the Dutch Universal Dependencies treebanks UD_Dutch-Alpino and UD_Dutch-LassySmall
(Bouma, van Noord, Zeman, Žabokrtský; CC BY-SA 4.0), of which the project holds only the dev and
test files, read from ``--ud DIR`` (default ``../shared/data/ud``) at training time and never
copied into the repository.

Two steps, each its own split by source document (no document is split across train, dev and
test):

1. *tagger and lemmatiser* (``syntax_tok2vec``, ``morphologizer``, ``trainable_lemmatizer``),
   only with ``--retrain-tagger``; otherwise the shipped ones are kept as they are, frozen, so
   that the POS tags and lemmas every other stage reads do not change. Their split: train = the
   ``*-dev`` files minus every 10th source document, dev = every 10th, test = the ``*-test``
   files.
2. *parser* (``parser_tok2vec`` + ``parser``): its own, wider encoder (CNN, 96 wide, 4 layers)
   that embeds the morphologizer's predicted POS and morphology beside the word's form, trained
   with the tagger frozen and annotating (spaCy ``annotating_components``), so it learns from
   the tags it will see at run time. Split over *both* files of both treebanks: test = every
   4th source document of the ``*-test`` files; dev = every 10th source document of the
   ``*-dev`` files; train = all the rest (``PARSER_SPLIT``).

``main`` writes the trained pipeline to models/parser and the test scores, words/s, split and
attribution to models/parser/meta.json.

    python -m pipeline train parser [--ud DIR] [--out DIR] [--max-epochs N] [--retrain-tagger]
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import tempfile
import time
from collections import OrderedDict
from pathlib import Path

import spacy
from spacy.cli.init_config import init_config
from spacy.cli.train import train as spacy_train
from spacy.tokens import Doc, DocBin
from spacy.training import Example

from ..syntax import LookupFirstLemmatizer

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[2]
DEFAULT_UD_DIR = REPO.parent / "shared" / "data" / "ud"
UD_SOURCE = (
    "https://universaldependencies.org (UD_Dutch-Alpino and UD_Dutch-LassySmall: "
    "https://github.com/UniversalDependencies/UD_Dutch-Alpino, "
    "https://github.com/UniversalDependencies/UD_Dutch-LassySmall)"
)
DEFAULT_OUT = REPO / "models" / "parser"
TREEBANKS = ("nl_alpino", "nl_lassysmall")
SENTS_PER_DOC = 10
TOK2VEC = "syntax_tok2vec"
PARSER_TOK2VEC = "parser_tok2vec"
TAGGER_COMPONENTS = (TOK2VEC, "morphologizer", "trainable_lemmatizer")
WIDTH = 64
PARSER_WIDTH = 96
PARSER_DEPTH = 4
DEV_EVERY = 10
TEST_EVERY = 4  # of the *-test files' source documents, for the parser's test split
PARSER_SPLIT = {
    "train": "both treebanks' *-ud-dev.conllu minus every 10th source document, and their "
    "*-ud-test.conllu minus every 4th source document",
    "dev": "every 10th source document of the *-ud-dev.conllu files",
    "test": "every 4th source document of the *-ud-test.conllu files (n % 4 == 3, in file "
    "order, per file)",
}

ATTRIBUTION = (
    "Trained on UD_Dutch-Alpino and UD_Dutch-LassySmall (Universal Dependencies), "
    "Gosse Bouma, Gertjan van Noord, Daniel Zeman, Zdeněk Žabokrtský et al., "
    "licensed CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/). "
    "This model is a derived work and is shared under the same licence."
)


# --------------------------------------------------------------------------------------------
# CoNLL-U reading


def read_conllu(path: Path) -> list[dict]:
    """Sentences of a CoNLL-U file as dicts: sent_id, and rows of the 10 columns.

    Multi-word token lines (``1-2``) and empty nodes (``1.1``) are skipped: the Dutch treebanks
    have none that matter, and spaCy docs are over the surface tokens.
    """
    sentences: list[dict] = []
    sent_id = ""
    rows: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if rows:
                sentences.append({"sent_id": sent_id, "rows": rows})
            sent_id, rows = "", []
        elif line.startswith("# sent_id"):
            sent_id = line.split("=", 1)[1].strip()
        elif line.startswith("#"):
            continue
        else:
            cols = line.split("\t")
            if "-" in cols[0] or "." in cols[0]:
                continue
            rows.append(cols)
    if rows:
        sentences.append({"sent_id": sent_id, "rows": rows})
    return sentences


def source_document(sent_id: str) -> str:
    """``wiki-1181.p.10.s.1`` -> ``wiki-1181``: the unit the split keeps together."""
    return sent_id.split(".p.")[0]


def target_lemma(rows: list[list[str]], i: int) -> str:
    """The lemma the lemmatiser learns for token i.

    Alpino writes compound and particle boundaries with "_" ("Frans_talig", "aan_sporen"); the
    underscores go. A separated particle verb ("spoorde ... aan", lemma "aan_sporen") gets its
    base lemma ("sporen"): the particle is its own token, attached by ``compound:prt``, and
    the commitment extractor joins the two from the parse. Otherwise a lemmatiser would have to
    guess a particle from far away in the sentence.
    """
    lemma = rows[i][2]
    head_id = rows[i][0]
    particles = [r[2] for r in rows if r[6] == head_id and r[7] == "compound:prt"]
    for particle in particles:
        prefix = particle + "_"
        if lemma.startswith(prefix):
            lemma = lemma[len(prefix) :]
            break
    return lemma.replace("_", "")


def sentences_to_doc(vocab, sentences: list[dict]) -> Doc:
    words: list[str] = []
    spaces: list[bool] = []
    pos: list[str] = []
    morphs: list[str] = []
    lemmas: list[str] = []
    heads: list[int] = []
    deps: list[str] = []
    starts: list[bool | int | None] = []  # spaCy's type for sent_starts
    for sent in sentences:
        rows = sent["rows"]
        offset = len(words)
        for i, cols in enumerate(rows):
            words.append(cols[1])
            spaces.append("SpaceAfter=No" not in cols[9])
            pos.append(cols[3])
            morphs.append("" if cols[5] == "_" else cols[5])
            lemmas.append(target_lemma(rows, i))
            head = int(cols[6])
            heads.append(offset + head - 1 if head > 0 else offset + i)
            deps.append(cols[7].split(":")[0] if cols[7] != "compound:prt" else cols[7])
            starts.append(i == 0)
    return Doc(
        vocab,
        words=words,
        spaces=spaces,
        pos=pos,
        morphs=morphs,
        lemmas=lemmas,
        heads=heads,
        deps=deps,
        sent_starts=starts,
    )


def chunk_by_document(sentences: list[dict]) -> OrderedDict[str, list[dict]]:
    groups: OrderedDict[str, list[dict]] = OrderedDict()
    for sent in sentences:
        groups.setdefault(source_document(sent["sent_id"]), []).append(sent)
    return groups


def ud_files(ud_dir: Path) -> list[tuple[str, str, Path]]:
    """(treebank, part, path) of the four UD files; a clear error where they are missing."""
    out = []
    for bank in TREEBANKS:
        for part in ("dev", "test"):
            path = ud_dir / f"{bank}-ud-{part}.conllu"
            if not path.exists():
                raise SystemExit(
                    f"error: {path}: UD treebank file missing. Get the CoNLL-U files of "
                    f"{UD_SOURCE} and pass their folder with --ud DIR"
                )
            out.append((bank, part, path))
    return out


def build_splits(ud_dir: Path, vocab, parser_split: bool = False) -> dict[str, list[Doc]]:
    """train/dev/test Docs, each Doc at most SENTS_PER_DOC sentences of one source document.

    ``parser_split=False``: the tagger's split (test = the *-test files); ``True``: the
    parser's (PARSER_SPLIT: most of the *-test files train the parser too)."""
    splits: dict[str, list[Doc]] = {"train": [], "dev": [], "test": []}
    for _bank, part, path in ud_files(ud_dir):
        groups = chunk_by_document(read_conllu(path))
        for n, sents in enumerate(groups.values()):
            if part == "test":
                if parser_split:
                    split = "test" if n % TEST_EVERY == TEST_EVERY - 1 else "train"
                else:
                    split = "test"
            else:
                split = "dev" if n % DEV_EVERY == DEV_EVERY - 1 else "train"
            for k in range(0, len(sents), SENTS_PER_DOC):
                splits[split].append(sentences_to_doc(vocab, sents[k : k + SENTS_PER_DOC]))
    return splits


# --------------------------------------------------------------------------------------------
# config


def make_config(max_epochs: int, seed: int = 0):
    """spaCy's efficiency config for morphologizer + parser + trainable lemmatiser, made smaller."""
    config = init_config(
        lang="nl",
        pipeline=["morphologizer", "parser", "trainable_lemmatizer"],
        optimize="efficiency",
    )
    # A tok2vec of our own name, so that the listeners of these components can never attach
    # to another stage's tok2vec when they are sourced into the full pipeline.
    components = config["components"]
    components[TOK2VEC] = components.pop("tok2vec")
    config["nlp"]["pipeline"] = [
        TOK2VEC if n == "tok2vec" else n for n in config["nlp"]["pipeline"]
    ]
    encode = components[TOK2VEC]["model"]["encode"]
    encode["width"] = WIDTH
    encode["depth"] = 2
    embed = components[TOK2VEC]["model"]["embed"]
    embed["width"] = WIDTH
    embed["rows"] = [5000, 1000, 2500, 2500]
    for name in ("morphologizer", "parser", "trainable_lemmatizer"):
        listener = components[name]["model"]["tok2vec"]
        listener["width"] = WIDTH
        listener["upstream"] = TOK2VEC
    parser = config["components"]["parser"]["model"]
    parser["hidden_width"] = 64
    parser["maxout_pieces"] = 2
    # Dutch has many rare relations in 36k tokens; keep those seen a few times
    config["components"]["parser"]["min_action_freq"] = 5
    training = config["training"]
    training["max_epochs"] = max_epochs
    training["max_steps"] = 0
    training["patience"] = 2000
    training["eval_frequency"] = 200
    training["seed"] = seed
    config["system"]["seed"] = seed
    training["score_weights"] = {
        "pos_acc": 0.25,
        "morph_acc": 0.05,
        "dep_uas": 0.1,
        "dep_las": 0.35,
        "lemma_acc": 0.25,
        "sents_f": 0.0,
    }
    return config


def make_parser_config(tagger_dir: Path, max_epochs: int, seed: int = 0):
    """The parser step: the tagger components sourced from ``tagger_dir``, frozen and annotating;
    a parser with its own encoder over form, affixes, shape and the predicted POS and
    morphology (a listener on ``syntax_tok2vec`` could not learn: that encoder is frozen)."""
    config = init_config(lang="nl", pipeline=["parser"], optimize="efficiency")
    components = config["components"]
    components[PARSER_TOK2VEC] = components.pop("tok2vec")
    for name in TAGGER_COMPONENTS:
        components[name] = {"source": str(tagger_dir)}
    config["nlp"]["pipeline"] = [*TAGGER_COMPONENTS, PARSER_TOK2VEC, "parser"]
    model = components[PARSER_TOK2VEC]["model"]
    model["embed"]["width"] = PARSER_WIDTH
    model["embed"]["attrs"] = ["NORM", "PREFIX", "SUFFIX", "SHAPE", "POS", "MORPH"]
    model["embed"]["rows"] = [10000, 2000, 5000, 1000, 100, 2000]
    model["encode"]["width"] = PARSER_WIDTH
    model["encode"]["depth"] = PARSER_DEPTH
    parser = components["parser"]
    parser["model"]["tok2vec"]["width"] = PARSER_WIDTH
    parser["model"]["tok2vec"]["upstream"] = PARSER_TOK2VEC
    parser["model"]["hidden_width"] = 128
    parser["model"]["maxout_pieces"] = 2
    parser["min_action_freq"] = 5
    training = config["training"]
    training["frozen_components"] = list(TAGGER_COMPONENTS)
    training["annotating_components"] = [TOK2VEC, "morphologizer"]
    training["max_epochs"] = max_epochs
    training["max_steps"] = 0
    training["patience"] = 3000
    training["eval_frequency"] = 300
    training["seed"] = seed
    config["system"]["seed"] = seed
    training["score_weights"] = {"dep_las": 0.7, "dep_uas": 0.3, "sents_f": 0.0}
    return config


# --------------------------------------------------------------------------------------------
# evaluation


def evaluate(nlp, docs: list[Doc]) -> dict:
    # the gold tokenisation, so that the scores measure the models and not the tokenizer
    examples = [
        Example(
            Doc(nlp.vocab, words=[t.text for t in d], spaces=[bool(t.whitespace_) for t in d]), d
        )
        for d in docs
    ]
    scores = nlp.evaluate(examples)
    keep = ("pos_acc", "morph_acc", "lemma_acc", "dep_uas", "dep_las", "sents_f")
    return {k: round(float(scores[k]), 4) for k in keep if scores.get(k) is not None}


def words_per_second(nlp, texts: list[str], repeat: int = 2) -> float:
    """Single process, batch of paragraphs, best of ``repeat`` passes."""
    n_words = sum(len(nlp.make_doc(t)) for t in texts)
    best = 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=64):
            pass
        best = max(best, n_words / (time.perf_counter() - start))
    return round(best, 0)


def pipeline_lemma_accuracy(nlp, docs: list[Doc]) -> dict:
    """Lemma accuracy (lowercased) of the trained lemmatiser alone and of the pipeline's
    lookup-first combination (pipeline/syntax.py), overall and on verbs."""
    lookup_first = LookupFirstLemmatizer()
    counts = {"trained": [0, 0, 0, 0], "lookup_first": [0, 0, 0, 0]}
    for gold in docs:
        doc = Doc(
            nlp.vocab, words=[t.text for t in gold], spaces=[bool(t.whitespace_) for t in gold]
        )
        for name, proc in nlp.pipeline:
            if name != "parser":
                doc = proc(doc)
        trained = [t.lemma_.lower() for t in doc]
        doc = lookup_first(doc)
        for t, ref, tr in zip(doc, gold, trained):
            verb = ref.pos_ in ("VERB", "AUX")
            for key, value in (("trained", tr), ("lookup_first", t.lemma_.lower())):
                ok = value == ref.lemma_.lower()
                c = counts[key]
                c[0] += ok
                c[1] += 1
                c[2] += ok and verb
                c[3] += verb
    return {
        k: {"all": round(c[0] / max(c[1], 1), 4), "verbs": round(c[2] / max(c[3], 1), 4)}
        for k, c in counts.items()
    }


def component_speed(nlp, texts: list[str]) -> dict:
    """Words/s of each component alone (1 process) and of tagger + lemmatiser without the
    parser, which is how the pipeline runs by default."""
    docs = [nlp.make_doc(t) for t in texts]
    n_words = sum(len(d) for d in docs)
    out = {}
    prepared = docs
    for name, proc in nlp.pipeline:
        fresh = [nlp.make_doc(t) for t in texts]
        for prev_name, prev in nlp.pipeline:
            if prev_name == name:
                break
            fresh = list(prev.pipe(fresh))
        start = time.perf_counter()
        list(proc.pipe(fresh, batch_size=64))
        out[name] = round(n_words / (time.perf_counter() - start))
    del prepared
    no_parser = [n for n in nlp.pipe_names if n not in ("parser", PARSER_TOK2VEC)]
    start = time.perf_counter()
    with nlp.select_pipes(enable=no_parser):
        list(nlp.pipe(texts, batch_size=64))
    out["all_without_parser"] = round(n_words / (time.perf_counter() - start))
    start = time.perf_counter()
    list(nlp.pipe(texts, batch_size=64))
    out["all"] = round(n_words / (time.perf_counter() - start))
    return out


def lookup_lemma_accuracy(docs: list[Doc]) -> float:
    """The alternative without training: spaCy's Dutch lookup table (spacy-lookups-data)."""
    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    ok = n = 0
    for gold in docs:
        doc = nlp(Doc(nlp.vocab, words=[t.text for t in gold]))
        for pred, ref in zip(doc, gold):
            ok += pred.lemma_.lower() == ref.lemma_.lower()
            n += 1
    return round(ok / max(n, 1), 4)


# --------------------------------------------------------------------------------------------


def _counts(splits: dict[str, list[Doc]]) -> dict:
    return {
        k: {
            "docs": len(v),
            "sentences": sum(len(list(d.sents)) for d in v),
            "tokens": sum(len(d) for d in v),
        }
        for k, v in splits.items()
    }


def _spacy_train(config, splits: dict[str, list[Doc]], work: Path) -> tuple[Path, float]:
    """Train ``config`` on the train and dev Docs in ``work``; the best model and the seconds."""
    work.mkdir(parents=True, exist_ok=True)
    for name in ("train", "dev"):
        DocBin(docs=splits[name], store_user_data=False).to_disk(work / f"{name}.spacy")
    config.to_disk(work / "config.cfg")
    started = time.perf_counter()
    spacy_train(
        work / "config.cfg",
        work / "output",
        overrides={"paths.train": str(work / "train.spacy"), "paths.dev": str(work / "dev.spacy")},
    )
    return work / "output" / "model-best", time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        prog="python -m pipeline train parser", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--ud", "--ud-dir", dest="ud", type=Path, default=DEFAULT_UD_DIR)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--max-epochs", type=int, default=12, help="parser epochs")
    ap.add_argument("--tagger-epochs", type=int, default=30)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--retrain-tagger",
        action="store_true",
        help="train the tagger and lemmatiser again too (default: keep the shipped ones)",
    )
    ap.add_argument("--work", type=Path, help="keep the training files here (default: a temp dir)")
    ap.add_argument(
        "--baseline",
        type=Path,
        help="also score this earlier model on the same test split (recorded in meta.json)",
    )
    ap.add_argument(
        "--evaluate-only",
        action="store_true",
        help="score the model already in --out and rewrite its meta.json",
    )
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    vocab = spacy.blank("nl").vocab
    tagger_splits = build_splits(args.ud, vocab)
    parser_splits = build_splits(args.ud, vocab, parser_split=True)
    log.info("UD split (parser): %s", _counts(parser_splits))
    baseline = evaluate(spacy.load(args.baseline), parser_splits["test"]) if args.baseline else None
    if args.evaluate_only:
        write_meta(args.out, tagger_splits, parser_splits, None, baseline)
        return
    with tempfile.TemporaryDirectory(prefix="parser-train-") as tmp:
        work = args.work or Path(tmp)
        seconds: dict[str, float] = {}
        tagger_dir = args.out
        if args.retrain_tagger or not (args.out / "morphologizer").exists():
            tagger_dir, seconds["tagger"] = _spacy_train(
                make_config(args.tagger_epochs, args.seed), tagger_splits, work / "tagger"
            )
        best, seconds["parser"] = _spacy_train(
            make_parser_config(tagger_dir.resolve(), args.max_epochs, args.seed),
            parser_splits,
            work / "parser",
        )
        staged = work / "model"
        if staged.exists():
            shutil.rmtree(staged)
        shutil.copytree(best, staged)
        if args.out.exists():
            shutil.rmtree(args.out)
        shutil.copytree(staged, args.out)
    write_meta(args.out, tagger_splits, parser_splits, seconds, baseline)


def write_meta(
    out: Path,
    tagger_splits: dict,
    parser_splits: dict,
    train_seconds: dict | None,
    baseline: dict | None = None,
) -> None:
    """Test and dev scores, lemma variants, words/s, data and licence -> out/meta.json."""
    nlp = spacy.load(out)
    tagger_test = evaluate(nlp, tagger_splits["test"])
    parser_test = evaluate(nlp, parser_splits["test"])
    texts = [d.text for d in tagger_splits["test"]]
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))  # spaCy's own
    meta.update(
        {
            "name": "declarations_nl_syntax",
            "description": "Dutch UPOS+morphology tagger, edit-tree lemmatiser (small CNN "
            "tok2vec) and dependency parser (its own CNN encoder over form and predicted POS "
            "and morphology) for the summit-declaration pipeline; no vectors.",
            "data": {
                "treebanks": ["UD_Dutch-Alpino", "UD_Dutch-LassySmall"],
                "split_tagger": {
                    "train": f"*-ud-dev.conllu of both treebanks minus every {DEV_EVERY}th source "
                    "document",
                    "dev": f"every {DEV_EVERY}th source document of the *-ud-dev.conllu files",
                    "test": "*-ud-test.conllu of both treebanks",
                },
                "split": PARSER_SPLIT,
                "counts_tagger": _counts(tagger_splits),
                "counts": _counts(parser_splits),
                "lemma_target": "UD lemma without '_' separators; separated particle verbs keep "
                "the base verb lemma (particle attached by compound:prt)",
            },
            "scores_test": {
                **{k: v for k, v in tagger_test.items() if not k.startswith(("dep_", "sents"))},
                **{k: v for k, v in parser_test.items() if k.startswith(("dep_", "sents"))},
            },
            "scores_test_note": "pos/morph/lemma on the tagger's test split (all *-test files), "
            "dep_uas/dep_las/sents_f on the parser's (every 4th *-test source document)",
            "scores_dev": evaluate(nlp, parser_splits["dev"]),
            "lemma_accuracy_test_lowercased": {
                **pipeline_lemma_accuracy(nlp, tagger_splits["test"]),
                "lookup_only": lookup_lemma_accuracy(tagger_splits["test"]),
            },
            "words_per_second_1_process": component_speed(nlp, texts),
            "license": "CC BY-SA 4.0",
            "attribution": ATTRIBUTION,
        }
    )
    if baseline is not None:
        meta["scores_test_before"] = {
            "model": "the previous models/parser (64-wide shared CNN, dev files only)",
            **baseline,
        }
    if train_seconds:
        meta["train_seconds"] = {k: round(v, 1) for k, v in train_seconds.items()}
    (out / "meta.json").write_text(
        json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(
        json.dumps(
            {
                k: meta.get(k)
                for k in (
                    "scores_test",
                    "scores_test_before",
                    "scores_dev",
                    "words_per_second_1_process",
                )
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
