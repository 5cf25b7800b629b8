"""The plan of a run: which documents, under which doc_ids, and which of them are already done.

Light on purpose (standard library only): a re-run with nothing to do ends after the plan,
before spaCy, scikit-learn or pandas are imported.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .. import cache
from ..extract import doc_ids_for, find_inputs
from ..types import Options


@dataclass(frozen=True)
class Job:
    """One document of the run and the cache entry that holds (or will hold) its results."""

    path: str
    doc_id: str
    entry: Path

    def task(self, options: Options) -> tuple[str, str, Options, str]:
        """The arguments of ``document.make_entry`` (plain values: they travel to workers)."""
        return (self.path, self.doc_id, options, str(self.entry))


@dataclass
class Plan:
    jobs: list[Job] = field(default_factory=list)
    # inputs refused before any processing (missing, duplicate doc_id): (path, doc_id, stage,
    # reason), as records.error_row takes them
    refused: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def todo(self) -> list[Job]:
        """The jobs whose cache entry is missing."""
        return [job for job in self.jobs if not job.entry.exists()]


def make_plan(
    inputs,
    store_dir: Path,
    options: Options,
    doc_id: str | None = None,
    use_cache: bool = True,
) -> Plan:
    """The inputs' files, doc_ids and cache entries. Without ``use_cache`` (and for an entry
    marked for retry) an existing entry is removed, so that the document is made again."""
    files = find_inputs(inputs)
    ids = [doc_id] if doc_id and len(files) == 1 else doc_ids_for(files)
    fingerprint = cache.versions(options.models_dir)
    plan = Plan()
    seen: dict[str, Path] = {}
    for path, did in zip(files, ids):
        if did in seen:
            reason = f"duplicate doc_id {did!r} (also {seen[did]}); use distinct file names"
            plan.refused.append((str(path), did, "input", reason))
            continue
        seen[did] = path
        if not path.exists():
            plan.refused.append((str(path), did, "input", "no such file"))
            continue
        entry = store_dir / cache.entry_key(path, did, options, fingerprint)
        if entry.exists() and (not use_cache or (entry / cache.RETRY).exists()):
            shutil.rmtree(entry)
        plan.jobs.append(Job(str(path), did, entry))
    return plan
