"""Selection by standards: the round's setup, the appraisal and rule overrides are the secretariat's; the claims
and the answers to clarification questions are the nominating organisation's (404 for another one)."""
SECRETARIAT = {"secretariat"}
NOMINATOR = {"nominator"}

RULES = {
    "selection.setup": SECRETARIAT,
    "selection.appraisal": SECRETARIAT,
    "selection.override": SECRETARIAT,
    "selection.send_to_ballot": SECRETARIAT,
    "selection.claims": NOMINATOR,
    "selection.clarifications": NOMINATOR,
}
