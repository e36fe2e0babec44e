"""Domain errors: raised by services with a message meant for the user (already translated)."""


class RuleViolation(Exception):
    """A business rule refused the action (wrong state, deadline passed, limit reached...)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleEdit(RuleViolation):
    """Somebody else changed the record since the form was loaded."""
