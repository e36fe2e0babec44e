"""Person records: one per real person, linked to every nomination and referral (honours.directory shows them)."""
