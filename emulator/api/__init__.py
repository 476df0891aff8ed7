"""Thin aiohttp handlers: they translate HTTP to model calls and back; rules live in `emulator.model`."""
