"""Storage limitation: what the application keeps about people is deleted once its retention period is over
(`flask retention run`, from a daily timer). Periods are settings (honours.config, RETENTION_*)."""
