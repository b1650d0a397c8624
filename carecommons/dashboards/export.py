"""The dashboard's figures as one long CSV table: section, item, measure, value.

One table rather than several keeps the file easy to filter and pivot in a spreadsheet. Every cell
is guarded against formula injection, as in the directory export.
"""

import csv
from collections.abc import Iterable, Iterator
from typing import Protocol

from carecommons.dashboards.figures import Marks
from carecommons.dashboards.queries import Figures, PersonRow
from carecommons.lib.spreadsheets import guard

HEADER = ["section", "item", "measure", "value"]


class Writable(Protocol):
    def write(self, text: str, /) -> object: ...


def rate(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def marks_rows(section: str, item: str, marks: Marks) -> Iterator[list[str]]:
    yield [section, item, "attended", str(marks.attended)]
    yield [section, item, "sent apologies", str(marks.apologies)]
    yield [section, item, "absent", str(marks.absent)]
    yield [section, item, "attended rate", rate(marks.rate)]


def records(figures: Figures, people: Iterable[PersonRow]) -> Iterator[list[str]]:
    for stage, count in figures.funnel.stages():
        yield ["funnel", stage, "places", str(count)]
    for row in figures.attendance:
        yield ["attendance", row.label, "sessions held", str(row.held)]
        yield from marks_rows("attendance", row.label, row.marks)
    for point in figures.retention:
        item = f"{point.position}. {point.title}"
        yield ["retention", item, "accepted places that attended", str(point.people)]
        yield ["retention", item, "accepted places in cohorts that held it", str(point.of)]
        yield ["retention", item, "rate", rate(point.rate)]
    for cell in figures.organisations.cells:
        yield ["organisations", cell.label, "places that started", cell.shown]
    for person in people:
        progress = person.progress
        yield ["people", person.name, "organisation", person.organisation]
        yield ["people", person.name, "status", person.status]
        yield ["people", person.name, "sessions attended", str(progress.attended)]
        yield ["people", person.name, "sessions held", str(progress.held)]
        yield ["people", person.name, "finished", "yes" if progress.finished else "no"]


def write_csv(out: Writable, figures: Figures, people: Iterable[PersonRow]) -> int:
    out.write("\ufeff")  # so spreadsheet programs recognise UTF-8
    writer = csv.writer(out)
    writer.writerow(HEADER)
    count = 0
    for record in records(figures, people):
        writer.writerow([guard(cell) for cell in record])
        count += 1
    return count
