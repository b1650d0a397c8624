from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from carecommons.lib import spreadsheets
from carecommons.lib.once import SubmissionKeyField
from carecommons.lib.words import plural
from carecommons.transfers.models import ImportBatch, ImportKind


class ImportForm(forms.Form):
    submission = SubmissionKeyField()
    kind = forms.ChoiceField(
        label="What does the file hold?",
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
        initial=ImportKind.PEOPLE,
    )
    file = forms.FileField(
        label="CSV file",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = filesizeformat(settings.CSV_IMPORT_MAX_BYTES)
        self.fields["file"].help_text = f"A .csv file saved as “CSV UTF-8”, at most {limit}."

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        problem = spreadsheets.upload_problem(
            filename=upload.name or "",
            size=upload.size or 0,
            max_bytes=settings.CSV_IMPORT_MAX_BYTES,
            content_type=upload.content_type or "",
        )
        if problem:
            raise forms.ValidationError(problem)
        return upload


class RunImportForm(forms.Form):
    skip_bad_rows = forms.BooleanField(required=False)

    def __init__(self, *args: Any, batch: ImportBatch, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        bad = batch.bad_row_count
        if bad:
            self.fields["skip_bad_rows"].label = f"Skip the {plural(bad, 'bad row')} and import the rest"
        else:
            del self.fields["skip_bad_rows"]
