"""A new user's journey through Baserow's web frontend against this server, in headless Chromium."""

import contextlib
import os
import re
import sys
import time
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, Response, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from e2e.browser import (
    SCREENSHOTS,
    Expected,
    Recorder,
    launch,
    new_context,
    new_page,
    screenshot,
)
from e2e.extra_pages import visit_extra_pages

BACKEND_URL = os.environ.get("E2E_BACKEND_URL", "http://127.0.0.1:8000")
FRONTEND_URL = os.environ.get("E2E_FRONTEND_URL", "http://127.0.0.1:3000")
# uvicorn's access log of the server: errors met by server-side rendering are only seen there.
BACKEND_LOG = os.environ.get("E2E_BACKEND_LOG")
PASSWORD = "correct-horse-battery-staple"

# Error responses the frontend asks for on purpose; anything else >= 400 fails the run.
ALLOWED = [
    # The login step first tries a wrong password, to see the frontend show the error.
    Expected("POST", "/api/user/token-auth/", 401, "login with a wrong password"),
]


class Journey:
    """The steps, in order, sharing one browser page; state found on the way is kept here."""

    def __init__(self, browser: Browser, recorder: Recorder) -> None:
        self.browser = browser
        self.recorder = recorder
        self.context = new_context(browser, recorder)
        self.page = new_page(self.context)
        self.email = f"e2e-{uuid.uuid4().hex[:8]}@example.com"
        self.number = 0
        self.database_id: int | None = None
        self.table_url: str | None = None
        self.form_url: str | None = None
        self.passed: list[str] = []
        self.failed_step: str | None = None

    def run(self, steps: list[Callable[[], None]]) -> bool:
        """Runs the steps in order; the first one that fails ends the journey."""
        for step in steps:
            name = step.__name__
            if not self.do(name, step):
                self.failed_step = name
                return False
            self.passed.append(name)
        return True

    def do(self, name: str, action: Callable[[], None], page: Page | None = None) -> bool:
        """Runs one step, then checks the page and saves a screenshot; False when it failed."""
        page = page or self.page
        self.number += 1
        label = f"{self.number:02d}-{name}"
        self.recorder.step = label
        try:
            action()
            settle(page)
        except Exception as exc:
            self.recorder.problems.append(f"[{label}] failed: {exc.__class__.__name__}: {exc}")
            traceback.print_exc()
            shoot(page, f"{label}-FAILED")
            return False
        self.recorder.check_page(page)
        shoot(page, label)
        return True

    # The journey's steps.

    def sign_up(self) -> None:
        """A new account through /signup, ending on the dashboard."""
        page = self.page
        page.goto(f"{FRONTEND_URL}/signup")
        page.get_by_placeholder("Enter your email").fill(self.email)
        page.get_by_placeholder("Enter your name").fill("E2E User")
        page.get_by_placeholder("Enter your password").fill(PASSWORD)
        page.get_by_role("button", name="Get started").click()
        # /dashboard sends a member of a workspace on to that workspace's page.
        page.wait_for_url(re.compile(r".*/workspace/\d+$"))
        page.locator(".sidebar__new").wait_for()

    def create_database(self) -> None:
        """A new empty database from the sidebar's "Create new" menu."""
        page = self.page
        page.locator(".sidebar__new").click()
        page.locator(".context__menu-item-link", has_text="Database").first.click()
        modal = page.locator(".modal__box:visible")
        modal.get_by_placeholder("Enter the name...").fill("E2E database")
        modal.get_by_role("button", name="Add database").click()
        page.locator(".tree__link", has_text="E2E database").first.wait_for()
        modal.wait_for(state="hidden")

    def create_table(self) -> None:
        """A new table in that database; the frontend opens its grid view."""
        page = self.page
        page.locator(".tree__sub-add", has_text="New table").first.click()
        modal = page.locator(".modal__box:visible")
        modal.locator("input[type=text]").first.fill("Projects")
        before = page.url
        modal.get_by_role("button", name=re.compile("Add table")).click()
        modal.wait_for(state="hidden", timeout=60_000)
        wait_until(page, lambda: page.url != before and "/table/" in page.url, timeout=60)
        page.locator(".grid-view__add-row").first.wait_for()
        self.table_url = page.url
        self.database_id = int(re.search(r"/database/(\d+)/", page.url).group(1))

    def edit_cells(self) -> None:
        """Types a name into the first row's primary cell and a note into its next cell."""
        page = self.page
        edit_cell(page, 0, 0, "Apollo")
        edit_cell(page, 0, 1, "First mission", save_key="Shift+Enter")  # a long text field

    def undo_cell_edit(self) -> None:
        """Ctrl+Z after editing a cell brings its old value back (PATCH /api/user/undo/)."""
        page = self.page
        # The frontend shows the new value at once; the undo must come after the server has it.
        with page.expect_response(lambda r: "/batch/" in r.url and r.request.method == "PATCH"):
            edit_cell(page, 0, 0, "Artemis")
        with page.expect_response(lambda r: "/api/user/undo/" in r.url and r.ok):
            page.keyboard.press("Control+z")
        wait_until(page, lambda: cell(page, 0, 0).inner_text().strip() == "Apollo")

    def add_rows(self) -> None:
        """Two rows through the grid's "+" row, each given a name."""
        page = self.page
        for name in ("Gemini", "Mercury"):
            before = rows(page).count()
            # An edit sent before the create's answer would name the row by its temporary id.
            with page.expect_response(lambda r: created(r, "/rows/table/")):
                page.locator(".grid-view__left .grid-view__add-row").click()
            wait_until(page, lambda b=before: rows(page).count() > b)
            edit_cell(page, rows(page).count() - 1, 0, name)

    def add_field(self) -> None:
        """A number field named "Budget" from the grid header's "+"."""
        page = self.page
        page.locator(".grid-view__add-column").click()
        context = page.locator(".field-context:visible")
        context.get_by_placeholder("Name").fill("Budget")
        context.locator(".dropdown__selected").click()
        page.locator(".select__item:visible", has_text="Number").first.click()
        context.get_by_role("button", name="Create").click()
        page.locator(".grid-view__description-name", has_text="Budget").wait_for()
        page.keyboard.press("Escape")

    def filter_rows(self) -> None:
        """A filter "Name contains Gem" keeps one row, then it is removed again."""
        page = self.page
        page.locator(".header__filter-link", has_text="Filter").click()
        # The frontend shows a new filter at once; changing it waits for the server's id.
        with page.expect_response(lambda r: created(r, "/filters/")):
            page.get_by_role("button", name="Add filter", exact=True).click()
        filters = page.locator(".filters:visible")
        filters.locator(".filters__type .dropdown__selected").click()
        page.locator(".select__item:visible", has_text="contains").first.click()
        filters.locator(".filters__value input").fill("Gem")
        wait_until(page, lambda: visible_names(page) == ["Gemini"])
        shoot(page, f"{self.number:02d}-filter_rows-active")
        filters.locator(".filters__remove").click()
        wait_until(page, lambda: len(visible_names(page)) == 4)
        page.keyboard.press("Escape")

    def sort_rows(self) -> None:
        """A sort on Name, descending, puts Mercury first."""
        page = self.page
        page.locator(".header__filter-link", has_text="Sort").click()
        page.get_by_role("button", name=re.compile("choose a field to sort by", re.I)).click()
        with page.expect_response(lambda r: created(r, "/sortings/")):
            page.locator(".select__item:visible", has_text="Name").first.click()
        page.locator(".sortings__order-item:visible").last.click()
        wait_until(page, lambda: visible_names(page)[:1] == ["Mercury"])
        page.keyboard.press("Escape")

    def share_form(self) -> None:
        """A form view with every field, shared by a public link."""
        page = self.page
        page.locator(".header__filter-link[data-highlight=views]").click()
        page.locator(".select__footer-create-link", has_text="Form").click()
        modal = page.locator(".modal__box:visible")
        modal.locator("input[type=text]").first.fill("Signup form")
        modal.get_by_role("button", name=re.compile("Add form")).click()
        page.locator(".form-view").first.wait_for()
        page.get_by_text("Add all", exact=True).click()
        # The editor's preview shows the form's fields, ready to be edited.
        page.locator(".form-view__field--editable", has_text="Budget").wait_for()
        page.locator(".header__filter-link", has_text="Share form").click()
        page.get_by_text("Create a private link", exact=False).first.click()
        box = page.locator(".view-sharing__shared-link-box")
        box.wait_for()
        self.form_url = box.inner_text().strip()
        page.keyboard.press("Escape")

    def submit_form(self) -> None:
        """The public form opened in a fresh browser profile and submitted."""
        context = new_context(self.browser, self.recorder)
        page = new_page(context)
        try:
            ok = self.do("public_form", lambda: self.fill_public_form(page), page=page)
        finally:
            context.close()
        if not ok:
            raise RuntimeError("the public form could not be submitted")
        self.page.goto(self.table_url)
        self.page.locator(".grid-view__cell", has_text="Voyager").first.wait_for()

    def fill_public_form(self, page: Page) -> None:
        """Fills every field of the public form (the form makes them all required) and submits."""
        page.goto(self.form_url)
        page.locator(".form-view__field-wrapper").first.wait_for()
        fields = page.locator(".form-view__field-wrapper")
        fields.filter(has_text="Name").locator("input").first.fill("Voyager")
        fields.filter(has_text="Notes").locator("textarea").first.fill("Sent by the public form")
        fields.filter(has_text="Active").locator(".field-boolean__checkbox").first.click()
        fields.filter(has_text="Budget").locator("input").first.fill("42")
        page.get_by_role("button", name="Submit").click()
        page.locator(".form-view__submitted").wait_for()

    def log_out(self) -> None:
        """Logs out through the workspace menu."""
        page = self.page
        page.locator(".sidebar__workspaces-selector").first.click()
        page.get_by_text("Log out", exact=True).click()
        page.wait_for_url(re.compile(r".*/login.*"))

    def log_in(self) -> None:
        """A wrong password is refused, then the right one opens the dashboard."""
        page = self.page
        page.get_by_placeholder("Enter your email").fill(self.email)
        page.get_by_placeholder("Enter your password").fill("not-the-password")
        page.get_by_role("button", name="Login").click()
        page.locator(".alert--error").first.wait_for()
        page.get_by_placeholder("Enter your password").fill(PASSWORD)
        page.get_by_role("button", name="Login").click()
        # /dashboard sends a member of a workspace on to that workspace's page.
        page.wait_for_url(re.compile(r".*/workspace/\d+$"))
        page.locator(".tree__link", has_text="E2E database").first.wait_for()


def created(response: Response, path: str) -> bool:
    """Whether response answers a POST to a URL containing path."""
    return response.request.method == "POST" and path in response.url


def rows(page: Page) -> Locator:
    """The rows of the grid's left section (the primary field), top to bottom."""
    return page.locator(".grid-view__left .grid-view__row:not(:has(.grid-view__add-row))")


def cell(page: Page, row: int, column: int) -> Locator:
    """A data cell: column 0 is the primary field, then the other fields left to right."""
    if column == 0:
        return rows(page).nth(row).locator(".grid-view__column").nth(1)
    right = page.locator(".grid-view__right .grid-view__row:not(:has(.grid-view__add-row))")
    right = right.nth(row)
    return right.locator(".grid-view__column").nth(column - 1)


def edit_cell(page: Page, row: int, column: int, text: str, save_key: str = "Enter") -> None:
    """Selects a cell, types text into it and saves it with save_key."""
    target = cell(page, row, column)
    target.click()
    page.keyboard.type(text)
    page.keyboard.press(save_key)
    wait_until(page, lambda: text in target.inner_text())


def visible_names(page: Page) -> list[str]:
    """The primary cells' texts of the rows the grid shows, top to bottom, read at once."""
    return rows(page).evaluate_all(
        "rows => rows.map(r => r.querySelectorAll('.grid-view__column')[1].innerText.trim())"
    )


def wait_until(page: Page, condition: Callable[[], bool], timeout: float = 15) -> None:
    """Polls condition until it holds; TimeoutError otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        # Waiting through Playwright lets it take in the page's events (page.url among them).
        page.wait_for_timeout(200)
    raise TimeoutError(f"condition not met within {timeout}s")


def settle(page: Page) -> None:
    """Lets the requests a step started finish."""
    # A page that keeps polling never idles, and is still usable.
    with contextlib.suppress(PlaywrightError):
        page.wait_for_load_state("networkidle", timeout=10_000)
    page.wait_for_timeout(500)


def shoot(page: Page, name: str) -> None:
    """A screenshot, unless the page is gone."""
    try:
        screenshot(page, name)
    except Exception as exc:
        print(f"screenshot {name} failed: {exc}")


def report(journey: Journey, extras: dict[str, list[str]], passed: bool) -> None:
    """Prints what passed, the extra pages, every error response and every problem."""
    recorder = journey.recorder
    print(f"\nJourney as {journey.email}: passed {', '.join(journey.passed) or 'nothing'}")
    if journey.failed_step:
        print(f"Journey stopped at: {journey.failed_step}")
    print("\nExtra pages (reported; they do not decide the result):")
    for name, notes in extras.items():
        print(f"  {name}: {'; '.join(notes) or 'ok'}")
    sections = {
        "Backend responses >= 400": recorder.responses,
        "Unexpected (not on the allow-list)": recorder.unexpected,
        "Problems": recorder.problems,
        "Browser console errors (reported)": recorder.console,
    }
    for title, lines in sections.items():
        print(f"\n{title}:")
        for line in lines or ["none"]:
            print(f"  {line}")
    socket = "answered" if recorder.websocket_works else "never answered (its toasts tolerated)"
    print(f"\nWebsocket /ws/core/: {socket}")
    print(f"\nScreenshots: {SCREENSHOTS}")
    print(f"\nResult: {'PASSED' if passed else 'FAILED'}")


def main() -> int:
    """Walks the journey then the extra pages; 1 when the journey met anything unexpected."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    recorder = Recorder(BACKEND_URL, FRONTEND_URL, allowed=ALLOWED)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        journey = Journey(browser, recorder)
        j = journey
        steps = [j.sign_up, j.create_database, j.create_table, j.edit_cells, j.undo_cell_edit]
        steps += [j.add_rows]
        steps += [j.add_field, j.filter_rows, j.sort_rows, j.share_form, j.submit_form]
        steps += [j.log_out, j.log_in]
        completed = journey.run(steps)
        extras = visit_extra_pages(journey) if journey.table_url else {}
        browser.close()
    if BACKEND_LOG:
        recorder.check_server_log(Path(BACKEND_LOG))
    passed = completed and not recorder.failed(ignore_prefix="extra-")
    report(journey, extras, passed)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
