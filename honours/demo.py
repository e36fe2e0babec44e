"""Demo data for `flask seed-demo` (being written)."""


def seed():
    return ["TODO"]
