"""iCalendar (RFC 5545) text for sessions: pure functions, no database.

Times are written in UTC so no VTIMEZONE block is needed. Lines end in CRLF and are folded at 75
octets without ever splitting a UTF-8 character. TEXT values escape backslash, semicolon, comma and
newlines; other control characters are dropped, so a value can never start a property of its own.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

CRLF = "\r\n"
LINE_OCTETS = 75
PRODID = "-//Care Commons//Care Commons//EN"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
URI_UNSAFE = re.compile(r"[\x00-\x20\x7f]")
ESCAPED = re.compile(r"\\([\\;,nN])")


@dataclass(frozen=True)
class Event:
    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    stamp: datetime
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    sequence: int = 0


def clean_text(value: str) -> str:
    """Newlines made \\n, other control characters (tab aside) dropped: what escaping preserves."""
    return CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def escape_text(value: str) -> str:
    text = clean_text(value)
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\n", "\\n")


def unescape_text(value: str) -> str:
    return ESCAPED.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("iCalendar times must be timezone-aware.")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Split a content line into 75-octet pieces; each continuation starts with one space."""
    data = line.encode()
    pieces, start, width = [], 0, LINE_OCTETS
    while len(data) - start > width:
        end = start + width
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back off to the character start
            end -= 1
        pieces.append(data[start:end].decode())
        start, width = end, LINE_OCTETS - 1
    pieces.append(data[start:].decode())
    return (CRLF + " ").join(pieces)


def unfold(text: str) -> list[str]:
    """The content lines of iCalendar text, folding undone."""
    return [line for line in re.sub(r"\r\n[ \t]", "", text).split(CRLF) if line]


def event_lines(event: Event) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{clean_text(event.uid)}",
        f"DTSTAMP:{utc(event.stamp)}",
        f"DTSTART:{utc(event.starts_at)}",
        f"DTEND:{utc(event.ends_at)}",
        f"SEQUENCE:{max(event.sequence, 0)}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        lines.append(f"URL:{URI_UNSAFE.sub('', event.url)}")
    lines.append("STATUS:CANCELLED" if event.cancelled else "STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[Event], *, feed_name: str = "") -> str:
    """A whole VCALENDAR. With a feed_name it is a subscribed feed; without, a one-off file to import."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if feed_name:
        lines += [f"NAME:{escape_text(feed_name)}", f"X-WR-CALNAME:{escape_text(feed_name)}"]
        # Calendar apps that honour these poll hourly rather than every few minutes.
        lines += ["REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H"]
    for event in events:
        lines += event_lines(event)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
