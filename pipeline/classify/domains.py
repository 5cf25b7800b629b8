"""Policy domains of points, headings and bullets (ANNOTATION.md section 4), with CAP topics.

A segment can be about several of the thirteen policy domains at once. The classifier is one
logistic regression per domain (one-vs-rest) over

- word uni- and bigrams of the segment's lemmas (tf-idf),
- character 3-5-grams of those lemmas, because Dutch writes its policy words as compounds
  ("terrorismebestrijding", "grensdoorlaatposten") that no lemma table splits,
- per domain, how many terms of the domain lexicon (``data/domains/lexicon.tsv``) the segment
  contains, and for a bullet how many its heading contains,
- the segment's kind (point, heading, bullet).

The words are lemmatised here, with spaCy's Dutch lookup table (spacy-lookups-data), from the
segment's text alone, so training on gold texts and predicting on spans of a processed document
go through one feature path whatever the other components have done to ``token.lemma_``.

Each domain has its own decision threshold, tuned by cross-validation over training documents
(and pulled towards 0.5 where few examples make the tuned value unreliable; train/domains.py).
Then the heading rule of the guidelines: a bullet takes those of its heading's domains it is
about, plus its own. A bullet's own domains need the full threshold; a domain its heading has
needs only ``heading_relax`` times it, because the heading already says the bullets are about
it; a bullet that reaches neither takes the heading domain it scores highest on.

Every domain maps to Comparative Agendas Project major topics (``data/domains/cap_mapping.json``);
``span._.cap_topics`` is the sorted union of its domains' codes.

    >>> model = DomainClassifier.load("models/domains/domains.skops")
    >>> model.classify([Segment("p1", "point", "De strijd tegen corruptie ...")])
"""

from __future__ import annotations

import csv
import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_fscore_support
from sklearn.multiclass import OneVsRestClassifier
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from .. import doc as _doc  # noqa: F401  (registers the extension attributes)
from .. import userdata
from ..doc import span_text
from ..resources import dump_model, load_model
from ..scheme import CAP_MAPPING_PATH, MATCH_MODES
from ..scheme import DOMAIN_KINDS as CLASSIFIED_KINDS
from ..syntax import lemma_table
from .ngrams import WordNgrams

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "domains"
LEXICON_PATH = DATA_DIR / "lexicon.tsv"
MODEL_DIR_NAME = "domains"
MODEL_FILE = "domains.skops"
META_FILE = "meta.json"


# --------------------------------------------------------------------------------------------
# data files: the domains, their CAP topics, the lexicon


@functools.lru_cache(maxsize=4)
def _read_cap_file(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_cap_mapping(path: str | Path = CAP_MAPPING_PATH) -> dict[str, list[int]]:
    """Domain key -> sorted CAP major-topic codes, in the order of ANNOTATION.md section 4."""
    data = _read_cap_file(str(path))
    topics = {int(code) for code in data["cap_major_topics"]}
    mapping: dict[str, list[int]] = {}
    for domain, entry in data["domains"].items():
        codes = sorted({int(c) for c in entry["cap"]})
        unknown = set(codes) - topics
        if not codes or unknown:
            raise ValueError(
                f"{path}: domain {domain!r} needs CAP codes from the codebook, got {entry['cap']!r}"
            )
        mapping[domain] = codes
    return mapping


def cap_topic_names(path: str | Path = CAP_MAPPING_PATH) -> dict[int, str]:
    """CAP major-topic code -> its name in the master codebook."""
    return {int(k): v for k, v in _read_cap_file(str(path))["cap_major_topics"].items()}


def domain_keys(path: str | Path = CAP_MAPPING_PATH) -> list[str]:
    """The thirteen domain keys, in the order of ANNOTATION.md section 4."""
    return list(load_cap_mapping(path))


def cap_topics_for(domains: Iterable[str], mapping: dict[str, list[int]]) -> list[int]:
    """The sorted union of the CAP major topics of some domains."""
    return sorted({code for d in domains for code in mapping[d]})


@dataclass(frozen=True)
class LexiconEntry:
    domain: str
    term: tuple[str, ...]  # tokens of the term, as tokens() splits it
    match: str  # one of MATCH_MODES


def load_lexicon(
    path: str | Path = LEXICON_PATH, domains: Sequence[str] | None = None
) -> list[LexiconEntry]:
    """The domain lexicon: tab-separated domain, term, match; '#' lines are comments."""
    known = set(domains if domains is not None else domain_keys())
    with open(path, encoding="utf-8", newline="") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        entries = []
        for row in rows:
            domain, term, match = row["domain"], row["term"].strip().lower(), row["match"]
            if domain not in known:
                raise ValueError(f"{path}: unknown domain {domain!r} for term {term!r}")
            if match not in MATCH_MODES:
                raise ValueError(f"{path}: match {match!r} for {term!r} not in {MATCH_MODES}")
            parts = tuple(tokens(term))
            if not parts or (match != "phrase" and len(parts) > 1):
                raise ValueError(f"{path}: term {term!r} needs match 'phrase' (or one word)")
            entries.append(LexiconEntry(domain, parts, match))
    return entries


# --------------------------------------------------------------------------------------------
# words: tokens and lemmas

# words, numbers and hyphenated compounds ("sociaal-economische", "EU-subsidies", "TEN-V")
TOKEN = re.compile(r"\w+(?:-\w+)*")


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


@functools.lru_cache(maxsize=65536)
def lemma(token: str) -> str:
    """The lookup lemma of a lowercased token; a hyphenated compound lemmatises its last part."""
    table = lemma_table()  # the syntax stage's table: one copy per process
    found = table.get(token)
    if found:
        return found.lower()
    head, sep, last = token.rpartition("-")
    if sep and last:
        found = table.get(last)
        if found:
            return f"{head}-{found.lower()}"
    return token


def lemmas(text: str) -> list[str]:
    return [lemma(t) for t in tokens(text)]


# --------------------------------------------------------------------------------------------
# lexicon matching


def _forms(token: str, token_lemma: str) -> set[str]:
    """What a lexicon term may match in one token: its form, its lemma, its hyphen parts."""
    forms = {token, token_lemma}
    if "-" in token:
        forms.update(p for p in token.split("-") if p)
    return forms


class CompiledLexicon:
    """The lexicon ready for matching: which terms a token matches is computed once per token.

    Declarations repeat their vocabulary, so the per-token cache makes matching cost about a
    dictionary look-up per token instead of one comparison per lexicon term.
    """

    def __init__(self, entries: Sequence[LexiconEntry], domains: Sequence[str]):
        index = {d: i for i, d in enumerate(domains)}
        self.n_domains = len(domains)
        self.single = [
            (index[e.domain], e.term[0], e.match) for e in entries if e.match != "phrase"
        ]
        self.phrases = [(index[e.domain], e.term) for e in entries if e.match == "phrase"]
        self.phrase_words = sorted({w for _, term in self.phrases for w in term})
        # indexes: equality and prefixes by dictionary look-up, only compound parts by scanning
        self._words: dict[str, list[int]] = {}
        self._prefixes: dict[str, list[int]] = {}
        self._parts: list[tuple[int, str]] = []
        for i, (_, term, match) in enumerate(self.single):
            if match == "word":
                self._words.setdefault(term, []).append(i)
            elif match == "prefix":
                self._prefixes.setdefault(term, []).append(i)
            else:
                self._parts.append((i, term))
        self._prefix_lengths = sorted({len(t) for t in self._prefixes})
        self._phrase_word_set = set(self.phrase_words)
        self._phrases_by_first: dict[str, list[int]] = {}  # first word -> indices in phrases
        for k, (_, phrase) in enumerate(self.phrases):
            self._phrases_by_first.setdefault(phrase[0], []).append(k)
        self._phrase_lengths = sorted({len(w) for w in self.phrase_words})
        self._cache: dict[str, tuple[frozenset[int], frozenset[str]]] = {}

    def _single_matches(self, form: str) -> set[int]:
        found = set(self._words.get(form, ()))
        for n in self._prefix_lengths:
            if n > len(form):
                break
            found.update(self._prefixes.get(form[:n], ()))
        found.update(i for i, term in self._parts if term in form)
        return found

    def _token_matches(self, token: str) -> tuple[frozenset[int], frozenset[str]]:
        found = self._cache.get(token)
        if found is None:
            forms = _forms(token, lemma(token))
            single = frozenset().union(*(self._single_matches(f) for f in forms))
            words = frozenset(
                f[:n]
                for f in forms
                for n in self._phrase_lengths
                if n <= len(f) and f[:n] in self._phrase_word_set
            )
            if len(self._cache) > 500_000:  # bound the memory of a long-running worker
                self._cache.clear()
            found = self._cache[token] = (single, words)
        return found

    def matched_terms(self, text: str) -> list[tuple[int, str]]:
        """(domain index, term) of every lexicon term the text contains, each once."""
        matched = [self._token_matches(t) for t in tokens(text)]
        found = [self.single[i][:2] for i in sorted(frozenset().union(*(m[0] for m in matched)))]
        # where each phrase word occurs, so a phrase is only tried where its first word is
        positions: dict[str, list[int]] = {}
        for i, (_, words) in enumerate(matched):
            for w in words:
                positions.setdefault(w, []).append(i)
        # only the phrases whose first word occurs, in lexicon order
        for p in sorted({p for w in positions for p in self._phrases_by_first.get(w, ())}):
            domain, term = self.phrases[p]
            n = len(term)
            if any(
                i + n <= len(matched) and all(term[k] in matched[i + k][1] for k in range(1, n))
                for i in positions.get(term[0], ())
            ):
                found.append((domain, " ".join(term)))
        return found

    def hits(self, text: str) -> np.ndarray:
        """Per domain, how many lexicon terms the text contains (each term counted once)."""
        hits = np.zeros(self.n_domains, dtype=np.float64)
        for domain, _ in self.matched_terms(text):
            hits[domain] += 1
        return hits


def lexicon_hits(
    text: str, lexicon: Sequence[LexiconEntry] | CompiledLexicon, domains: Sequence[str]
) -> np.ndarray:
    """Per domain, how many lexicon terms the text contains (each term counted once)."""
    if not isinstance(lexicon, CompiledLexicon):
        lexicon = CompiledLexicon(lexicon, domains)
    return lexicon.hits(text)


def lexicon_baseline(
    texts: Sequence[str],
    lexicon: Sequence[LexiconEntry] | None = None,
    domains: Sequence[str] | None = None,
) -> list[list[str]]:
    """The lexicon-only baseline: a segment has every domain one of whose terms it contains."""
    domains = list(domains) if domains is not None else domain_keys()
    compiled = CompiledLexicon(
        lexicon if lexicon is not None else load_lexicon(domains=domains), domains
    )
    return [[d for d, n in zip(domains, compiled.hits(t)) if n > 0] for t in texts]


# --------------------------------------------------------------------------------------------
# segments and their features


@dataclass(frozen=True)
class Segment:
    """One segment of a document as the classifier sees it (from gold JSON or from a span)."""

    segment_id: str
    kind: str
    text: str
    heading_id: str | None = None


@dataclass(frozen=True)
class SegmentFeatures:
    lemma_text: str  # the segment's lemmas, space-separated
    kind: str
    own_hits: np.ndarray  # lexicon terms per domain in the segment
    heading_hits: np.ndarray  # lexicon terms per domain in the bullet's heading (else zeros)


def segment_features(
    text: str,
    kind: str,
    heading_text: str | None,
    lexicon: Sequence[LexiconEntry] | CompiledLexicon,
    domains: Sequence[str],
) -> SegmentFeatures:
    """The one feature path, for training examples and for spans alike."""
    if not isinstance(lexicon, CompiledLexicon):
        lexicon = CompiledLexicon(lexicon, domains)
    own = lexicon_hits(text, lexicon, domains)
    heading = (
        lexicon_hits(heading_text, lexicon, domains) if heading_text else np.zeros(len(domains))
    )
    return SegmentFeatures(" ".join(lemmas(text)), kind, own, heading)


def with_heading_texts(segments: Sequence[Segment]) -> list[tuple[Segment, str | None]]:
    """Each segment with the text of the segment its heading_id names (None if none)."""
    by_id = {s.segment_id: s for s in segments}
    return [(s, by_id[s.heading_id].text if s.heading_id in by_id else None) for s in segments]


# --------------------------------------------------------------------------------------------
# the heading rule


def decide(
    scores: np.ndarray,
    segments: Sequence[Segment] | Sequence[SegmentInput],
    domains: Sequence[str],
    thresholds: np.ndarray,
    heading_relax: float = 1.0,
    fallback: bool = True,
) -> list[list[str]]:
    """Domains of one document's segments from their scores, with the heading rule.

    ``scores[i, j]`` is segment i's probability of domain j. Non-bullets take every domain
    over its threshold. A bullet takes those over the threshold, plus those of its heading's
    (decided) domains over ``heading_relax`` times the threshold; with ``fallback``, a bullet
    that takes none takes the heading domain it scores highest on.
    """
    decided: dict[str, list[int]] = {}
    result: list[list[int]] = [[] for _ in segments]
    # headings and points first: bullets need their heading's decision
    order = sorted(range(len(segments)), key=lambda i: segments[i].kind == "bullet")
    for i in order:
        seg, row = segments[i], scores[i]
        chosen = set(np.flatnonzero(row >= thresholds).tolist())
        heading = decided.get(seg.heading_id) if seg.kind == "bullet" and seg.heading_id else None
        if heading:
            chosen.update(j for j in heading if row[j] >= heading_relax * thresholds[j])
            if not chosen and fallback:
                chosen.add(max(heading, key=lambda j: row[j]))
        result[i] = sorted(chosen)
        decided[seg.segment_id] = result[i]
    return [[domains[j] for j in idx] for idx in result]


# --------------------------------------------------------------------------------------------
# the estimator


@dataclass(frozen=True)
class SegmentInput:
    """One segment as the classifier reads it: its text, kind and heading's text, and where it
    stands (document, id, heading id) for the heading rule."""

    text: str
    kind: str
    heading_text: str | None = None
    segment_id: str = ""
    heading_id: str | None = None
    doc_id: str = ""


def segment_inputs(segments: Sequence[Segment], doc_id: str = "") -> list[SegmentInput]:
    """One document's segments as the classifier's input (a bullet carries its heading's text)."""
    return [
        SegmentInput(s.text, s.kind, heading, s.segment_id, s.heading_id, doc_id)
        for s, heading in with_heading_texts(segments)
    ]


def _saved_vectorizer(vectorizer: TfidfVectorizer | None) -> dict | None:
    """A fitted vectorizer as what it needs to be fitted again: itself unfitted with its terms
    as the ``vocabulary`` parameter (a numpy array, one file), and its ``idf_``. skops writes
    a fitted vocabulary dict entry by entry (20 s to load 25,000 n-grams)."""
    if vectorizer is None:
        return None
    terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
    unfitted = clone(vectorizer).set_params(vocabulary=np.array(terms, dtype=str))
    return {"vectorizer": unfitted, "idf": vectorizer.idf_}


def _loaded_vectorizer(saved: dict | None) -> TfidfVectorizer | None:
    """The vectorizer ``_saved_vectorizer`` wrote, fitted by setting its ``idf_`` (which
    scikit-learn supports for moving idf weights between vectorizers)."""
    if saved is None:
        return None
    vectorizer = saved["vectorizer"]
    vectorizer.idf_ = saved["idf"]
    return vectorizer


class DomainClassifier(BaseEstimator):
    """One-vs-rest logistic regressions over lemma n-grams and lexicon features, and the
    decision rule (per-domain thresholds, the heading rule) that turns their scores into
    domains.

    A scikit-learn estimator: ``fit(X, y)`` with X a sequence of SegmentInput and y each
    segment's gold domains; ``predict_proba(X)``; ``classify(segments)`` decides one document.
    Only the kinds in CLASSIFIED_KINDS are scored; others get no domain. Saved with skops as a
    dict of scikit-learn objects and plain values, never as pickle.
    """

    def __init__(
        self,
        domains: Sequence[str] | None = None,
        lexicon: Sequence[LexiconEntry] | None = None,
        *,
        C: float = 10.0,
        char_ngrams: bool = True,
        lexicon_weight: float = 1.0,
        heading_weight: float = 0.5,
        thresholds: Sequence[float] | None = None,
        heading_relax: float = 1.0,
        fallback: bool = True,
    ):
        self.domains = domains
        self.lexicon = lexicon
        self.C = C
        self.char_ngrams = char_ngrams
        self.lexicon_weight = lexicon_weight
        self.heading_weight = heading_weight
        self.thresholds = thresholds
        self.heading_relax = heading_relax
        self.fallback = fallback

    # features ---------------------------------------------------------------------------

    def _features(self, X: Sequence[SegmentInput]) -> list[SegmentFeatures]:
        return [
            segment_features(x.text, x.kind, x.heading_text, self.compiled_lexicon_, self.domains_)
            for x in X
        ]

    def _matrix(self, feats: Sequence[SegmentFeatures]):
        texts = [f.lemma_text for f in feats]
        blocks = [self.word_vectorizer_.transform(texts)]
        if self.char_vectorizer_ is not None:
            blocks.append(self.char_vectorizer_.transform(texts))
        own = np.log1p(np.vstack([f.own_hits for f in feats])) * self.lexicon_weight
        heading = np.log1p(np.vstack([f.heading_hits for f in feats])) * self.heading_weight
        kinds = np.array([[f.kind == k for k in CLASSIFIED_KINDS] for f in feats], dtype=float)
        blocks += [sparse.csr_matrix(own), sparse.csr_matrix(heading), sparse.csr_matrix(kinds)]
        return sparse.hstack(blocks, format="csr")

    def _set_lexicon(self, domains: Sequence[str], lexicon: Sequence[LexiconEntry]) -> None:
        self.domains_ = list(domains)
        self.lexicon_ = list(lexicon)
        self.compiled_lexicon_ = CompiledLexicon(self.lexicon_, self.domains_)

    def add_terms(self, entries: Sequence[LexiconEntry]) -> None:
        """A researcher's domain terms (``run --lexicon``) counted by the lexicon features of a
        fitted model, as the shipped terms of their domain are."""
        known = set(self.lexicon_)
        self._set_lexicon(self.domains_, self.lexicon_ + [e for e in entries if e not in known])

    # training ---------------------------------------------------------------------------

    def fit(self, X: Sequence[SegmentInput], y: Sequence[Sequence[str]]) -> DomainClassifier:
        """Fit on segments; ``y[i]`` are segment i's gold domains. Segments of kinds that carry
        no domains are left out."""
        domains = list(self.domains) if self.domains is not None else domain_keys()
        lexicon = self.lexicon if self.lexicon is not None else load_lexicon(domains=domains)
        self._set_lexicon(domains, lexicon)
        keep = [i for i, x in enumerate(X) if x.kind in CLASSIFIED_KINDS]
        feats = self._features([X[i] for i in keep])
        texts = [f.lemma_text for f in feats]
        self.word_vectorizer_ = TfidfVectorizer(
            token_pattern=r"\S+", ngram_range=(1, 2), sublinear_tf=True, lowercase=False
        ).fit(texts)
        self.char_vectorizer_ = None
        if self.char_ngrams:
            self.char_vectorizer_ = TfidfVectorizer(
                analyzer=WordNgrams((3, 5), lowercase=False), sublinear_tf=True, min_df=2
            ).fit(texts)
        Y = np.array([[d in y[i] for d in self.domains_] for i in keep], dtype=int)
        # class_weight="balanced": most domains are rare, and recall on them is what a
        # researcher counting domains needs; liblinear is exact and fast at this size
        base = LogisticRegression(
            C=self.C, class_weight="balanced", solver="liblinear", max_iter=1000
        )
        self.classifier_ = OneVsRestClassifier(base).fit(self._matrix(feats), Y)
        return self

    # prediction -------------------------------------------------------------------------

    def predict_proba(self, X: Sequence[SegmentInput]) -> np.ndarray:
        """Probability per (segment, domain); rows of unclassified kinds are zeros."""
        out = np.zeros((len(X), len(self.domains_)))
        idx = [i for i, x in enumerate(X) if x.kind in CLASSIFIED_KINDS]
        if idx:
            out[idx] = self.classifier_.predict_proba(
                self._matrix(self._features([X[i] for i in idx]))
            )
        return out

    def predict(self, X: Sequence[SegmentInput]) -> list[list[str]]:
        """The domains of each segment: thresholds and the heading rule, document by document
        (``SegmentInput.doc_id``)."""
        probs = self.predict_proba(X)
        by_doc: dict[str, list[int]] = {}
        for i, x in enumerate(X):
            by_doc.setdefault(x.doc_id, []).append(i)
        out: list[list[str]] = [[] for _ in X]
        for idx in by_doc.values():
            decided = decide(
                probs[idx],
                [X[i] for i in idx],
                self.domains_,
                self.thresholds_(),
                self.heading_relax,
                self.fallback,
            )
            for i, domains in zip(idx, decided):
                out[i] = domains if X[i].kind in CLASSIFIED_KINDS else []
        return out

    def score(self, X: Sequence[SegmentInput], y: Sequence[Sequence[str]]) -> float:
        """Micro-F1 of ``predict`` over the classified segments (what model selection uses)."""
        keep = [i for i, x in enumerate(X) if x.kind in CLASSIFIED_KINDS]
        predicted = self.predict(X)
        scores = score_domains([y[i] for i in keep], [predicted[i] for i in keep], self.domains_)
        return scores["micro"]["f1"]

    def thresholds_(self) -> np.ndarray:
        if self.thresholds is None:
            return np.full(len(self.domains_), 0.5)
        return np.asarray(self.thresholds, dtype=float)

    def classify(self, segments: Sequence[Segment]) -> list[tuple[list[str], dict[str, float]]]:
        """(domains, domain -> probability) for each segment of one document."""
        X = segment_inputs(segments)
        probs = self.predict_proba(X)
        chosen = decide(
            probs, X, self.domains_, self.thresholds_(), self.heading_relax, self.fallback
        )
        results = []
        for seg, row, doms in zip(segments, probs, chosen):
            if seg.kind in CLASSIFIED_KINDS:
                results.append((doms, {d: round(float(p), 4) for d, p in zip(self.domains_, row)}))
            else:
                results.append(([], {}))
        return results

    # persistence ------------------------------------------------------------------------

    def state(self) -> dict:
        return {
            "params": {
                "domains": list(self.domains_),
                "C": float(self.C),
                "char_ngrams": bool(self.char_ngrams),
                "lexicon_weight": float(self.lexicon_weight),
                "heading_weight": float(self.heading_weight),
                "thresholds": [float(t) for t in self.thresholds_()],
                "heading_relax": float(self.heading_relax),
                "fallback": bool(self.fallback),
            },
            # the lexicon travels with the model, so its features match what it was trained
            # on; one string, as skops writes every list item as its own JSON node
            "lexicon": "\n".join(
                f"{e.domain}\t{' '.join(e.term)}\t{e.match}" for e in self.lexicon_
            ),
            "word_vectorizer": _saved_vectorizer(self.word_vectorizer_),
            "char_vectorizer": _saved_vectorizer(self.char_vectorizer_),
            "classifier": self.classifier_,
        }

    def save(self, path: str | Path) -> None:
        dump_model(self.state(), path)

    @classmethod
    def load(cls, path: str | Path) -> DomainClassifier:
        state = load_model(path)  # only the types the project's models use
        lexicon = [
            LexiconEntry(d, tuple(tokens(t)), m)
            for d, t, m in (line.split("\t") for line in state["lexicon"].splitlines())
        ]
        model = cls(lexicon=lexicon, **state["params"])
        model._set_lexicon(state["params"]["domains"], lexicon)
        model.word_vectorizer_ = _loaded_vectorizer(state["word_vectorizer"])
        model.char_vectorizer_ = _loaded_vectorizer(state["char_vectorizer"])
        model.classifier_ = state["classifier"]
        return model


# --------------------------------------------------------------------------------------------
# scoring


def score_domains(
    gold: Sequence[Sequence[str]],
    predicted: Sequence[Sequence[str]],
    domains: Sequence[str] | None = None,
) -> dict:
    """Per-domain precision, recall, F1 and support; micro P/R/F1; macro F1.

    One item per segment. Macro F1 averages over the domains with gold support, so a domain
    absent from an evaluation set neither helps nor hurts it.
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold segments but {len(predicted)} predictions")
    domains = list(domains) if domains is not None else domain_keys()
    G = np.array([[d in g for d in domains] for g in gold], dtype=int).reshape(-1, len(domains))
    P = np.array([[d in p for d in domains] for p in predicted], dtype=int).reshape(G.shape)
    if len(G):
        precision, recall, f1, support = precision_recall_fscore_support(
            G, P, average=None, zero_division=0
        )
        micro = precision_recall_fscore_support(G, P, average="micro", zero_division=0)[:3]
    else:
        precision = recall = f1 = support = np.zeros(len(domains))
        micro = (0.0, 0.0, 0.0)
    per_domain = {
        d: {
            "precision": float(precision[j]),
            "recall": float(recall[j]),
            "f1": float(f1[j]),
            "support": int(support[j]),
            "predicted": int(P[:, j].sum()),
        }
        for j, d in enumerate(domains)
    }
    supported = [v["f1"] for v in per_domain.values() if v["support"]]
    return {
        "per_domain": per_domain,
        "micro": dict(zip(("precision", "recall", "f1"), map(float, micro))),
        "macro_f1": sum(supported) / len(supported) if supported else 0.0,
        "n_segments": len(gold),
    }


# --------------------------------------------------------------------------------------------
# the spaCy component


class DomainComponent:
    """Sets _.domains, _.domain_scores and _.cap_topics on every span of doc.spans["segments"].

    The classifier (``model_path``: its skops file) and the CAP mapping come through
    ``initialize`` and are kept by ``to_disk``."""

    def __init__(
        self,
        model: DomainClassifier | None = None,
        cap_mapping: dict[str, list[int]] | None = None,
    ):
        self.model = model
        self.cap_mapping = cap_mapping or {}

    def initialize(
        self,
        get_examples=None,
        *,
        nlp=None,
        model_path: str | None = None,
        cap_mapping: dict[str, list[int]] | None = None,
        user_lexicon: str | None = None,
    ):
        path = Path(model_path or "")
        if not path.is_file():
            raise FileNotFoundError(
                f"no domain model at {path}: run `python -m pipeline train domains`"
            )
        self.model = DomainClassifier.load(path)
        self.cap_mapping = dict(cap_mapping or {})
        if user_lexicon:  # run --lexicon FILE (pipeline/userdata.py)
            rows = userdata.read_lexicon(user_lexicon)
            self.model.add_terms(
                [LexiconEntry(r.domain, tuple(tokens(r.term)), r.match) for r in rows]
            )

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.model is not None:
            self.model.save(path / MODEL_FILE)
        (path / "cap_mapping.json").write_text(json.dumps(self.cap_mapping), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> DomainComponent:
        path = Path(path)
        self.model = DomainClassifier.load(path / MODEL_FILE)
        mapping = json.loads((path / "cap_mapping.json").read_text(encoding="utf-8"))
        self.cap_mapping = {domain: list(codes) for domain, codes in mapping.items()}
        return self

    def __call__(self, doc: Doc) -> Doc:
        if self.model is None:
            raise ValueError("the domains component has no model: initialize it first")
        spans = list(doc.spans["segments"]) if "segments" in doc.spans else []
        segments = [
            Segment(s._.segment_id or f"#{i}", s._.kind or "", span_text(s), s._.heading_id)
            for i, s in enumerate(spans)
        ]
        for span, (domains, scores) in zip(spans, self.model.classify(segments)):
            span._.domains = sorted(domains)
            span._.domain_scores = scores
            span._.cap_topics = cap_topics_for(domains, self.cap_mapping)
        return doc


@Language.factory(
    "domains",
    assigns=["span._.domains", "span._.domain_scores", "span._.cap_topics"],
    default_config={},
)
def make_domain_component(nlp: Language, name: str) -> DomainComponent:
    return DomainComponent()


@registry.misc("declarations.cap_mapping.v1")
def create_cap_mapping(path: str | None = None) -> dict[str, list[int]]:
    """Domain -> CAP major topics, from data/domains/cap_mapping.json (or ``path``)."""
    return load_cap_mapping(path or CAP_MAPPING_PATH)
