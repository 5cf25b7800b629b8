"""Who declares and who meets: the declaring parties of a document, read from its preamble
(authors, participants, partner groups), and the actor mentions of the document."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from ...entities.gazetteer import alias_index, gazetteer_keys
from ...entities.keys import normalise_name
from ...scheme import ACTOR_LABELS as KEYED_LABELS
from ..cues import CUES_DIR, closed_class, read_table
from .lexicon import ACTOR_LABELS, lexicons


@dataclass
class Summit:
    """The declaring parties of one document.

    ``authors``: who declares ("Wij, de leiders van de EU ...", "De Raad heeft ... aangenomen");
    ``speakers``: the authors with the institutions that speak for them and the parties they
    speak for (a Council pledge is the EU's own); a pledge of anyone else is *reported*;
    ``participants``: the parties a "wij" or an action item commits: the authors (institutions
    folded into their party) and the partner groups the summit met ("met de leiders van onze
    partners van de Westelijke Balkan").
    """

    authors: list[str]
    participants: list[str]
    partner_groups: list[str] = field(default_factory=list)
    mentions: list = field(default_factory=list)  # the document's actor Mentions
    speakers: frozenset = frozenset()
    default_group: str | None = None  # the partner group the document is about
    annex_parties: list = field(default_factory=list)  # parties the annex title names

    def unnamed_actors(self) -> list[str]:
        """Who acts where a pledge names nobody (an agentless passive, a subject that is no
        actor): the lead author, or every author where two or more declare together ("De
        resultaten zullen ... openbaar worden gemaakt" by the ministers of four countries, "De
        eerste bijeenkomst zal ... worden gehouden" by the leaders of the EU and of CELAC).
        Partners the authors met are not authors: an EU summit's passive stays the EU's."""
        authors = [k for k in self.participants if k in self.authors or k in self.speakers]
        if len(authors) >= 2:
            return authors
        return self.participants[:1]

    def is_reported(self, actors: Sequence[str]) -> bool:
        speakers = self.speakers or frozenset(self.authors)
        return not any(a in speakers for a in actors)


@functools.lru_cache(maxsize=1)
def _known_keys() -> frozenset[str] | None:
    """The gazetteer's keys: a declaring party is a known
    actor, not whatever the statistical recogniser took for an organisation."""
    return gazetteer_keys()


def _entity_keys(span: Span) -> list[tuple[Span, str]]:
    """Parties named in a span: organisations and states known to the gazetteer, and regions
    (the caller keeps a region only as "partners van <region>")."""
    known = _known_keys()
    out = []
    for e in span.ents:
        key = e.kb_id_
        if not key or e.label_ not in KEYED_LABELS or key.startswith("city:"):
            continue
        if e.label_ != "LOC" and known is not None and key not in known:
            continue
        if e.start > 0 and e.doc[e.start - 1].lower_ in ("in", "te") and not _listed(e):
            continue  # where the meeting took place ("in Luxemburg"), not who met
        out.append((e, key))
    return out


def _listed(ent: Span) -> bool:
    """Whether a name is the first of a list of parties ("de ministers die in België,
    Denemarken en Nederland verantwoordelijk zijn"): a list names who acts, a place does not
    come in lists."""
    doc = ent.doc
    k = ent.end
    if k + 1 >= len(doc) or doc[k].text not in (",", "en"):
        return False
    nxt = doc[k + 1]
    return bool(nxt.ent_iob_ == "B" and nxt.ent_type_ == ent.label_ and nxt.ent_kb_id_)


def group_of_region(key: str) -> str | None:
    for group, (regions, _members) in lexicons().partner_groups.items():
        if key in regions:
            return group
    return None


def group_of_member(key: str) -> str | None:
    for group, (_regions, members) in lexicons().partner_groups.items():
        if key in members:
            return group
    return None


def is_country(key: str) -> bool:
    """Countries have ISO 3166-1 alpha-3 keys (docs/annotation.md section 2)."""
    return len(key) == 3 and key.isalpha() and key.isupper()


def preceded_by_partners(ent: Span, window: int = 4) -> bool:
    start = max(ent.sent.start if ent.doc.has_annotation("SENT_START") else 0, ent.start - window)
    return any(t.lower_ == "partners" for t in ent.doc[start : ent.start])


def _collapse_members(keys: list[str]) -> list[str]:
    """Member countries become their partner group when two or more of it are named and no
    other country stands beside them; first mention order, no duplicates. Ministers of
    Albania, Bulgaria, Greece and North Macedonia are four parties, not the Western Balkans
    partners and two more."""
    named: dict[str, int] = {}
    for k in keys:
        g = group_of_member(k)
        if g:
            named[g] = named.get(g, 0) + 1
    countries = {k for k in keys if is_country(k)}
    out: list[str] = []
    for k in keys:
        g = group_of_member(k)
        members = lexicons().partner_groups[g][1] if g else ()
        if g and named[g] >= 2 and countries <= set(members):
            k = g
        if k not in out:
            out.append(k)
    return out


def _fold_institutions(keys: list[str], only_if_parent_named: bool) -> list[str]:
    """Institutions that speak for their party become the party ("de voorzitter van de
    Europese Raad" among the EU's signatories is the EU)."""
    parents = lexicons().parents
    out: list[str] = []
    folded = {
        parents[k][0] if k in parents and parents[k][1] and not only_if_parent_named else k
        for k in keys
    }
    for k in keys:
        parent, speaks = parents.get(k, (None, False))
        if parent and speaks and (parent in keys or not only_if_parent_named):
            k = parent
        elif parent and not speaks and parent in folded:
            continue  # the Commission's president signing beside the EU's leaders
        if k not in out:
            out.append(k)
    return out


def _speakers(authors: list[str]) -> frozenset[str]:
    parents = lexicons().parents
    out = set(authors)
    for k, (parent, speaks) in parents.items():
        if not speaks:
            continue
        if k in authors:
            out.add(parent)
        if parent in authors:
            out.add(k)
    return frozenset(out)


PREAMBLE_WITH = tuple(row[0] for row in read_table(CUES_DIR / "preamble.tsv"))
PREAMBLE_OBSERVERS = tuple(
    row[0] for row in read_table(CUES_DIR / "preamble.tsv") if row[1:2] == ["observer"]
)


PREAMBLE_FRAMES = tuple(row[0] for row in read_table(CUES_DIR / "preamble_frames.tsv"))


def _frame_body(preamble: Span) -> list[str]:
    """The body a preamble's speakers declare in ("verenigd in het Netwerk van Getijdensteden",
    "in het kader van de Noordse Ministerraad", preamble_frames.tsv): its key, or the parties
    it stands for where it is a forum; empty where the preamble names none. Any organisation
    the recogniser found counts, known to the gazetteer or not: the phrase says it is a body."""
    doc = preamble.doc
    words = [t.lower_ for t in preamble]
    for phrase in PREAMBLE_FRAMES:
        n = len(phrase.split())
        for i in range(len(words) - n + 1):
            if " ".join(words[i : i + n]) != phrase:
                continue
            k = preamble.start + i + n
            while k < preamble.end and doc[k].lower_ in DETERMINERS:
                k += 1
            ent = next((e for e in preamble.ents if e.start == k), None)
            if ent is not None and ent.label_ == "ORG" and ent.kb_id_:
                return forum_parties(ent) or [ent.kb_id_]
    return []


def _observer_stretches(text: str, offset: int) -> list[tuple[int, int]]:
    """Character ranges of the preamble that name observers ("in aanwezigheid van ..." up to
    the next comma, colon or semicolon): present, not taking part."""
    out = []
    for phrase in PREAMBLE_OBSERVERS:
        start = text.find(phrase)
        while start >= 0:
            ends = [e for e in (text.find(c, start) for c in ",:;") if e >= 0]
            end = min(ends) if ends else len(text)
            out.append((offset + start, offset + end))
            start = text.find(phrase, end)
    return out


DETERMINERS = closed_class("article")


@functools.lru_cache(maxsize=1)
def _alias_index() -> dict:
    """Normalised name -> (key, label) from the gazetteer."""
    return alias_index()


def _names_in(text: str) -> list[str]:
    """Actor keys of the gazetteer names in a stretch of text, longest match first, in reading
    order: the parties in a body's name ("Associatieraad EU-Georgië", "tussen de Europese
    Unie en Montenegro")."""

    index = _alias_index()
    words = [w for w in re.split(r"[\s\-–/,()]+", text) if w]
    out: list[str] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + 5), i, -1):
            hit = index.get(normalise_name(" ".join(words[i:j])))
            if hit and hit[1] in KEYED_LABELS:
                key = hit[0] if hit[1] != "LOC" else group_of_region(hit[0])
                if key and key not in out:
                    out.append(key)
                i = j - 1
                break
        i += 1
    return out


def forum_parties(ent: Span) -> list[str]:
    """The parties a joint body or forum stands for (forums.tsv): the fixed members of a
    forum ("Unie voor het Middellandse Zeegebied" -> the EU and its Mediterranean partners),
    or the parties named in a bilateral body's name ("Stabilisatie- en Associatieraad tussen de
    Europese Unie en Montenegro", "Associatieraad EU-Georgië"). Empty for anything else."""
    lex = lexicons()
    if ent.kb_id_ in lex.forums:
        return list(lex.forums[ent.kb_id_])
    if ent.label_ != "ORG":
        return []
    text = ent.text.lower()
    head = next((h for h in lex.forum_heads if text.startswith(h)), None)
    if head is None:
        return []
    rest = ent.text[len(head) :]
    doc = ent.doc
    if ent.end < len(doc) and doc[ent.end].lower_ == "tussen":  # "... Associatieraad tussen X en Y"
        stop = next(
            (
                k
                for k in range(ent.end, min(len(doc), ent.end + 12))
                if doc[k].is_punct or doc[k].pos_ in ("VERB", "AUX")
            ),
            ent.end + 12,
        )
        rest += " " + doc[ent.end : stop].text
    return _names_in(rest)


def _region_of_parties(ent: Span) -> str | None:
    """A partner group's region named as whose leaders or countries meet ("de leiders van de
    EU en van de Westelijke Balkan"): the group, not the place."""
    group = group_of_region(ent.kb_id_)
    if group is None:
        return None
    k = ent.start - 1
    while k >= 0 and ent.doc[k].lower_ in DETERMINERS:
        k -= 1
    return group if k >= 0 and ent.doc[k].lower_ == "van" else None


def summit_of(doc: Doc, default_authors: Sequence[str]) -> Summit:
    """Authors: the parties named in the preamble before any "in overleg met" / "met de
    leiders van onze partners"; participants: the authors and the partner groups named after
    it ("partners van de Westelijke Balkan") or as whose leaders meet ("van de Westelijke
    Balkan"). A forum or joint body stands for its parties (forums.tsv). Without a preamble,
    or with one that names no party: ``default_authors`` (the component's setting, or the
    document's own ``doc._.declared_by``). ``default_group``: the partner group the document is about, for action items and
    "de partners" where the preamble names no group."""
    segments = list(doc.spans["segments"]) if "segments" in doc.spans else []
    preamble = next((s for s in segments if s._.kind == "preamble"), None)
    if preamble is None:
        preamble = _self_description(doc, segments)
    mentions = actor_mentions(doc)
    region_groups = [
        g
        for g in (group_of_region(e.kb_id_) for e in doc.ents if e.label_ == "LOC" and e.kb_id_)
        if g
    ]
    # groups named by their region under any label ("in het Oostelijk Partnerschap", a
    # PROGRAMME: its gazetteer id, as it carries no actor key)
    named_groups = {g for g in (group_of_region(e.kb_id_ or e.id_) for e in doc.ents) if g}
    if not doc._.declared_by:
        # the title names who declares where the preamble does not ("Verklaring van de
        # leiders van de G20 in Recife"); a document's own declared_by is the researcher's word
        default_authors = _title_parties(segments) or default_authors
    if preamble is None:
        authors = list(default_authors)
        participants = _fold_institutions(authors, only_if_parent_named=False)
        summit = Summit(authors, participants, mentions=mentions, speakers=_speakers(authors))
        summit.default_group = dominant_partner_group(summit, region_groups, named_groups)
        return summit
    colon = next((t.i for t in preamble if t.text == ":"), None)
    if colon is not None:
        # a preamble ends at its colon ("... verklaren het volgende:"); a segment that runs on
        # past it holds the declaration's first points, whose actors declare nothing
        preamble = doc[preamble.start : colon + 1]
    text = preamble.text.lower()
    cut = min([text.find(p) for p in PREAMBLE_WITH if p in text] or [len(text)])
    cut_char = preamble.start_char + cut
    found: list[tuple[int, str, bool]] = []  # (token, key, named before the cut)
    forum_spans = []
    observers = _observer_stretches(text, preamble.start_char)
    for ent in preamble.ents:
        if any(a <= ent.start_char < b for a, b in observers):
            forum_spans.append((ent.start, ent.end))  # present, not a party
            continue
        parties = forum_parties(ent)
        if parties:
            forum_spans.append((ent.start, ent.end))
            found += [(ent.start, k, ent.start_char < cut_char) for k in parties]
    for ent, key in _entity_keys(preamble):
        if any(a <= ent.start < b for a, b in forum_spans):
            continue
        group = partner_group(ent)
        before = ent.start_char < cut_char
        if group:
            key = group
        elif ent.label_ == "LOC":  # a region named on its own is a place, not a party
            region = _region_of_parties(ent)
            if region is None:
                continue
            key = region
            before = False  # its leaders meet the authors: participants, not authors
        found.append((ent.start, key, before))
    found.sort(key=lambda f: f[0])
    author_keys = [k for _i, k, before in found if before]
    other_keys = [k for _i, k, before in found if not before]
    # a lone institution declaring ("De Raad heeft ... aangenomen") stays itself; signatories
    # listed together ("de voorzitter van de Europese Raad, de voorzitter van de Europese
    # Commissie en de presidenten van ...") sign for their party
    collapsed = _collapse_members(author_keys)
    authors = _fold_institutions(collapsed, only_if_parent_named=len(collapsed) < 2) or list(
        default_authors
    )
    frame = _frame_body(preamble)
    if frame:
        authors = frame
    parents = lexicons().parents
    groups_met = []
    for k in _collapse_members(other_keys):
        if k in lexicons().partner_groups or k.endswith("_partners"):
            groups_met.append(k)
        elif k in parents and parents[k][0] not in _speakers(authors):
            # "na een gedachtewisseling met de voorzitter van de Commissie van de Afrikaanse
            # Unie": the institution's party met the authors (actor_parents.tsv)
            groups_met.append(parents[k][0])
    participants = []
    for k in _fold_institutions(authors, only_if_parent_named=False) + groups_met:
        if k not in participants:
            participants.append(k)
    groups = [k for k in participants if k in lexicons().partner_groups or k.endswith("_partners")]
    summit = Summit(authors, participants, groups, mentions, _speakers(authors))
    summit.default_group = (
        groups[0] if groups else dominant_partner_group(summit, region_groups, named_groups)
    )
    summit.annex_parties = _annex_title_parties(segments)
    return summit


# words that end the stretch of a title naming its parties: the place, the topic, the date
TITLE_PARTIES_END = closed_class("title_parties_end")


def _title_parties(segments) -> list[str]:
    """The parties a document's title names as its authors, after its first "van" and before
    its place, topic or date ("Verklaring van de leiders van de G20 in Recife" -> g20,
    "Gezamenlijke verklaring van het Forum van de Pacifische Eilanden en de Europese Unie");
    empty when the title names none."""
    title = next((s for s in segments if s._.kind == "title"), None)
    if title is None:
        return []
    start = next((t.i + 1 for t in title if t.lower_ == "van"), None)
    if start is None:
        return []
    end = next(
        (t.i for t in title if t.i >= start and (t.lower_ in TITLE_PARTIES_END or t.is_punct)),
        title.end,
    )
    stretch = title.doc[start:end]
    keys: list[str] = []
    for ent, key in _entity_keys(stretch):
        if ent.label_ == "LOC":
            continue
        keys += forum_parties(ent) or [key]
    return _fold_institutions(_collapse_members(keys), only_if_parent_named=len(keys) < 2)


SELF_DESCRIPTION_REACH = 3  # segments after the title where a preamble may stand unlabelled


def _self_description(doc: Doc, segments) -> Span | None:
    """The declaring sentence where no segment is labelled preamble: an early sentence that
    opens with the speakers describing themselves ("Wij, de eerste ministers van België,
    Luxemburg en Nederland, zijn ... bijeengekomen"), which names the authors as a preamble
    does."""
    first_person = closed_class("first_person")
    for seg in segments[: SELF_DESCRIPTION_REACH + 1]:
        words = [t for t in seg if not t.is_space]
        if len(words) > 2 and words[0].lower_ in first_person and words[1].text == ",":
            end = next((t.i + 1 for t in words if t.text in (".", ":")), words[-1].i + 1)
            return doc[words[0].i : end]
    return None


def _annex_title_parties(segments) -> list[str]:
    """The parties an annex title names as its own ("Gezamenlijk actieprogramma EU-Afrikaanse
    Unie"): two or more make the annex a joint programme that its items commit them to."""
    title = next((s for s in segments if s._.kind == "annex_title"), None)
    if title is None:
        return []
    keys = [k for k in _names_in(title.text) if not k.startswith("city:")]
    keys = _fold_institutions(_collapse_members(keys), only_if_parent_named=False)
    return keys if len(keys) >= 2 else []


@dataclass(frozen=True)
class Mention:
    """An entity that can act: token offsets and its actor key (regions named after "partners"
    already turned into their partner group; places and cities left out)."""

    start: int
    end: int
    key: str


def partner_group(ent: Span) -> str | None:
    """The partner group an entity names: "partners van de Westelijke Balkan" ->
    ``wb_partners`` (partner_groups.tsv), "partners van <region R>" -> ``R_partners``."""
    if not preceded_by_partners(ent):
        return None
    return group_of_region(ent.kb_id_) or (
        f"{ent.kb_id_}_partners" if ent.label_ == "LOC" else None
    )


def actor_mentions(doc: Doc) -> list[Mention]:
    """Every actor mention of the document, computed once per document. Regions act only as
    partner groups; cities only where no preposition makes them a place ("in Brussel")."""
    out = []
    for ent in doc.ents:
        key = ent.kb_id_
        if ent.label_ not in ACTOR_LABELS or not key:
            continue
        group = partner_group(ent)
        if group:
            key = group
        elif ent.label_ == "LOC" or group_of_region(key):
            continue
        elif (
            key.startswith("city:")
            and ent.start > 0
            and (
                ent.doc[ent.start - 1].pos_ == "ADP"
                or ent.doc[ent.start - 1].lower_
                in ("in", "te", "naar", "uit", "van", "tussen", "bij", "via")
            )
        ):
            continue
        out.append(Mention(ent.start, ent.end, key))
    return sorted(out + government_mentions(doc) + short_form_mentions(doc), key=lambda m: m.start)


def short_form_mentions(doc: Doc) -> list[Mention]:
    """An organisation named in full and then by its first word with an article ("het Forum"
    after "het Forum van de Pacifische Eilanden"), which the recogniser does not link: the same
    actor. Only a first word that one organisation of the document begins with, and that is no
    gazetteer name of its own ("de Raad" is the Council wherever it stands)."""
    heads: dict[str, set[str]] = {}
    for ent in doc.ents:
        if ent.label_ == "ORG" and ent.kb_id_ and len(ent) > 1 and ent[0].is_title:
            heads.setdefault(ent[0].text, set()).add(ent.kb_id_)
    index = _alias_index()
    out = []
    for tok in doc[1:]:
        keys = heads.get(tok.text)
        if (
            keys
            and len(keys) == 1
            and not tok.ent_kb_id_
            and doc[tok.i - 1].lower_ in DETERMINERS
            and normalise_name(tok.text) not in index
        ):
            out.append(Mention(tok.i, tok.i + 1, next(iter(keys))))
    return out


def government_mentions(doc: Doc) -> list[Mention]:
    """A government named by its country's adjective ("de Canadese regering", "de Oekraïense
    autoriteiten"), which the recogniser leaves as common words: the country acts
    (country_adjectives.tsv, actors.tsv role "government")."""
    lex = lexicons()
    out = []
    for tok in doc[1:]:
        if lex.actor_words.get(tok.lower_) != "government":
            continue
        key = lex.country_adjectives.get(doc[tok.i - 1].lower_)
        if key and not doc[tok.i - 1].ent_type_:
            out.append(Mention(tok.i - 1, tok.i + 1, key))
    return out


@functools.lru_cache(maxsize=1)
def _partners_of() -> dict[str, str]:
    """Partner group -> the party whose partners they are (partner_groups.tsv)."""
    return {row[0]: row[3] for row in read_table(CUES_DIR / "partner_groups.tsv") if len(row) > 3}


def dominant_partner_group(
    summit: Summit, region_groups: Sequence[str] = (), named_groups: Iterable[str] = ()
) -> str | None:
    """The partner group a document is about, where its preamble names none: the group most
    often named ("partners van <region>", its members, its region), at least twice, and once
    by itself (as partners or by its region) unless the authors are the party whose partners
    they are: a G7 communiqué that names Ukraine and Moldova is not about the Eastern
    Partnership, Council conclusions that name three Western Balkan states are."""
    counts: dict[str, int] = {}
    as_group = set(region_groups) | set(named_groups)
    for m in summit.mentions:
        group = (
            m.key
            if m.key in lexicons().partner_groups or m.key.endswith("_partners")
            else group_of_member(m.key)
        )
        if group:
            counts[group] = counts.get(group, 0) + 1
            if group == m.key:
                as_group.add(group)
    for group in region_groups:
        counts[group] = counts.get(group, 0) + 1
    counts = {
        g: n
        for g, n in counts.items()
        if g in as_group or _partners_of().get(g) in (summit.speakers or summit.authors)
    }
    if not counts:
        return None
    group, n = max(counts.items(), key=lambda kv: kv[1])
    return group if n >= 2 else None
