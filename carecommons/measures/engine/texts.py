"""The item-text file format: one `key: value` line per piece of wording (docs/instruments-schema.md).

    # comments and blank lines are ignored
    instrument: phq9
    title: Patient Health Questionnaire (PHQ-9)
    instructions: Over the last 2 weeks, how often have you been bothered by ...
    attribution: Developed by Drs Robert L Spitzer, ...
    label frequency 0: Not at all
    item 1: Little interest or pleasure in doing things

Keys: `instrument` and `title` once each; `instructions` any number of times (one paragraph each);
`attribution` once, required when the licence asks for it; `label <response set> <value>` for every
labelled value of every response set the items use; `item <id>` once for every item.
"""

import re
from dataclasses import dataclass

from carecommons.measures.engine.fields import DefinitionError
from carecommons.measures.engine.schema import Instrument

LINE = re.compile(r"^(?P<key>[a-z_]+(?: [A-Za-z0-9_]+)*)\s*:\s*(?P<value>.+?)\s*$")
SINGLE_KEYS = ("instrument", "title", "attribution")


@dataclass(frozen=True)
class InstrumentText:
    instrument_id: str
    title: str
    instructions: tuple[str, ...]
    attribution: str
    labels: dict[tuple[str, int], str]
    items: dict[str, str]

    def label(self, response_set: str, value: int) -> str:
        return self.labels.get((response_set, value), "")


def response_keys(
    instrument: Instrument, wording: InstrumentText | None
) -> list[tuple[str, list[tuple[int, str]]]]:
    """What each number means, once per response set the instrument uses, in the order first used
    (for a paper form's key); labels are empty where the deployment has no wording."""
    used = {item.response_set.id: item.response_set for item in instrument.items}
    return [
        (set_id, [(value, wording.label(set_id, value) if wording else "") for value in response_set.values])
        for set_id, response_set in used.items()
    ]


def read_lines(text: str, where: str) -> list[tuple[int, str, str]]:
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not (match := LINE.match(line.strip())):
            raise DefinitionError(f"{where} line {number}: expected 'key: text', got {line.strip()[:60]!r}")
        lines.append((number, match["key"], match["value"]))
    return lines


def instrument_id_of(text: str, where: str) -> str:
    for _, key, value in read_lines(text, where):
        if key == "instrument":
            return value
    raise DefinitionError(f"{where}: missing 'instrument: <id>' line")


def parse_text(text: str, instrument: Instrument, *, where: str) -> InstrumentText:
    single: dict[str, str] = {}
    instructions: list[str] = []
    labels: dict[tuple[str, int], str] = {}
    items: dict[str, str] = {}
    for number, key, value in read_lines(text, where):
        at = f"{where} line {number}"
        kind, _, rest = key.partition(" ")
        if key in SINGLE_KEYS:
            if key in single:
                raise DefinitionError(f"{at}: '{key}' given twice")
            single[key] = value
        elif key == "instructions":
            instructions.append(value)
        elif kind == "label":
            labels[read_label(rest, instrument, at, labels)] = value
        elif kind == "item":
            if rest not in {item.id for item in instrument.items}:
                raise DefinitionError(f"{at}: {instrument.id} has no item '{rest}'")
            if rest in items:
                raise DefinitionError(f"{at}: item {rest} given twice")
            items[rest] = value
        else:
            raise DefinitionError(f"{at}: unknown key '{key}'")
    check_complete(instrument, single, labels, items, where)
    return InstrumentText(
        instrument_id=single["instrument"],
        title=single["title"],
        instructions=tuple(instructions),
        attribution=single.get("attribution", ""),
        labels=labels,
        items=items,
    )


def read_label(
    rest: str, instrument: Instrument, at: str, seen: dict[tuple[str, int], str]
) -> tuple[str, int]:
    set_id, _, raw_value = rest.partition(" ")
    response_set = instrument.response_sets.get(set_id)
    if response_set is None:
        raise DefinitionError(f"{at}: {instrument.id} has no response set '{set_id}'")
    if not raw_value.lstrip("-").isdigit() or int(raw_value) not in response_set.values:
        raise DefinitionError(f"{at}: response set '{set_id}' runs {response_set.min}–{response_set.max}")
    if (set_id, int(raw_value)) in seen:
        raise DefinitionError(f"{at}: label {set_id} {raw_value} given twice")
    return set_id, int(raw_value)


def check_complete(
    instrument: Instrument,
    single: dict[str, str],
    labels: dict[tuple[str, int], str],
    items: dict[str, str],
    where: str,
) -> None:
    if single.get("instrument") != instrument.id:
        raise DefinitionError(f"{where}: 'instrument' must be {instrument.id}")
    if "title" not in single:
        raise DefinitionError(f"{where}: missing 'title'")
    if instrument.licence.attribution_required and "attribution" not in single:
        raise DefinitionError(f"{where}: {instrument.short_name}'s licence asks for an 'attribution' line")
    if missing := [item.id for item in instrument.items if item.id not in items]:
        raise DefinitionError(
            f"{where}: {instrument.short_name} has {len(instrument.items)} items but the file gives "
            f"{len(items)}; missing item(s) {', '.join(missing)}"
        )
    used_sets = {item.response_set.id: item.response_set for item in instrument.items}
    unlabelled = [
        f"{set_id} {value}"
        for set_id, response_set in used_sets.items()
        for value in response_set.labelled
        if (set_id, value) not in labels
    ]
    if unlabelled:
        raise DefinitionError(f"{where}: missing response label(s) {', '.join(unlabelled)}")
