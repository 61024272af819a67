"""The REST API (django-ninja, OpenAPI at /api/openapi.json)."""
