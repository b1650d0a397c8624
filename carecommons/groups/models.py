"""Groups of people who decide together: members, roles the group names, terms that end (decision 0030).

A group belongs to at most one thing: a Care Lab, a cohort or a parent group; with none it stands
alone (an action group formed at a gathering). Dates follow finances' rule: a membership or a term
ends at the start of its `ends_on` day, so `ends_on` is the first day it no longer holds.
"""

import uuid
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from carecommons.lib import windows
from carecommons.lib.models import TimestampedModel
from carecommons.people.models import Organisation, Person
from carecommons.programmes.models import Cohort, Programme, ProgrammeKind, Session


class Joining(models.TextChoices):
    INVITATION = "invitation", "By invitation only"
    INVITATION_OR_REQUEST = "invitation_or_request", "By invitation, or by asking to join"


class CommunityGroup(TimestampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    purpose = models.TextField(blank=True, help_text="What the group is for, in its own words.")
    lab = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="groups")
    cohort = models.ForeignKey(Cohort, null=True, blank=True, on_delete=models.PROTECT, related_name="groups")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="subgroups"
    )
    formed_at = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="groups_formed"
    )
    convened_by = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="groups_convened"
    )
    joining = models.CharField(max_length=30, choices=Joining.choices, default=Joining.INVITATION)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(lab__isnull=True, cohort__isnull=True)
                    | Q(lab__isnull=True, parent__isnull=True)
                    | Q(cohort__isnull=True, parent__isnull=True)
                ),
                name="group_belongs_once",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="group_not_its_own_parent"),
            models.CheckConstraint(condition=~Q(name=""), name="group_has_a_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if sum(link is not None for link in (self.lab_id, self.cohort_id, self.parent_id)) > 1:
            raise ValidationError("A group belongs to one Care Lab, one cohort or one group, not several.")
        if self.lab is not None and self.lab.kind != ProgrammeKind.CARE_LAB:
            raise ValidationError({"lab": "Choose a Care Lab; this programme is not one."})


class Standing(models.TextChoices):
    MEMBER = "member", "Member"
    CONVENING = "convening", "Convening staff"


class MembershipState(models.TextChoices):
    INVITED = "invited", "Invited"
    REQUESTED = "requested", "Asked to join"
    ACTIVE = "active", "Member"
    DECLINED = "declined", "Declined the invitation"
    REFUSED = "refused", "Request refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


CLOSED_STATES = (MembershipState.DECLINED, MembershipState.REFUSED, MembershipState.WITHDRAWN)


class GroupMembershipQuerySet(models.QuerySet["GroupMembership"]):
    def current(self, on: date) -> "GroupMembershipQuerySet":
        """Members on that day: accepted, started, not ended. The one "member now" query."""
        return self.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=on), state=MembershipState.ACTIVE, starts_on__lte=on
        )

    def open(self) -> "GroupMembershipQuerySet":
        """Rows still in play: waiting for an answer, or a membership that has not ended."""
        return self.filter(ends_on__isnull=True).exclude(state__in=CLOSED_STATES)


class GroupMembership(TimestampedModel):
    """A person in a group, from invitation or request to leaving. Rows are never deleted on
    leaving: `ends_on` is set, so the group's history stays."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(CommunityGroup, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="group_memberships")
    standing = models.CharField(max_length=20, choices=Standing.choices, default=Standing.MEMBER)
    state = models.CharField(max_length=20, choices=MembershipState.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    objects = GroupMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["group_id", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=False, ends_on__gte=F("starts_on")),
                name="group_membership_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~Q(state=MembershipState.ACTIVE) | Q(starts_on__isnull=False),
                name="group_membership_active_has_a_start",
            ),
            models.UniqueConstraint(
                fields=["group", "person", "standing"],
                condition=Q(ends_on__isnull=True) & ~Q(state__in=CLOSED_STATES),
                name="group_membership_one_open_row",
            ),
        ]
        indexes = [models.Index(fields=["person", "group"], name="group_membership_person_idx")]

    def __str__(self) -> str:
        return f"{self.person} in {self.group} ({self.get_state_display()})"


class Power(models.TextChoices):
    """What a role lets its holders do. `see` and `advise` are not a role's: they are every
    member's, and the scope of a staff invitation (handover, decision 0030 section 4)."""

    INVITE_PEOPLE = "invite_people", "Invite people"
    RUN_DECISIONS = "run_decisions", "Run decisions"
    RECORD_VOTES = "record_votes", "Record votes given in the room or by phone"
    GIVE_ROLES = "give_roles", "Give roles"
    GIVE_MONEY_ROLES = "give_money_roles", "Give money roles"
    KEEP_BOOKS = "keep_books", "Keep the books"
    APPROVE_SPENDING = "approve_spending", "Approve spending"
    INVITE_PROFESSIONALS = "invite_professionals", "Invite professionals"
    SEE = "see", "See the group"
    ADVISE = "advise", "Advise"


ROLE_POWERS = frozenset(Power) - {Power.SEE, Power.ADVISE}


class Role(TimestampedModel):
    """A role the group names itself (convenor, note-taker, treasurer), with its rule on terms."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(CommunityGroup, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    term_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How long one term lasts; empty for no limit."
    )
    max_consecutive_terms = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How many terms in a row one person may serve; empty for no limit."
    )
    seats = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How many people hold it at once; empty for no limit."
    )

    class Meta:
        ordering = ["group_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "group", name="role_name_once_per_group"),
            models.CheckConstraint(condition=~Q(name=""), name="role_has_a_name"),
            models.CheckConstraint(
                condition=Q(max_consecutive_terms__isnull=True) | Q(term_months__isnull=False),
                name="role_terms_in_a_row_need_a_term_length",
            ),
            models.CheckConstraint(
                condition=Q(term_months__isnull=True) | Q(term_months__gte=1),
                name="role_term_at_least_a_month",
            ),
            models.CheckConstraint(
                condition=Q(max_consecutive_terms__isnull=True) | Q(max_consecutive_terms__gte=1),
                name="role_allows_a_first_term",
            ),
            models.CheckConstraint(condition=Q(seats__isnull=True) | Q(seats__gte=1), name="role_has_a_seat"),
        ]

    def __str__(self) -> str:
        return f"{self.name} of {self.group}"


class RolePower(TimestampedModel):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="powers")
    power = models.CharField(max_length=30, choices=Power.choices)

    class Meta:
        ordering = ["role_id", "power"]
        constraints = [
            models.UniqueConstraint(fields=["role", "power"], name="role_power_once"),
            models.CheckConstraint(condition=Q(power__in=sorted(ROLE_POWERS)), name="role_power_is_a_roles"),
        ]

    def __str__(self) -> str:
        return f"{self.role.name}: {self.get_power_display()}"


class RoleTermQuerySet(models.QuerySet["RoleTerm"]):
    def current(self, today: date) -> "RoleTermQuerySet":
        """Terms held that day."""
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today), starts_on__lte=today)

    def ahead(self, today: date) -> "RoleTermQuerySet":
        """Terms planned to start after that day: the rotation the group sees ahead of time."""
        return self.filter(starts_on__gt=today)


class RoleTerm(TimestampedModel):
    """One person holding a role from `starts_on` until the start of `ends_on` (open: no end yet)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="terms")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_terms")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RoleTermQuerySet.as_manager()

    class Meta:
        ordering = ["role_id", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("starts_on")),
                name="role_term_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["person", "role"], name="role_term_person_idx")]

    def __str__(self) -> str:
        return f"{self.person} as {self.role.name} from {self.starts_on}"


# The handover (decision 0030 section 4): what moves from the convening organisation's staff to
# the members, step by step, each step carried by a decision of the group.


class HandoverArea(models.TextChoices):
    INVITING_PEOPLE = "inviting_people", "Inviting people"
    RUNNING_DECISIONS = "running_decisions", "Running decisions"
    MONEY_ROLES = "money_roles", "Money roles"
    INVITING_PROFESSIONALS = "inviting_professionals", "Inviting professionals"


class HandoverPlan(TimestampedModel):
    """One per group. Complete (`completed_on`) when its last step is done; then the convening
    staff's seats end and they keep no power unless the group invites them back."""

    group = models.OneToOneField(CommunityGroup, on_delete=models.CASCADE, related_name="handover")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["group_id"]

    def __str__(self) -> str:
        return f"Handover of {self.group}"


class HandoverStep(TimestampedModel):
    """One area moving to the members, planned for a day; `done_on` is set when the decision of the
    group that carries it closes as agreed. Steps are numbered in the order of their planned days."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(HandoverPlan, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    area = models.CharField(max_length=30, choices=HandoverArea.choices)
    planned_for = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["plan_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "area"], name="handover_step_area_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_area_display()} by {self.planned_for}"


class StaffScope(models.TextChoices):
    SEE = "see", "See the group"
    SEE_AND_ADVISE = "see_and_advise", "See the group and advise"


class StaffInvitationStatus(models.TextChoices):
    """lib/windows.py's states, in the words of an invitation back."""

    ACTIVE = windows.WindowStatus.ACTIVE, "Open now"
    NOT_YET_OPEN = windows.WindowStatus.NOT_YET_OPEN, "Not open yet"
    EXPIRED = windows.WindowStatus.EXPIRED, "Ended"
    WITHDRAWN = windows.WindowStatus.WITHDRAWN, "Withdrawn"


class StaffInvitationQuerySet(windows.WindowQuerySet["StaffInvitation"]):
    pass


class StaffInvitation(TimestampedModel):
    """Staff of the convening organisation invited back into the group for a stated purpose and a
    limited time, exactly like guests (lib/windows.py). They sign in as themselves."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(CommunityGroup, on_delete=models.CASCADE, related_name="staff_invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="staff_invitations")
    purpose = models.TextField(help_text="Why the group is inviting them back. They see this too.")
    scope = models.CharField(max_length=20, choices=StaffScope.choices, default=StaffScope.SEE)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField()
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = StaffInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from", "-id"]
        constraints = windows.window_constraints("staffinvitation")
        indexes = [models.Index(fields=["person", "group"], name="staffinvitation_person_idx")]

    def __str__(self) -> str:
        return f"{self.person} invited back to {self.group}"

    def status(self, now: datetime | None = None) -> StaffInvitationStatus:
        return StaffInvitationStatus(windows.status(self, now or timezone.now()))


class StaffVisit(TimestampedModel):
    """One page of the group opened through an invitation back: the log the group sees."""

    invitation = models.ForeignKey(StaffInvitation, on_delete=models.CASCADE, related_name="visits")
    at = models.DateTimeField(default=timezone.now)
    what = models.CharField(max_length=100)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["invitation", "at"], name="staffvisit_invitation_at_idx")]

    def __str__(self) -> str:
        return f"{self.what} at {self.at:%Y-%m-%d %H:%M}"
