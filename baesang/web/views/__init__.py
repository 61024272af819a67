"""Views of the staff application, one module per area (see docs/web.md)."""
