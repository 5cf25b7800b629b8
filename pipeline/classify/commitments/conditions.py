"""On what condition: the clause of a pledge's condition, as text with its token positions.

A condition opens with a cue of ``pipeline/data/cues/conditions.tsv`` ("mits", "op voorwaarde
dat", "zodra", "indien", "tenzij", "afhankelijk van" ...) and runs to the end of its clause: the
next clause boundary (comma, semicolon, colon, dash) or the sentence end. "Zodra de hervormingen
zijn uitgevoerd, zal de EU ... uitbetalen" and "De EU zal ... uitbetalen, mits ..." both give the
condition's own words, never the pledge's.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from .lexicon import CLAUSE_END, lexicons


def condition_positions(tokens: Sequence[Token]) -> list[int]:
    """Positions (in ``tokens``) of the first condition's clause, or [] when there is none."""
    found = lexicons().conditions.find(tokens)
    if not found:
        return []
    start = found[0][0]
    end = start + 1
    while end < len(tokens) and tokens[end].text not in CLAUSE_END:
        end += 1
    while end > start + 1 and tokens[end - 1].is_punct:  # the sentence's full stop
        end -= 1
    return list(range(start, end))
