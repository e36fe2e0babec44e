"""Bulk intake of people: organisations and the secretariat load staff lists into the intellectuals database."""
