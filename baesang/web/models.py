"""The staff web application keeps no tables of its own: accounts live in ``baesang.staff``."""
