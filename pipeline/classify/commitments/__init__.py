"""Commitment records: who pledges what, how firmly, on what condition, by when.

For every sentence labelled COMMITMENT, and every sentence that reports another party's pledge
(ENDORSEMENT "De EU is ingenomen met het voornemen van Kroatië om ..."), the component
``commitments`` sets ``span._.commitments`` to a list of records (ANNOTATION.md section 3)::

    {"actors": ["eu", "wb_partners"], "action": "versterken", "object": "de steun voor ...",
     "strength": "moderate", "conditional": False, "reported": False, "dates": ["2025"]}

How a record is found (rules over lemmas, POS tags and word order; the data lives in
pipeline/data/cues/ with its sources):

1. The *marker*: the first pledge cue of strength.tsv ("zal", "beloven", "verbinden zich",
   "voornemen" ...). The pledged actions are the verbs of the clause the marker stands in, and
   of a clause the marker opens ("het voornemen van X *om* ... te V", "toegezegd *dat* zij ...").
   Purpose, means and relative clauses (subordinators.tsv: "om ... te", "teneinde", "door ...
   te", "die", "waarbij" ...) are skipped. Annex items and list items have no marker: their
   main-clause verbs are the actions.
2. The *action*: the verb's lemma with a separated particle joined back ("op te voeren" ->
   "opvoeren", pipeline/syntax.py), or a light-verb phrase whole (light_verbs.tsv: "uitvoering
   geven", "een begin maken"). Coordinated verbs that share one object make one record
   ("versterken en te intensiveren"), verbs with objects of their own make one record each.
3. The *actors*: the subject of the marker's clause, as canonical keys from ``doc.ents``
   (``ent.kb_id_``, set by the actor linker) and from actor words (actors.tsv: "wij", "samen",
   "onze" = the summit participants; "de partners" = the partner group). The summit's
   *authors* and *participants* are read from the preamble ("Wij, de leiders van de EU ...,
   met de leiders van onze partners van de Westelijke Balkan"): a forum or joint body stands for
   its parties (forums.tsv: "Unie voor het Middellandse Zeegebied", "Associatieraad tussen de
   EU en Georgië"), a region whose leaders meet is its partner group ("de leiders ... van de
   Westelijke Balkan"), signatories listed together sign for their party, an institution met
   brings its party ("met de voorzitter van de Commissie van de Afrikaanse Unie"). Where the
   preamble names no partners (Council conclusions), action items and "de partners" take the
   partner group the document is about; an annex title naming two parties ("actieprogramma
   EU-Afrikaanse Unie") gives its items' actors. Items under a CALL lead-in are asked, not
   pledged; titles and headings pledge nothing. Agentless passives commit the
   first author, or all participants where "samen", "ons", "onze" show both sides; annex items
   commit all participants; "door X" names the agent of a passive; "zij" takes the non-author
   actors of the sentence or the one before.
4. *strength*: the marker's strength (weak before moderate before strong, strength.tsv); without
   a marker, the action verb's class (action_verbs.tsv: deliverables strong, effort moderate).
   *reported*: no author among the actors. *conditional*: a cue of conditions.tsv; *condition*:
   its clause, to the next clause boundary (conditions.py).
   *dates*: DATE entities, each given to the first action after it; *deadlines*: the time
   phrases of the action's own clause that bound it (deadlines.py: "tegen 2030", "binnen zes
   maanden", "vóór de volgende top"), not the dates of a noun or a condition.
"""

from .component import CommitmentExtractor, add_commitment_component, make_commitment_extractor
from .evaluation import score_commitments
from .extraction import SentenceInfo, extract_commitments
from .parties import Summit, summit_of

__all__ = [
    "CommitmentExtractor",
    "SentenceInfo",
    "Summit",
    "add_commitment_component",
    "extract_commitments",
    "make_commitment_extractor",
    "score_commitments",
    "summit_of",
]
