"""report.html: structure, entity marks, figures, alignments; and a browser that finds no error.

The corpus here is the seed declaration and a revised copy of it, segmented by the pipeline and
annotated from the seed's gold file (entities, speech acts, commitments, domains), so the report
is tested on realistic tables without depending on the trained models.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline import records, report
from pipeline.api import Corpus

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "sofia-2018-nl.txt"
from gold_layers import annotated_doc  # noqa: E402


def revised(text: str) -> str:
    """A later version of the seed: one point reworded, one country changed, one point gone."""
    text = text.replace("De EU is vastbesloten", "De EU is vast van plan")
    return text.replace("Kroatië", "Bulgarije")


def alignment_rows(segments: pd.DataFrame, doc_a: str, doc_b: str) -> list[dict]:
    """A stand-in for the compare stage: segments matched by id, identical or revised."""
    a = segments[segments["doc_id"] == doc_a].set_index("segment_id")["text"]
    b = segments[segments["doc_id"] == doc_b].set_index("segment_id")["text"]
    rows = []
    for sid in a.index:
        if sid not in b.index:
            rows.append(
                {
                    "doc_a": doc_a,
                    "segment_a": sid,
                    "doc_b": doc_b,
                    "segment_b": None,
                    "score": None,
                    "relation": "dropped",
                }
            )
        else:
            same = a[sid] == b[sid]
            rows.append(
                {
                    "doc_a": doc_a,
                    "segment_a": sid,
                    "doc_b": doc_b,
                    "segment_b": sid,
                    "score": 1.0 if same else 0.8,
                    "relation": "identical" if same else "revised",
                }
            )
    rows += [
        {
            "doc_a": doc_a,
            "segment_a": None,
            "doc_b": doc_b,
            "segment_b": sid,
            "score": None,
            "relation": "new",
        }
        for sid in b.index
        if sid not in a.index
    ]
    return rows


def two_document_corpus() -> Corpus:
    text = SEED.read_text(encoding="utf-8")
    docs = {
        d._.doc_id: d
        for d in (
            annotated_doc(text, "sofia-2018-nl"),
            annotated_doc(revised(text), "sofia-revised"),
        )
    }
    rows: dict[str, list[dict]] = {}
    for doc in docs.values():
        for name, table_rows in records.doc_tables(doc).items():
            rows.setdefault(name, []).extend(table_rows)
    rows["errors"] = [
        records.error_row("corpus/broken.pdf", "broken", "extract", "not a PDF <really>")
    ]
    frames = records.to_frames(rows)
    frames["alignments"] = records.to_frame(
        "alignments", alignment_rows(frames["segments"], "sofia-2018-nl", "sofia-revised")
    )
    frames["similarities"] = records.to_frame(
        "similarities",
        [{"doc_a": "sofia-2018-nl", "doc_b": "sofia-revised", "score": 0.97, "method": "tfidf"}],
    )
    frames["reuse"] = records.to_frame("reuse", [])
    return Corpus(frames, docs)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return two_document_corpus()


@pytest.fixture(scope="module")
def report_file(corpus, tmp_path_factory) -> Path:
    return report.write_report(corpus, tmp_path_factory.mktemp("report") / "report.html")


def figures(html: str) -> list[str]:
    """The SVG documents embedded as data URIs."""
    return [
        base64.b64decode(data).decode("utf-8")
        for data in re.findall(r"src='data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)'", html)
    ]


# --- content ------------------------------------------------------------------------------------


def test_report_marks_every_entity_with_displacy(corpus, report_file):
    html = report_file.read_text(encoding="utf-8")
    marks = re.findall(r'<mark class="entity"[^>]*>\s*(.*?)\s*<span[^>]*>([A-Z]+)', html, re.S)
    entities = corpus.tables["entities"]
    assert len(marks) == len(entities)
    assert ("Europese Unie", "ORG") in marks
    assert ("top van Thessaloniki", "EVENT") in marks
    # the canonical key is shown with its label and links to the actors table
    assert 'href="#actor-western_balkans"' in html and "id='actor-western_balkans'" in html


def test_report_has_a_section_per_document_with_structure_and_commitments(corpus, report_file):
    html = report_file.read_text(encoding="utf-8")
    for i, doc_id in enumerate(["sofia-2018-nl", "sofia-revised"], start=1):
        assert f"<section class='document' id='doc-{i}'>" in html
        assert f"<a href='#doc-{i}'>{doc_id}</a>" in html  # table of contents
    # the nested structure: bullets inside their heading's list item
    assert re.search(r"<li id='doc-1-s-h1'>.*?<ul><li id='doc-1-s-h1\.b1'>", html, re.S)
    n_commitments = int((corpus.tables["commitments"]["doc_id"] == "sofia-2018-nl").sum())
    assert f"<h4>Commitments ({n_commitments})</h4>" in html
    assert "<span class='strength-strong'>strong</span>" in html
    assert "COMMITMENT</span>" in html  # speech-act badges


def test_report_embeds_the_figures_as_svg(report_file):
    html = report_file.read_text(encoding="utf-8")
    svgs = figures(html)
    # one domain profile per document, the profiles compared, the similarity heatmap
    assert len(svgs) == 4
    assert all("<svg" in svg for svg in svgs)
    assert any("security" in svg for svg in svgs)  # a domain on an axis
    assert any("0.97" in svg for svg in svgs)  # the similarity, written in its cell


def test_report_shows_the_alignment_side_by_side(report_file):
    html = report_file.read_text(encoding="utf-8")
    section = html[html.index("<h3>Alignments</h3>") :]
    assert "sofia-2018-nl ↔ sofia-revised (64 identical, 2 revised)" in section
    assert "<col class='side'><col class='mid'><col class='side'>" in section
    # the revised point, with the words that changed
    assert "<del>vastbesloten</del>" in section and "<ins>vast van plan</ins>" in section
    assert "<del>Kroatië</del>" in section and "<ins>Bulgarije</ins>" in section


def test_report_lists_errors_and_escapes_text(report_file):
    html = report_file.read_text(encoding="utf-8")
    assert "1 input(s) failed" in html
    assert "not a PDF &lt;really&gt;" in html and "<really>" not in html


def test_report_is_self_contained(report_file):
    html = report_file.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "@import" not in html and "url(" not in html


def test_report_survives_empty_and_missing_tables(tmp_path):
    documents = records.to_frame(
        "documents", [{"doc_id": "empty", "title": None, "warnings": ["no numbered points found"]}]
    )
    html = report.write_report(Corpus({"documents": documents}), tmp_path / "r.html").read_text()
    assert "No commitments were found." in html
    assert "No policy domains were assigned." in html
    assert "no numbered points found" in html
    # nothing at all
    html = report.render_report({})
    assert "No document was processed." in html
    # every contract table present but empty
    empty = {name: records.to_frame(name, []) for name in records.COLUMNS}
    assert "No document was processed." in report.render_report(empty)


def test_two_documents_without_comparison_tables(corpus):
    tables = {
        k: v for k, v in corpus.tables.items() if k not in ("similarities", "alignments", "reuse")
    }
    html = report.render_report(tables)
    assert "No similarities were computed." in html
    assert "No alignments were computed." in html


def test_large_corpus_renders_tables_only(corpus, monkeypatch):
    monkeypatch.setattr(report, "MAX_DETAILED_DOCUMENTS", 1)
    html = report.render_report(corpus.tables)
    assert "id='doc-1'" in html and "<section class='document' id='doc-2'>" not in html
    assert "shows the text, structure and commitments of the first 1 only" in html


def test_report_reads_csv_style_list_cells(corpus):
    """Tables read back from CSV hold lists as JSON text; the report takes either."""
    tables = dict(corpus.tables)
    tables["commitments"] = tables["commitments"].assign(
        actors=tables["commitments"]["actors"].map(json.dumps)
    )
    html = report.render_report(tables)
    assert "<td>eu, wb_partners</td>" in html


# --- in a browser -------------------------------------------------------------------------------


def chromium_binary() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _high_fd(fd: int) -> int:
    """fd moved above 9, so that "3<&N 4>&M" cannot overwrite one pipe with the other."""
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


class DevTools:
    """Just enough of the Chrome DevTools Protocol, over --remote-debugging-pipe (fds 3 and 4)."""

    def __init__(self, binary: str, profile: str):
        self._to_browser_r, self._to_browser_w = map(_high_fd, os.pipe())
        self._from_browser_r, self._from_browser_w = map(_high_fd, os.pipe())
        # the browser reads commands on fd 3 and writes replies and events on fd 4; bash (not
        # dash) because the pipes' own numbers are above 9
        self.process = subprocess.Popen(
            [
                "bash",
                "-c",
                f'exec "$@" 3<&{self._to_browser_r} 4>&{self._from_browser_w}',
                "bash",
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                f"--user-data-dir={profile}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            pass_fds=(self._to_browser_r, self._from_browser_w),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(self._to_browser_r)
        os.close(self._from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser_w, json.dumps(message).encode() + b"\0")
        return self._next_id

    def receive(self, deadline: float) -> dict | None:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self._from_browser_r], [], [], remaining)
            if ready:
                chunk = os.read(self._from_browser_r, 1 << 16)
                if not chunk:
                    return None
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def wait_for(self, predicate, deadline: float) -> dict:
        while True:
            message = self.receive(deadline)
            if message is None:
                raise TimeoutError("no answer from the browser")
            self.events.append(message)
            if predicate(message):
                return message

    def call(
        self,
        method: str,
        params: dict | None = None,
        session: str | None = None,
        timeout: float = 30,
    ) -> dict:
        n = self.send(method, params, session)
        reply = self.wait_for(lambda m: m.get("id") == n, time.monotonic() + timeout)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        os.close(self._to_browser_w)
        os.close(self._from_browser_r)


def console_errors(url: str, timeout: float = 60) -> list[str]:
    """Open url in headless Chromium; return its console errors, exceptions and error logs
    (a Content-Security-Policy violation, e.g. a request to the network, is one)."""
    assert chromium_binary(), "CI=true but chromium is missing: apt-get install chromium"
    # chromium's helper processes may still write to the profile for a moment after the kill
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        browser = DevTools(chromium_binary(), profile)
        try:
            target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
                "sessionId"
            ]
            for domain in ("Runtime", "Log", "Page"):
                browser.call(f"{domain}.enable", session=session)
            browser.send("Page.navigate", {"url": url}, session)
            deadline = time.monotonic() + timeout
            browser.wait_for(lambda m: m.get("method") == "Page.loadEventFired", deadline)
            settle = time.monotonic() + 1.0  # late messages (e.g. from images) still arrive
            while (message := browser.receive(settle)) is not None:
                browser.events.append(message)
        finally:
            browser.close()
    errors = []
    for message in browser.events:
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
            errors.append(
                " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
            )
        elif method == "Runtime.exceptionThrown":
            errors.append(params["exceptionDetails"].get("text", "exception"))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            errors.append(params["entry"]["text"])
    return errors


needs_chromium = pytest.mark.skipif(
    chromium_binary() is None and os.environ.get("CI", "").lower() != "true",
    reason="chromium is not installed (CI installs it: apt-get install chromium)",
)


@needs_chromium
def test_chromium_sees_errors_when_there_are_some(tmp_path):
    """The check below can fail: a page that logs an error and reaches for the network."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{report.CSP}\"></head><body>"
        "<img src='https://example.org/logo.png'><script>console.error('boom')</script>"
        "</body></html>",
        encoding="utf-8",
    )
    errors = console_errors(page.as_uri())
    assert any("example.org" in e for e in errors)  # blocked by the policy, and reported
    assert any("script" in e.lower() for e in errors)  # inline script blocked as well


@needs_chromium
def test_report_opens_in_chromium_without_console_errors(report_file):
    assert console_errors(report_file.as_uri()) == []
