"""Writes for the reminder engine."""
