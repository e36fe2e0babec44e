"""Access rules of the security features: two-factor login (staff accounts), the per-role policy (admin), the
audit log (admin and secretariat, read-only)."""
STAFF = {"admin", "secretariat", "council"}
SIGNED_IN = {"admin", "secretariat", "council", "nominator"}

RULES = {
    # The second login step: anonymous visitors without a pending login are sent back to the login page;
    # signed-in users are sent home.
    "two_factor.verify": SIGNED_IN,
    "two_factor.settings": STAFF,
    "two_factor.enable": STAFF,
    "two_factor.new_recovery_codes": STAFF,
    "two_factor.disable": STAFF,
    "two_factor.policy": {"admin"},
    "auth.logout_everywhere": SIGNED_IN,
    "audit_log.index": {"admin", "secretariat"},
    "audit_log.export_csv": {"admin", "secretariat"},
}
