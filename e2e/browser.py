"""Chromium through Playwright, and the record of what went wrong on the way."""

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Playwright,
    Request,
    Response,
    WebSocket,
)
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = "/usr/bin/chromium"  # Debian's package: Playwright's own download does not work here.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"

# Toasts a missing websocket causes: tolerated while /ws/core/ has never answered in the run.
WEBSOCKET_TOASTS = ("Reconnecting with server.", "Connection to the server has failed.")
# What the frontend logs when one of its components throws (Vue logs and goes on).
JS_EXCEPTION = re.compile(r"(TypeError|ReferenceError|RangeError|SyntaxError|Error):")
# A request line of uvicorn's access log: "GET /api/settings/ HTTP/1.1" 200
ACCESS_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3})')


@dataclass(frozen=True)
class Expected:
    """A backend error response the frontend asks for on purpose, and why."""

    method: str
    path: str  # a regular expression matched against the whole path
    status: int
    reason: str


@dataclass
class Recorder:
    """Collects every backend response >= 400, failed request and error page of a run."""

    backend_url: str
    frontend_url: str
    allowed: list[Expected] = field(default_factory=list)
    responses: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    seen: Counter = field(default_factory=Counter)
    step: str = "start"
    websocket_works: bool = False

    def watch(self, context: BrowserContext) -> None:
        """Listens to every page of context."""
        context.on("response", self.on_response)
        context.on("requestfailed", self.on_request_failed)
        context.on("weberror", lambda e: self.problems.append(f"[{self.step}] uncaught {e.error}"))
        context.on("console", self.on_console)
        context.on("page", lambda page: page.on("websocket", self.on_websocket))

    def on_websocket(self, socket: WebSocket) -> None:
        """Notes whether the server's /ws/core/ answers: then its toasts are no longer tolerated."""
        if "/ws/core/" in socket.url:
            socket.on("framereceived", lambda _: setattr(self, "websocket_works", True))

    def on_console(self, message: ConsoleMessage) -> None:
        """Keeps the browser console's errors; a JavaScript exception is a problem."""
        text = message.text
        if message.type != "error" or "/ws/core/" in text or "WebSocket is already" in text:
            return
        line = f"[{self.step}] console: {text[:400]}"
        self.console.append(line)
        if JS_EXCEPTION.match(text):
            self.problems.append(line)

    def is_allowed(self, method: str, path: str, status: int) -> bool:
        """Whether an error response is on the allow-list."""
        return any(
            e.method == method and e.status == status and re.fullmatch(e.path, path)
            for e in self.allowed
        )

    def record(self, method: str, path: str, status: int, body: str) -> None:
        """Keeps an error response; unexpected unless on the allow-list."""
        line = f"[{self.step}] {method} {path} -> {status} {body}"
        self.responses.append(line)
        if not self.is_allowed(method, path.split("?")[0], status):
            self.unexpected.append(line)

    def on_response(self, response: Response) -> None:
        """Records backend responses >= 400 and frontend documents >= 400."""
        url, status, method = response.url, response.status, response.request.method
        if status < 400:
            return
        if url.startswith(self.backend_url):
            path = url[len(self.backend_url) :]
            self.seen[(method, path.split("?")[0], status)] += 1
            try:
                body = response.text()[:300]
            except PlaywrightError:
                body = "<no body>"
            sent = response.request.post_data
            self.record(method, path, status, f"{body} (sent {sent[:300]})" if sent else body)
        elif url.startswith(self.frontend_url) and response.request.resource_type == "document":
            self.problems.append(f"[{self.step}] frontend page {url} -> {status}")

    def on_request_failed(self, request: Request) -> None:
        """Records requests to the backend that got no response (the websocket aside)."""
        if request.url.startswith(self.backend_url) and "/ws/core/" not in request.url:
            self.problems.append(
                f"[{self.step}] {request.method} {request.url} failed: {request.failure}"
            )

    def check_server_log(self, access_log: Path) -> None:
        """Records the errors the server logged that no browser saw: server-side rendering's."""
        self.step = "server-side"
        logged: Counter = Counter()
        for match in ACCESS_LINE.finditer(access_log.read_text(errors="replace")):
            method, path, status = match["method"], match["path"], int(match["status"])
            if status >= 400:
                logged[(method, path.split("?")[0], status)] += 1
        for (method, path, status), count in (logged - self.seen).items():
            for _ in range(count):
                self.record(method, path, status, "(requested by the frontend's server)")

    def check_page(self, page: Page) -> None:
        """Records an error page, an error alert or an error toast on page."""
        error_page = page.locator(".placeholder:has(.placeholder__logo) .placeholder__title")
        if error_page.count():
            title = error_page.first.inner_text()
            self.problems.append(f"[{self.step}] error page at {page.url}: {title}")
        for alert in page.locator(".alert--error:visible").all():
            text = " ".join(alert.inner_text().split())
            self.problems.append(f"[{self.step}] error shown at {page.url}: {text}")
        for toast in page.locator(".toasts__container-top .toast").all():
            text = " ".join(toast.inner_text().split())
            if self.websocket_works or not any(t in text for t in WEBSOCKET_TOASTS):
                self.problems.append(f"[{self.step}] toast at {page.url}: {text}")

    def failed(self, *, ignore_prefix: str | None = None) -> bool:
        """Whether anything unexpected happened (outside the steps named ignore_prefix...)."""
        lines = self.unexpected + self.problems
        if ignore_prefix:
            lines = [line for line in lines if not re.match(rf"\[\d+-{ignore_prefix}", line)]
        return bool(lines)


def launch(playwright: Playwright) -> Browser:
    """Headless Chromium from Debian's package."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def new_context(browser: Browser, recorder: Recorder) -> BrowserContext:
    """A fresh browser profile watched by recorder."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    context.set_default_timeout(20_000)
    recorder.watch(context)
    return context


def new_page(context: BrowserContext) -> Page:
    """A page that walks through any guided tour shown to a new user, as the user would."""
    page = context.new_page()
    page.add_locator_handler(page.locator(".guided-tour-step"), finish_guided_tour)
    return page


def finish_guided_tour(step: Locator) -> None:
    """Clicks "Next" until the tour's last "Got it"; the frontend then saves it as completed."""
    page = step.page
    while page.locator(".guided-tour-step").count():
        page.locator(".guided-tour-step__foot button").first.click()
        page.wait_for_timeout(300)


def screenshot(page: Page, name: str) -> Path:
    """Saves a full-window screenshot as screenshots/<name>.png."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
