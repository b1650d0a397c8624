"""Markup a person might type into any name or wording, and how a page must show it: as text."""

from django.test import Client
from django.utils.html import escape

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><svg onload=alert(2)>'
CLOSES_TEXT = '</text><a href="https://evil.example/">x</a>'
MARKUP = (SCRIPT, ATTRIBUTE, CLOSES_TEXT)

# All of it in one string short enough for a person's first name: the end of a data island, a
# script, an attribute break-out and an SVG text closed into a link.
TYPED = '</script><script>alert(1)</script>"><img src=x onerror=alert(1)></text><a href=//e.example>'
# How json_script writes it inside a data island: no "<" or ">" at all.
IN_DATA_ISLAND = r"\u003C/script\u003E\u003Cscript\u003Ealert(1)"


def typed(word: str) -> str:
    """A name made of a plain word (to tell the fields apart) and the markup."""
    return f"{word} {TYPED}"


def assert_shown_as_text(page: str, *words: str) -> None:
    for said in words:
        assert said not in page, f"{said!r} reached the page as markup"
        assert escape(said) in page, f"{said!r} is not shown, escaped, on the page"


def assert_nowhere_raw(page: str) -> None:
    assert TYPED not in page and "<script>alert(1)" not in page and "<img src=x" not in page


def shows(client: Client, url: str, *words: str) -> str:
    """The page at `url`, after checking it is there and shows each of `words` as text."""
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    assert_shown_as_text(page, *words)
    return page
