"""The seed's gold annotation laid over the pipeline's own segmentation of a text.

Report and export tests use it so that they test their own stage, not the trained models. The
gold becomes a Doc in one place, ``pipeline.gold.gold_doc``; here its annotations move by
segment and sentence id onto the segmentation of ``text`` (which may be a revised copy).
"""

from pathlib import Path

from spacy.tokens import Doc

from pipeline.extract.text import read_text
from pipeline.gold import SEED_GOLD, gold_doc, load_gold
from pipeline.nlp import blank_nlp
from pipeline.segment import segment


def annotated_doc(text: str, doc_id: str, gold_path: Path = SEED_GOLD) -> Doc:
    """The pipeline's segmentation of text, with the gold annotation of the seed laid over it:
    domains, speech acts, commitments, and each gold entity found in its sentence's text."""
    nlp = blank_nlp()
    reference = gold_doc(load_gold(gold_path), nlp, with_annotations=True)
    doc = segment(read_text(text, source_path=f"{doc_id}.txt"), nlp, doc_id)
    gold_segments = {s._.segment_id: s for s in reference.spans["segments"]}
    gold_sentences = {s._.sentence_id: s for s in reference.spans["sentences"]}
    for seg in doc.spans["segments"]:
        gold_seg = gold_segments.get(seg._.segment_id)
        seg._.domains = list(gold_seg._.domains) if gold_seg is not None else []
    ents = []
    for sent in doc.spans["sentences"]:
        gold_sent = gold_sentences.get(sent._.sentence_id)
        if gold_sent is None:
            continue
        sent._.speech_act = gold_sent._.speech_act
        sent._.commitments = gold_sent._.commitments
        cursor = 0
        for ent in gold_sent.ents:
            i = sent.text.find(ent.text, cursor)
            if i < 0:  # the revised text no longer has it
                continue
            span = doc.char_span(
                sent.start_char + i,
                sent.start_char + i + len(ent.text),
                label=ent.label_,
                kb_id=ent.kb_id_,
            )
            if span is not None and (not ents or span.start >= ents[-1].end):
                ents.append(span)
                cursor = i + len(ent.text)
    doc.ents = ents
    for ent in doc.ents:
        ent._.source = "gold"
    return doc
