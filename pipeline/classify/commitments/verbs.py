"""Verbs: which tokens are pledged actions (infinitives, passive participles, finite verbs),
and the action each names (particles joined back, light-verb phrases whole)."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from spacy.tokens import Token

from ...syntax import has_tags, lemma, lemma_table, particle_of, particles
from ..cues import closed_class
from .lexicon import AUX_LEMMAS, CLAUSE_END, lexicons

# what ends a clause for a clause-final particle or complement; not the hyphen of "2024-2027"
SENTENCE_END = frozenset({".", "!", "?", "(", ")"})

QUANTIFIERS = closed_class("quantifier")
NAME_LABELS = frozenset({"PROGRAMME", "LAW", "EVENT", "ORG", "GPE", "LOC", "PERSON"})
NOMINALISERS = closed_class("nominaliser")
PREPOSITIONS = closed_class("preposition")
SHORT_INFINITIVES = closed_class("short_infinitive")
CLOSED_CLASS = frozenset(
    {"DET", "ADP", "NUM", "PRON", "CCONJ", "SCONJ", "AUX", "PUNCT", "SYM", "X"}
)
WORDEN_FORMS = closed_class("passive")


@functools.lru_cache(maxsize=1)
def known_lemmas() -> frozenset[str]:
    """Every lemma of spaCy's Dutch lookup table: a verb's infinitive is its lemma, a plural
    noun ("bijstandsmaatregelen") is not one, so this tells infinitives from plurals where
    the tagger cannot."""

    return frozenset(lemma_table().values())


def verb_kind(
    tokens: Sequence[Token], i: int, regions: list[int], first_of_item: bool = False
) -> str | None:
    """ "inf" for an infinitive, "part" for a passive participle, None for anything else.

    The tagger (trained on 36k tokens) tags plural nouns ("bijstandsmaatregelen") as VERB and
    infinitives ("aanvullen") as NOUN on declarations, so the word form decides: an infinitive
    ends in -en, follows "te" or is a lemma of the lookup table, does not follow an article
    ("het versterken van" is a noun) or a preposition, and does not stand before a noun; a
    participle stands in a clause with "worden".
    """
    tok = tokens[i]
    form = tok.lower_
    if lemma(tok) in AUX_LEMMAS or form in AUX_LEMMAS or not tok.is_alpha:
        return None
    if tok.ent_type_ in NAME_LABELS and not tok.is_lower:
        # a word of a name ("het programma Jongeren Bouwen Bruggen"); a lowercase verb in a
        # name is the recogniser reaching too far ("Groene Banen opzetten voor ...")
        return None

    prev_tok = tokens[i - 1] if i > 0 else None
    prev = prev_tok.lower_ if prev_tok is not None else ""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    tagged = has_tags(tok.doc)
    if nxt is not None and nxt.lower_ == "te" and form in particles():
        return None  # the particle of "open te stellen", "aan te gaan"
    if (
        prev in NOMINALISERS
        or prev in QUANTIFIERS
        or (
            prev_tok is not None
            and prev_tok.is_alpha
            and not prev_tok.ent_type_
            and (prev_tok.like_num or (tagged and prev_tok.pos_ == "NUM"))
        )
    ):
        # "elf landen": a noun after a numeral (not "EUR 4 miljoen lanceren", "tegen 2030")
        return None  # "alle scholen", "hun inspanningen": a plural noun
    if prev in PREPOSITIONS and prev not in particles():
        return None  # "met middelen uit": a noun
    if (
        tagged
        and prev_tok is not None
        and prev in particles()
        and prev_tok.pos_ == "ADP"
        and tok.pos_ == "NOUN"
    ):
        return None  # "in scholen": a particle stands joined to a bare infinitive ("invoeren")
    if tagged and nxt is not None and nxt.pos_ == "NOUN" and prev != "te":
        return None
    base = lemma(tok)
    passive = any(
        t.lower_ in WORDEN_FORMS for j, t in enumerate(tokens[:i]) if regions[j] == regions[i]
    )
    if passive:
        # a past participle ends in -t, -d or -en (ANS 7.3): "geschiedenis" is no participle
        participle = form.endswith(("t", "d", "en")) and (
            (tagged and "Part" in tok.morph.get("VerbForm", []))
            or form.startswith("ge")
            or (base != form and base.endswith("en"))
        )
        if participle and (not tagged or tok.pos_ == "VERB" or base in known_lemmas()):
            return "part"
    if form.endswith("en") or form in SHORT_INFINITIVES:
        if prev == "te":
            return "inf"
        if (tagged and tok.pos_ in CLOSED_CLASS) or tok.like_num:  # "een", "tegen", "miljoen"
            return None
        if (
            tagged
            and tok.pos_ == "NOUN"
            and prev_tok is not None
            and prev_tok.pos_ == "ADJ"
            and prev.endswith("e")
        ):
            return None  # "prioritaire gebieden", "derde landen": an inflected adjective
        if form in known_lemmas():
            return "inf"
        if base != form and form.startswith(base):
            # lemmatised as a plural noun ("cyberaanvallen" -> "cyberaanval"), unless only the
            # -n went and the word ends in a known verb ("medefinancieren" -> "financieren")
            if base + "n" == form and compound_head(form) == "verb":
                return "inf"
            return None
        head = compound_head(form)
        if head is not None:  # "medefinancieren" (verb), "blendingmiddelen" (noun plural)
            return "inf" if head == "verb" else None
        if tagged and tok.pos_ == "VERB" and base == form:
            return "inf"
    return None


def compound_head(form: str) -> str | None:
    """ "verb" or "noun" for an unknown -en word from its longest known ending (Dutch compounds
    inflect on their last part): "talentpartnerschappen" ends in "partnerschappen", which the
    lookup table lemmatises to "partnerschap" (a plural noun); "medefinancieren" ends in
    "financieren", an infinitive."""

    table = lemma_table()
    for k in range(0, len(form) - 4):
        tail = form[k:]
        mapped = table.get(tail)
        if mapped and mapped != tail and not mapped.endswith("en"):
            return "noun"
        if tail in known_lemmas() and len(tail) >= 8:
            return "verb"
    return None


def is_finite_verb(tok: Token) -> bool:
    if has_tags(tok.doc):
        return (
            tok.is_alpha and tok.pos_ in ("VERB", "AUX") and "Fin" in tok.morph.get("VerbForm", [])
        )
    return False


def light_verb_action(
    verb: Token, tokens: Sequence[Token], index: int, kind: str = "inf"
) -> tuple[str, int] | None:
    """(action, complement index) when ``verb`` is the light verb of a phrase: the complement
    within the six words before it ("uitvoering te geven", "nadruk zal worden gelegd"), or,
    for a finite verb-second verb, in the rest of its clause ("stelt de EU ... beschikbaar",
    "stelt ... beschikbaar aan de partners")."""
    verb_lemma_ = verb.lower_ if kind == "inf" else lemma(verb)
    options = lexicons().light_verbs.get(verb_lemma_)
    if not options:
        return None
    window = list(range(index - 1, max(-1, index - 7), -1))
    if is_finite_verb(verb):
        end = next(
            (
                j
                for j in range(index + 1, len(tokens))
                if tokens[j].text in CLAUSE_END or tokens[j].text in SENTENCE_END
            ),
            len(tokens),
        )
        # the complement closes the clause, or stands before an extraposed phrase ("stelt
        # zijn gegevens beschikbaar aan de partners")
        window = list(range(end - 1, index, -1)) + window
    for j in window:
        word = tokens[j]
        if word.text in CLAUSE_END and j < index:
            break
        for comp, action in options:
            if lemma(word) == comp or word.lower_ == comp:
                return action, j
    # adjective + maken: "energiezuiniger maken", "operationeel maken"
    if verb_lemma_ == "maken" and index > 0:
        j = index - 2 if tokens[index - 1].lower_ == "te" and index > 1 else index - 1
        if has_tags(verb.doc) and tokens[j].pos_ == "ADJ":
            return f"{tokens[j].lower_} maken", j
    return None


def action_of(verb: Token, tokens: Sequence[Token], index: int, kind: str) -> tuple[str, set[int]]:
    """The action for a verb ("inf", "part" or "fin") and the token indices it uses.

    Infinitives are their own lemma (the lemmatiser is least reliable on rare verbs); a
    separated particle joins the verb before light-verb phrases are tried ("vast te stellen"
    is "vaststellen"); participles and finite verbs take the lemmatiser's lemma.
    """

    used = {index}
    base = verb.lower_ if kind == "inf" else lemma(verb)
    if kind == "part" and not base.endswith("en"):
        base = participle_infinitive(verb.lower_) or base  # "opgezet" -> "opzetten"
    prt = None
    if (
        kind == "inf"
        and index >= 2
        and tokens[index - 1].lower_ == "te"
        and tokens[index - 2].lower_ in particles()
    ):
        prt = tokens[index - 2]  # "op te voeren"
    elif kind == "fin":
        prt = _final_particle(verb, tokens, index)  # "nemen wij ... aan"
    if prt is not None:
        used.add(prt.i - tokens[0].i)
        phrase = dict(lexicons().light_verbs.get(base, [])).get(prt.lower_)
        if phrase:  # "stelt ... beschikbaar": the parse calls the adjective a particle
            return phrase, used
        return (base if base.startswith(prt.lower_) else prt.lower_ + base), used
    light = light_verb_action(verb, tokens, index, kind)
    if light:
        return light[0], used | {light[1]}
    return base, used


def _final_particle(verb: Token, tokens: Sequence[Token], index: int) -> Token | None:
    """The particle closing a verb-second clause ("nemen wij ... aan")."""

    prt = particle_of(verb) if verb.doc.has_annotation("DEP") else None
    if prt is not None:
        return prt
    end = next(
        (j for j in range(index + 1, len(tokens)) if tokens[j].text in CLAUSE_END | SENTENCE_END),
        len(tokens),
    )
    if end - 1 > index and tokens[end - 1].lower_ in particles():
        return tokens[end - 1]
    return None


def participle_infinitive(form: str) -> str | None:
    """The infinitive of a past participle the lemmatiser left as it is, from its form (ANS
    7.3: particle + "ge" + stem + -d/-t): "opgezet" -> "opzetten", "uitgebouwd" ->
    "uitbouwen"; None unless the infinitive is a known lemma."""
    for prt in sorted(particles(), key=len, reverse=True) + [""]:
        if not form.startswith(prt + "ge"):
            continue
        core = form[len(prt) + 2 :]
        stems = [core]
        if core.endswith(("d", "t")):
            stems.append(core[:-1])
        for stem in stems:
            if len(stem) < 2:
                continue
            candidates = [stem + stem[-1] + "en", stem + "en"]  # "stel" -> "stellen"
            if len(stem) >= 3 and stem[-2] == stem[-3]:  # "maak" -> "maken"
                candidates.append(stem[:-2] + stem[-1] + "en")
            for infinitive in candidates:
                if infinitive in known_lemmas():
                    return prt + infinitive
    return None
