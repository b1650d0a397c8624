from functools import cached_property
from typing import TYPE_CHECKING, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from carecommons.lib.models import TimestampedModel

if TYPE_CHECKING:
    from carecommons.accounts.reach import SecondFactor


class Role(models.TextChoices):
    CONVENOR = "convenor", "Convenor"
    FACILITATOR = "facilitator", "Facilitator"
    ORGANISER = "organiser", "Organiser"
    TREASURER = "treasurer", "Treasurer"
    EVALUATOR = "evaluator", "Evaluator"
    PARTICIPANT = "participant", "Participant"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    is_demo = models.BooleanField(
        default=False, help_text="Demo accounts can sign in only while DEBUG is on."
    )
    date_joined = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.display_name or self.email

    def save(self, *args: object, **kwargs: object) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @cached_property
    def second_factor(self) -> "SecondFactor":
        """Why this person must use a second factor (what they reach), and whether TOTP is on."""
        from carecommons.accounts.reach import second_factor_for

        return second_factor_for(self)

    @property
    def needs_two_factor(self) -> bool:
        return self.second_factor.needed

    def forget_reach(self) -> None:
        """Drop what was read about roles and reach, after a grant changes them."""
        self.__dict__.pop("roles", None)
        self.__dict__.pop("second_factor", None)


class RoleGrant(TimestampedModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["user_id", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="rolegrant_user_role_unique")]

    def __str__(self) -> str:
        return f"{self.user} as {self.get_role_display()}"
