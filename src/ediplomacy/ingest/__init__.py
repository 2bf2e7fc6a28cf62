"""Capture global opinion: read platform exports and API dumps into Posts and Actors."""
