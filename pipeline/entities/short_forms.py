"""Short forms of names: "het Fonds" after "Noords Fonds voor Circulaire Overgang", "de
Samenwerkingsraad" after "Samenwerkingsraad van de Golf".

A declaration names a body in full once and then by its head noun with a definite article. The
short form is the same actor as the most recent full name before it with that head noun, so it
gets that name's label and key, and the entities table and the commitments table agree.

The head of a full name is its first capitalised word that is a head noun of ``name_heads.tsv``
or a compound ending in one ("Noords *Agentschap* voor Natuurherstel", "*Samenwerkingsraad* van
de Golf"). A short form that is a gazetteer name by itself keeps its own key: "de Raad" is the
Council and "de Commissie" the European Commission wherever they stand (the gold of every
Council document), even after "Europese Raad" or "Commissie van de Afrikaanse Unie".
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

from spacy.tokens import Doc, Span, Token

from .keys import DETERMINERS, normalise_name

# "een Fonds voor ..." sets up a new body; only a definite article points back to one
DEFINITE = DETERMINERS - {"een"}
MIN_COMPOUND_HEAD = 4  # "Samenwerkingsraad" ends in "raad"; "bank" in "Investeringsbank"


def is_head(word: str, heads: Mapping[str, str]) -> bool:
    """Whether a word is a head noun of a name or a compound ending in one."""
    lower = word.lower()
    return lower in heads or any(
        len(head) >= MIN_COMPOUND_HEAD and lower.endswith(head) for head in heads
    )


def name_head(ent: Span, heads: Mapping[str, str]) -> str | None:
    """The head noun of a name of two or more words, as written ("Fonds"), or None."""
    if len(ent) < 2:
        return None
    for tok in ent:
        if not tok.is_title:
            return None  # the head stands before the first lower-case word ("Raad voor ...")
        if is_head(tok.text, heads):
            return tok.text
    return None


def _short_form_at(doc: Doc, i: int, head_names: Mapping[str, Span]) -> Span | None:
    tok: Token = doc[i]
    if i == 0 or doc[i - 1].lower_ not in DEFINITE:
        return None
    return head_names.get(tok.text)


def resolve_short_forms(
    doc: Doc,
    ents: Sequence[Span],
    heads: Mapping[str, str],
    aliases: Mapping[str, object],
    make_span: Callable[[int, int, Span], Span],
    labels: Collection[str] = ("ORG",),
) -> list[Span]:
    """``ents`` (in order) with every short form linked to its full name: an entity that is the
    short form alone is re-keyed, a model entity that begins with it and adds only lower-case
    words ("Agentschap ter beschikking stellen") is cut to it, and an untagged short form
    becomes an entity. ``make_span(start, end, full)`` builds the short form's span with the
    full name's label and key. Only full names of ``labels`` (bodies) have short forms."""
    by_start = {e.start: e for e in ents}
    out: list[Span] = []
    latest: dict[str, Span] = {}  # head noun -> most recent full name
    i = 0
    while i < len(doc):
        ent = by_start.get(i)
        full = _short_form_at(doc, i, latest)
        if full is not None and normalise_name(doc[i].text) not in aliases:
            if ent is None:
                out.append(make_span(i, i + 1, full))
                i += 1
                continue
            if not ent.id_ and ent.label_ in ("ORG", "PROGRAMME"):
                # the model's own span: the bare head, or the head and lower-case words after it
                if len(ent) == 1 or all(not t.is_title and not t.is_upper for t in ent[1:]):
                    out.append(make_span(i, i + 1, full))
                    i = ent.end
                    continue
        if ent is not None:
            out.append(ent)
            head = name_head(ent, heads) if ent.label_ in labels else None
            if head is not None:
                latest[head] = ent
            i = ent.end
            continue
        i += 1
    return out
