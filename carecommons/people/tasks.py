from datetime import date

from django_tasks import task

from carecommons.people.models import Affiliation
from carecommons.people.services import reindex_people


@task()
def reindex_organisation_people(organisation_id: int) -> int:
    """Refresh the search keys of everyone affiliated with a renamed organisation."""
    ids = list(
        Affiliation.objects.filter(organisation_id=organisation_id)
        .values_list("person_id", flat=True)
        .distinct()
    )
    for start in range(0, len(ids), 1000):
        reindex_people(ids[start : start + 1000])
    return len(ids)


@task()
def send_daily_digest(person_id: int, day: str) -> int:
    """One person's digest for one day, queued by `carecommons send_digests`."""
    from carecommons.people.digests import send_digest

    return send_digest(person_id, date.fromisoformat(day))
