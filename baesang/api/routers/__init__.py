"""Routers of the API, one module per area; ``baesang/api/api.py`` mounts them."""
