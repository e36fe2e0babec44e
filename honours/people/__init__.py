"""The intellectuals & experts database: one person record per real person, linked to every nomination and referral."""
