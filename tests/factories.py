"""factory-boy factories for every record. Each record belongs to the factory's `owner`."""

import datetime

import factory

from contacts import models as records
from contacts.services import contacts_refresh_last_contact
from contacts.vocabulary import InteractionKind, Role, RotationKind, TieKind
from crm.models import User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"student{n}@example.edu")
    name = factory.Faker("name")
    timezone = "America/Chicago"
    match_year = 2028
    target_specialties = factory.LazyFunction(lambda: ["Internal Medicine"])
    target_cities = factory.LazyFunction(lambda: ["Chicago, IL"])
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AdvisorFactory(UserFactory):
    email = factory.Sequence(lambda n: f"advisor{n}@example.edu")
    role = User.Role.ADVISOR


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = records.Institution

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Lakeshore Medical Center {n}")
    city = "Chicago"
    state = "IL"
    setting = "academic"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = records.Contact

    owner = factory.SubFactory(UserFactory)
    name = factory.Faker("name")
    email = factory.Faker("email")
    role = Role.FACULTY
    specialty = "Internal Medicine"
    institution = factory.SubFactory(InstitutionFactory, owner=factory.SelfAttribute("..owner"))


class RotationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = records.Rotation

    owner = factory.SubFactory(UserFactory)
    name = "Medicine sub-I"
    specialty = "Internal Medicine"
    kind = RotationKind.SUB_INTERNSHIP
    institution = factory.SubFactory(InstitutionFactory, owner=factory.SelfAttribute("..owner"))
    start = datetime.date(2027, 7, 1)
    end = datetime.date(2027, 7, 28)


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = records.TeamMember

    rotation = factory.SubFactory(RotationFactory)
    contact = factory.SubFactory(ContactFactory, owner=factory.SelfAttribute("..rotation.owner"))
    weeks_together = 4


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = records.Interaction
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    contact = factory.SubFactory(ContactFactory, owner=factory.SelfAttribute("..owner"))
    date = datetime.date(2027, 7, 10)
    kind = InteractionKind.MEETING
    direction = "outbound"
    context = "clinical"
    summary = "Talked about the sub-I and next steps"

    @factory.post_generation
    def keep_last_contact(interaction, create, extracted, **kwargs):
        # As contacts.services does on every interaction write: the list sorts on it.
        if create:
            contacts_refresh_last_contact(
                owner_id=interaction.owner_id, contact_ids=[interaction.contact_id]
            )
            interaction.contact.refresh_from_db(fields=["last_contact_on"])


class LetterRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = records.LetterRequest

    owner = factory.SubFactory(UserFactory)
    writer = factory.SubFactory(ContactFactory, owner=factory.SelfAttribute("..owner"))
    purpose = "residency"
    specialty = "Internal Medicine"
    due = datetime.date(2027, 9, 15)
    status = "considering"

    class Params:
        # Asked in July, agreed, CV and statement sent: its polite reminder opens two weeks
        # before it is due.
        materials_sent = factory.Trait(
            status="materials_sent",
            asked_on=datetime.date(2027, 7, 1),
            agreed_on=datetime.date(2027, 7, 3),
            materials_sent_on=datetime.date(2027, 7, 5),
            materials=["cv", "personal_statement"],
        )


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = records.Program

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Lakeshore Internal Medicine {n}")
    specialty = "Internal Medicine"
    institution = factory.SubFactory(InstitutionFactory, owner=factory.SelfAttribute("..owner"))
    target = True


class TieFactory(factory.django.DjangoModelFactory):
    """A tie to a program; pass institution=... and program=None for a whole institution."""

    class Meta:
        model = records.Tie

    owner = factory.SubFactory(UserFactory)
    contact = factory.SubFactory(ContactFactory, owner=factory.SelfAttribute("..owner"))
    program = factory.SubFactory(ProgramFactory, owner=factory.SelfAttribute("..owner"))
    institution = None
    kind = TieKind.TRAINED_AT
    note = ""


# --- Sharing with advisors (advisors: AdvisorAccess, Invitation, Recommendation) -------------
from advisors import models as sharing  # noqa: E402


class AdvisorAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sharing.AdvisorAccess

    student = factory.SubFactory(UserFactory)
    advisor = factory.SubFactory(AdvisorFactory)
    share_notes = False


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sharing.Invitation

    student = factory.SubFactory(UserFactory)
    email = factory.Sequence(lambda n: f"invited{n}@example.edu")
    share_notes = False


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sharing.Recommendation

    student = factory.SubFactory(UserFactory)
    advisor = factory.SubFactory(AdvisorFactory)
    text = "Ask Dr. Chen for a mid-rotation feedback meeting"
