"""Train the Dutch tagger, lemmatiser and dependency parser in models/parser (spaCy format).

Data: the Dutch Universal Dependencies treebanks UD_Dutch-Alpino and UD_Dutch-LassySmall
(Bouma, van Noord, Zeman, Žabokrtský; CC BY-SA 4.0), of which the project holds only the dev and
test files, read from ``../shared/data/ud`` at training time and never copied into the repository.

Split (by source document, so no document is split across train and dev/test):
- train: the ``*-dev`` files of both treebanks, except every 10th source document;
- dev: every 10th source document of the ``*-dev`` files (early stopping / model selection);
- test: the ``*-test`` files of both treebanks, untouched until the final evaluation.

The model is small on purpose (64-wide, 2-layer CNN tok2vec, 64-wide parser layer): the whole
pipeline must run at >= 5,000 words/s per worker. ``main`` writes the trained pipeline to
models/parser and its test scores, words/s, split and attribution to models/parser/meta.json.

    python -m pipeline train parser [--ud-dir DIR] [--out DIR] [--max-epochs N]
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
from spacy.tokens import Doc, DocBin

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[2]
DEFAULT_UD_DIR = REPO.parent / "shared" / "data" / "ud"
DEFAULT_OUT = REPO / "models" / "parser"
TREEBANKS = ("nl_alpino", "nl_lassysmall")
SENTS_PER_DOC = 10
TOK2VEC = "syntax_tok2vec"
WIDTH = 64
DEV_EVERY = 10

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
    sent_id, rows = "", []
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
    words, spaces, pos, morphs, lemmas, heads, deps, starts = [], [], [], [], [], [], [], []
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


def build_splits(ud_dir: Path, vocab) -> dict[str, list[Doc]]:
    """train/dev/test Docs, each Doc at most SENTS_PER_DOC sentences of one source document."""
    splits: dict[str, list[Doc]] = {"train": [], "dev": [], "test": []}
    for bank in TREEBANKS:
        for part in ("dev", "test"):
            path = ud_dir / f"{bank}-ud-{part}.conllu"
            if not path.exists():
                raise FileNotFoundError(f"{path} missing: point --ud-dir at the UD treebanks")
            groups = chunk_by_document(read_conllu(path))
            for n, sents in enumerate(groups.values()):
                if part == "test":
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
    from spacy.cli.init_config import init_config

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


# --------------------------------------------------------------------------------------------
# evaluation


def evaluate(nlp, docs: list[Doc]) -> dict:
    from spacy.training import Example

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
    from ..syntax import LookupFirstLemmatizer

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
    no_parser = [n for n in nlp.pipe_names if n != "parser"]
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


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        prog="python -m pipeline train parser", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--ud-dir", type=Path, default=DEFAULT_UD_DIR)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--max-epochs", type=int, default=30)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--evaluate-only",
        action="store_true",
        help="score the model already in --out and rewrite its meta.json",
    )
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    from spacy.cli.train import train as spacy_train

    vocab = spacy.blank("nl").vocab
    splits = build_splits(args.ud_dir, vocab)
    counts = {
        k: {
            "docs": len(v),
            "sentences": sum(len(list(d.sents)) for d in v),
            "tokens": sum(len(d) for d in v),
        }
        for k, v in splits.items()
    }
    log.info("UD split: %s", counts)

    if args.evaluate_only:
        write_meta(args.out, splits, counts, train_seconds=None)
        return
    with tempfile.TemporaryDirectory(prefix="parser-train-") as tmp:
        tmp_path = Path(tmp)
        for name in ("train", "dev"):
            DocBin(docs=splits[name], store_user_data=False).to_disk(tmp_path / f"{name}.spacy")
        config_path = tmp_path / "config.cfg"
        make_config(args.max_epochs, args.seed).to_disk(config_path)
        started = time.perf_counter()
        spacy_train(
            config_path,
            tmp_path / "output",
            overrides={
                "paths.train": str(tmp_path / "train.spacy"),
                "paths.dev": str(tmp_path / "dev.spacy"),
            },
        )
        train_seconds = time.perf_counter() - started
        best = tmp_path / "output" / "model-best"
        if args.out.exists():
            shutil.rmtree(args.out)
        shutil.copytree(best, args.out)

    write_meta(args.out, splits, counts, train_seconds)


def write_meta(out: Path, splits: dict, counts: dict, train_seconds: float | None) -> None:
    """Test and dev scores, lemma variants, words/s, data and licence -> out/meta.json."""
    nlp = spacy.load(out)
    test_scores = evaluate(nlp, splits["test"])
    dev_scores = evaluate(nlp, splits["dev"])
    texts = [d.text for d in splits["test"]]
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))  # spaCy's own
    meta.update(
        {
            "name": "declarations_nl_syntax",
            "description": "Dutch UPOS+morphology tagger, edit-tree lemmatiser and dependency parser "
            "for the summit-declaration pipeline (small CNN tok2vec, no vectors). The pipeline "
            "runs tagger + lemmatiser (+ lookup-first lemmas) and leaves the parser out unless "
            "DECLARATIONS_PARSER=1 (see pipeline/syntax.py).",
            "data": {
                "treebanks": ["UD_Dutch-Alpino", "UD_Dutch-LassySmall"],
                "split": {
                    "train": f"*-ud-dev.conllu of both treebanks minus every {DEV_EVERY}th source "
                    "document",
                    "dev": f"every {DEV_EVERY}th source document of the *-ud-dev.conllu files",
                    "test": "*-ud-test.conllu of both treebanks",
                },
                "counts": counts,
                "lemma_target": "UD lemma without '_' separators; separated particle verbs keep "
                "the base verb lemma (particle attached by compound:prt)",
            },
            "scores_test": test_scores,
            "scores_dev": dev_scores,
            "lemma_accuracy_test_lowercased": {
                **pipeline_lemma_accuracy(nlp, splits["test"]),
                "lookup_only": lookup_lemma_accuracy(splits["test"]),
            },
            "words_per_second_1_process": component_speed(nlp, texts),
            "license": "CC BY-SA 4.0",
            "attribution": ATTRIBUTION,
        }
    )
    if train_seconds is not None:
        meta["train_seconds"] = round(train_seconds, 1)
    (out / "meta.json").write_text(
        json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(
        json.dumps(
            {
                k: meta[k]
                for k in (
                    "scores_test",
                    "scores_dev",
                    "lemma_accuracy_test_lowercased",
                    "words_per_second_1_process",
                )
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
