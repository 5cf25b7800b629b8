"""The seed's gold annotation laid over the pipeline's own segmentation of a text.

Report and export tests use it so that they test their own stage, not the trained models.
"""

from pathlib import Path

from pipeline.extract.text import read_text
from pipeline.gold import SEED_GOLD, load_gold
from pipeline.nlp import blank_nlp
from pipeline.segment import segment


def annotated_doc(text: str, doc_id: str, gold_path: Path = SEED_GOLD):
    """The pipeline's segmentation of text, with the gold annotation of the seed laid over it."""
    gold = load_gold(gold_path)
    doc = segment(read_text(text, source_path=f"{doc_id}.txt"), blank_nlp(), doc_id)
    by_id = {seg.id: seg for seg in gold.segments}
    for seg in doc.spans["segments"]:
        gold_seg = by_id.get(seg._.segment_id)
        seg._.domains = list(gold_seg.domains) if gold_seg else []
    ents = []
    for sent in doc.spans["sentences"]:
        gold_seg = by_id.get(sent._.segment_id)
        k = int(sent._.sentence_id.rsplit(".s", 1)[1]) - 1
        if gold_seg is None or k >= len(gold_seg.sentences):
            continue
        gold_sent = gold_seg.sentences[k]
        sent._.speech_act = gold_sent.speech_act.split("|")[0]
        sent._.commitments = gold_sent.commitments
        cursor = 0
        for ent in gold_sent.entities:
            i = sent.text.find(ent.text, cursor)
            if i < 0:
                continue
            span = doc.char_span(
                sent.start_char + i,
                sent.start_char + i + len(ent.text),
                label=ent.label.split("|")[0],
                kb_id=ent.key or "",
            )
            if span is not None and (not ents or span.start >= ents[-1].end):
                ents.append(span)
                cursor = i + len(ent.text)
    doc.ents = ents
    for ent in doc.ents:
        ent._.source = "gold"
    return doc
