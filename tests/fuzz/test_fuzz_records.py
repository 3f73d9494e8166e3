"""Arbitrary records CSV files: records or `BadRecords`, never another exception."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.crosscheck.ged import REQUIRED, read_records
from unspin.errors import BadRecords

GOOD = {
    "id": "900001",
    "date_start": "2016-09-17",
    "date_end": "2016-09-17",
    "side_a": "Government of Syria",
    "side_b": "Civilians",
    "latitude": "35.0",
    "longitude": "40.4",
    "where_coordinates": "Al Mayadin town",
    "country": "Syria",
    "best": "35",
    "low": "30",
    "high": "48",
}
# Values that look like the real ones, plus hostile ones the probe used.
values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "inf",
            "-inf",
            "nan",
            "1e400",
            "²",
            "٣",
            "1_000",
            "9" * 30,
            "0001-01-01",
            "9999-12-31",
            "2016-02-30",
            "-0",
            "35.0",
            "\x1b[2J",
            '"',
            ",",
            "\n",
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
rows = st.lists(
    st.fixed_dictionaries({column: st.one_of(st.just(GOOD[column]), values) for column in REQUIRED}), max_size=5
)


def read(text: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ged.csv"
        path.write_bytes(text)
        try:
            records = read_records(path)
        except BadRecords:
            return
        for record in records:
            assert record.date_start <= record.date_end
            assert -90 <= record.latitude <= 90 and -180 <= record.longitude <= 180
            for count in (record.best, record.low, record.high):
                assert count is None or 0 <= count <= 10_000_000


@settings(settings.get_profile("unspin-fuzz"))
@given(rows=rows)
def test_fuzz_records_rows(rows: list[dict[str, str]]) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REQUIRED)
    for row in rows:
        writer.writerow([row[column] for column in REQUIRED])
    read(buffer.getvalue().encode("utf-8", "surrogatepass"))


@settings(settings.get_profile("unspin-fuzz"))
@given(data=st.binary(max_size=2000))
def test_fuzz_records_raw_bytes(data: bytes) -> None:
    read(",".join(REQUIRED).encode() + b"\n" + data)
