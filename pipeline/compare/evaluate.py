"""Score ``commitment_tracking`` against the gold tracking of corpus/annotated/followups/.

    python -m pipeline.compare.evaluate              # the training pairs (split "train")
    python -m pipeline.compare.evaluate --heldout    # this round's blind pairs (blind-r6-*), once, at the end
    python -m pipeline.compare.evaluate --seen       # earlier rounds' blind pairs (development)

Each ``*.tracking.json`` names a pair (doc_a the newer, doc_b the older) and gives every gold
commitment of doc_b its status and counterpart segment (corpus/annotated/followups/README.md).
The documents of the chosen pairs are processed together by the pipeline (``pipeline.process``:
series, alignment and tracking as in any ``run``). A gold item is **right** when the pipeline
has a commitment record for it (its sentence, the same action; else the same commitment_id),
and that record's row has the gold status and, unless dropped, the gold counterpart segment.
Printed: per pair (and whether the series rule paired the two documents), per gold status, and
the confusion of gold and predicted statuses ("no record": the extractor found no commitment for
the gold item). Only figures: the held-out pairs' individual errors are not shown.

Twice: with the pipeline's own records, and with doc_b's commitment records taken from its gold
file (the newer document still processed): tracking alone, without the extractor's errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

from .. import api
from ..gold import BLIND_SETS, blind_paths, is_blind
from ..scheme import TRACKING_STATUSES
from .tracking import commitment_tracking, with_commitment_ids

REPO = Path(__file__).resolve().parents[2]
FOLLOWUPS = REPO / "corpus" / "annotated" / "followups"
SEARCH = (REPO / "corpus", REPO / "corpus" / "annotated", FOLLOWUPS)
GOLD_DIRS = (REPO / "corpus" / "gold", REPO / "corpus" / "annotated", FOLLOWUPS)
SUFFIXES = (".txt", ".html", ".pdf", ".docx")
NO_RECORD = "no record"


def gold_pairs(which: str = "train") -> list[dict]:
    """The gold tracking files: ``"train"`` pairs, ``"blind"`` (this round's blind pairs) or
    ``"seen"`` (earlier rounds' blind pairs), chosen by file name before anything is read."""
    if which in BLIND_SETS:
        chosen = blind_paths(which, FOLLOWUPS, "*.tracking.json")
    else:
        chosen = [f for f in sorted(FOLLOWUPS.glob("*.tracking.json")) if not is_blind(f)]
    pairs = []
    for path in chosen:
        try:
            pair = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise SystemExit(f"error: {path}: not a readable tracking file ({error})") from None
        if which == "train" and pair.get("split") != "train":
            continue
        pairs.append(pair)
    return pairs


def input_file(doc_id: str) -> Path:
    for folder in SEARCH:
        for suffix in SUFFIXES:
            if (folder / f"{doc_id}{suffix}").is_file():
                return folder / f"{doc_id}{suffix}"
    raise SystemExit(f"error: {doc_id}: no input file in {', '.join(map(str, SEARCH))}")


def gold_commitments(doc_id: str) -> pd.DataFrame:
    """The commitment records of a gold file as a commitments table (ids in reading order)."""
    for folder in GOLD_DIRS:
        path = folder / f"{doc_id}.gold.json"
        if path.is_file():
            break
    else:
        raise SystemExit(f"error: {doc_id}: no gold file in {', '.join(map(str, GOLD_DIRS))}")
    gold = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for segment in gold["segments"]:
        for k, sentence in enumerate(segment["sentences"], 1):
            sentence_id = f"{segment['id']}.s{k}"
            for m, record in enumerate(sentence.get("commitments") or [], 1):
                rows.append(
                    {
                        "doc_id": doc_id,
                        "segment_id": segment["id"],
                        "sentence_id": sentence_id,
                        "commitment_id": f"{sentence_id}.c{m}",
                        **{
                            key: record.get(key)
                            for key in (
                                "actors",
                                "action",
                                "object",
                                "strength",
                                "conditional",
                                "reported",
                                "dates",
                                "deadlines",
                            )
                        },
                    }
                )
    return pd.DataFrame(rows)


def predicted_for(item: dict, tracked: pd.DataFrame, records: pd.DataFrame) -> dict | None:
    """The tracking row of the pipeline's record for a gold item: in its sentence, the record
    with the same action, else the one with the same commitment_id."""
    in_sentence = records[records["sentence_id"] == item["sentence_b"]]
    if in_sentence.empty:
        return None
    same_action = in_sentence[
        in_sentence["action"].fillna("").str.lower() == str(item["action_b"]).lower()
    ]
    chosen = same_action if len(same_action) else in_sentence
    exact = chosen[chosen["commitment_id"] == item["commitment_b"]]
    commitment_id = (exact if len(exact) else chosen).iloc[0]["commitment_id"]
    row = tracked[tracked["commitment_b"] == commitment_id]
    return row.iloc[0].to_dict() if len(row) else None


def score(pairs: list[dict], tables: dict[str, pd.DataFrame], tracked: pd.DataFrame) -> dict:
    commitments = with_commitment_ids(tables["commitments"])
    per_pair: dict[str, tuple[int, int]] = {}
    per_status: dict[str, tuple[int, int]] = {}
    confusion: Counter[tuple[str, str]] = Counter()
    for pair in pairs:
        a, b = pair["doc_a"], pair["doc_b"]
        rows = tracked[(tracked["doc_a"] == a) & (tracked["doc_b"] == b)]
        records = commitments[commitments["doc_id"] == b]
        right = 0
        for item in pair["items"]:
            predicted = predicted_for(item, rows, records)
            status = predicted["status"] if predicted else NO_RECORD
            ok = predicted is not None and status == item["status"]
            if predicted is not None and ok and status != "dropped":
                ok = predicted["segment_a"] == item["segment_a"]
            right += ok
            confusion[(item["status"], status)] += 1
            n, r = per_status.get(item["status"], (0, 0))
            per_status[item["status"]] = (n + 1, r + ok)
        per_pair[f"{a} <- {b}"] = (len(pair["items"]), right)
    return {"pairs": per_pair, "statuses": per_status, "confusion": confusion}


def _line(name: str, n: int, right: int) -> str:
    return f"| {name} | {n} | {right} | {right / n if n else 0:.3f} |"


def report(result: dict, series_found: dict[str, bool]) -> str:
    lines = [
        "| pair | items | right | accuracy | series rule paired them |",
        "|---|---:|---:|---:|---|",
    ]
    total_n = total_r = 0
    for name, (n, r) in result["pairs"].items():
        lines.append(_line(name, n, r)[:-1] + f"| {'yes' if series_found[name] else 'no'} |")
        total_n, total_r = total_n + n, total_r + r
    lines.append(_line("all", total_n, total_r) + " |")
    lines += ["", "| gold status | items | right | accuracy |", "|---|---:|---:|---:|"]
    for status in TRACKING_STATUSES:
        n, r = result["statuses"].get(status, (0, 0))
        lines.append(_line(status, n, r))
    predicted = [*TRACKING_STATUSES, NO_RECORD]
    lines += ["", "| gold \\ predicted | " + " | ".join(predicted) + " |"]
    lines.append("|---|" + "---:|" * len(predicted))
    for status in TRACKING_STATUSES:
        counts = [str(result["confusion"][(status, p)]) for p in predicted]
        lines.append(f"| {status} | " + " | ".join(counts) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.compare.evaluate")
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument("--heldout", action="store_true", help="score this round's blind pairs")
    chosen.add_argument("--seen", action="store_true", help="score earlier rounds' blind pairs")
    args = parser.parse_args(argv)
    pairs = gold_pairs("blind" if args.heldout else "seen" if args.seen else "train")
    if not pairs:
        print("error: no gold tracking pairs found", file=sys.stderr)
        return 2
    doc_ids = list(dict.fromkeys(d for p in pairs for d in (p["doc_b"], p["doc_a"])))
    corpus = api.process([str(input_file(d)) for d in doc_ids], keep_docs=False)
    tables = dict(corpus.tables)
    explicit = pd.DataFrame([(p["doc_a"], p["doc_b"]) for p in pairs], columns=["doc_a", "doc_b"])
    found = tables["commitment_tracking"][["doc_a", "doc_b"]].drop_duplicates()
    paired = set(map(tuple, found.itertuples(index=False)))
    series_found = {f"{a} <- {b}": (a, b) in paired for a, b in explicit.itertuples(index=False)}
    # every gold pair is scored, also one the series rule missed (the table says which)
    tracked = commitment_tracking(
        explicit,
        tables["commitments"],
        tables["sentences"],
        tables["segments"],
        tables["documents"],
    )
    print("## The pipeline's records\n")
    print(report(score(pairs, tables, tracked), series_found))
    # tracking alone: the older documents' gold records, the newer document's from the pipeline
    gold = pd.concat([gold_commitments(p["doc_b"]) for p in pairs], ignore_index=True)
    newer = tables["commitments"][tables["commitments"]["doc_id"].isin(explicit["doc_a"])]
    with_gold = {**tables, "commitments": pd.concat([with_commitment_ids(newer), gold])}
    tracked = commitment_tracking(
        explicit,
        with_gold["commitments"],
        tables["sentences"],
        tables["segments"],
        tables["documents"],
    )
    print("\n## The older documents' gold records\n")
    print(report(score(pairs, with_gold, tracked), series_found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
