"""`create_app(settings)`: the aiohttp application that is the emulator, usable with pytest-aiohttp."""
from __future__ import annotations

from typing import Any, Mapping

from aiohttp import web

from .api import admin, identity, sds, signups, updates
from .api.context import EMULATOR
from .api.middleware import stamp_response, authentication, service_errors
from .api.params import MAX_BODY
from .api.paths import TENANT_PREFIX, case_blind
from .clock import VirtualClock
from .model.emulator import Emulator
from .settings import Settings


def create_app(settings: Settings | Mapping[str, Any] | None = None, *, clock: VirtualClock | None = None) -> web.Application:
    """The emulator as an application; `settings` may be a `Settings` or a mapping of setting names."""
    if settings is None:
        settings = Settings()
    elif not isinstance(settings, Settings):
        settings = Settings.from_mapping(settings)
    app = web.Application(middlewares=[service_errors, authentication], client_max_size=MAX_BODY)
    app[EMULATOR] = Emulator(settings, clock)
    for method, path, handler, name in signups.ROUTES + updates.ROUTES + sds.ROUTES:
        app.router.add_route(method, case_blind(TENANT_PREFIX + path), handler, name=name)
    for method, path, handler, name in identity.ROUTES:
        app.router.add_route(method, case_blind(path), handler, name=name)
    for method, path, handler, name in admin.ROUTES:
        app.router.add_route(method, path, handler, name=name)
    app.on_response_prepare.append(stamp_response)
    return app
