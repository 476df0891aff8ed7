"""adh-signups-emulator: a stateful emulator of AVEVA Data Hub's Change Broker on an emulated clock."""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["create_app", "Settings", "__version__"]


def __getattr__(name: str):
    # Lazy, so `python -m emulator --help` and the pytest plugin do not pay for aiohttp until needed.
    if name == "create_app":
        from .app import create_app

        return create_app
    if name == "Settings":
        from .settings import Settings

        return Settings
    raise AttributeError(name)
