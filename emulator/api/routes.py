"""Every route of the emulator in one table: the app registers them, scenarios name them."""
from __future__ import annotations

from . import admin, identity, sds, signups, updates
from .paths import TENANT_PREFIX

#: (method, path template, handler, route name); literal segments match case-insensitively.
SERVICE_ROUTES = (
    [(m, TENANT_PREFIX + p, h, n) for m, p, h, n in signups.ROUTES + updates.ROUTES + sds.ROUTES]
    + identity.ROUTES
)
ADMIN_ROUTES = admin.ROUTES
#: Names a scenario's fault rule may use in `when.route` (admin routes are never faulted).
SERVICE_ROUTE_NAMES = frozenset(name for _, _, _, name in SERVICE_ROUTES)
