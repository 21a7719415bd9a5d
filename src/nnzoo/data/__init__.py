"""Data: generators of the course's small synthetic sets (and, later, cached real data)."""
