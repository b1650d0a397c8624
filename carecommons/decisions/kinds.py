"""Read and check the decision kinds declared in `kind_data/<key>.toml`.

Pure: no Django. Every field a declaration may hold is read through `Declaration`, which names the
kind and the field in every error and refuses any field nobody read, so a misspelt
`blocks_untill_resolved` fails at load instead of being silently ignored.
"""

import tomllib
from functools import cache
from pathlib import Path
from typing import TypeVar, cast

from carecommons.decisions.schema import (
    COUNTINGS,
    COUNTS_SHAPES,
    PASS_RULES,
    SHAPES,
    Counting,
    Kind,
    Option,
    OptionsFrom,
    PassRule,
    Point,
    Reason,
    Shape,
    Words,
)
from carecommons.lib import declared
from carecommons.lib.declared import MISSING

KINDS_DIR = Path(__file__).resolve().parent / "kind_data"
SCHEMA_VERSION = 1
T = TypeVar("T")


class KindError(ValueError):
    """A declaration that cannot be used; the message names the kind and the field."""


class Declaration(declared.Fields):
    error = KindError
    container = "a table"

    def typed(self, key: str, kind: type[T], default: object, wanted: str) -> T:
        value = self.raw(key, default)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(f"'{key}' must be {wanted}")
        return value

    def text(self, key: str, default: object = MISSING) -> str:
        value = self.typed(key, str, default, "non-empty text")
        if not value.strip() and default is MISSING:
            self.fail(f"'{key}' must be non-empty text")
        return value

    def choice(self, key: str, options: tuple[str, ...], default: object = MISSING) -> str:
        value = self.text(key, default)
        if value not in options:
            self.fail(f"'{key}' must be one of {', '.join(options)}")
        return value

    def integer(self, key: str, default: object = MISSING) -> int:
        return self.typed(key, int, default, "a whole number")

    def boolean(self, key: str, default: object = MISSING) -> bool:
        return self.typed(key, bool, default, "true or false")

    def texts(self, key: str) -> tuple[str, ...]:
        values = self.typed(key, list, [], "a list of texts")
        if not all(isinstance(value, str) and value for value in values):
            self.fail(f"'{key}' must be a list of non-empty texts")
        return tuple(cast(list[str], values))

    def tables(self, key: str) -> list["Declaration"]:
        values = self.typed(key, list, [], "a list of tables")
        return [Declaration.of(value, f"{self.where}: {key}[{index}]") for index, value in enumerate(values)]


def parse_kind(data: object, *, where: str) -> Kind:
    fields = Declaration.of(data, where)
    if fields.integer("schema") != SCHEMA_VERSION:
        fields.fail(f"'schema' must be {SCHEMA_VERSION}")
    kind = Kind(
        key=fields.text("key"),
        words=parse_words(Declaration.of(fields.raw("words"), f"{where}: words")),
        shape=cast(Shape, fields.choice("shape", SHAPES)),
        counting=cast(Counting, fields.choice("counting", COUNTINGS)),
        options_from=cast(OptionsFrom, fields.choice("options_from", ("kind", "decision"))),
        options=tuple(parse_option(table) for table in fields.tables("options")),
        fewest_options=fields.integer("fewest_options", 0),
        most_options=fields.integer("most_options", 0),
        scale=tuple(parse_point(table) for table in fields.tables("scale")),
        fewest_choices=fields.integer("fewest_choices", 1),
        most_choices=fields.integer("most_choices") if "most_choices" in fields.data else None,
        every_option=fields.boolean("every_option", False),
        dots=fields.integer("dots", 0),
        reason=cast(Reason, fields.choice("reason", ("optional", "required"))),
        reason_required_for=fields.texts("reason_required_for"),
        blocks=fields.texts("blocks"),
        blocks_until_resolved=fields.boolean("blocks_until_resolved", False),
        agree=fields.texts("agree"),
        abstain=fields.texts("abstain"),
        passes=cast(PassRule, fields.choice("passes", PASS_RULES)),
        quorum=fields.boolean("quorum"),
        vote_share=fields.boolean("vote_share"),
        anonymous=fields.boolean("anonymous", True),
    )
    fields.finish()
    check_kind(kind, fields)
    return kind


def parse_words(fields: Declaration) -> Words:
    words = Words(
        name=fields.text("name"),
        summary=fields.text("summary"),
        prompt=fields.text("prompt"),
        reason_prompt=fields.text("reason_prompt"),
    )
    fields.finish()
    return words


def parse_option(fields: Declaration) -> Option:
    option = Option(key=fields.text("key"), label=fields.text("label"), meaning=fields.text("meaning", ""))
    fields.finish()
    return option


def parse_point(fields: Declaration) -> Point:
    point = Point(value=fields.integer("value"), label=fields.text("label"))
    fields.finish()
    return point


def check_kind(kind: Kind, fields: Declaration) -> None:
    """The rules between fields: each failure names the field that breaks it."""
    if kind.shape not in COUNTS_SHAPES[kind.counting]:
        fields.fail(f"'counting' {kind.counting} cannot count ballots of shape {kind.shape}")
    keys = [option.key for option in kind.options]
    if len(set(keys)) != len(keys):
        fields.fail("'options' keys must be unique")
    if kind.shape == "words":
        if kind.options or kind.scale or kind.reason != "required":
            fields.fail("'shape' words takes no options or scale, and 'reason' must be required")
    elif kind.options_from == "kind" and len(kind.options) < 2:
        fields.fail("'options' must list at least two options when options_from is kind")
    if kind.options_from == "decision":
        if kind.options:
            fields.fail("'options' must be left out when the decision lists its own options")
        if not 1 <= kind.fewest_options <= kind.most_options:
            fields.fail("'fewest_options' and 'most_options' must satisfy 1 <= fewest <= most")
    for name in ("reason_required_for", "blocks", "agree", "abstain"):
        if unknown := [key for key in getattr(kind, name) if key not in keys]:
            fields.fail(f"'{name}' names unknown option(s) {', '.join(unknown)}")
    if set(kind.agree) & set(kind.abstain) or set(kind.blocks) & set(kind.agree):
        fields.fail("'agree' must not share an option with 'abstain' or 'blocks'")
    if kind.blocks_until_resolved and not kind.blocks:
        fields.fail("'blocks_until_resolved' needs 'blocks'")
    if (kind.passes == "majority" or kind.vote_share) and not kind.agree:
        fields.fail("'agree' must name the agreeing options for a majority or vote share")
    if kind.passes == "no_open_blocks" and not kind.blocks:
        fields.fail("'passes' no_open_blocks needs 'blocks'")
    if (kind.shape == "marks") != bool(kind.scale):
        fields.fail("'scale' is needed for shape marks, and only for it")
    values = kind.scale_values
    if len(set(values)) != len(values) or any(value < 0 for value in values):
        fields.fail("'scale' values must be distinct whole numbers from 0")
    if (kind.shape == "dots") != (kind.dots > 0):
        fields.fail("'dots' must be above 0 for shape dots, and only for it")
    if kind.fewest_choices < 0 or (kind.most_choices is not None and kind.most_choices < kind.fewest_choices):
        fields.fail("'fewest_choices' and 'most_choices' must satisfy 0 <= fewest <= most")
    if kind.every_option != (kind.shape == "marks"):
        fields.fail("'every_option' must be true for shape marks, and only for it")


def load_kind(path: Path) -> Kind:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise KindError(f"{path.name}: not valid TOML: {error}") from error
    kind = parse_kind(data, where=path.stem)
    if kind.key != path.stem:
        raise KindError(f"{path.stem}: 'key' {kind.key} must match the file name")
    return kind


@cache
def load_kinds(directory: Path = KINDS_DIR) -> dict[str, Kind]:
    return {path.stem: load_kind(path) for path in sorted(directory.glob("*.toml"))}


def get_kind(key: str) -> Kind:
    kinds = load_kinds()
    if key not in kinds:
        raise KeyError(f"unknown decision kind '{key}'; known kinds: {', '.join(kinds)}")
    return kinds[key]
