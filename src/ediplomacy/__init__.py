"""ediplomacy: the digital diplomacy desk of a foreign ministry and its embassies."""

__version__ = "0.1.0"
