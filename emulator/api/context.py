"""What every tenant-scoped handler needs: the emulator, the caller, the namespace, the time."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from ..model.emulator import Emulator
from ..model.faults import NO_FAULTS, RequestFaults
from ..model.identity import Principal
from ..model.namespace import Namespace
from ..wire import header_value

EMULATOR = web.AppKey("emulator", Emulator)
PRINCIPAL = "principal"
#: The emulated time of the request, read once by the outermost middleware.
NOW = "now"
FAULTS = "faults"


@dataclass(frozen=True)
class Call:
    emulator: Emulator
    principal: Principal
    namespace: Namespace
    community: str | None
    now: datetime
    faults: RequestFaults


def emulator_of(request: web.Request) -> Emulator:
    return request.app[EMULATOR]


def call(request: web.Request) -> Call:
    emulator = emulator_of(request)
    return Call(
        emulator=emulator,
        principal=request[PRINCIPAL],
        namespace=emulator.namespace(request.match_info["tenant_id"], request.match_info["namespace_id"]),
        community=header_value(request, "Community-Id"),
        now=request.get(NOW) or emulator.clock.now(),
        faults=request.get(FAULTS, NO_FAULTS),
    )
