"""Shared text utilities, one module per kind of value: numbers, quantities (units, money, percentages),
dates, and control characters.

Detectors find things in a document; these modules read the values inside what they find, so that every
detector reads "2 000", "twenty-five" or "a few" the same way, and every output strips the same control
characters from untrusted text.
"""
