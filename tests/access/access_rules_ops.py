"""Access rules of the operations endpoints: the load balancer's health check needs no login."""
EVERYONE = {"anonymous", "admin", "secretariat", "council", "nominator"}

RULES = {
    "health.check": EVERYONE,
}
