"""One commitment record: who pledges what, how firmly, on what condition, by when, and where in
the text each part stands."""

from __future__ import annotations

from dataclasses import asdict, dataclass

# records below this confidence are flagged for review in the report and the notebook
REVIEW_BELOW = 0.6


@dataclass(frozen=True)
class Commitment:
    """A commitment record (docs/annotation.md section 3; the commitments table's columns).

    Offsets: ``action_start``/``action_end`` and ``object_start``/``object_end`` are character
    offsets in the document's clean text (``text/<doc_id>.txt``); the object's span runs from
    its first to its last word, and ``object`` holds its words (a modifier between them, such as
    "aanzienlijk" in "de connectiviteit aanzienlijk te verbeteren in al haar dimensies", is
    left out). ``condition_start``/``condition_end`` bound the condition's clause.
    ``action_tokens``, ``object_tokens`` and ``actor_tokens`` are the Doc's token
    indices, from which the component makes the span groups ``commitment_actions``,
    ``commitment_objects`` and ``commitment_actors``.
    """

    commitment_id: str  # <sentence_id>.c<K>
    actors: tuple[str, ...]
    actor_source: str  # mention, group, annex, passive (actors.ACTOR_SOURCES)
    action: str
    object: str
    strength: str
    conditional: bool
    reported: bool
    dates: tuple[str, ...]
    deadlines: tuple[str, ...]
    confidence: float
    action_start: int
    action_end: int
    object_start: int  # an empty object: an empty span at the action's start
    object_end: int
    # the text of the condition's clause ("mits ...", "zodra ..."), empty when unconditional;
    # no condition: an empty span at the action's start, as for an empty object
    condition: str = ""
    condition_start: int = 0
    condition_end: int = 0
    action_tokens: tuple[int, ...] = ()
    object_tokens: tuple[int, ...] = ()
    actor_tokens: tuple[tuple[int, int, str], ...] = ()  # (start, end, key)

    @property
    def needs_review(self) -> bool:
        return self.confidence < REVIEW_BELOW

    def as_record(self) -> dict:
        """The record as plain data (lists, not tuples): what ``span._.commitments`` keeps, so
        that a Doc with its records can be saved (DocBin) and cached."""
        out = asdict(self)
        for key, value in out.items():
            if isinstance(value, tuple):
                out[key] = [list(v) if isinstance(v, tuple) else v for v in value]
        return out

    @classmethod
    def from_record(cls, record: dict) -> Commitment:
        fields = dict(record)
        for key in ("actors", "dates", "deadlines", "action_tokens", "object_tokens"):
            fields[key] = tuple(fields.get(key) or ())
        fields["actor_tokens"] = tuple(tuple(a) for a in fields.get("actor_tokens") or ())
        return cls(**fields)
