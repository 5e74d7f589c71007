"""The slugs the pure engine reads and writes, as plain strings.

contacts.vocabulary is the source of truth for record slugs, but it is built on Django's model
choices; the engine (rules, scoring, cycle) stays free of the ORM, so it keeps the few slugs
it needs here. tests/test_engine_vocab.py checks the two never drift apart.
"""

# --- Nudge kinds (a contract: PRODUCT.md "Interfaces that stay stable") ---------------------
FOLLOW_UP = "follow_up"
THANK_YOU = "thank_you"
FEEDBACK = "feedback"
LETTER_ASK = "letter_ask"
LETTER_MATERIALS = "letter_materials"
LETTER_REMINDER = "letter_reminder"
LETTER_THANKS = "letter_thanks"
CYCLE_UPDATE = "cycle_update"
MATCH_THANKS = "match_thanks"
SOAP_PLAN = "soap_plan"
OVER_CONTACT = "over_contact"
INVEST = "invest"
SMALL_ACTION = "small_action"
GAP = "gap"

NUDGE_KINDS: dict[str, str] = {
    FOLLOW_UP: "Follow up",
    THANK_YOU: "Thank-you",
    FEEDBACK: "Ask for feedback",
    LETTER_ASK: "Ask for a letter",
    LETTER_MATERIALS: "Send letter materials",
    LETTER_REMINDER: "Letter reminder",
    LETTER_THANKS: "Thank a letter writer",
    CYCLE_UPDATE: "Cycle update",
    MATCH_THANKS: "Match thanks",
    SOAP_PLAN: "SOAP plan",
    OVER_CONTACT: "Give them room",
    INVEST: "Invest in a relationship",
    SMALL_ACTION: "One small action",
    GAP: "A gap in your network",
}

# --- Record slugs (mirrors of contacts.vocabulary) ----------------------------------------------
ROLE_LABELS: dict[str, str] = {
    "program_director": "program director",
    "associate_program_director": "associate program director",
    "chair": "chair",
    "clerkship_director": "clerkship director",
    "faculty": "attending",
    "research_pi": "research PI",
    "chief_resident": "chief resident",
    "senior_resident": "senior resident",
    "dean": "dean",
    "fellow": "fellow",
    "junior_resident": "resident",
    "staff": "staff",
    "peer": "peer",
}

ROLE_GROUPS: dict[str, str] = {
    "program_director": "leadership",
    "associate_program_director": "leadership",
    "chair": "leadership",
    "clerkship_director": "leadership",
    "dean": "leadership",
    "faculty": "faculty",
    "research_pi": "faculty",
    "chief_resident": "residents",
    "senior_resident": "residents",
    "fellow": "residents",
    "junior_resident": "residents",
    "staff": "staff",
    "peer": "peers",
}

ROLE_GROUP_LABELS: dict[str, str] = {
    "leadership": "program leadership",
    "faculty": "faculty",
    "residents": "residents and fellows",
    "staff": "staff",
    "peers": "peers",
}

# Who supervises a student on a rotation: everyone above peers and staff.
NOT_SUPERVISING_ROLES = frozenset({"peer", "staff"})

# Interaction kinds
WORKED_TOGETHER = "worked_together"
MEETING = "meeting"
FEEDBACK_SESSION = "feedback"
EMAIL = "email"
UPDATE = "update"
THANK_YOU_NOTE = "thank_you"
CONFERENCE = "conference"
CALL = "call"
LETTER = "letter"

OUTBOUND = "outbound"
INBOUND = "inbound"

# Things a student sends; several of these with no reply is the over-texter's pattern.
MESSAGE_KINDS = frozenset({EMAIL, UPDATE, THANK_YOU_NOTE, LETTER})
# Things that cannot happen without the other person taking part: they count as a reply.
TWO_WAY_KINDS = frozenset({MEETING, FEEDBACK_SESSION, WORKED_TOGETHER, CONFERENCE, CALL})

# Letter statuses
CONSIDERING = "considering"
ASKED = "asked"
AGREED = "agreed"
DECLINED = "declined"
MATERIALS_SENT = "materials_sent"
SUBMITTED = "submitted"
THANKED = "thanked"
# A writer who said yes (or wrote) has trust history: their influence counts in full.
WRITTEN_STATUSES = frozenset({AGREED, MATERIALS_SENT, SUBMITTED, THANKED})

LETTER_PURPOSE_LABELS: dict[str, str] = {
    "residency": "residency",
    "away_rotation": "away-rotation",
    "fellowship": "fellowship",
    "scholarship": "scholarship",
}

CV = "cv"
PERSONAL_STATEMENT = "personal_statement"

RESEARCH_ROTATION = "research"
RESEARCH_CONTEXT = "research"
CLINICAL_CONTEXT = "clinical"

UNMATCHED = "unmatched"
PARTIAL = "partial"
