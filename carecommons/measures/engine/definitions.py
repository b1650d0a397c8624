"""Read and check instrument definition files (docs/instruments-schema.md), and find their item text.

Pure: no Django, no database. Definitions ship in `instruments/<id>.json`; item wording lives apart,
in `instruments/text/<id>.txt` for instruments whose licence lets us ship it, or in a deployment's
own text folder for those it has licensed (see `texts.py`).
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, cast

from carecommons.measures.engine import texts
from carecommons.measures.engine.fields import (
    DefinitionError as DefinitionError,  # raised by this module's loaders
)
from carecommons.measures.engine.fields import Fields
from carecommons.measures.engine.schema import (
    Band,
    Direction,
    Instrument,
    Item,
    Licence,
    LicenceStatus,
    Method,
    ResponseSet,
    RiskRule,
    Scale,
    Severity,
    Threshold,
)

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "instruments"
SHIPPED_TEXT_DIR = INSTRUMENTS_DIR / "text"
SCHEMA_VERSION = 1
LICENCE_STATUSES = (
    "public-domain",
    "open-permission",
    "cc-by-nd-4.0",
    "licence-required",
    "permission-pending",
)

TextSource = Literal["loaded", "shipped", "none"]


def load_definition(path: Path) -> Instrument:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DefinitionError(f"{path.name}: not valid JSON: {error}") from error
    return parse_definition(data, where=path.name)


@cache
def load_instruments(directory: Path = INSTRUMENTS_DIR) -> dict[str, Instrument]:
    instruments: dict[str, Instrument] = {}
    for path in sorted(directory.glob("*.json")):
        instrument = load_definition(path)
        if instrument.id != path.stem:
            raise DefinitionError(f"{path.name}: id '{instrument.id}' must match the file name")
        instruments[instrument.id] = instrument
    return instruments


def get_instrument(instrument_id: str) -> Instrument:
    instruments = load_instruments()
    if instrument_id not in instruments:
        known = ", ".join(instruments)
        raise KeyError(f"unknown instrument '{instrument_id}'; known instruments: {known}")
    return instruments[instrument_id]


def parse_definition(data: object, *, where: str) -> Instrument:
    fields = Fields.of(data, where)
    if fields.integer("schema") != SCHEMA_VERSION:
        raise DefinitionError(f"{where}: schema must be {SCHEMA_VERSION}")
    response_sets = {
        set_id: parse_response_set(set_id, Fields.of(value, f"{where}: response_sets.{set_id}"))
        for set_id, value in fields.mapping("response_sets").items()
    }
    items = parse_items(fields.sequence("items"), response_sets, where=f"{where}: items")
    by_id = {item.id: item for item in items}
    scales = tuple(
        parse_scale(Fields.of(value, f"{where}: scales[{index}]"), by_id)
        for index, value in enumerate(fields.sequence("scales"))
    )
    risk_rules = tuple(
        parse_risk_rule(Fields.of(value, f"{where}: risk_rules[{index}]"), by_id)
        for index, value in enumerate(fields.sequence("risk_rules", default=[]))
    )
    instrument = Instrument(
        id=fields.text("id"),
        version=fields.version("version"),
        name=fields.text("name"),
        short_name=fields.text("short_name"),
        citation=fields.text("citation"),
        doi=fields.text("doi", default=""),
        recall_period=fields.text("recall_period", default=""),
        licence=parse_licence(Fields.of(fields.raw("licence"), f"{where}: licence")),
        response_sets=response_sets,
        items=items,
        scales=scales,
        risk_rules=risk_rules,
        notes=tuple(fields.texts("notes", default=[])),
        codes={key: str(value) for key, value in fields.mapping("codes", default={}).items()},
    )
    fields.finish()
    check_instrument(instrument, where=where)
    return instrument


def parse_response_set(set_id: str, fields: Fields) -> ResponseSet:
    low, high = fields.integer("min"), fields.integer("max")
    if low >= high:
        fields.fail("min must be below max")
    labelled = tuple(fields.integers("labelled", default=list(range(low, high + 1))))
    if any(value not in range(low, high + 1) for value in labelled) or len(set(labelled)) != len(labelled):
        fields.fail(f"labelled must list distinct values from {low} to {high}")
    fields.finish()
    return ResponseSet(id=set_id, min=low, max=high, labelled=labelled)


def parse_items(
    values: list[object], response_sets: dict[str, ResponseSet], *, where: str
) -> tuple[Item, ...]:
    items = []
    for position, value in enumerate(values, start=1):
        fields = Fields.of(value, f"{where}[{position - 1}]")
        set_id = fields.text("response_set")
        if set_id not in response_sets:
            fields.fail(f"unknown response_set '{set_id}'")
        items.append(
            Item(
                id=fields.text("id"),
                position=position,
                response_set=response_sets[set_id],
                reverse=fields.boolean("reverse", default=False),
                required=fields.boolean("required", default=True),
                scored=fields.boolean("scored", default=True),
            )
        )
        fields.finish()
    if len({item.id for item in items}) != len(items):
        raise DefinitionError(f"{where}: item ids must be unique")
    if not items:
        raise DefinitionError(f"{where}: an instrument needs at least one item")
    return tuple(items)


def parse_scale(fields: Fields, items: dict[str, Item]) -> Scale:
    item_ids = fields.texts("items")
    if unknown := [item_id for item_id in item_ids if item_id not in items]:
        fields.fail(f"unknown item(s) {', '.join(unknown)}")
    if len(set(item_ids)) != len(item_ids):
        fields.fail("an item may appear only once in a scale")
    low, high = fields.numbers("range", length=2)
    scale = Scale(
        id=fields.text("id"),
        name=fields.text("name"),
        method=cast(Method, fields.choice("method", ("sum", "mean", "lookup"))),
        items=tuple(items[item_id] for item_id in item_ids),
        range=(low, high),
        higher_is=cast(Direction, fields.choice("higher_is", ("better", "worse"))),
        prorate_at_most=fields.integer("prorate_at_most", default=0),
        lookup=parse_lookup(fields),
        bands=tuple(
            parse_band(Fields.of(band, f"{fields.where}.bands")) for band in fields.sequence("bands", [])
        ),
        bands_source=fields.text("bands_source", default=""),
        caseness=parse_threshold(fields, "caseness"),
        reliable_change=parse_threshold(fields, "reliable_change"),
        confirmed=fields.boolean("confirmed", default=True),
        notes=tuple(fields.texts("notes", default=[])),
    )
    fields.finish()
    check_scale(scale, fields)
    return scale


def parse_lookup(fields: Fields) -> dict[int, float]:
    table = fields.raw("lookup", default={})
    if not isinstance(table, dict):
        fields.fail("'lookup' must be an object")
    try:
        return {int(raw): float(value) for raw, value in table.items()}
    except (TypeError, ValueError):
        fields.fail("'lookup' must map whole raw scores to numbers")


def parse_band(fields: Fields) -> Band:
    band = Band(start=fields.number("from"), label=fields.text("label"))
    fields.finish()
    return band


def parse_threshold(fields: Fields, key: str) -> Threshold | None:
    value = fields.raw(key, default=None)
    if value is None:
        return None
    threshold_fields = Fields.of(value, f"{fields.where}.{key}")
    threshold = Threshold(
        at_least=threshold_fields.number("at_least"), source=threshold_fields.text("source")
    )
    threshold_fields.finish()
    return threshold


def parse_risk_rule(fields: Fields, items: dict[str, Item]) -> RiskRule:
    item_id = fields.text("item")
    if item_id not in items:
        fields.fail(f"unknown item '{item_id}'")
    rule = RiskRule(
        id=fields.text("id"),
        item=items[item_id],
        at_least=fields.integer("at_least"),
        severity=cast(Severity, fields.choice("severity", ("critical", "warning"))),
        if_unanswered=fields.boolean("if_unanswered", default=False),
        source=fields.text("source"),
    )
    fields.finish()
    if rule.at_least not in rule.item.response_set.values:
        fields.fail(f"at_least {rule.at_least} is not an answer item {item_id} can have")
    return rule


def parse_licence(fields: Fields) -> Licence:
    licence = Licence(
        status=cast(LicenceStatus, fields.choice("status", LICENCE_STATUSES)),
        may_ship_text=fields.boolean("may_ship_text"),
        holder=fields.text("holder"),
        terms=fields.text("terms"),
        url=fields.text("url"),
        attribution_required=fields.boolean("attribution_required", default=False),
    )
    fields.finish()
    restricted = licence.status in ("licence-required", "permission-pending")
    if restricted and licence.may_ship_text:
        fields.fail(f"an instrument whose licence is '{licence.status}' may not ship its text")
    return licence


def check_scale(scale: Scale, fields: Fields) -> None:
    if (scale.method == "lookup") != bool(scale.lookup):
        fields.fail("'lookup' is needed by, and only by, the lookup method")
    try:
        expected = expected_range(scale)
    except ValueError as error:
        fields.fail(str(error))
    if scale.range != expected:
        fields.fail(
            f"range {list(scale.range)} does not match its items and method, which give {list(expected)}"
        )
    if not 0 <= scale.prorate_at_most < len(scale.items):
        fields.fail("prorate_at_most must be at least 0 and fewer than the scale's items")
    if scale.method == "lookup" and scale.prorate_at_most:
        fields.fail("a lookup scale cannot be prorated: its table needs a whole raw score")
    starts = [band.start for band in scale.bands]
    if starts and (
        starts[0] != scale.range[0] or starts != sorted(set(starts)) or starts[-1] > scale.range[1]
    ):
        fields.fail("bands must start at the scale's minimum and rise, within its range")


def expected_range(scale: Scale) -> tuple[float, float]:
    low, high = scale.raw_range
    if scale.method == "mean":
        return low / len(scale.items), high / len(scale.items)
    if scale.method == "lookup":
        if sorted(scale.lookup) != list(range(low, high + 1)):
            raise ValueError(f"'lookup' must give every raw score from {low} to {high}, once")
        values = [scale.lookup[raw] for raw in sorted(scale.lookup)]
        if values != sorted(values):
            raise ValueError("'lookup' values must not fall as the raw score rises")
        return values[0], values[-1]
    return low, high


def check_instrument(instrument: Instrument, *, where: str) -> None:
    in_scales = {item.id for scale in instrument.scales for item in scale.items}
    for item in instrument.items:
        if item.scored != (item.id in in_scales):
            state = "is in a scale but marked" if item.id in in_scales else "is in no scale but not marked"
            raise DefinitionError(f'{where}: item {item.id} {state} "scored": false')
    if len({scale.id for scale in instrument.scales}) != len(instrument.scales):
        raise DefinitionError(f"{where}: scale ids must be unique")
    if len({rule.id for rule in instrument.risk_rules}) != len(instrument.risk_rules):
        raise DefinitionError(f"{where}: risk rule ids must be unique")


@dataclass(frozen=True)
class TextStatus:
    source: TextSource
    path: Path | None


def text_status(instrument: Instrument, text_dir: Path | None) -> TextStatus:
    """Where an instrument's wording comes from: a deployment's loaded file wins over a shipped one."""
    if text_dir is not None and (path := text_dir / f"{instrument.id}.txt").is_file():
        return TextStatus("loaded", path)
    if (path := SHIPPED_TEXT_DIR / f"{instrument.id}.txt").is_file():
        return TextStatus("shipped", path)
    return TextStatus("none", None)


def load_text(instrument: Instrument, text_dir: Path | None) -> texts.InstrumentText | None:
    status = text_status(instrument, text_dir)
    if status.path is None:
        return None
    return texts.parse_text(status.path.read_text(encoding="utf-8"), instrument, where=str(status.path))


def instruments_with_text(text_dir: Path | None) -> dict[str, TextSource]:
    return {key: text_status(instrument, text_dir).source for key, instrument in load_instruments().items()}
