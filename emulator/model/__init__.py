"""Plain state and rules of the emulated service, with no HTTP: signups, identity, bookmarks, SDS, change data."""
