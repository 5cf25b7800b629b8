"""The plan of a run: which documents, under which doc_ids, and which of them are already done.

Every input is looked at here without being read: a file that cannot be part of the run (a
folder that cannot be listed, a FIFO or device, a link leading out of the input folder, a file
that cannot be read, a duplicate doc_id) is one error row, and the others go on.

Light on purpose (standard library only): a re-run with nothing to do ends after the plan,
before spaCy, scikit-learn or pandas are imported.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .. import cache
from ..types import Options

#: what a folder given to ``run`` is searched for
SUFFIXES = (".pdf", ".txt", ".html", ".htm", ".docx")

# what a file that is not a regular one is, in words
_SPECIAL = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


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
    # inputs refused before any processing: (path, doc_id, stage, reason), as
    # tables.error_row takes them
    refused: list[tuple[str, str | None, str, str]] = field(default_factory=list)

    @property
    def todo(self) -> list[Job]:
        """The jobs whose cache entry is missing."""
        return [job for job in self.jobs if not job.entry.exists()]

    def refuse(self, path, doc_id: str | None, reason: str) -> None:
        self.refused.append((str(path), doc_id, "input", reason))


def _walk(folder: Path, plan: Plan, follow_links: bool) -> list[Path]:
    """The files below folder with a declaration's suffix; an unreadable folder is refused."""
    found = []

    def unreadable(err: OSError) -> None:
        plan.refuse(err.filename, None, f"cannot list the folder ({_why(err)})")

    root = folder.resolve()
    for where, _dirs, names in os.walk(folder, onerror=unreadable, followlinks=follow_links):
        for name in names:
            path = Path(where) / name
            if path.suffix.lower() not in SUFFIXES or name.startswith("."):
                continue
            if path.is_symlink() and not follow_links:
                target = path.resolve()
                if not target.is_relative_to(root):
                    plan.refuse(
                        path,
                        path.stem,
                        f"a link to {target}, outside the input folder; "
                        "give --follow-links to read it",
                    )
                    continue
            found.append(path)
    return sorted(found)


def find_inputs(paths, plan: Plan, follow_links: bool = False) -> list[Path]:
    """Files given directly, and every declaration file below given folders, in a stable
    order; what cannot be listed is refused in ``plan``."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(_walk(p, plan, follow_links))
        else:
            found.append(p)
    return found


# a doc_id names files in the output folder (store.file_name makes any id safe); one given on
# the command line must also read as a name, not a path
_NOT_IN_A_DOC_ID = re.compile(r"[/\\\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MAX_DOC_ID = 200


def check_doc_id(doc_id: str) -> None:
    """Raise ValueError unless doc_id is a plain name (``--doc-id``)."""
    if not doc_id or doc_id in (".", "..") or doc_id.startswith("."):
        raise ValueError(f"--doc-id {doc_id!r} must be a name, not empty or starting with '.'")
    if _NOT_IN_A_DOC_ID.search(doc_id):
        raise ValueError(
            f"--doc-id {doc_id!r} must be a name: no path separators, control or "
            "text-direction characters"
        )
    if len(doc_id) > MAX_DOC_ID:
        raise ValueError(f"--doc-id is {len(doc_id)} characters long, more than {MAX_DOC_ID}")


def doc_ids_for(paths: list[Path]) -> list[str]:
    """The file stems (docs/tables.md); a run reports a second file with the same stem as a
    duplicate rather than renaming it behind the researcher's back. A name that is not UTF-8
    (Python keeps its bytes as surrogates) has U+FFFD for those bytes, as any text would."""
    return [os.fsencode(p.stem).decode("utf-8", "replace") for p in paths]


def _why(err: OSError) -> str:
    """An OS error in words ("permission denied"), without the library's wording around it."""
    return (err.strerror or "cannot be read").lower()


def _not_a_file(path: Path) -> str | None:
    """Why path cannot be read as a document without opening it, or None."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "no such file" if not path.is_symlink() else "a link to a file that does not exist"
    except OSError as err:
        return f"cannot look at the file ({_why(err)})"
    for test, what in _SPECIAL:
        if test(mode):
            return f"not a regular file but {what}"
    return None


def make_plan(
    inputs,
    store_dir: Path,
    options: Options,
    doc_id: str | None = None,
    use_cache: bool = True,
    follow_links: bool = False,
) -> Plan:
    """The inputs' files, doc_ids and cache entries. Without ``use_cache`` (and for an entry
    marked for retry) an existing entry is removed, so that the document is made again."""
    if doc_id is not None:
        check_doc_id(doc_id)
    plan = Plan()
    files = find_inputs(inputs, plan, follow_links)
    ids = [doc_id] if doc_id and len(files) == 1 else doc_ids_for(files)
    fingerprint = cache.versions(options.models_dir)
    seen: dict[str, Path] = {}  # by the doc_id's NFC form: "é" typed or composed is one name
    for path, did in zip(files, ids):
        twin = seen.get(unicodedata.normalize("NFC", did))
        if twin is not None:
            also = f"also {twin}"
            if twin.stem != did:  # what looks the same: "é" as one code point or as e + accent
                also += ", the same name in another Unicode form"
            plan.refuse(path, did, f"duplicate doc_id {did!r} ({also}); use distinct file names")
            continue
        seen[unicodedata.normalize("NFC", did)] = path
        problem = _not_a_file(path)
        if problem:
            plan.refuse(path, did, problem)
            continue
        try:  # the key hashes the file's bytes: the first time it is read
            entry = store_dir / cache.entry_key(path, did, options, fingerprint)
        except OSError as err:
            plan.refuse(path, did, f"cannot read the file ({_why(err)})")
            continue
        if entry.exists() and (not use_cache or (entry / cache.RETRY).exists()):
            shutil.rmtree(entry)
        plan.jobs.append(Job(str(path), did, entry))
    return plan
