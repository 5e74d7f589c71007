"""vCards as phones and address books write them (tests/contacts/samples/vcard_*, our own
files in each client's shape): every card with a name, an email or an organisation is read,
commas in names and organisations stay, a card without a name says where its name came from,
and a card with nothing to name it by is skipped and counted."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from contacts.importers import Format, read_file

SAMPLES = Path(__file__).parent / "samples"


def parsed(name: str):
    result = read_file((SAMPLES / name).read_bytes())
    assert result.format == Format.VCARD
    assert result.errors == [], result.errors
    return result


def rows(name: str) -> dict:
    return {row.name: row for row in parsed(name).rows}


@pytest.mark.parametrize(
    ("name", "names", "skipped"),
    [
        ("vcard_gmail.vcf", ["Priya Raman, MD", "Tom Reyes"], 0),
        ("vcard_iphone.vcf", ["Dr. Lena Okafor"], 0),
        (
            "vcard_mac_contacts.vcf",
            ["José Luis, Antonio Núñez", "Northshore Medical College, Office of Student Affairs"],
            0,
        ),
        ("vcard_outlook_2003.vcf", ["Dr. Marcus Bell"], 0),
        ("vcard_outlook_2007.vcf", ["Dr. Omar Haddad FACP"], 0),
        ("vcard_android.vcf", ["aisha.karim", "mei.chen", "Renée Chávez", "Hannah Müller"], 2),
        ("vcard_blackberry.vcf", ["Kwame Mensah"], 0),
        ("vcard_lotus_notes.vcf", ["Dr. Lena Lindqvist, PhD"], 0),
        ("vcard_evolution.vcf", ["Grace Park"], 0),
        ("vcard_thunderbird.vcf", ["Diego Alvarez"], 0),
        ("vcard_rfc2426.vcf", ["Frances Dawes", "Tim Howell"], 0),
        ("vcard_rfc6350.vcf", ["Simone Perrault"], 0),
    ],
)
def test_every_card_of_each_client_is_read(name, names, skipped):
    result = parsed(name)
    assert [row.name for row in result.rows] == names
    assert len(result.skipped) == skipped


def test_commas_in_names_and_organisations_stay_whole():
    gmail = rows("vcard_gmail.vcf")
    priya = gmail["Priya Raman, MD"]
    assert priya.institution == "Mayo Clinic, Rochester"  # ORG with a bare comma
    assert (priya.city, priya.state) == ("Rochester", "MN")
    assert "Title: Clerkship Director, Internal Medicine" in priya.notes  # escaped comma
    assert priya.notes.endswith(
        "Met on the medicine clerkship.\nOffered to read my personal statement."
    )
    assert rows("vcard_outlook_2003.vcf")["Dr. Marcus Bell"].institution == "Lakeside Hospital, The"
    # ORG's further units are departments, kept in the notes.
    lena = rows("vcard_iphone.vcf")["Dr. Lena Okafor"]
    assert lena.institution == "Lakeside University Hospital"
    assert "Department: Department of Medicine" in lena.notes
    lotus = rows("vcard_lotus_notes.vcf")["Dr. Lena Lindqvist, PhD"]  # PROFILE:VCard is fine
    assert lotus.institution == "Karolinska Institutet"
    assert "Department: Department of Medicine, Solna" in lotus.notes
    mac = rows("vcard_mac_contacts.vcf")
    assert mac["José Luis, Antonio Núñez"].institution == "Mercy Community Hospital"


def test_the_preferred_email_and_phone_are_taken():
    lena = rows("vcard_iphone.vcf")["Dr. Lena Okafor"]
    assert (lena.email, lena.phone) == ("lena.okafor@lakeside.example.edu", "+1 (312) 555-0142")
    assert (lena.city, lena.state) == ("Chicago", "IL")
    assert rows("vcard_thunderbird.vcf")["Diego Alvarez"].email == "dalvarez@stlukes.example.org"
    simone = rows("vcard_rfc6350.vcf")["Simone Perrault"]
    assert simone.phone == "+1-418-555-9254;ext=102"  # a tel: URI, without its scheme
    assert simone.city == "Quebec"  # an ADR folded over two lines


def test_android_cards_without_a_name_take_their_email_or_organisation():
    result = parsed("vcard_android.vcf")
    by_name = {row.name: row for row in result.rows}
    aisha = by_name["aisha.karim"]
    assert (aisha.name_from, aisha.email) == ("email", "aisha.karim@northshore.example.edu")
    renee = by_name["Renée Chávez"]  # quoted-printable UTF-8, with a soft line break
    assert renee.name_from == "" and renee.phone == "+1 773 555 0199"
    assert renee.institution == "Mercy Community Hospital, 5 West"
    assert "Taught me how to present on rounds — say thank you after the rotation." in renee.notes
    assert [(s.line, s.message) for s in result.skipped] == [
        (36, "this card has only a phone number: no name, email or organisation."),
        (40, "this card has no name, email or organisation to import."),
    ]
    company = rows("vcard_mac_contacts.vcf")[
        "Northshore Medical College, Office of Student Affairs"
    ]
    assert company.name_from == "organisation"


def test_outlook_quoted_printable_notes_are_decoded():
    marcus = rows("vcard_outlook_2003.vcf")["Dr. Marcus Bell"]
    assert marcus.notes.endswith("Runs the Thursday teaching conference.\nAsk about the QI project")
    assert marcus.email == "marcus.bell@lakeside.example.edu"


@pytest.mark.django_db
def test_the_command_marks_names_taken_from_an_email_and_counts_the_skipped(student):
    out = StringIO()
    call_command(
        "import_contacts", str(SAMPLES / "vcard_android.vcf"), "--student", student.email,
        "--dry-run", stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert "line 1: aisha.karim [name from email] (peer, guessed)" in text
    assert "Skipped (2):\n  line 36: this card has only a phone number" in text
    assert "4 to create, 0 matching contacts you have, 0 with errors, 2 skipped." in text
