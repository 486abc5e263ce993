"""Screening, reviewer assignment, conflicts of interest, the reviewer's queue and reminders."""
