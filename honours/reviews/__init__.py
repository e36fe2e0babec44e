"""Scoring: assignments, score sheets, results and ranking."""
# ORM listeners that keep what the ranking reads: the sheets' totals and the rounds' review stamps.
from . import stamps, totals  # noqa: F401
