"""Headless Chromium driven over the DevTools protocol (``--remote-debugging-pipe``), for the
report's tests and its benchmark: open a page, type, click, read the DOM, collect console errors.

Just enough of the protocol, with the standard library only (no browser download is possible
here, and the system's chromium is the one to test against).
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
)


def chromium_binary() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _high_fd(fd: int) -> int:
    """fd moved above 9, so that "3<&N 4>&M" cannot overwrite one pipe with the other."""
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


class DevTools:
    """A browser process and its protocol pipe (fds 3 and 4); ``Browser`` wraps one page."""

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
                *FLAGS,
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

    def call(self, method: str, params=None, session: str | None = None, timeout: float = 30):
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


class Browser:
    """One headless Chromium with one page: ``with Browser() as b: b.open(url); b.evaluate(...)``."""

    def __init__(self):
        binary = chromium_binary()
        if binary is None:
            raise RuntimeError("chromium is not installed: apt-get install chromium")
        # chromium's helper processes may still write to the profile for a moment after the kill
        self._profile = tempfile.TemporaryDirectory(ignore_cleanup_errors=True)
        self.devtools = DevTools(binary, self._profile.name)
        target = self.devtools.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.devtools.call(
            "Target.attachToTarget", {"targetId": target, "flatten": True}
        )["sessionId"]
        for domain in ("Runtime", "Log", "Page"):
            self.call(f"{domain}.enable")

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.devtools.close()
        self._profile.cleanup()

    def call(self, method: str, params: dict | None = None, timeout: float = 30) -> dict:
        return self.devtools.call(method, params, self.session, timeout)

    def open(self, url: str, timeout: float = 60, settle: float = 0.5) -> float:
        """Navigate and wait for the load event; returns the seconds from navigation start to
        the end of the load event, as the page measured them (Navigation Timing)."""
        self.devtools.send("Page.navigate", {"url": url}, self.session)
        self.devtools.wait_for(
            lambda m: m.get("method") == "Page.loadEventFired", time.monotonic() + timeout
        )
        self.pump(settle)
        entry = self.evaluate(
            "(() => { const e = performance.getEntriesByType('navigation')[0];"
            " return e.loadEventEnd || e.duration; })()"
        )
        return float(entry) / 1000

    def pump(self, seconds: float) -> None:
        """Take the events that arrive in the next ``seconds`` (late console messages)."""
        deadline = time.monotonic() + seconds
        while (message := self.devtools.receive(deadline)) is not None:
            self.devtools.events.append(message)

    def evaluate(self, expression: str, timeout: float = 30):
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            timeout,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def wait_until(self, expression: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while not self.evaluate(expression):
            if time.monotonic() > deadline:
                raise TimeoutError(f"never true: {expression}")
            self.pump(0.1)

    def type_into(self, selector: str, text: str) -> None:
        """Focus the element and type ``text`` as a user would (input events included)."""
        self.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
        for char in text:
            self.call("Input.dispatchKeyEvent", {"type": "keyDown", "text": char})
            self.call("Input.dispatchKeyEvent", {"type": "keyUp", "text": char})

    def click(self, selector: str) -> None:
        """A mouse click in the middle of the element (scrolled into view)."""
        x, y = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
            " return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
            )

    def errors(self) -> list[str]:
        """Console errors, exceptions and error logs so far (a Content-Security-Policy
        violation, e.g. a request to the network or an inline script, is one)."""
        errors = []
        for message in self.devtools.events:
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


def console_errors(url: str, timeout: float = 60) -> list[str]:
    """Open url in headless Chromium; return its console errors."""
    with Browser() as browser:
        browser.open(url, timeout, settle=1.0)  # late messages (e.g. from images) still arrive
        return browser.errors()
