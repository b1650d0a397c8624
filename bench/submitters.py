"""People answering a questionnaire through their private links, over real HTTP, and the count after.

`prepare` makes invitations through the real services (Django set up, the same SECRET_KEY as the
servers, since the link's token is signed with it). `submit` then runs concurrent clients, each a
person's phone: GET the form (the CSRF cookie and token come with it), POST the answers, take the
redirect as the answer. A POST that fails (a 5xx, a dropped connection) is what a person sees as an
error page: the phone opens the link again and, if the app says the answers were sent already,
that counts as sent; otherwise it sends the form again. `count_after` reads the database: the
responses stored must be exactly the submissions the clients saw confirmed, each sent once (one
response and one audit event each), with a safeguarding alert for each risky answer.

bench/bench_submissions.py runs it against gunicorn; tests/test_scale_out.py against the stack.
"""

import http.client
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

INSTRUMENT = "phq9"
CALM = [0, 1, 0, 0, 1, 0, 0, 0, 0, 0]
RISKY = [2, 2, 1, 2, 1, 2, 1, 1, 1, 1]  # item 9 answered "Several days": a safeguarding alert
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
TRIES = 4
COHORT_SIZE = 30


@dataclass(frozen=True)
class Link:
    path: str
    invitation_id: int
    fields: tuple[tuple[str, str], ...]
    risky: bool


def prepare(count: int, *, risky_every: int = 10, label: str = "Submitters") -> list[Link]:
    """`count` people in cohorts of 30 of one programme, each invited now to a one-questionnaire wave."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from carecommons.measures.access import invitation_token
    from carecommons.measures.engine.definitions import get_instrument
    from carecommons.measures.running import services as measures
    from carecommons.people.services import create_person
    from carecommons.programmes import services as programmes

    items = get_instrument(INSTRUMENT).items
    today = timezone.localdate()
    links = []
    with transaction.atomic():
        programme = programmes.create_programme(
            by=None, name=f"{label} {time.time_ns()}", description="Load."
        )
        wave = measures.save_wave(
            programme=programme, by=None, kind="baseline", instruments=[INSTRUMENT], weeks_after_end=0
        )
        for n in range(count):
            if n % COHORT_SIZE == 0:
                cohort = programmes.create_cohort(
                    programme=programme,
                    by=None,
                    name=f"Cohort {n // COHORT_SIZE + 1}",
                    starts_on=today,
                    ends_on=today + timedelta(days=70),
                    capacity=COHORT_SIZE,
                )
            person = create_person(by=None, given_name=f"Submitter{n}", family_name="Load")
            programmes.enrol_person(cohort=cohort, person=person, by=None, status="accepted")
            invitation = measures.invite_now(wave=wave, cohort=cohort, person=person, by=None)
            risky = risky_every > 0 and n % risky_every == 0
            answers = RISKY if risky else CALM
            fields = tuple(
                (f"item_{item.id}", str(value)) for item, value in zip(items, answers, strict=True)
            )
            path = f"/measures/a/{invitation.uuid}/{invitation_token(invitation)}/{INSTRUMENT}/"
            links.append(Link(path=path, invitation_id=invitation.pk, fields=fields, risky=risky))
    return links


class Phone:
    """One keep-alive HTTP connection with its own cookies, as one person's browser."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: list[tuple[str, str]] | None = None) -> tuple[int, str]:
        """Status and Location; a dropped connection is a status of 0."""
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = urlencode(form) if form is not None else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            return 0, ""
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.will_close:
            self.connection.close()
        self.last_body = content
        return response.status, response.getheader("Location") or ""


@dataclass
class Outcome:
    sent: list[Link] = field(default_factory=list)  # confirmed by the app, first time or after an error
    recovered: int = 0  # of those, confirmed only after an error
    errors: int = 0  # 5xx answers and dropped connections, any request
    unexpected: list[str] = field(default_factory=list)  # anything else a phone would not expect
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # GET + POST of first-time submissions, s
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def rate(self) -> float:
        return len(self.sent) / self.seconds if self.seconds else 0.0


def answer(phone: Phone, link: Link, outcome: Outcome) -> None:
    """One person answering; records the link as sent once the app has confirmed it."""
    started = time.perf_counter()
    for attempt in range(TRIES):
        phone.cookies.clear()
        status, location = phone.request("GET", link.path)
        if status == 302 and "/done/" in location:
            with outcome.lock:  # sent by an earlier attempt whose answer was lost
                outcome.sent.append(link)
                outcome.recovered += 1
            return
        if status != 200 or (token := CSRF.search(phone.last_body)) is None:
            note(outcome, f"GET {status}", error=status in (0, 502, 503, 504) or status >= 500)
            continue
        form = [("csrfmiddlewaretoken", token.group(1).decode()), *link.fields, ("action", "send")]
        status, location = phone.request("POST", link.path, form)
        if status == 302 and "/done/" in location:
            with outcome.lock:
                outcome.sent.append(link)
                outcome.recovered += attempt > 0
                if attempt == 0:
                    outcome.latencies.append(time.perf_counter() - started)
            return
        note(outcome, f"POST {status} {location}", error=status == 0 or status >= 500)
    note(outcome, f"gave up on {link.path}", error=False)


def note(outcome: Outcome, what: str, *, error: bool) -> None:
    with outcome.lock:
        if error:
            outcome.errors += 1
        else:
            outcome.unexpected.append(what)


def submit(
    base_url: str,
    links: list[Link],
    *,
    clients: int = 16,
    during: Callable[[Outcome], None] | None = None,
) -> Outcome:
    """Every link answered by `clients` phones at once; `during` runs beside them (e.g. a kill)."""
    outcome = Outcome()
    queue = list(reversed(links))
    take = threading.Lock()

    def client() -> None:
        phone = Phone(base_url)
        while True:
            with take:
                if not queue:
                    return
                link = queue.pop()
            answer(phone, link, outcome)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    if during is not None:
        during(outcome)
    for thread in threads:
        thread.join()
    outcome.seconds = time.perf_counter() - started
    return outcome


def hammer(base_url: str, path: str, *, clients: int = 16, seconds: float = 4.0) -> tuple[float, list[float]]:
    """The anchor: GET `path` from `clients` keep-alive connections for `seconds`; requests/s, latencies."""
    latencies: list[float] = []
    failures: list[int] = []
    stop = time.perf_counter() + seconds

    def client() -> None:
        phone = Phone(base_url)
        while time.perf_counter() < stop:
            began = time.perf_counter()
            status, _ = phone.request("GET", path)
            if status != 200:
                failures.append(status)
            latencies.append(time.perf_counter() - began)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{path} failed {len(failures)} times: {sorted(set(failures))}")
    return len(latencies) / (time.perf_counter() - started), latencies


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


@dataclass(frozen=True)
class Count:
    stored: int  # responses sent, for the prepared invitations
    lost: int  # confirmed to a client, not stored
    unconfirmed: int  # stored, never confirmed to a client
    doubled: int  # invitations with more than one sent response or more than one "sent" audit event
    unaudited: int  # sent responses without their audit event
    alerts: int  # safeguarding alerts raised
    alerts_expected: int  # risky answers confirmed

    @property
    def exact(self) -> bool:
        wrong = self.lost or self.unconfirmed or self.doubled or self.unaudited
        return not wrong and self.alerts == self.alerts_expected


def count_after(links: list[Link], outcome: Outcome) -> Count:
    from django.db.models import Count as Tally

    from carecommons.audit.models import AuditEvent
    from carecommons.measures.models import Response, ResponseStatus, SafeguardingAlert

    prepared = [link.invitation_id for link in links]
    confirmed = {link.invitation_id for link in outcome.sent}
    sent = Response.objects.filter(invitation_id__in=prepared, status=ResponseStatus.SUBMITTED)
    per_invitation = dict(sent.values_list("invitation_id").annotate(n=Tally("id")))
    stored = set(per_invitation)
    uuids = {str(u): i for u, i in sent.values_list("uuid", "invitation_id")}
    events = AuditEvent.objects.filter(action="measures.response_sent", target_id__in=list(uuids))
    per_response = dict(events.values_list("target_id").annotate(n=Tally("id")))
    doubled = {i for i, n in per_invitation.items() if n > 1} | {
        uuids[u] for u, n in per_response.items() if n > 1
    }
    risky = {link.invitation_id for link in outcome.sent if link.risky}
    alerts = SafeguardingAlert.objects.filter(invitation_id__in=prepared).count()
    return Count(
        stored=sum(per_invitation.values()),
        lost=len(confirmed - stored),
        unconfirmed=len(stored - confirmed),
        doubled=len(doubled),
        unaudited=len(uuids.keys() - per_response.keys()),
        alerts=alerts,
        alerts_expected=len(risky),
    )


def main() -> None:
    """For a process without Django (tests/test_scale_out.py), in the stack's environment:
    `submitters.py prepare COUNT LINKS.json` and `submitters.py count LINKS.json SENT.json`
    (SENT: the invitation ids confirmed); prints the count as JSON."""
    import dataclasses
    import json

    import django

    django.setup()
    command, *args = sys.argv[1:]
    if command == "prepare":
        links = prepare(int(args[0]))
        Path(args[1]).write_text(json.dumps([dataclasses.asdict(link) for link in links]))
        return
    links = [link_from(row) for row in json.loads(Path(args[0]).read_text())]
    sent = set(json.loads(Path(args[1]).read_text()))
    outcome = Outcome(sent=[link for link in links if link.invitation_id in sent])
    print(json.dumps(dataclasses.asdict(count_after(links, outcome))))


def link_from(row: dict[str, Any]) -> Link:
    return Link(
        path=row["path"],
        invitation_id=row["invitation_id"],
        fields=tuple((name, value) for name, value in row["fields"]),
        risky=row["risky"],
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
