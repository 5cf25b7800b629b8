"""``python -m pipeline evaluate GOLD.json... --out DIR``: the pipeline against gold files.

Each gold file is run through the whole pipeline from its source text (``<doc_id>.txt`` next to
the gold file or in corpus/; otherwise the gold rendered back to text), its sentences are paired
with the gold sentences (``pipeline.gold.align_sentences``: by sentence id, else by text), and every layer is scored with the
scoring function of the stage that produces it. Scores over all files together are printed and
written to ``DIR/evaluation.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

from spacy.tokens import Doc

from . import PACKAGE_DIR, api
from .classify.commitments import score_commitments
from .classify.domains import score_domains
from .classify.speech import score_speech_acts
from .entities.scoring import format_entity_scores, score_entities
from .gold import GoldDocument, align_sentences, load_gold, render_text
from .nlp import load_nlp
from .store import write_text


def _squash(text: str) -> str:
    return " ".join(text.split())


def source_for(gold: GoldDocument) -> Path | None:
    gold_path = Path(gold.path)
    for candidate in (
        gold_path.with_name(f"{gold.doc_id}.txt"),
        PACKAGE_DIR.parent / "corpus" / f"{gold.doc_id}.txt",
    ):
        if candidate.exists():
            return candidate
    return None


def predicted_doc(gold: GoldDocument, nlp=None) -> Doc:
    nlp = nlp or load_nlp()
    source = source_for(gold)
    if source is not None:
        return api.process_file(source, gold.doc_id, nlp=nlp)
    return api.process_text(render_text(gold), gold.doc_id, nlp=nlp)


def pair_segments(gold: GoldDocument, doc: Doc):
    by_id = {s._.segment_id: s for s in doc.spans["segments"]}
    return [(seg, by_id.get(seg.id)) for seg in gold.segments]


def evaluate_documents(golds: list[GoldDocument], nlp=None) -> dict:
    """Scores of every layer over the given gold documents together."""

    sentence_pairs, segment_pairs = [], []
    for gold in golds:
        doc = predicted_doc(gold, nlp)
        sentence_pairs += align_sentences(doc, gold)
        segment_pairs += pair_segments(gold, doc)
    found = [(g, s) for g, s in sentence_pairs if s is not None]
    labelled = [
        (seg, span) for seg, span in segment_pairs if seg.kind in ("point", "heading", "bullet")
    ]
    return {
        "documents": [g.doc_id for g in golds],
        "segmentation": {
            "segments": len(segment_pairs),
            "segments_matched": sum(
                span is not None and _squash(span.text) == _squash(seg.text)
                for seg, span in segment_pairs
            ),
            "sentences": len(sentence_pairs),
            "sentences_matched": len(found),
        },
        "entities": score_entities(found),
        "speech_acts": score_speech_acts(
            [g.speech_acts for g, _ in found], [s._.speech_act for _, s in found]
        ),
        "commitments": score_commitments(
            [(g.commitments, list(s._.commitments or [])) for g, s in found]
        ),
        "domains": score_domains(
            [seg.domains for seg, _ in labelled],
            [list(span._.domains or []) if span is not None else [] for _, span in labelled],
        ),
    }


def format_scores(scores: dict) -> str:

    seg = scores["segmentation"]
    lines = [
        f"documents: {', '.join(scores['documents'])}",
        f"segmentation: {seg['segments_matched']}/{seg['segments']} segments, "
        f"{seg['sentences_matched']}/{seg['sentences']} sentences found",
        "",
        "entities",
        format_entity_scores(scores["entities"]),
    ]
    for layer in ("speech_acts", "commitments", "domains"):
        lines += ["", layer, json.dumps(_round(scores[layer]), indent=1, ensure_ascii=False)]
    return "\n".join(lines)


def _round(value):
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_round(v) for v in value]
    return value


def evaluate(gold_paths: list[str | Path], out_dir: str | Path | None = None) -> str:
    golds = [load_gold(p) for p in gold_paths]
    scores = evaluate_documents(golds)
    text = format_scores(scores)
    if out_dir:
        write_text(
            Path(out_dir) / "evaluation.json",
            json.dumps(_round(scores), indent=1, ensure_ascii=False),
        )
        write_text(Path(out_dir) / "evaluation.txt", text + "\n")
    return text
