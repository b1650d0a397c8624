"""Where this deployment keeps the item text it has licensed, and how a text file gets there."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import transaction

from carecommons.audit.services import record_event
from carecommons.measures.engine import texts
from carecommons.measures.engine.definitions import get_instrument, load_text
from carecommons.measures.engine.fields import DefinitionError
from carecommons.measures.engine.schema import Instrument


def text_dir() -> Path:
    default = Path(settings.BASE_DIR) / "var" / "instrument-text"
    return Path(getattr(settings, "INSTRUMENT_TEXT_DIR", default))


def store_text(source: Path) -> tuple[Instrument, texts.InstrumentText, Path]:
    """Check a licensed text file against its instrument's definition, then keep a copy of it. The
    audit log records which text was loaded (its SHA-256): it decides what people are asked online."""
    try:
        content = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DefinitionError(f"{source}: cannot read it as UTF-8 text ({error})") from error
    instrument_id = texts.instrument_id_of(content, str(source))
    try:
        instrument = get_instrument(instrument_id)
    except KeyError as error:
        raise DefinitionError(f"{source}: {error.args[0]}") from error
    wording = texts.parse_text(content, instrument, where=str(source))
    target = text_dir() / f"{instrument.id}.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".txt.partial")
    partial.write_text(content, encoding="utf-8")
    with transaction.atomic():  # the event is rolled back if the text cannot be put in place
        record_event(
            actor=None,
            action="measures.instrument_text_loaded",
            target=None,
            detail={
                "instrument": instrument.id,
                "version": instrument.version,
                "items": len(wording.items),
                "sha256": hashlib.sha256(content.encode("utf-8")).hexdigest(),
                "path": str(target),
            },
        )
        partial.replace(target)
    return instrument, wording, target


def wording_for(instrument_id: str) -> texts.InstrumentText | None:
    """The item wording this deployment may show, or None: then the instrument is entered from paper only."""
    return load_text(get_instrument(instrument_id), text_dir())


def answerable_online(instrument_id: str) -> bool:
    return wording_for(instrument_id) is not None
