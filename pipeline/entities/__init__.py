"""Entity mentions and canonical actors.

The entity stage of pipeline/nlp/config.cfg, in this order:

1. ``entity_ruler``: spaCy's ``span_ruler`` fed with the gazetteer's names (phrase patterns,
   exact case) and token patterns for dates, money, legal references and naming conventions
   (``declarations.entity_patterns.v1``); its matches go to ``doc.spans["entity_ruler"]``, not
   yet to ``doc.ents``;
2. ``ner``: the statistical recogniser trained by ``pipeline/train/ner.py``, sourced from
   ``models/ner`` (left out with a warning when that model is missing);
3. ``entity_resolver``: merges both into ``doc.ents`` (a known name is never relabelled or cut
   by the model; a model name that contains known names wins, see ``resolver.py``);
4. ``acronyms``: "Raad voor Regionale Samenwerking (RSR)" -> "RSR" is an entity like its
   expansion, everywhere in the document;
5. ``actor_linker``: ``ent.kb_id_`` = canonical key for ORG/GPE/LOC, ``ent._.source`` for all.

The gazetteer data reaches the components through ``initialize``, from the registered
functions below (``[initialize.components.*]`` in config.cfg). Nothing here touches the
network; building the components takes well under a second.
"""

from __future__ import annotations

from spacy.util import registry

from . import acronyms, linker, resolver  # noqa: F401  (register the component factories)
from .gazetteer import alias_index, gazetteer_keys, load_entries, name_heads, person_roles
from .gazetteer import phrase_patterns as _phrase_patterns
from .patterns import token_patterns


def ruler_patterns(user_gazetteer: str | None = None) -> list[dict]:
    """All patterns of the entity ruler: gazetteer names first, then token patterns."""
    return _phrase_patterns(load_entries(user_gazetteer=user_gazetteer)) + token_patterns()


# ``user_gazetteer``: ``run --gazetteer FILE`` (``[paths] gazetteer`` in config.cfg)
@registry.misc("declarations.entity_patterns.v1")
def create_entity_patterns(user_gazetteer: str | None = None) -> list[dict]:
    return ruler_patterns(user_gazetteer)


@registry.misc("declarations.person_roles.v1")
def create_person_roles() -> list[str]:
    return sorted(person_roles())


@registry.misc("declarations.name_heads.v1")
def create_name_heads() -> dict[str, str]:
    return name_heads()


@registry.misc("declarations.actor_aliases.v1")
def create_actor_aliases(user_gazetteer: str | None = None) -> dict[str, tuple[str, str]]:
    return alias_index(user_gazetteer=user_gazetteer)


@registry.misc("declarations.gazetteer_keys.v1")
def create_gazetteer_keys(user_gazetteer: str | None = None) -> list[str]:
    return sorted(gazetteer_keys(user_gazetteer=user_gazetteer))
