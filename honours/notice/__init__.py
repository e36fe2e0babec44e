"""Public notice of the proposed list after the council, and the opinions the public sends on it."""
