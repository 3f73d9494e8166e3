"""`python -m unspin.schema` regenerates analysis.schema.json after a change to the model."""

from unspin.schema import write

print(write())
