"""Reading UCDP GED CSV files: bad files give one clear line, big files stream."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from unspin.crosscheck.ged import REQUIRED, Window, iter_records, read_records
from unspin.errors import BadRecords

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GED = FIXTURES / "ged_sample.csv"
HEADER = ",".join(REQUIRED)
GOOD = "1,2016-09-17,2016-09-17,Government of Syria,Civilians,35.0,40.4,Al Mayadin town,Syria,35,48,30"


def write(tmp_path: Path, text: str, name: str = "ged.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_ged_reads_the_sample() -> None:
    records = read_records(GED)
    assert [r.id for r in records] == ["900001", "900002", "900003", "900004", "900005"]
    first = records[0]
    assert first.date_start == dt.date(2016, 9, 17) and (first.low, first.best, first.high) == (30, 35, 48)
    assert first.side_a == "Government of Syria" and first.where_coordinates == "Al Mayadin town"


def test_ged_window_filters_by_date_and_box() -> None:
    window = Window(start=dt.date(2016, 9, 10), end=dt.date(2016, 9, 30), south=34, north=37, west=38, east=42)
    assert [r.id for r in read_records(GED, window)] == ["900001", "900002"]  # 900003 ended on 5 September


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id,date_start,side_a\n1,2016-01-01,X\n", "missing column(s) date_end, side_b, latitude"),
        ("", "empty records file"),
        (
            HEADER + "\n" + GOOD.replace("2016-09-17,2016", "17/09/2016,2016", 1) + "\n",
            "row 1, column date_start: bad date '17/09/2016'",
        ),
        (
            HEADER + "\n" + GOOD + "\n" + GOOD.replace("35.0,40.4", "north,40.4") + "\n",
            "row 2, column latitude: not a number: 'north'",
        ),
        (HEADER + "\n" + GOOD.replace("35.0,40.4", "35.0,400.4") + "\n", "row 1, column longitude: 400.4 is outside"),
        (HEADER + "\n" + GOOD.replace(",35,48,30", ",many,48,30") + "\n", "row 1, column best: not a number of deaths"),
        (
            HEADER + "\n" + GOOD.replace("2016-09-17,2016-09-17", "2016-09-17,2016-09-01") + "\n",
            "row 1, column date_end: 2016-09-01 is before date_start",
        ),
        (HEADER + "\n1,2016-09-17\n", "row 1, column date_end: missing value"),
    ],
    ids=[
        "missing-columns",
        "empty",
        "bad-date",
        "bad-latitude",
        "longitude-range",
        "bad-deaths",
        "end-before-start",
        "short-row",
    ],
)
def test_ged_bad_files_raise_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(BadRecords) as info:
        list(iter_records(path))
    assert message in str(info.value)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_ged_missing_file_and_binary_file(tmp_path: Path) -> None:
    with pytest.raises(BadRecords, match="no such records file"):
        list(iter_records(tmp_path / "nope.csv"))
    binary = tmp_path / "bin.csv"
    binary.write_bytes(HEADER.encode() + b"\n" + b"\xff\xfe\x00\x81" * 10)
    with pytest.raises(BadRecords, match=r"not UTF-8|malformed"):
        list(iter_records(binary))


def test_ged_real_release_date_format(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER + "\n" + GOOD.replace("2016-09-17,2016-09-17", "2016-09-17 00:00:00.000,2016-09-18 00:00:00.000") + "\n",
    )
    (record,) = read_records(path)
    assert (record.date_start, record.date_end) == (dt.date(2016, 9, 17), dt.date(2016, 9, 18))


def test_ged_large_file_streams_in_small_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    rows = 60_000
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER + ",source_headline\n")
        for i in range(rows):
            day = 1 + i % 28
            fh.write(
                f"{i},2015-02-{day:02d},2015-02-{day:02d},Government of X,Y,{10 + i % 50}.5,{20 + i % 60}.25,"
                f"Town {i},Xland,{i % 7},{i % 9},{i % 5},{'long text ' * 20}\n"
            )
    size = path.stat().st_size
    assert size > 10_000_000
    window = Window(start=dt.date(2015, 2, 3), end=dt.date(2015, 2, 3), south=10, north=20, west=20, east=30)
    tracemalloc.start()
    kept = read_records(path, window)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert kept and all(r.date_start == dt.date(2015, 2, 3) for r in kept)
    assert peak < size / 5  # never holds the file


def test_ged_cli_bad_records_one_line_no_traceback(tmp_path: Path) -> None:
    bad = write(tmp_path, "id,date_start\n1,2016-01-01\n")
    article = FIXTURES / "conflict_article.txt"
    result = subprocess.run(
        [sys.executable, "-m", "unspin", "analyze", str(article), "--only", "events", "--records", str(bad)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 10
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "missing column(s)" in result.stderr and str(bad) in result.stderr


def test_ged_bad_file_is_reported_even_without_events(tmp_path: Path) -> None:
    import unspin

    bad = write(tmp_path, "id,date_start\n1,2016-01-01\n")
    with pytest.raises(BadRecords, match="missing column"):
        unspin.analyze(unspin.Document(text="The weather was fine."), only=("events",), records=bad)


def test_ged_overlong_line_and_nul_bytes_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from unspin.crosscheck import ged

    monkeypatch.setattr(ged, "MAX_LINE", 1000)
    long_line = write(tmp_path, HEADER + "\n" + "x" * 5000 + "\n", "long.csv")
    with pytest.raises(BadRecords, match="line 2: longer than"):
        list(iter_records(long_line))
    nul = tmp_path / "nul.csv"
    nul.write_bytes(HEADER.encode() + b"\n1,\x00\x00\n")
    with pytest.raises(BadRecords, match="line 2: binary data"):
        list(iter_records(nul))


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("best", "inf", "not a number of deaths: 'inf'"),
        ("best", "1e400", "not a number of deaths: '1e400'"),
        ("low", "nan", "not a number of deaths: 'nan'"),
        ("high", "123456789012345678901234567890", "not a number of deaths"),
        ("best", "99999999999", "not a plausible count"),
        ("best", "²", "not a number of deaths: '²'"),
        ("best", "٣٥", "not a number of deaths"),
        ("best", "-3", "not a number of deaths"),
        ("latitude", "nan", "not a number: 'nan'"),
        ("latitude", "inf", "not a number: 'inf'"),
        ("longitude", "1_0", "not a number: '1_0'"),
        ("date_start", "0001-01-01", "outside 1900-01-01..2200-12-31"),
        ("date_end", "9999-12-31", "outside 1900-01-01..2200-12-31"),
        ("type_of_violence", "²", "column type_of_violence: not a small whole number"),
        ("id", "9" * 70, "column id: longer than 64"),
    ],
)
def test_ged_hostile_values_are_bad_records_not_crashes(tmp_path: Path, column: str, value: str, message: str) -> None:
    header = [*REQUIRED, "type_of_violence"]
    row = dict(zip(header, [*GOOD.split(","), "3"], strict=True))
    row[column] = value
    path = write(tmp_path, ",".join(header) + "\n" + ",".join(row[c] for c in header) + "\n")
    with pytest.raises(BadRecords, match=re.escape(message)) as error:
        read_records(path)
    assert "row 1" in str(error.value) and f"column {column}" in str(error.value)


def test_ged_records_file_that_is_a_fifo_or_device_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "ged.csv"
    os.mkfifo(fifo)
    with pytest.raises(BadRecords, match="named pipe"):
        read_records(fifo)
    with pytest.raises(BadRecords, match="device"):
        read_records(Path("/dev/zero"))
