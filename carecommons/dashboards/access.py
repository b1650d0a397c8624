"""Whose data a programme dashboard shows. Views build their Scope only through here.

Convenors see every cohort of any programme. Facilitators see a programme only if they run one of
its cohorts, and then only the cohorts they run. Everyone else gets a 404, as for a missing page.
"""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Q
from django.http import Http404

from carecommons.accounts.models import User
from carecommons.programmes.access import cohorts_run_by, get_programme_for_user, is_convenor
from carecommons.programmes.models import Cohort, Programme


@dataclass(frozen=True)
class Scope:
    programme: Programme
    cohorts: list[Cohort]  # every cohort whose figures this person may see, for the chooser
    cohort: Cohort | None  # the one chosen with ?cohort=, if any
    every_cohort: bool  # a convenor: every cohort of the programme, now and later

    @property
    def whole_programme(self) -> bool:
        return self.every_cohort and self.cohort is None

    def cohort_q(self, prefix: str = "") -> Q:
        """Rows of the cohorts in view; `prefix` is the path to the cohort, e.g. "session__"."""
        if self.cohort is not None:
            return Q(**{f"{prefix}cohort_id": self.cohort.pk})
        if self.whole_programme:
            return Q(**{f"{prefix}cohort__programme_id": self.programme.pk})
        return Q(**{f"{prefix}cohort_id__in": [c.pk for c in self.cohorts]})


def get_scope_for_user(user: User, programme_uuid: UUID, cohort_param: str | None) -> Scope:
    """The programme comes with its cohorts in one query; only a programme with none of them in
    view is asked for on its own (a convenor's empty programme, or a 404)."""
    cohorts = list(
        cohorts_run_by(user)
        .filter(programme__uuid=programme_uuid)
        .select_related("programme")
        .only("uuid", "name", "starts_on", "programme")
        .order_by("-starts_on", "name")
    )
    if cohorts:
        programme = cohorts[0].programme
    elif is_convenor(user):
        programme = get_programme_for_user(user, programme_uuid)
    else:
        raise Http404
    chosen = None
    if cohort_param:
        chosen = next((c for c in cohorts if str(c.uuid) == cohort_param.strip().lower()), None)
        if chosen is None:
            raise Http404
    return Scope(programme, cohorts, chosen, every_cohort=is_convenor(user))
