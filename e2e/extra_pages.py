"""Frontend pages and windows beyond the journey: each is opened, photographed and judged."""

import re
from collections.abc import Callable

from playwright.sync_api import Page

from e2e.browser import new_context, new_page, screenshot


def visit_extra_pages(journey) -> dict[str, list[str]]:
    """Opens each extra page after the journey; gives, per page, what went wrong there."""
    page = journey.page
    base = journey.table_url.split("?")[0]
    frontend = re.match(r"https?://[^/]+", base).group(0)
    database_id = journey.database_id
    pages: dict[str, Callable[[], None]] = {
        "trash": lambda: open_trash(page, base),
        "webhooks": lambda: open_webhooks(page, base),
        "row_history": lambda: open_row_history(page, base),
        "api_docs": lambda: open_api_docs(page, frontend, database_id),
        "members": lambda: open_members(page, frontend),
        "settings": lambda: open_settings(page, base),
        "public_grid": lambda: open_public_grid(journey, base),
    }
    results = {}
    for name, action in pages.items():
        recorder = journey.recorder
        before = (len(recorder.unexpected), len(recorder.problems))
        journey.do(f"extra-{name}", action)
        results[name] = recorder.unexpected[before[0] :] + recorder.problems[before[1] :]
    return results


def table_page(page: Page, base: str) -> None:
    """The journey's table in its first view."""
    page.goto(base)
    if "/table/" not in page.url:
        # A navigation the previous page had started may have won the race: go again.
        page.goto(base)
    page.locator(".grid-view__add-row, .form-view").first.wait_for()


def open_trash(page: Page, base: str) -> None:
    """The trash window from the sidebar, with the journey's workspace selected."""
    table_page(page, base)
    page.locator(".tree__link", has_text="Trash").first.click()
    # The window shows the trash's contents, or an error toast and closes.
    page.locator(".trash__title, .toasts__container-top .toast").first.wait_for()
    page.wait_for_timeout(500)


def open_webhooks(page: Page, base: str) -> None:
    """The webhooks window of the table, through the view's context menu."""
    table_page(page, base)
    page.locator(".header__filter-link[data-highlight=view-options]").click()
    page.get_by_text("Webhooks", exact=True).click()
    page.locator(".modal__box").first.wait_for()
    page.wait_for_timeout(1000)


def open_row_history(page: Page, base: str) -> None:
    """The first row expanded, with the history tab of its side panel."""
    table_page(page, base)
    row = page.locator(".grid-view__left .grid-view__row").first
    row.hover()
    row.locator(".grid-view__row-more").click()
    modal = page.locator(".row-edit-modal, .modal__box").first
    modal.wait_for()
    history = page.get_by_text("History", exact=True)
    if history.count():
        history.first.click()
    page.wait_for_timeout(1500)


def open_api_docs(page: Page, frontend: str, database_id: int) -> None:
    """The database's generated API documentation page."""
    page.goto(f"{frontend}/api-docs/database/{database_id}")
    page.locator(".api-docs").first.wait_for()
    page.wait_for_timeout(1000)


def open_members(page: Page, frontend: str) -> None:
    """The workspace's members page."""
    page.goto(f"{frontend}/dashboard")
    page.locator(".tree__link", has_text="Members").first.click()
    page.wait_for_url(re.compile(r".*/workspace/\d+/settings/members.*"))
    page.wait_for_timeout(1500)


def open_settings(page: Page, base: str) -> None:
    """The account settings window from the workspace menu."""
    table_page(page, base)
    page.locator(".sidebar__workspaces-selector").first.click()
    page.get_by_text("My settings", exact=True).click()
    page.locator(".modal__box").first.wait_for()
    page.wait_for_timeout(1000)


def open_public_grid(journey, base: str) -> None:
    """The grid view shared publicly, opened in a fresh browser profile."""
    page = journey.page
    table_page(page, base)
    page.locator(".header__filter-link[data-highlight=views]").click()
    page.locator(".select__item", has_text="Grid").first.click()
    page.locator(".grid-view__add-row").first.wait_for()
    page.locator(".header__filter-link", has_text="Share view").click()
    page.get_by_text("Create a private link", exact=False).first.click()
    box = page.locator(".view-sharing__shared-link-box")
    box.wait_for()
    url = box.inner_text().strip()
    page.keyboard.press("Escape")
    context = new_context(journey.browser, journey.recorder)
    public = new_page(context)
    try:
        public.goto(url)
        public.locator(".grid-view").first.wait_for()
        public.wait_for_timeout(1500)
        journey.recorder.check_page(public)
        screenshot(public, f"{journey.number:02d}-extra-public_grid-anonymous")
    finally:
        context.close()
