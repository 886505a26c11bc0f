"""Headless Chromium driven over the DevTools protocol, with the Python standard library only.

    with Chromium() as browser:
        page = browser.new_page(width=1280, height=900)
        page.open("file:///tmp/report.html")          # waits for the load event
        page.wait_for("document.body.dataset.ready === '1'")
        print(page.evaluate("document.title"))
        png = page.screenshot()                       # PNG bytes
        print(page.errors, page.requests)             # script errors, network requests

The browser talks over --remote-debugging-pipe (file descriptors 3 and 4, JSON messages ended
by a NUL byte), so no port is opened and no npm package or WebSocket library is needed. It runs
with the flags a closed network needs (no background networking, component updates, sync or
QUIC: without them it hangs on connection attempts) and a fresh profile that is removed on
exit. `page.errors` collects uncaught exceptions, console.error/console.assert messages and
browser log entries of level error; `page.requests` every URL the page asked for.

Used by tests/browser/check_report.py and scripts/report-screenshot.sh.
"""

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time

CHROMIUM = os.environ.get("WYCKOFF_CHROMIUM", "/usr/bin/chromium")

FLAGS = [
    "--headless",
    "--no-sandbox",  # root in CI and containers
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    # A page behind another (a second page) keeps its animation frames and timers.
    "--disable-renderer-backgrounding",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--remote-debugging-pipe",
]


class BrowserError(Exception):
    pass


class Chromium:
    """One headless browser process; a context manager that kills it and its profile."""

    def __init__(self, executable=CHROMIUM, timeout=30.0):
        if not os.path.exists(executable):
            raise BrowserError(
                f"{executable} not found: install Debian's chromium (scripts/install-deps.sh as "
                "root), or point WYCKOFF_CHROMIUM at a Chromium binary")
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="wyckoff-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def child_fds():
            # The browser reads commands on fd 3 and writes replies on fd 4. Move both ends
            # above 10 first so that dup2 cannot overwrite one with the other.
            r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
            w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=child_fds, close_fds=False)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self._events = []  # (session, method, params) not yet handed out
        self._pages = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)

    # The protocol.

    def send(self, method, params=None, session=None):
        """Sends a command and returns its result; raises BrowserError on a protocol error."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._to_browser, data):]
        wanted = self._next_id
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == wanted:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self._dispatch(reply)

    def _read(self, deadline):
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("no answer from Chromium within %.0f s" % self.timeout)
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise BrowserError("Chromium exited (exit code %s)" % self.process.poll())
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def _dispatch(self, event):
        page = self._pages.get(event.get("sessionId"))
        if page is not None:
            page._on_event(event["method"], event.get("params", {}))

    def pump(self, seconds):
        """Handles events for `seconds`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if b"\0" not in self._buffer:
                ready, _, _ = select.select([self._from_browser], [], [],
                                           max(0.0, deadline - time.monotonic()))
                if not ready:
                    return
            try:
                message = self._read(deadline)
            except BrowserError:
                return
            if "method" in message:
                self._dispatch(message)

    def new_page(self, width=1280, height=900):
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget",
                            {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        self._pages[session] = page
        for domain in ("Page", "Runtime", "Log", "Network"):
            page.send(f"{domain}.enable")
        page.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        return page


class Page:
    def __init__(self, browser, session):
        self.browser = browser
        self.session = session
        self.errors = []
        self.requests = []
        self.console = []
        self._loaded = False

    def send(self, method, params=None):
        return self.browser.send(method, params, self.session)

    def _on_event(self, method, params):
        if method == "Page.loadEventFired":
            self._loaded = True
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text")
            self.errors.append(f"uncaught: {text}")
        elif method == "Runtime.consoleAPICalled":
            args = " ".join(str(a.get("value", a.get("description", "")))
                            for a in params.get("args", []))
            self.console.append(f"{params.get('type')}: {args}")
            if params.get("type") in ("error", "assert"):
                self.errors.append(f"console.{params.get('type')}: {args}")
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            if entry.get("level") == "error":
                self.errors.append(f"log: {entry.get('text')} {entry.get('url', '')}".strip())
        elif method == "Network.requestWillBeSent":
            self.requests.append(params.get("request", {}).get("url", ""))

    def open(self, url, timeout=30.0):
        """Navigates to `url` and waits for its load event."""
        self._loaded = False
        result = self.send("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise BrowserError(f"{url}: {result['errorText']}")
        deadline = time.monotonic() + timeout
        while not self._loaded:
            if time.monotonic() > deadline:
                raise BrowserError(f"{url}: no load event within {timeout:.0f} s")
            self.browser.pump(0.05)

    def evaluate(self, expression, await_promise=False):
        """The value of a JavaScript expression (JSON-serialisable); raises on an exception."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                 "awaitPromise": await_promise})
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"{expression[:60]}...: {text}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression, timeout=30.0):
        """Waits until `expression` is truthy; returns its value. Raises on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(f"waited {timeout:.0f} s for {expression}")
            self.browser.pump(0.05)

    def settle(self, frames=3):
        """Waits for `frames` animation frames: what the page drew is on screen."""
        self.evaluate("new Promise(r => { let n = %d; const f = () => --n ? "
                      "requestAnimationFrame(f) : r(true); requestAnimationFrame(f); })" % frames,
                      await_promise=True)

    def bring_to_front(self):
        self.send("Page.bringToFront")

    def screenshot(self):
        """The visible part of the page as PNG bytes."""
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        return base64.b64decode(data)
