"""Forms for a student's records. Querysets of related records are always scoped to the owner."""

from django import forms  # noqa: F401

# --- Contacts and interactions (quick-log) ---------------------------------------------------

# --- end of contacts and interactions ---

# --- Rotations, teams and letters ------------------------------------------------------------

# --- end of rotations, teams and letters ---
