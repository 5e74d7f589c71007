"""The upload form of the contacts import (contacts/views/imports.py)."""

from django import forms

from .importers import MAX_BYTES, Format, ImportFileError, read_file

FORMAT_CHOICES = [
    ("", "Work it out from the file"),
    (Format.CSV, "A spreadsheet (CSV)"),
    (Format.LINKEDIN, "LinkedIn connections (Connections.csv)"),
    (Format.VCARD, "Phone contacts (vCard, .vcf)"),
]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Your file",
        help_text="A CSV spreadsheet, LinkedIn's Connections.csv or a vCard (.vcf), "
        "up to 5 MB and 5,000 rows.",
    )
    format = forms.ChoiceField(
        label="What kind of file is it?", choices=FORMAT_CHOICES, required=False
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        # Refused before reading it: the size the browser declared, then what really arrived.
        if upload.size > MAX_BYTES:
            self.add_error(
                "file",
                f"This file is {upload.size / 1024 / 1024:.1f} MB; files up to 5 MB can be "
                "imported. Split it into smaller files and import each.",
            )
            return cleaned
        self.content = upload.read(MAX_BYTES + 1)
        try:
            self.parsed = read_file(self.content, cleaned.get("format") or None)
        except ImportFileError as error:
            self.add_error("file", str(error))
        return cleaned
