"""The actor linker: one canonical key per actor, the same under all its names in every document.

For each ORG, GPE and LOC mention, in this order:

1. a gazetteer match carries its entry's key (the ruler's pattern id): "Commissie" ->
   ``european_commission``;
2. a name the model found is looked up among the gazetteer's names after normalisation
   (case, diacritics, leading article, footnote mark): "de Europese Commissie" ->
   ``european_commission``;
3. any other name gets a key made from the name itself (``slug_key``), which its repeated
   mentions, here and in other documents, share; a place (GPE) no gazetteer entry knows gets
   it with the cities' prefix (``city:aarhus``): the gazetteer holds every country, territory
   and sub-state government, so a place only the model found is a town;
4. an acronym defined in brackets and its expansion share one key within the document: the
   gazetteer key of either if one has one, else the expansion's own key;
5. a short form ("het Agentschap" after "Noords Agentschap voor Natuurherstel") takes the key
   of the most recent full name with its head noun (``short_forms.py``), and becomes an
   entity where the recogniser left it out.

Every entity also gets ``ent._.source`` if no earlier component set it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import srsly
from spacy import util
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..scheme import ACTOR_LABELS as KEYED_LABELS
from .keys import normalise_name, slug_key
from .resolver import ruler_source, set_entities
from .short_forms import resolve_short_forms

CITY_PREFIX = "city:"  # the gazetteer's cities' keys (docs/annotation.md section 2)


def own_key(ent: Span, aliases: dict[str, tuple[str, str]]) -> str:
    """Steps 1-3 of the module doc, for one mention."""
    if ent.id_ and not ent.id_.startswith("pattern:"):
        return ent.id_
    name = normalise_name(ent.text)
    if name in aliases:
        return aliases[name][0]
    if ent.label_ == "GPE":
        return CITY_PREFIX + slug_key(ent.text)
    return slug_key(ent.text)


def _short(start: int, end: int, full: Span) -> Span:
    """A short form's entity: its full name's label and key."""
    span = Span(full.doc, start, end, label=full.label, kb_id=full.kb_id)
    span._.source = "short_form"
    return span


def _source(ent: Span) -> str:
    if ent._.source:
        return ent._.source
    return ruler_source(ent) if ent.id_ else "ner"


@Language.factory(
    "actor_linker",
    assigns=["token.ent_kb_id", "span._.source"],
    requires=["doc.ents"],
    default_config={"keyed_labels": list(KEYED_LABELS)},
)
def make_actor_linker(nlp: Language, name: str, keyed_labels: list[str]):
    return ActorLinker(keyed_labels)


class ActorLinker:
    """Sets ``ent.kb_id_`` and ``ent._.source``. The gazetteer's names (normalised name ->
    (key, label)) and keys, and the head nouns of names (``name_heads``: head -> label), come
    through ``initialize`` and are kept by ``to_disk``."""

    def __init__(
        self,
        keyed_labels: Iterable[str] = KEYED_LABELS,
        aliases: dict[str, tuple[str, str]] | None = None,
        known_keys: Iterable[str] = (),
        name_heads: dict[str, str] | None = None,
    ):
        self.keyed_labels = frozenset(keyed_labels)
        self.aliases = dict(aliases or {})
        self.known_keys = frozenset(known_keys)
        self.name_heads = dict(name_heads or {})

    def initialize(
        self,
        get_examples=None,
        *,
        nlp=None,
        aliases: dict[str, tuple[str, str]] | None = None,
        known_keys: Iterable[str] = (),
        name_heads: dict[str, str] | None = None,
    ):
        self.aliases = dict(aliases or {})
        self.known_keys = frozenset(known_keys)
        self.name_heads = dict(name_heads or {})

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        data = {
            "aliases": [[name, key, label] for name, (key, label) in self.aliases.items()],
            "known_keys": sorted(self.known_keys),
            "name_heads": self.name_heads,
        }
        util.to_disk(path, {"gazetteer.json": lambda p: srsly.write_json(p, data)}, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> ActorLinker:
        def read(p):
            data = srsly.read_json(p)
            self.aliases = {name: (key, label) for name, key, label in data["aliases"]}
            self.known_keys = frozenset(data["known_keys"])
            self.name_heads = dict(data.get("name_heads", {}))

        util.from_disk(path, {"gazetteer.json": read}, exclude)
        return self

    def __call__(self, doc: Doc) -> Doc:
        keys = {
            (ent.start_char, ent.end_char): own_key(ent, self.aliases)
            for ent in doc.ents
            if ent.label_ in self.keyed_labels
        }
        by_text = self._acronym_keys(doc, keys)
        linked = []
        for ent in doc.ents:
            source = _source(ent)
            key = ""
            if ent.label_ in self.keyed_labels:
                key = by_text.get(ent.text) or keys[(ent.start_char, ent.end_char)]
            span = Span(doc, ent.start, ent.end, label=ent.label, kb_id=key, span_id=ent.id)
            span._.source = source
            linked.append(span)
        set_entities(doc, resolve_short_forms(doc, linked, self._org_heads, self.aliases, _short))
        return doc

    @property
    def _org_heads(self) -> dict[str, str]:
        """The head nouns of bodies' names: a short form names a body ("het Agentschap")."""
        return {head: label for head, label in self.name_heads.items() if label == "ORG"}

    def _acronym_keys(self, doc: Doc, keys: dict[tuple[int, int], str]) -> dict[str, str]:
        """Mention text -> shared key, for the acronyms of this document and their expansions."""
        shared: dict[str, str] = {}
        for acronym, (start, end) in (doc._.acronyms or {}).items():
            expansion = doc.char_span(start, end)
            if expansion is None:
                continue
            expansion_key = keys.get((start, end)) or own_key(expansion, self.aliases)
            acronym_key = self.aliases.get(normalise_name(acronym), (None,))[0]
            if expansion_key in self.known_keys or acronym_key is None:
                key = expansion_key
            else:
                key = acronym_key
            shared[acronym] = key
            shared[expansion.text] = key
        return shared
