"""What trials hold about a person: their places in randomised trials, as screened, allocated and
perhaps stopped (decision 0026).

Erasure keeps each place with its person left empty: a trial counts everyone where they were
randomised (CONSORT's intention to treat), so the place stays counted in its arm without naming
anyone, and the person's answers go with the rest of their data.
"""

from carecommons.people.holdings import Collector, Erasing, Holding, Kept, Row, row
from carecommons.people.models import Person
from carecommons.trials.models import TrialParticipant

KEPT_REASON = (
    "A randomised trial counts everyone in the arm they were allocated to, so its results stay "
    "true; the place is kept without your name or anything that leads back to you."
)


def places(person: Person) -> list[Row]:
    return [
        row(
            trial=place.trial.title,
            list=place.get_list_name_display(),
            cohort=place.cohort.name,
            screened_at=place.screened_at,
            screening=place.get_screening_display(),
            arm=place.allocation.arm.name if hasattr(place, "allocation") else "",
            stopped_on=place.discontinued_on,
            stopped_because=place.discontinued_because,
        )
        for place in TrialParticipant.objects.filter(person=person).select_related(
            "trial", "cohort", "allocation__arm"
        )
    ]


def unlink(person: Person, erasing: Erasing) -> None:
    TrialParticipant.objects.filter(person=person).update(person=None)


PERSONAL_DATA = Holding(
    covers=("trialparticipant.person",),
    sections=(Collector("trials", "Places in randomised trials", places),),
    audited=((TrialParticipant, "person"),),
    kept=(
        Kept(
            "trial_places",
            "places in randomised trials",
            lambda person: TrialParticipant.objects.filter(person=person).count(),
            KEPT_REASON,
        ),
    ),
    unlink=unlink,
)
