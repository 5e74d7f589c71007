"""The advocate map: geometry from plain data (advisors.map), and the SVG and table the
pages print from it, read back with xml.etree."""

import datetime
import math
import re
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from advisors import map as advisor_map
from advisors.map import MapPerson, history_chart, layout_map, node_radius
from tests.advisors.advisor_world import build_network, share, snapshots
from tests.factories import ContactFactory

SVG = "{http://www.w3.org/2000/svg}"
TODAY = datetime.date(2027, 8, 2)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime.datetime(2027, 8, 2, 15, 0, tzinfo=datetime.UTC), tick=False):
        yield


def person(id, ring="developing", influence=50, group="faculty", **extra) -> MapPerson:
    return MapPerson(
        id=id,
        name=f"Dr. Person {id}",
        role_label="Faculty / attending",
        group=group,
        group_label=group,
        ring=ring,
        tier_label=ring,
        influence=influence,
        depth=40,
        last_contact_on=TODAY,
        **extra,
    )


def distance(node) -> float:
    return math.hypot(node.x - advisor_map.CENTRE, node.y - advisor_map.CENTRE)


# --- Geometry -------------------------------------------------------------------------------


def test_radius_grows_with_influence():
    radii = [node_radius(influence) for influence in range(0, 101, 10)]

    assert radii == sorted(radii) and len(set(radii)) == len(radii)
    assert radii[0] == advisor_map.MIN_NODE_RADIUS and radii[-1] == advisor_map.MAX_NODE_RADIUS


def test_each_person_sits_on_their_ring():
    people = [person(1, "advocate"), person(2, "developing"), person(3, "acquaintance")]

    nodes = {node.person.id: node for node in layout_map(people).nodes}

    for pk, ring in [(1, "advocate"), (2, "developing"), (3, "acquaintance")]:
        assert distance(nodes[pk]) == pytest.approx(advisor_map.RING_RADII[ring], abs=0.2)


def test_people_on_a_ring_do_not_overlap():
    people = [person(pk, "developing", influence=90) for pk in range(12)]

    nodes = layout_map(people).nodes

    for a in nodes:
        for b in nodes:
            if a is not b:
                assert math.hypot(a.x - b.x, a.y - b.y) >= a.r + b.r


def test_a_crowded_ring_spreads_over_lanes_and_draws_people_smaller_but_still_by_influence():
    people = [person(pk, "advocate", influence=pk) for pk in range(60)]

    nodes = layout_map(people).nodes

    distances = {round(distance(node)) for node in nodes}
    assert len(distances) == 3  # three lanes round the ring
    by_influence = sorted(nodes, key=lambda node: node.person.influence)
    assert [node.r for node in by_influence] == sorted(node.r for node in nodes)
    assert by_influence[-1].r < node_radius(59)


def test_colours_follow_the_role_group_and_the_top_of_each_ring_is_kept_for_its_name():
    groups = list(advisor_map.GROUP_ORDER)
    people = [person(pk, "acquaintance", group=group) for pk, group in enumerate(groups)]

    nodes = layout_map(people).nodes

    assert [node.colour for node in nodes] == [advisor_map.GROUP_COLOURS[g] for g in groups]
    ring_top = advisor_map.CENTRE - advisor_map.RING_RADII["acquaintance"]
    assert all(node.y > ring_top + 20 for node in nodes)


def test_an_empty_network_is_an_empty_map_with_three_rings():
    empty = layout_map([])

    assert empty.is_empty
    assert [ring.tier for ring in empty.rings] == ["advocate", "developing", "acquaintance"]


def test_initials():
    assert advisor_map.initials("Ada Byron Lovelace") == "AL"
    assert advisor_map.initials("") == "?"


def test_history_chart_draws_weeks_in_order_over_the_goal_band():
    weeks = [(TODAY - datetime.timedelta(weeks=n), count) for n, count in enumerate([3, 2, 0])]

    chart = history_chart(weeks, goal_min=3, goal_max=5)

    assert [point.count for point in chart.points] == [0, 2, 3]
    xs = [point.x for point in chart.points]
    assert xs == sorted(xs) and xs[0] == chart.left and xs[-1] == chart.right
    assert chart.goal_top < chart.goal_bottom < chart.baseline  # SVG's y grows downwards
    assert chart.points[-1].y == chart.goal_bottom


def test_a_single_week_is_one_point():
    chart = history_chart([(TODAY, 1)], goal_min=3, goal_max=5)

    assert len(chart.points) == 1


# --- The rendered map ---------------------------------------------------------------------------


def _svg(content: str, css_class: str) -> ET.Element:
    start = content.index(f'<svg class="{css_class}"')
    end = content.index("</svg>", start) + len("</svg>")
    return ET.fromstring(content[start:end])


def _people(svg: ET.Element) -> list[ET.Element]:
    return [a for a in svg.iter(f"{SVG}a") if "person" in a.get("class", "").split()]


def _node(link: ET.Element) -> ET.Element:
    return next(c for c in link.iter(f"{SVG}circle") if c.get("class") == "node")


@pytest.fixture
def advisor_page(student, advisor):
    contacts = build_network(student, TODAY, size=10)
    ContactFactory(owner=student, name="Archived Person", archived=True)
    share(student, advisor)
    snapshots(student, TODAY, [1, 1, 2])
    client = Client()
    client.force_login(advisor, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("advisor_student", args=[student.pk]))
    assert response.status_code == 200
    return contacts, response


def test_the_map_has_a_ring_per_tier_and_a_circle_per_contact(advisor_page):
    contacts, response = advisor_page
    svg = _svg(response.content.decode(), "advocate-map")

    rings = [c for c in svg.iter(f"{SVG}circle") if "ring" in c.get("class", "").split()]
    assert [ring.get("data-tier") for ring in rings] == ["advocate", "developing", "acquaintance"]
    assert [float(ring.get("r")) for ring in rings] == sorted(float(r.get("r")) for r in rings)
    ids = sorted(int(link.get("data-contact-id")) for link in _people(svg))
    assert ids == sorted(contact.pk for contact in contacts)  # the archived one is left out
    assert svg.get("viewBox") == "0 0 440 440"


def test_circles_grow_with_influence_and_take_their_role_groups_colour(advisor_page):
    _contacts, response = advisor_page
    links = _people(_svg(response.content.decode(), "advocate-map"))

    sized = sorted((int(link.get("data-influence")), float(_node(link).get("r"))) for link in links)
    for (low_influence, low_r), (high_influence, high_r) in zip(sized, sized[1:], strict=False):
        assert high_r >= low_r
        if high_influence > low_influence:
            assert high_r > low_r
    for link in links:
        assert _node(link).get("fill") == advisor_map.GROUP_COLOURS[link.get("data-group")]
    assert {link.get("data-group") for link in links} == set(advisor_map.GROUP_ORDER)


def test_dormant_people_are_dashed_and_the_focus_set_is_highlighted(advisor_page):
    contacts, response = advisor_page
    links = {
        int(a.get("data-contact-id")): a
        for a in _people(_svg(response.content.decode(), "advocate-map"))
    }

    dormant = links[contacts[3].pk]  # met once, over a year ago
    assert "dormant" in dormant.get("class").split()
    assert _node(dormant).get("stroke-dasharray")
    awake = [link for pk, link in links.items() if pk != contacts[3].pk]
    assert not any(_node(link).get("stroke-dasharray") for link in awake)

    focus = [pk for pk, link in links.items() if "focus" in link.get("class").split()]
    assert contacts[0].pk in focus and contacts[5].pk in focus  # the two advocates
    assert 3 <= len(focus) <= 5
    for pk in focus:
        halos = [c for c in links[pk].iter(f"{SVG}circle") if c.get("class") == "focus-halo"]
        assert len(halos) == 1
    advocate = links[contacts[0].pk]
    assert "ring-advocate" in advocate.get("class").split()


def test_hovering_a_person_tells_depth_influence_last_contact_and_why(advisor_page):
    contacts, response = advisor_page
    links = {
        int(a.get("data-contact-id")): a
        for a in _people(_svg(response.content.decode(), "advocate-map"))
    }

    title = links[contacts[0].pk].find(f"{SVG}title").text

    assert contacts[0].name in title
    assert re.search(r"Depth \d+ · influence \d+", title)
    assert "Last contact: Fri Jul 23, 2027" in title
    assert "Why: 8 weeks of 8 together (Medicine sub-I)" in title
    assert links[contacts[0].pk].get("href") == f"#person-{contacts[0].pk}"


def test_the_table_lists_the_same_people_as_the_map(advisor_page):
    contacts, response = advisor_page
    content = response.content.decode()
    links = _people(_svg(content, "advocate-map"))
    start = content.index('<table class="people-table"')
    table = ET.fromstring(content[start : content.index("</table>", start) + len("</table>")])

    rows = [tr for tr in table.iter("tr") if tr.get("data-contact-id")]
    assert [row.get("id") for row in rows] == [f"person-{r.get('data-contact-id')}" for r in rows]
    assert {row.get("data-contact-id") for row in rows} == {a.get("data-contact-id") for a in links}
    names = {"".join(row.find("th").itertext()).strip() for row in rows}
    assert all(any(contact.name in name for name in names) for contact in contacts)


def test_the_history_chart_is_an_inline_svg_of_the_weekly_snapshots(advisor_page):
    _contacts, response = advisor_page
    chart = _svg(response.content.decode(), "history-chart")

    points = [c for c in chart.iter(f"{SVG}circle") if c.get("class") == "history-point"]
    assert [p.find(f"{SVG}title").text.split(": ")[-1] for p in points] == ["1", "1", "2"]
    assert chart.find(f"{SVG}polyline") is not None


def test_a_dormant_person_keeps_the_ring_their_depth_earns(student):
    from advisors.selectors import map_people
    from reminders.engine.conf import get_conf
    from reminders.evaluation.standing import engine_for_student

    contacts = build_network(student, TODAY, size=4)
    people = {p.id: p for p in map_people(engine_for_student(student, TODAY), get_conf())}

    dormant = people[contacts[3].pk]
    assert dormant.dormant and dormant.tier_label == "Dormant"
    assert dormant.ring == "acquaintance"


def test_the_student_sees_their_own_map(student_client, student):
    contacts = build_network(student, TODAY, size=5)

    response = student_client.get(reverse("my_map"))

    assert response.status_code == 200
    content = response.content.decode()
    assert len(_people(_svg(content, "advocate-map"))) == len(contacts)
    assert "<h1>My map</h1>" in content
    assert ">You<" in content  # the student at the centre
    assert "Private note about person 0" in content  # their own notes, of course


def test_the_next_step_and_the_recommendations_come_before_the_map(advisor_page):
    text = advisor_page[1].content.decode()
    assert text.index('id="recommendations-heading"') < text.index('id="map-heading"')
    assert text.index('id="glance-heading"') < text.index('id="map-heading"')
