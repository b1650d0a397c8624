import secrets
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from carecommons.lib import windows
from carecommons.lib.models import TimestampedModel
from carecommons.programmes.models import Session

# By default a link stops working this long after the session ends.
AFTER_SESSION = timedelta(days=1)


def new_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationStatus(models.TextChoices):
    """lib/windows.py's states, in a guest link's words."""

    ACTIVE = windows.WindowStatus.ACTIVE, "Link works now"
    NOT_YET_OPEN = windows.WindowStatus.NOT_YET_OPEN, "Link not open yet"
    EXPIRED = windows.WindowStatus.EXPIRED, "Link has expired"
    WITHDRAWN = windows.WindowStatus.WITHDRAWN, "Withdrawn"


class GuestInvitationQuerySet(windows.WindowQuerySet["GuestInvitation"]):
    pass


class GuestInvitation(TimestampedModel):
    """A professional the group has invited to one session, for a stated purpose and a limited time."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="guest_invitations")
    guest_name = models.CharField(max_length=200)
    guest_email = models.EmailField()
    purpose = models.TextField(help_text="Why the group is inviting them. The guest sees this too.")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField()
    # The credential in the guest's link; shown to nobody but the guest (by email).
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = GuestInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            *windows.window_constraints("guestinvitation"),
            models.CheckConstraint(condition=~Q(token=""), name="guestinvitation_has_token"),
        ]

    def __str__(self) -> str:
        return f"{self.guest_name} invited to {self.session}"

    def status(self, now: datetime | None = None) -> InvitationStatus:
        return InvitationStatus(windows.status(self, now or timezone.now()))


class GuestVisit(TimestampedModel):
    """One time a guest's link was used: the log the group sees."""

    SESSION_PAGE = "session page"

    invitation = models.ForeignKey(GuestInvitation, on_delete=models.CASCADE, related_name="visits")
    at = models.DateTimeField(default=timezone.now)
    what = models.CharField(max_length=100, help_text='"session page" or "material <uuid>".')
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["invitation", "at"], name="guestvisit_invitation_at_idx")]

    def __str__(self) -> str:
        return f"{self.what} at {self.at:%Y-%m-%d %H:%M}"

    @staticmethod
    def material_what(material_uuid: uuid.UUID | str) -> str:
        return f"material {material_uuid}"

    @property
    def material_uuid(self) -> str | None:
        prefix, _, rest = self.what.partition(" ")
        return rest if prefix == "material" else None
