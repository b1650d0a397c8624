from django import forms

from carecommons.lib.dates import PLANNED, BoundedDateTimeField
from carecommons.lib.once import SubmissionKeyField
from carecommons.lib.windows import MAX_VALIDITY


class InviteForm(forms.Form):
    submission = SubmissionKeyField()
    guest_name = forms.CharField(label="Their name", max_length=200)
    guest_email = forms.EmailField(
        label="Their email address", help_text="We email them a private link to this session's page."
    )
    purpose = forms.CharField(
        label="Why the group is inviting them",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In plain words. Everyone in the group sees this, and so does the guest.",
    )
    valid_from = BoundedDateTimeField(
        bounds=PLANNED,
        label="Link works from (optional)",
        required=False,
        help_text="Leave empty to start now, or 30 days before it stops if the session is further off.",
    )
    valid_until = BoundedDateTimeField(
        bounds=PLANNED,
        label="Link stops working at (optional)",
        required=False,
        help_text=f"Leave empty for the day after the session. At most {MAX_VALIDITY.days} days in all.",
    )
