"""Every word that enters an SVG is escaped, whichever way it enters: the quick path for strings
that need nothing must not let anything through that Django's escape would have caught."""

import xml.etree.ElementTree as ET

import pytest
from django.utils.html import escape
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st

from carecommons.lib.svg import NOT_XML, TitledShapes, element, escaped, text, title


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - our own output


@given(st.text())
def test_escaping_matches_djangos_escape_after_dropping_what_xml_forbids(words: str) -> None:
    assert escaped(words) == escape(NOT_XML.sub("", words))


def as_parsed(words: str, *, attribute: bool) -> str:
    """What an XML parser gives back: line ends folded to a newline, and in an attribute every
    newline and tab read as a space."""
    words = NOT_XML.sub("", words).replace("\r\n", "\n").replace("\r", "\n")
    return words.replace("\n", " ").replace("\t", " ") if attribute else words


@given(st.text())
def test_any_typed_words_come_back_whole_from_an_attribute_a_text_and_a_title(words: str) -> None:
    shapes = TitledShapes("path", "d", "data-note")
    shapes.add("M0,0", words, words)
    shape = shapes.markup()
    root = parse(f'<g xmlns="x">{element("rect", {"data-note": words})}{text(1, 2, words)}{shape}</g>')
    rect, label, path = root
    assert rect.get("data-note") == path.get("data-note") == as_parsed(words, attribute=True)
    assert (label.text or "") == (path[0].text or "") == as_parsed(words, attribute=False)


def test_quotes_cannot_close_an_attribute_and_control_characters_are_dropped() -> None:
    markup = element("rect", {"data-note": 'a" onload="x\' b'}, "bell\x07 & <tab>\x0b")
    assert 'onload="x' not in markup and "&quot;" in markup and "&#x27;" in markup
    assert "\x07" not in markup and "\x0b" not in markup
    assert markup.endswith(">bell &amp; &lt;tab&gt;</rect>")


def test_words_marked_safe_are_escaped_all_the_same_in_text_and_titles() -> None:
    trap = mark_safe("<a href='x'>")
    assert "<a " not in text(0, 0, trap) and "<a " not in title(trap)
    shapes = TitledShapes("circle", "r")
    shapes.add(trap, trap)
    assert "<a " not in shapes.markup()


def test_many_shapes_come_as_one_piece_of_markup_with_numbers_written_as_they_are() -> None:
    shapes = TitledShapes("path", "data-ripple")
    assert len(shapes) == 0 and shapes.markup() == ""
    shapes.add(12, 3.5)
    shapes.add(13, "<b>")
    assert len(shapes) == 2
    assert shapes.markup() == (
        '<path data-ripple="12"><title>3.5</title></path>'
        '<path data-ripple="13"><title>&lt;b&gt;</title></path>'
    )


def test_names_that_are_not_svg_names_are_refused_and_a_shape_takes_one_value_per_name() -> None:
    with pytest.raises(ValueError, match="Not an SVG name"):
        element("rect", {'x" onload="y': 1})
    with pytest.raises(ValueError, match="Not an SVG name"):
        TitledShapes("path", "d onload")
    with pytest.raises(TypeError, match="takes 2 values"):
        TitledShapes("path", "d").add("M0,0")
