"""The sources detector: direct and reported quotes, their speakers, cited sources, attributions and hedges.

`quoting` finds quotation marks and paragraphs, `speakers` resolves who speaks (names, descriptions,
pronouns), `lexicon` holds the attribution verbs and hedges, `outlets` the known news organisations, and
`detector` puts them together over the shared spaCy parse.
"""

from unspin.detectors.sources.detector import SourcesDetector

__all__ = ["SourcesDetector"]
