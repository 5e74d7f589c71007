"""The advocate map and the advocate-count chart, as geometry: pure functions of plain data.

The templates (advisors/_map_svg.html, advisors/_history_svg.html) only print what these
return, so the map is drawn on the server, prints, works without JavaScript and is tested by
reading numbers.

The map: the student at the centre and a ring per tier (advocate, developing, acquaintance).
Each person is a circle whose radius grows with influence and whose colour is their role
group; dormant people keep their ring (from their depth) but are drawn dashed and faded, and
the focus set wears a gold halo.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
from collections.abc import Iterable, Sequence

ADVOCATE = "advocate"
DEVELOPING = "developing"
ACQUAINTANCE = "acquaintance"
RINGS = (ADVOCATE, DEVELOPING, ACQUAINTANCE)
RING_LABELS = {ADVOCATE: "Advocates", DEVELOPING: "Developing", ACQUAINTANCE: "Acquaintances"}

# Role groups (contacts.vocabulary.RoleGroup) and their colours: all at least 3:1 against
# white (WCAG non-text contrast), told apart by hue and lightness.
GROUP_ORDER = ("leadership", "faculty", "residents", "staff", "peers")
GROUP_COLOURS = {
    "leadership": "#6b3fa0",
    "faculty": "#1f5f8b",
    "residents": "#1d7a52",
    "staff": "#b4531a",
    "peers": "#5f6b7a",
}

SIZE = 440  # the viewBox is SIZE x SIZE; the page scales it to the screen
CENTRE = SIZE / 2
CENTRE_RADIUS = 24
RING_RADII = {ADVOCATE: 72, DEVELOPING: 138, ACQUAINTANCE: 200}
MIN_NODE_RADIUS = 6.0
MAX_NODE_RADIUS = 17.0
NODE_GAP = 4.0
LANE_OFFSET = 20.0  # crowded rings spread people over lanes this far in and out
LABEL_GAP_ARC = 96.0  # room kept at the top of each ring for its name


@dataclasses.dataclass(frozen=True)
class MapPerson:
    """One contact as the map shows them."""

    id: int
    name: str
    role_label: str
    group: str
    group_label: str
    ring: str  # advocate / developing / acquaintance: where depth puts them
    tier_label: str  # the engine's tier in words, "Dormant" included
    influence: int
    depth: int
    last_contact_on: datetime.date | None
    focus: bool = False
    dormant: bool = False
    why: str = ""
    influence_detail: str = ""
    next_step: str = ""
    notes: str = ""

    @property
    def colour(self) -> str:
        return GROUP_COLOURS.get(self.group, GROUP_COLOURS["peers"])

    @property
    def short_name(self) -> str:
        parts = self.name.split()
        return parts[-1] if parts else self.name


@dataclasses.dataclass(frozen=True)
class Ring:
    tier: str
    label: str
    radius: float
    count: int

    @property
    def label_y(self) -> float:
        return round(CENTRE - self.radius + 4, 1)


@dataclasses.dataclass(frozen=True)
class Node:
    person: MapPerson
    x: float
    y: float
    r: float
    colour: str

    @property
    def halo_r(self) -> float:
        return round(self.r + 4, 1)

    # A focus member's name sits just outside their circle, away from the centre, so names
    # round a crowded inner ring fan out instead of stacking under each other.
    def _outward(self) -> tuple[float, float]:
        dx, dy = self.x - CENTRE, self.y - CENTRE
        length = math.hypot(dx, dy) or 1.0
        return dx / length, dy / length

    @property
    def label_x(self) -> float:
        return round(self.x + self._outward()[0] * (self.r + 6), 1)

    @property
    def label_y(self) -> float:
        # +4 centres the text's x-height on the point; below the centre, clear the circle.
        ux, uy = self._outward()
        return round(self.y + uy * (self.r + 6) + 4 + max(uy, 0) * 6, 1)

    @property
    def label_anchor(self) -> str:
        ux = self._outward()[0]
        return "start" if ux > 0.35 else "end" if ux < -0.35 else "middle"

    @property
    def css_class(self) -> str:
        classes = ["person", f"ring-{self.person.ring}", f"group-{self.person.group}"]
        if self.person.dormant:
            classes.append("dormant")
        if self.person.focus:
            classes.append("focus")
        return " ".join(classes)


@dataclasses.dataclass(frozen=True)
class AdvocateMap:
    rings: tuple[Ring, ...]
    nodes: tuple[Node, ...]
    centre_label: str
    size: int = SIZE

    @property
    def centre(self) -> float:
        return CENTRE

    @property
    def centre_radius(self) -> int:
        return CENTRE_RADIUS

    @property
    def viewbox(self) -> str:
        return f"0 0 {self.size} {self.size}"

    @property
    def is_empty(self) -> bool:
        return not self.nodes


def node_radius(influence: int) -> float:
    """Grows with influence (0-100), from MIN_NODE_RADIUS to MAX_NODE_RADIUS."""
    share = min(max(influence, 0), 100) / 100
    return MIN_NODE_RADIUS + (MAX_NODE_RADIUS - MIN_NODE_RADIUS) * share


def _order(person: MapPerson) -> tuple:
    # Grouped by role group round the ring (so colours form arcs), strongest voice first.
    group = GROUP_ORDER.index(person.group) if person.group in GROUP_ORDER else len(GROUP_ORDER)
    return (group, -person.influence, person.name, person.id)


def _place_ring(people: Sequence[MapPerson], radius: float) -> list[Node]:
    """Spread people evenly round the ring, leaving the top for the ring's name; a crowded
    ring uses up to three lanes, then draws everyone smaller (still sized by influence)."""
    count = len(people)
    if not count:
        return []
    gap = LABEL_GAP_ARC / radius  # radians kept free at the top
    span = 2 * math.pi - gap
    room_per_person = 2 * MAX_NODE_RADIUS + NODE_GAP
    capacity = max(1, int(radius * span / room_per_person))
    lanes = 1 if count <= capacity else 3
    scale = min(1.0, capacity * lanes / count)
    lane_offsets = (0.0, -LANE_OFFSET, LANE_OFFSET)
    nodes = []
    for index, person in enumerate(people):
        # Angles run clockwise from just right of the top (SVG's y axis points down).
        angle = -math.pi / 2 + gap / 2 + span * (index + 0.5) / count
        lane_radius = radius + lane_offsets[index % lanes]
        nodes.append(
            Node(
                person=person,
                x=round(CENTRE + lane_radius * math.cos(angle), 1),
                y=round(CENTRE + lane_radius * math.sin(angle), 1),
                r=round(node_radius(person.influence) * scale, 2),
                colour=person.colour,
            )
        )
    return nodes


def layout_map(people: Iterable[MapPerson], *, centre_label: str = "You") -> AdvocateMap:
    by_ring: dict[str, list[MapPerson]] = {ring: [] for ring in RINGS}
    for person in people:
        by_ring.get(person.ring, by_ring[ACQUAINTANCE]).append(person)
    rings = []
    nodes: list[Node] = []
    for ring in RINGS:
        members = sorted(by_ring[ring], key=_order)
        rings.append(Ring(ring, RING_LABELS[ring], RING_RADII[ring], len(members)))
        nodes += _place_ring(members, RING_RADII[ring])
    return AdvocateMap(rings=tuple(rings), nodes=tuple(nodes), centre_label=centre_label)


def initials(name: str) -> str:
    letters = [part[0] for part in name.split() if part[:1].isalpha()]
    return "".join(letters[:1] + letters[1:][-1:]).upper() or "?"


# --- The advocate count, week by week ----------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ChartPoint:
    week: datetime.date
    count: int
    x: float
    y: float


CHART_PAD_LEFT = 24
CHART_PAD_RIGHT = 10
CHART_PAD_TOP = 8
CHART_PAD_BOTTOM = 20


@dataclasses.dataclass(frozen=True)
class HistoryChart:
    width: int
    height: int
    points: tuple[ChartPoint, ...]
    goal_top: float  # y of goal_max
    goal_bottom: float  # y of goal_min
    y_max: int
    goal_min: int
    goal_max: int
    left: float = CHART_PAD_LEFT
    top: float = CHART_PAD_TOP

    @property
    def viewbox(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def right(self) -> float:
        return self.width - CHART_PAD_RIGHT

    @property
    def baseline(self) -> float:
        return self.height - CHART_PAD_BOTTOM

    @property
    def plot_width(self) -> float:
        return self.right - self.left

    @property
    def polyline(self) -> str:
        return " ".join(f"{point.x},{point.y}" for point in self.points)

    @property
    def first(self) -> ChartPoint | None:
        return self.points[0] if self.points else None

    @property
    def last(self) -> ChartPoint | None:
        return self.points[-1] if self.points else None

    @property
    def goal_height(self) -> float:
        return round(self.goal_bottom - self.goal_top, 1)


def history_chart(
    weeks: Sequence[tuple[datetime.date, int]],
    *,
    goal_min: int,
    goal_max: int,
    width: int = 320,
    height: int = 120,
) -> HistoryChart:
    """A line of the advocate count per week (oldest first), over a band for the 3-5 goal."""
    rows = sorted(weeks)
    y_max = max([goal_max + 1, *(count for _week, count in rows)])
    baseline = height - CHART_PAD_BOTTOM
    plot_height = baseline - CHART_PAD_TOP
    plot_width = width - CHART_PAD_LEFT - CHART_PAD_RIGHT

    def y_for(count: int) -> float:
        return round(baseline - plot_height * count / y_max, 1)

    span_days = (rows[-1][0] - rows[0][0]).days if len(rows) > 1 else 0
    points = []
    for week, count in rows:
        share = (week - rows[0][0]).days / span_days if span_days else 1.0
        x = round(CHART_PAD_LEFT + plot_width * share, 1)
        points.append(ChartPoint(week=week, count=count, x=x, y=y_for(count)))
    return HistoryChart(
        width=width,
        height=height,
        points=tuple(points),
        goal_top=y_for(goal_max),
        goal_bottom=y_for(goal_min),
        y_max=y_max,
        goal_min=goal_min,
        goal_max=goal_max,
    )
