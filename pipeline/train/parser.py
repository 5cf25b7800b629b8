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
            lemma = lemma[len(prefix):]
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


def chunk_by_document(sentences: list[dict]) -> "OrderedDict[str, list[dict]]":
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
    config["nlp"]["pipeline"] = [TOK2VEC if n == "tok2vec" else n for n in config["nlp"]["pipeline"]]
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
    examples = [Example(Doc(nlp.vocab, words=[t.text for t in d], spaces=[bool(t.whitespace_) for t in d]), d)
                for d in docs]
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
    ap = argparse.ArgumentParser(prog="python -m pipeline train parser", description=__doc__.split("\n")[0])
    ap.add_argument("--ud-dir", type=Path, default=DEFAULT_UD_DIR)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--max-epochs", type=int, default=30)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    from spacy.cli.train import train as spacy_train

    vocab = spacy.blank("nl").vocab
    splits = build_splits(args.ud_dir, vocab)
    counts = {k: {"docs": len(v), "sentences": sum(len(list(d.sents)) for d in v),
                  "tokens": sum(len(d) for d in v)} for k, v in splits.items()}
    log.info("UD split: %s", counts)

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
            overrides={"paths.train": str(tmp_path / "train.spacy"),
                       "paths.dev": str(tmp_path / "dev.spacy")},
        )
        train_seconds = time.perf_counter() - started
        best = tmp_path / "output" / "model-best"
        if args.out.exists():
            shutil.rmtree(args.out)
        shutil.copytree(best, args.out)

    nlp = spacy.load(args.out)
    test_scores = evaluate(nlp, splits["test"])
    dev_scores = evaluate(nlp, splits["dev"])
    texts = [d.text for d in splits["test"]]
    meta = json.loads((args.out / "meta.json").read_text(encoding="utf-8"))  # spaCy's own
    meta.update({
        "name": "declarations_nl_syntax",
        "components": list(nlp.pipe_names),
        "description": "Dutch UPOS+morphology tagger, edit-tree lemmatiser and dependency parser "
        "for the summit-declaration pipeline (small CNN tok2vec, no vectors).",
        "data": {
            "treebanks": ["UD_Dutch-Alpino", "UD_Dutch-LassySmall"],
            "split": {
                "train": f"*-ud-dev.conllu of both treebanks minus every {DEV_EVERY}th source document",
                "dev": f"every {DEV_EVERY}th source document of the *-ud-dev.conllu files",
                "test": "*-ud-test.conllu of both treebanks",
            },
            "counts": counts,
            "lemma_target": "UD lemma without '_' separators; separated particle verbs keep "
            "the base verb lemma (particle attached by compound:prt)",
        },
        "scores_test": test_scores,
        "scores_dev": dev_scores,
        "lookup_lemmatizer_lemma_acc_test": lookup_lemma_accuracy(splits["test"]),
        "words_per_second_1_process": words_per_second(nlp, texts),
        "train_seconds": round(train_seconds, 1),
        "license": "CC BY-SA 4.0",
        "attribution": ATTRIBUTION,
    })
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n",
                                        encoding="utf-8")
    print(json.dumps({k: meta[k] for k in ("scores_test", "scores_dev",
                                          "lookup_lemmatizer_lemma_acc_test",
                                          "words_per_second_1_process")}, indent=2))


if __name__ == "__main__":
    main()
