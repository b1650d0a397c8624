"""Who reaches ripple maps, and what they may do. Views load rounds, ripples and evidence only here.

- Convenors manage every programme's map and its rounds.
- A round's facilitator manages that round, and the map of its programme (coding, merging and
  moving reach across rounds); a facilitator of one of the programme's cohorts may start a round.
- People invited to a round add ripples to it while it is open, and see its ripples (with the
  ripples they hang from, for context) and the evidence given in it.
- Evidence is seen by the people of the round it was given in; beyond them (other rounds'
  facilitators, reports, exports) only when the person who gave it agreed to that.
- Anything else is a 404.
"""

from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404

from carecommons.accounts.models import Role, User
from carecommons.assets.models import Asset, Moderation
from carecommons.initiatives.models import Initiative
from carecommons.people.access import own_person
from carecommons.people.models import Organisation, Person
from carecommons.programmes.access import cohorts_run_by, is_convenor
from carecommons.programmes.models import CohortFacilitator, Enrolment, EnrolmentStatus, Programme, Session
from carecommons.ripples.models import (
    Evidence,
    EvidenceShare,
    MappingRound,
    Ripple,
    RoundInvitee,
    SecondCoding,
)


@dataclass(frozen=True)
class RoundAccess:
    round: MappingRound
    manage: bool
    invited: bool

    @property
    def can_add(self) -> bool:
        return self.manage or (self.invited and self.round.is_open)


def rounds_visible_to(user: User) -> QuerySet[MappingRound]:
    if not user.is_authenticated:
        return MappingRound.objects.none()
    if is_convenor(user):
        return MappingRound.objects.all()
    ids = MappingRound.objects.filter(Q(facilitator__user=user) | Q(invitees__person__user=user)).values("id")
    return MappingRound.objects.filter(id__in=ids)


def maps_managed_by(user: User) -> QuerySet[Programme]:
    """Programmes whose whole map this person manages."""
    if is_convenor(user):
        return Programme.objects.filter(ripple_rounds__isnull=False).distinct()
    if not user.is_authenticated:
        return Programme.objects.none()
    return Programme.objects.filter(
        id__in=MappingRound.objects.filter(facilitator__user=user).values("programme_id")
    )


def may_manage_map(user: User, programme_id: int) -> bool:
    if is_convenor(user):
        return True
    return (
        user.is_authenticated
        and MappingRound.objects.filter(programme_id=programme_id, facilitator__user=user).exists()
    )


def programmes_to_start_rounds(user: User) -> QuerySet[Programme]:
    """Convenors: any programme; facilitators: the programmes of the cohorts they run."""
    if is_convenor(user):
        return Programme.objects.all()
    if not user.is_authenticated:
        return Programme.objects.none()
    return Programme.objects.filter(id__in=cohorts_run_by(user).values("programme_id"))


def may_use_ripple_maps(user: User) -> bool:
    """For the menu, from site roles alone (no query, on every page): convenors and facilitators.
    People invited to a round find it on their home page (attention.rounds_open) and at /ripples/."""
    return user.is_authenticated and user.has_role(Role.CONVENOR, Role.FACILITATOR)


def may_start_round_from(user: User, session: Session) -> bool:
    return is_convenor(user) or cohorts_run_by(user).filter(pk=session.cohort_id).exists()


def get_programme_to_start_round(user: User, programme_uuid: UUID) -> Programme:
    found = programmes_to_start_rounds(user).filter(uuid=programme_uuid).first()
    if found is None:
        raise Http404
    return found


def get_map_for_user(user: User, programme_uuid: UUID) -> Programme:
    found = maps_managed_by(user).filter(uuid=programme_uuid).first()
    if found is None:
        raise Http404
    return found


def round_access(user: User, mapping_round: MappingRound) -> RoundAccess | None:
    person = own_person(user)
    person_id = person.pk if person is not None else None
    facilitating = person_id is not None and mapping_round.facilitator_id == person_id
    manage = is_convenor(user) or facilitating
    invited = person_id is not None and mapping_round.invitees.filter(person_id=person_id).exists()
    if not (manage or invited):
        return None
    return RoundAccess(round=mapping_round, manage=manage, invited=invited)


def get_round_for_user(
    user: User, round_uuid: UUID, *, manage: bool = False, add: bool = False
) -> RoundAccess:
    """`manage`: its facilitator or a convenor; `add`: also its invited people while it is open."""
    mapping_round = (
        MappingRound.objects.select_related("programme", "facilitator", "session")
        .filter(uuid=round_uuid)
        .first()
    )
    found = round_access(user, mapping_round) if mapping_round is not None else None
    if found is None or (manage and not found.manage) or (add and not found.can_add):
        raise Http404
    return found


@dataclass(frozen=True)
class RippleAccess:
    ripple: Ripple
    in_round: RoundAccess | None
    """The reader's place in the round the ripple was named in, if they have one."""
    manage: bool
    """Manages the programme's map: may code, merge, move and change any ripple on it."""
    reader: User

    @property
    def evidence(self) -> QuerySet[Evidence]:
        """Evidence given in a round the reader is in, and evidence its giver let go beyond the
        round. Each row keeps the round it was given in, even when a merge moves it to a ripple of
        another round."""
        mine = Q(round__in=rounds_visible_to(self.reader).values("id")) | Q(shared=EvidenceShare.BEYOND)
        return (
            Evidence.objects.filter(mine, ripple=self.ripple)
            .select_related("given_by")
            .order_by("created_at", "id")
        )


def get_ripple_for_user(user: User, ripple_uuid: UUID, *, manage: bool = False) -> RippleAccess:
    ripple = (
        Ripple.objects.select_related(
            "round__programme", "round__facilitator", "parent", "named_by", "merged_into"
        )
        .filter(uuid=ripple_uuid)
        .first()
    )
    if ripple is None:
        raise Http404
    in_round = round_access(user, ripple.round)
    managing = may_manage_map(user, ripple.programme_id)
    if (in_round is None and not managing) or (manage and not managing):
        raise Http404
    return RippleAccess(ripple=ripple, in_round=in_round, manage=managing, reader=user)


def get_ripple_on_map_for_user(user: User, ripple_uuid: UUID, *, manage: bool = False) -> RippleAccess:
    """As get_ripple_for_user, for the pages that change a ripple or add to it: a ripple merged
    into another is a 404 there (the one it became is changed instead)."""
    found = get_ripple_for_user(user, ripple_uuid, manage=manage)
    if found.ripple.merged_into_id is not None:
        raise Http404
    return found


def own_second_coding(user: User, ripple: Ripple) -> list[str]:
    """The capitals this person gave as the ripple's second coder, if they did: the blind form
    starts from those, and never from the first coder's."""
    given = SecondCoding.objects.filter(ripple=ripple, coder__user_id=user.pk).values_list(
        "capitals", flat=True
    )
    return list(given.first() or [])


def get_evidence_for_user(user: User, evidence_uuid: UUID, *, manage: bool = False) -> Evidence:
    evidence = Evidence.objects.select_related("ripple").filter(uuid=evidence_uuid).first()
    if evidence is None:
        raise Http404
    access = get_ripple_for_user(user, evidence.ripple.uuid, manage=manage)
    if not access.evidence.filter(pk=evidence.pk).exists():
        raise Http404
    return evidence


# --- What the pages offer to choose from -----------------------------------------------------------

M = TypeVar("M", bound=Model)
LINK_LIMIT = 200
"""The most organisations, initiatives or assets a ripple form lists of each; a phone can scroll
that far, and a long tail is better found from the directory than from a form."""


def round_people(mapping_round: MappingRound) -> QuerySet[Person]:
    """The round's invitees and its facilitator: whose words a ripple or its evidence can be."""
    invited = RoundInvitee.objects.filter(round_id=mapping_round.pk).values("person_id")
    return Person.objects.filter(Q(id__in=invited) | Q(pk=mapping_round.facilitator_id)).order_by(
        "sort_key", "id"
    )


@dataclass(frozen=True)
class LinkChoices:
    """Who or what a ripple of this round may be linked to, bounded, in the order a form lists them."""

    people: QuerySet[Person]
    organisations: QuerySet[Organisation]
    initiatives: QuerySet[Initiative]
    assets: QuerySet[Asset]


def _bounded(rows: QuerySet[M], ordered: QuerySet[M], keep: Q) -> QuerySet[M]:
    """The first LINK_LIMIT of `ordered`, and whatever `keep` names (what a ripple links already,
    so changing it never drops a link the list would not show)."""
    return rows.filter(Q(pk__in=ordered.values("pk")[:LINK_LIMIT]) | keep)


def link_choices(mapping_round: MappingRound, *, linked_to: Ripple | None = None) -> LinkChoices:
    """People: the round's invitees and facilitator. Organisations: the programme's partners
    first. Initiatives: of groups formed in one of the programme's cohorts or in its Care Lab.
    Assets: the Care Lab's accepted ones. `linked_to`: a ripple whose links are kept in the lists."""
    programme_id = mapping_round.programme_id
    links = linked_to.links.all() if linked_to is not None else None

    def already(kind: str) -> Q:
        return Q(pk__in=links.values(f"{kind}_id")) if links is not None else Q(pk__in=[])

    partner = Exists(
        Programme.partners.through.objects.filter(programme_id=programme_id, organisation_id=OuterRef("pk"))
    )
    organisations = Organisation.objects.annotate(partner=partner).order_by("-partner", "name_key", "id")
    initiatives = Initiative.objects.filter(
        Q(group__cohort__programme_id=programme_id) | Q(group__lab_id=programme_id)
    ).order_by("title", "id")
    assets = Asset.objects.filter(lab_id=programme_id, moderation=Moderation.ACCEPTED).order_by(
        "name_key", "id"
    )
    return LinkChoices(
        people=Person.objects.filter(
            Q(pk__in=round_people(mapping_round).values("pk")) | already("person")
        ).order_by("sort_key", "id"),
        organisations=_bounded(organisations, organisations, already("organisation")),
        initiatives=_bounded(Initiative.objects.order_by("title", "id"), initiatives, already("initiative")),
        assets=_bounded(Asset.objects.order_by("name_key", "id"), assets, already("asset")),
    )


def people_to_invite(mapping_round: MappingRound) -> QuerySet[Person]:
    """The accepted members and the facilitators of the programme's cohorts not yet in the round."""
    programme_id = mapping_round.programme_id
    members = Enrolment.objects.filter(
        cohort__programme_id=programme_id, status=EnrolmentStatus.ACCEPTED
    ).values("person_id")
    facilitators = CohortFacilitator.objects.filter(cohort__programme_id=programme_id).values("person_id")
    return (
        Person.objects.filter(Q(id__in=members) | Q(id__in=facilitators))
        .exclude(id__in=round_people(mapping_round).values("pk"))
        .order_by("sort_key", "id")
    )


def person_by_email(user: User, email: str) -> Person | None:
    """For convenors, who may invite anyone in the people directory: the one person with this
    address (None when nobody, or more than one person, has it)."""
    if not is_convenor(user):
        return None
    found = list(Person.objects.filter(email__iexact=email.strip())[:2])
    return found[0] if len(found) == 1 else None


def map_ripple(programme_id: int, ripple_uuid: str) -> Ripple | None:
    """A ripple still on this programme's map, named in a form by its uuid."""
    try:
        return Ripple.objects.on_map().filter(programme_id=programme_id, uuid=ripple_uuid).first()
    except (ValueError, ValidationError):
        return None


def rounds_reached(user: User, programme_id: int) -> frozenset[int]:
    """Ids of this programme's rounds the person is in (or all of them, for whoever manages the
    map): whose ripples' pages they may open."""
    if may_manage_map(user, programme_id):
        return frozenset(MappingRound.objects.filter(programme_id=programme_id).values_list("id", flat=True))
    return frozenset(rounds_visible_to(user).filter(programme_id=programme_id).values_list("id", flat=True))


def may_add_evidence(found: RippleAccess) -> bool:
    return found.in_round is not None or found.manage


def may_withdraw(user: User, evidence: Evidence, found: RippleAccess) -> bool:
    """Whoever manages the map, and the person whose words or file it is."""
    return found.manage or (user.is_authenticated and evidence.given_by.user_id == user.pk)


def get_evidence_to_withdraw(user: User, evidence_uuid: UUID) -> tuple[Evidence, RippleAccess]:
    evidence = get_evidence_for_user(user, evidence_uuid)
    found = get_ripple_for_user(user, evidence.ripple.uuid)
    if not may_withdraw(user, evidence, found):
        raise Http404
    return evidence, found
