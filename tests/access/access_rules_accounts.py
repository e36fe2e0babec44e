"""Access rules of account management and the forgotten-password flow: managers edit accounts (the secretariat
only council and nominator accounts: the matrix's target is a council member); anyone may ask for a reset link,
and whoever holds one may use it."""
EVERYONE = {"anonymous", "admin", "secretariat", "council", "nominator"}

RULES = {
    "users.edit": {"admin", "secretariat"},
    "password_reset.forgot": EVERYONE,
    "password_reset.sent": EVERYONE,
    "password_reset.reset_password": EVERYONE,
}
OWNED: set = set()
NOT_OWNED = {"reset_token"}


def params(world) -> dict:
    from honours.auth import password_reset
    from honours.core import roles
    from tests.factories import make_user

    return {"reset_token": password_reset.token_for(make_user(roles.COUNCIL, email="quen-mat-khau@example.vn"))}
