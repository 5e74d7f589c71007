"""The upload form for an advocate/v1 data file (settings → Your data)."""

from django import forms

from .datafile_reader import DataFileError, read_json

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class DataFileUploadForm(forms.Form):
    file = forms.FileField(
        label="Import a data file",
        help_text="An advocate/v1 JSON file, up to 5 MB.",
    )

    def clean_file(self):
        """Read the upload as JSON; checking it against the format is datafile.validate's job."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("This file is larger than 5 MB.")
        try:
            # utf-8-sig: files saved by some editors on Windows start with a byte-order mark.
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("This file is not UTF-8 text.") from None
        try:
            self.document = read_json(text)
        except DataFileError as error:
            if error.problem.startswith("not valid JSON"):
                raise forms.ValidationError(
                    f"This is not a JSON file ({error.problem.removeprefix('not valid JSON (')}."
                ) from None
            raise forms.ValidationError(str(error)) from None
        return upload
