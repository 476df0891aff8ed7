"""The `signups-emulator` command: flags, environment variables, and a server that stops cleanly.

Every flag also reads `SIGNUPS_EMULATOR_<NAME>`; a flag given on the command line wins over the
environment. Any bad flag or value ends the program with one line on stderr and exit code 2,
before anything listens.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from typing import TYPE_CHECKING, Sequence

from . import __version__
from .settings import ENV_PREFIX, Settings, SettingsError

if TYPE_CHECKING:
    from .scenarios import Scenario

PROG = "signups-emulator"

#: Flag -> setting; each also readable from SIGNUPS_EMULATOR_<SETTING>.
FLAGS = {
    "--host": "host",
    "--port": "port",
    "--clock-speed": "clock_speed",
    "--auth": "auth",
    "--log-level": "log_level",
    "--activation-delay": "activation_delay",
    "--inactivity-expiry": "inactivity_expiry",
    "--bookmark-ttl": "bookmark_ttl",
    "--token-lifetime": "token_lifetime",
    "--retention": "retention",
    "--page-size": "page_size",
    "--max-signups-per-namespace": "max_signups_per_namespace",
    "--max-resource-ids-per-request": "max_resource_ids_per_request",
    "--journal-size": "journal_size",
    "--operation-names": "operation_names",
    "--signing-key": "signing_key",
    "--admin-token": "admin_token",
    "--log-format": "log_format",
    "--loop": "loop",
}
HELP = {
    "host": "address to listen on (default 127.0.0.1)",
    "port": "port to listen on; 0 picks a free one (default 8080)",
    "clock_speed": "emulated seconds per real second (default 1)",
    "auth": "any (default): any bearer token; strict: only unexpired tokens issued here; off: no header needed",
    "log_level": "debug, info (default), warning, error or critical",
    "activation_delay": "emulated time before a new signup can be activated (default 0s)",
    "inactivity_expiry": "emulated time without activity before a signup expires (default 24h)",
    "bookmark_ttl": "emulated lifetime of a bookmark (default 1h)",
    "token_lifetime": "emulated lifetime of an access token (default 1h)",
    "retention": "emulated time changes are kept (default 1h)",
    "page_size": "most events in one page of updates (default 1000)",
    "max_signups_per_namespace": "signups a namespace may hold before creation answers 409 (default 10000)",
    "max_resource_ids_per_request": "resource ids one request may carry before it is a 400 (default 1000)",
    "journal_size": "requests GET /_emulator/requests remembers (default 10000)",
    "operation_names": "documented (Remove/RemoveWindow, default) or python-client (Delete/DeleteWindow)",
    "signing_key": "key that signs bookmarks and tokens (default: random per start)",
    "admin_token": "bearer token every admin route but health then needs (for an emulator other hosts reach)",
    "log_format": "text (default) or json: one line per request",
    "loop": "asyncio (default) or uvloop (pip install 'adh-signups-emulator[uvloop]')",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line and exit code 2, as the issue asks
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Emulator of AVEVA Data Hub's Change Broker (Signups and Updates APIs).",
                     epilog=f"Every option can also be set as an environment variable {ENV_PREFIX}<NAME>, "
                            f"e.g. {ENV_PREFIX}AUTH=strict.")
    for flag, name in FLAGS.items():
        parser.add_argument(flag, dest=name, metavar=name.upper(), help=HELP[name])
    parser.add_argument("--client", dest="clients", action="append", metavar="ID:SECRET:TENANT",
                        help="a client-credentials client of one tenant; repeatable "
                             f"({ENV_PREFIX}CLIENTS takes a comma-separated list)")
    parser.add_argument("--scenario", dest="scenarios", action="append", metavar="FILE",
                        help="a scenario file, or the name of a bundled one (e.g. flaky); repeatable, later files "
                             f"override earlier ones ({ENV_PREFIX}SCENARIO takes a list separated by '{os.pathsep}')")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def configuration_from(argv: Sequence[str] | None, environ=None) -> tuple[Settings, "Scenario | None"]:
    """Settings and the merged scenario; raises `SettingsError` or `ScenarioError` with one line to print."""
    environ = os.environ if environ is None else environ
    args = build_parser().parse_args(argv)
    values = Settings.from_env(environ)
    values.update({k: v for k, v in vars(args).items() if v is not None and k != "scenarios"})
    settings = Settings.from_mapping(values)
    paths = args.scenarios or [p for p in environ.get(ENV_PREFIX + "SCENARIO", "").split(os.pathsep) if p.strip()]
    scenario = None
    if paths:
        from .scenarios import load_file

        for path in paths:
            loaded = load_file(path)
            scenario = loaded if scenario is None else scenario.then(loaded)
    return settings, scenario


async def serve(settings: Settings, scenario=None) -> None:
    from aiohttp import web

    from .app import create_app

    runner = web.AppRunner(create_app(settings, scenario=scenario), access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
    await site.start()
    port = runner.addresses[0][1] if runner.addresses else settings.port
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    print(f"listening on http://{host}:{port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main(argv: Sequence[str] | None = None) -> int:
    from .scenarios import ScenarioError

    try:
        settings, scenario = configuration_from(argv)
    except (SettingsError, ScenarioError) as exc:
        sys.stderr.write(f"{PROG}: error: {exc}\n")
        return 2
    logging.basicConfig(level=settings.log_level.upper(), stream=sys.stderr,
                        format="%(message)s" if settings.log_format == "json" else "%(levelname)s %(name)s: %(message)s")
    runner = asyncio.run
    if settings.loop == "uvloop":
        try:
            import uvloop
        except ImportError:
            sys.stderr.write(f"{PROG}: error: --loop uvloop needs uvloop: pip install 'adh-signups-emulator[uvloop]'\n")
            return 2
        runner = uvloop.run
    try:
        runner(serve(settings, scenario))
    except OSError as exc:
        sys.stderr.write(f"{PROG}: error: cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}\n")
        return 2
    return 0
