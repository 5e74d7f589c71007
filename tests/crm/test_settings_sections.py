"""Settings you can find: a short menu, one short page per section (each its own include file
under templates/crm/settings/), one Import place, and a Copy button for the calendar link."""

import pytest
from django.urls import reverse

from pages.settings import SECTIONS

pytestmark = pytest.mark.django_db


def test_the_menu_links_every_section_and_holds_no_form(student_client):
    page = student_client.get(reverse("settings")).text
    for section in SECTIONS:
        assert reverse("settings_section", args=[section.slug]) in page
    main = page[page.index("<main") : page.index("</main>")]
    assert "<form" not in main


@pytest.mark.parametrize("slug", [section.slug for section in SECTIONS])
def test_each_section_is_its_own_short_page_with_the_menu(student_client, slug):
    response = student_client.get(reverse("settings_section", args=[slug]))
    assert response.status_code == 200
    assert f"crm/settings/{slug}.html" in [t.name for t in response.templates]
    assert 'aria-current="page"' in response.text
    # One primary action a page: at most one section's forms.
    main = response.text[response.text.index("<main") : response.text.index("</main>")]
    assert main.count('<button type="submit">') <= 1


def test_an_unknown_section_is_a_404(student_client):
    assert student_client.get("/settings/nope/").status_code == 404


def test_import_has_one_place(student_client):
    pages = [student_client.get(reverse("settings_section", args=[s.slug])).text for s in SECTIONS]
    with_import = [page for page in pages if reverse("contacts:import_start") in page]
    assert len(with_import) == 1
    assert reverse("data_import") in with_import[0]


def test_the_calendar_link_has_a_copy_button(student_client):
    page = student_client.get(reverse("settings_section", args=["calendar-feed"])).text
    assert 'data-copy="calendar-feed-url"' in page


def test_a_refused_profile_stays_on_the_profile_page(student_client):
    response = student_client.post(reverse("settings"), {"name": "Ada", "timezone": "Mars/Olympus"})
    assert response.status_code == 200
    assert "crm/settings/profile.html" in [t.name for t in response.templates]
