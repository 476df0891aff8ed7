"""`create_app(settings)`: the aiohttp application that is the emulator, usable with pytest-aiohttp."""
from __future__ import annotations

import warnings
from typing import Any, Mapping

from aiohttp import web

from .api.context import EMULATOR
from .api.middleware import pipeline
from .api.params import MAX_BODY
from .api.paths import CaseBlindRouter
from .api.routes import ADMIN_ROUTES, SERVICE_ROUTES
from .clock import VirtualClock
from .model.emulator import Emulator
from .scenarios import Scenario, load_file
from .settings import Settings


def create_app(settings: Settings | Mapping[str, Any] | None = None, *, clock: VirtualClock | None = None,
               scenario: "Scenario | str | None" = None) -> web.Application:
    """The emulator as an application.

    `settings` may be a `Settings` or a mapping of setting names; `scenario` a loaded `Scenario`,
    or the path or bundled name of a scenario file.
    """
    if settings is None:
        settings = Settings()
    elif not isinstance(settings, Settings):
        settings = Settings.from_mapping(settings)
    with warnings.catch_warnings():
        # aiohttp 3 deprecates a custom router without offering another way to speed up resolution;
        # pyproject pins aiohttp below 4, where this would have to change.
        warnings.simplefilter("ignore", DeprecationWarning)
        app = web.Application(router=CaseBlindRouter(), middlewares=[pipeline], client_max_size=MAX_BODY)
    emulator = app[EMULATOR] = Emulator(settings, clock)
    if scenario is not None:
        if not isinstance(scenario, Scenario):
            scenario = load_file(scenario)
        emulator.apply_scenario(scenario, at_start=clock is None)
    for method, path, handler, name in SERVICE_ROUTES:
        app.router.add_case_blind(method, path, handler, name)
    for method, path, handler, name in ADMIN_ROUTES:
        app.router.add_route(method, path, handler, name=name)
    return app
