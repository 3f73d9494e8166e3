"""Arbitrary bytes into ingest: a `Document` or one of unspin's errors, never anything else."""

from __future__ import annotations

import gzip
import zlib

from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.analysis import Document
from unspin.errors import UnspinError
from unspin.ingest import document_from_bytes
from unspin.ingest.decompress import decode_stream
from unspin.options import Options
from unspin.text.control import has_controls

OPTIONS = Options(max_bytes=100_000)

# Bytes that look like what arrives in practice, not only uniform noise: text in several encodings, HTML
# pages with odd markup and entities, and raw bytes.
words = st.text(alphabet=st.characters(codec="utf-8"), max_size=400)
entities = st.sampled_from(["&#27;", "&#x9b;", "&#0;", "&amp;", "&#xD800;", "&#8220;", "&nbsp;", "&#1114112;", "&"])
html_pages = st.builds(
    lambda title, body, entity: (
        f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article><p>{body}{entity}{body}</p>"
        "</article></body></html>"
    ).encode("utf-8", "surrogatepass"),
    words,
    words,
    entities,
)
encoded_text = st.builds(
    lambda text, codec: text.encode(codec, "ignore"),
    words,
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1", "cp1251"]),
)
inputs = st.one_of(st.binary(max_size=3000), encoded_text, html_pages)


def check_document(document: Document) -> None:
    assert document.text and document.text == document.text.strip()
    assert not has_controls(document.text, allowed="\n\t")
    for value in (document.title, document.author, document.site):
        assert value is None or not has_controls(value, allowed="")


@settings(settings.get_profile("unspin-fuzz"))
@given(data=inputs, as_html=st.sampled_from([None, True, False]))
def test_fuzz_ingest_bytes_to_document(data: bytes, as_html: bool | None) -> None:
    try:
        ingested = document_from_bytes(data, "fuzz", "text", OPTIONS, is_html=as_html)
    except UnspinError:
        return
    check_document(ingested.document)
    assert all(isinstance(warning, str) for warning in ingested.warnings)


layered = st.builds(
    lambda data, layers: (_encode(data, layers), layers),
    st.binary(max_size=2000),
    st.lists(st.sampled_from(["gzip", "deflate"]), max_size=3),
)


def _encode(data: bytes, layers: list[str]) -> bytes:
    for layer in reversed(layers):
        data = gzip.compress(data) if layer == "gzip" else zlib.compress(data)
    return data


@settings(settings.get_profile("unspin-fuzz"))
@given(encoded=layered, damage=st.binary(max_size=8), cut=st.integers(min_value=0, max_value=4000))
def test_fuzz_decompression_round_trips_or_fails_cleanly(
    encoded: tuple[bytes, list[str]], damage: bytes, cut: int
) -> None:
    payload, layers = encoded
    damaged = payload[:cut] + damage + payload[cut:] if damage else payload
    chunks = [damaged[i : i + 97] for i in range(0, len(damaged), 97)]
    try:
        out = b"".join(decode_stream(chunks, layers, 10_000, "fuzz"))
    except UnspinError:
        return
    assert len(out) <= 10_000
