"""Shared text parsers, one per kind of value: numbers, quantities (units, money, percentages) and dates.

Detectors find things in a document; these modules read the values inside what they find, so that every
detector reads "2 000", "twenty-five" or "a few" the same way.
"""
