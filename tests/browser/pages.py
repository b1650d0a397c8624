"""What the browser journeys share: people signed in in their own browser contexts (on a phone's
width or a wide screen), and the check that a page fits a phone without sideways scrolling."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.accounts import sign_in
from tests.browser.conftest import TIMEOUT_MS

PHONE_WIDTH = 360
PHONE_HEIGHT = 740
SignedIn = Callable[..., Page]


WIDER = """(limit) => [...document.querySelectorAll("main *")]
  .filter((e) => e.getBoundingClientRect().right > limit || e.scrollWidth > e.clientWidth + 1)
  .slice(-8)
  .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


def assert_fits(page: Page, width: int = PHONE_WIDTH) -> None:
    """The page is no wider than the screen; on failure, the widest elements in <main> are named.
    It waits for the page to finish loading, so a check straight after a click cannot read a
    document that is still being replaced."""
    page.wait_for_load_state()
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    wider = page.evaluate(WIDER, width) if scroll_width > width else []
    assert scroll_width <= width, f"{page.url} is {scroll_width} px wide on a {width} px screen: {wider}"


@contextmanager
def people_signed_in(browser: Browser, base_url: str, **options: object) -> Iterator[SignedIn]:
    """`signed_in(persona, phone=False)` opens a page in a new context, signed in as the persona;
    every context is closed at the end."""
    contexts: list[BrowserContext] = []

    def signed_in(persona: str, *, phone: bool = False) -> Page:
        context = browser.new_context(base_url=base_url, **options)  # type: ignore[arg-type]
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, persona)
        if phone:
            page.set_viewport_size({"width": PHONE_WIDTH, "height": PHONE_HEIGHT})
        return page

    expect.set_options(timeout=TIMEOUT_MS)
    try:
        yield signed_in
    finally:
        for context in contexts:
            context.close()
