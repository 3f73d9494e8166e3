"""Shared text utilities, one module per kind of value, used by ingest, detectors and renderers alike."""
