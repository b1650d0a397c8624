"""The ripple map and its nested list: an accessible image whose typed words are escaped, which holds
the same ripples as the list and never rests on colour alone."""

import re
import xml.etree.ElementTree as ET
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from carecommons.ripples.capitals import Intent, Valence
from carecommons.ripples.charts import RippleItem, ripple_list, ripple_map_svg
from carecommons.ripples.tree import RippleNode, build

SVG = "{http://www.w3.org/2000/svg}"
MARKUP = "<script>alert(1)</script> & co"
CAPITALS = {"social": "Social", "political": "Political <b>", "human": "Human"}
POSITIVE, NEGATIVE, MIXED = Valence
RIPPLES = build(
    [
        RippleNode(
            1, None, "New friendships across the estate", date(2025, 3, 1), POSITIVE, frozenset({"social"})
        ),
        RippleNode(2, 1, MARKUP, date(2025, 4, 2), POSITIVE, frozenset({"social", "political"})),
        RippleNode(
            3, 2, "Council listened & funded a garden by the flats", None, MIXED, frozenset({"political"})
        ),
        RippleNode(
            4,
            None,
            "Volunteers burned out",
            date(2025, 5, 1),
            NEGATIVE,
            frozenset({"human"}),
            Intent.UNINTENDED,
        ),
        RippleNode(5, 1, "Shared meals every Friday", None, POSITIVE, intent=Intent.INTENDED),
    ]
)
LINKS = {2: ["Estate Tenants"]}


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - our own output


def drawn_ripples(root: ET.Element) -> list[str]:
    return [node.get("data-ripple", "") for node in root.iter() if node.get("data-ripple") is not None]


def listed(items: list[RippleItem]) -> list[int]:
    found: list[int] = []
    stack = list(reversed(items))
    while stack:
        item = stack.pop()
        found.append(item.id)
        stack.extend(reversed(item.children))
    return found


def test_the_map_is_an_image_named_by_its_title_and_description() -> None:
    root = parse(ripple_map_svg(RIPPLES, centre_label="Radical Caring"))
    assert root.get("role") == "img" and root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 400 ")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "Ripple map: Radical Caring"
    assert desc is not None and desc.text is not None
    assert "5 ripples spreading from Radical Caring, 3 levels deep" in desc.text
    assert "3 positive, 1 negative, 1 mixed" in desc.text


def test_words_typed_into_ripples_capitals_and_the_programme_are_escaped() -> None:
    markup = str(ripple_map_svg(RIPPLES, centre_label="Care <i>Lab</i>", links=LINKS, capital_names=CAPITALS))
    assert "<script>" not in markup and "<b>" not in markup and "<i>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in markup
    titles = [node.text or "" for node in parse(markup).iter(f"{SVG}title")]
    assert any(words.startswith(MARKUP) and "Political <b>" in words for words in titles)
    assert any("affected: Estate Tenants" in words for words in titles)


def test_capitals_are_named_from_the_capitals_by_default() -> None:
    titles = [
        node.text or "" for node in parse(ripple_map_svg(RIPPLES, centre_label="P")).iter(f"{SVG}title")
    ]
    assert any(words.startswith(MARKUP) and "capitals: Social, Political)" in words for words in titles)


def test_no_chart_carries_a_style_attribute() -> None:
    charts = [
        ripple_map_svg(RIPPLES, centre_label="Radical Caring"),
    ]
    for chart in charts:
        assert all("style" not in node.attrib for node in parse(chart).iter())


def test_each_ripple_says_in_words_whether_it_was_positive_negative_or_mixed_and_has_its_own_shape() -> None:
    root = parse(ripple_map_svg(RIPPLES, centre_label="Radical Caring"))
    shapes, words = {}, {}
    for node in root.iter(f"{SVG}path"):
        if (key := node.get("data-ripple")) is not None:
            shapes[key] = re.sub(r"[-\d.,\s]", "", node.get("d", ""))  # the commands: the shape
            title = node.find(f"{SVG}title")
            words[key] = (title.text or "") if title is not None else ""
    assert "(positive;" in words["1"] and "(negative;" in words["4"] and "(mixed;" in words["3"]
    assert "(positive; intended)" in words["5"] and "(negative; unintended;" in words["4"]
    assert len({shapes["1"], shapes["4"], shapes["3"]}) == 3
    legend = [node.text for node in root.iter(f"{SVG}text")]
    assert {"positive", "negative", "mixed"} <= set(legend)


def test_a_long_ripple_is_shortened_on_the_map_and_whole_in_its_title() -> None:
    long_text = "The local council changed how it commissions community services " * 3
    ripples = build([RippleNode(1, None, long_text, None, POSITIVE)])
    root = parse(ripple_map_svg(ripples, centre_label="Radical Caring"))
    labels = [
        node.text or "" for node in root.iter(f"{SVG}text") if (node.text or "").startswith("The local")
    ]
    assert labels and all(label.endswith("…") and len(label) < len(long_text) for label in labels)
    titles = [node.text or "" for node in root.iter(f"{SVG}title")]
    assert any(words.startswith(long_text.strip()) for words in titles)


def test_the_list_gives_each_ripple_with_its_date_words_capitals_and_children() -> None:
    items = ripple_list(RIPPLES, links=LINKS, capital_names=CAPITALS)
    assert [item.id for item in items] == [1, 4]
    friendships = items[0]
    assert [child.id for child in friendships.children] == [2, 5]
    tenants = friendships.children[0]
    assert tenants.text == MARKUP and tenants.happened_on == date(2025, 4, 2)
    assert tenants.valence is POSITIVE and tenants.capitals == ("Social", "Political <b>")
    assert tenants.links == ("Estate Tenants",) and [c.id for c in tenants.children] == [3]
    assert items[1].intent is Intent.UNINTENDED and friendships.links == ()


# Each ripple hangs from the programme or from a ripple given before it: any tree at all.
trees = st.lists(
    st.tuples(st.one_of(st.none(), st.integers(0, 60)), st.sampled_from(list(Valence))),
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(trees)
def test_the_map_and_the_list_hold_the_same_ripples_each_once_whatever_the_tree(
    rows: list[tuple[int | None, Valence]],
) -> None:
    tree = build(
        RippleNode(
            key, None if parent is None or key == 0 else parent % key, f"ripple {key} <&>", None, valence
        )
        for key, (parent, valence) in enumerate(rows)
    )
    drawn = drawn_ripples(parse(ripple_map_svg(tree, centre_label="P")))
    in_list = listed(ripple_list(tree))
    assert sorted(map(int, drawn)) == sorted(in_list) == list(range(len(rows)))


def test_a_branch_thousands_deep_is_drawn_and_listed_without_recursion() -> None:
    chain = build(RippleNode(i, i - 1 if i else None, f"step {i}", None, POSITIVE) for i in range(3000))
    assert len(drawn_ripples(parse(ripple_map_svg(chain, centre_label="P")))) == 3000
    assert len(listed(ripple_list(chain))) == 3000


def test_an_empty_map_says_so() -> None:
    root = parse(ripple_map_svg(build([]), centre_label="Radical Caring"))
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text == "No ripples from Radical Caring have been mapped yet."
    assert ripple_list(build([])) == []
