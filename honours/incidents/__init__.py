"""The register of personal-data incidents (suspected breaches): what happened, when it was found, who is affected,
the 72-hour notification deadline, the notifications made and the measures taken."""
