from django import forms


class FeedActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("create", "Make my calendar address"),
            ("replace", "Make a new address"),
            ("revoke", "Turn off my calendar address"),
        ]
    )
