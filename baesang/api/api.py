"""The REST API (django-ninja). OpenAPI at /api/openapi.json, interactive docs at /api/docs.

Every operation declares its action of the permission matrix (``auth=allowed(...)``, see
``baesang/api/auth.py``), calls the same services and selectors as the staff screens, and
answers errors as JSON ``{"code", "message"}`` (``baesang/api/errors.py``). Routers live in
``baesang/api/routers/``, one module per area; docs/api.md explains how to add one.
"""

from ninja import NinjaAPI

from baesang.api.errors import install_error_handlers
from baesang.api.routers import audit, batches, claims, duplicates, holders, judgments, money, portal, system

api = NinjaAPI(
    title="baesang API",
    version="1",
    urls_namespace="api",
    description=(
        "REST API of baesang, the system of record of court-ordered compensation paid by the "
        "Foundation for Victims of Forced Mobilization by Imperial Japan. Authenticate with an API "
        "token (`Authorization: Bearer bsg_…`, created with `baesang api-token create USER --name N`). "
        "Errors are JSON `{\"code\", \"message\"}`; amounts are whole won (integers)."
    ),
)
install_error_handlers(api)

api.add_router("", system.router)
api.add_router("", judgments.router)
api.add_router("", claims.router)
api.add_router("", holders.router)
api.add_router("", batches.router)
api.add_router("", money.router)
api.add_router("", audit.router)
api.add_router("", duplicates.router)
api.add_router("", portal.router)
