"""The REST API (django-ninja). OpenAPI at /api/openapi.json, interactive docs at /api/docs."""

from ninja import NinjaAPI

api = NinjaAPI(title="baesang API", version="1", urls_namespace="api")
