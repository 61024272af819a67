"""The API keeps no tables of its own: API tokens live in ``baesang.staff``."""
