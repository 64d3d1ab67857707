from datetime import date

import pytest

from cvs.extraction.rules.dates import find_date_range, parse_date

TODAY = date(2026, 10, 15)


@pytest.mark.parametrize(
    ("text", "start", "end", "current"),
    [
        ("Jan 2020 – Present", "2020-01", None, True),
        ("March 2017 to June 2019", "2017-03", "2019-06", False),
        ("03/2019 - 12/2021", "2019-03", "2021-12", False),
        ("marzo 2021 – actualidad", "2021-03", None, True),
        ("ene. 2020 - la fecha", "2020-01", None, True),
        ("janv. 2020 – aujourd'hui", "2020-01", None, True),
        ("janv. 2020 – aujourd’hui", "2020-01", None, True),
        ("depuis 2020", "2020", None, True),
        ("desde septiembre de 2018", "2018-09", None, True),
        ("2020.01 - 至今", "2020-01", None, True),
        ("2019年3月 - 2021年12月", "2019-03", "2021-12", False),
        ("2023 年 10 月 - 现在", "2023-10", None, True),
        ("2015 - 2018", "2015", "2018", False),
        ("03/19 - 12/21", "2019-03", "2021-12", False),
        ("Sept. 2023 — Oct. 2024", "2023-09", "2024-10", False),
        ("févr. 2020 – mai 2021", "2020-02", "2021-05", False),
        ("2021-11 - 2024-11 | León", "2021-11", "2024-11", False),
        ("Jan 2020 to date", "2020-01", None, True),
        ("Jun '18 - Aug '20", "2018-06", "2020-08", False),
    ],
)
def test_date_ranges(text: str, start: str, end: str | None, current: bool) -> None:
    found = find_date_range(text, TODAY)
    assert found is not None
    assert (found.start, found.end, found.is_current) == (start, end, current)


def test_range_span_leaves_location() -> None:
    line = "Oct 2024 - Jul 2026 | North Emilyfort"
    found = find_date_range(line, TODAY)
    assert found is not None
    assert line[found.end_pos :].strip(" |") == "North Emilyfort"


@pytest.mark.parametrize(
    ("text", "value"),
    [("2019年3月", "2019-03"), ("2018", "2018"), ("Sept 2023", "2023-09"), ("12/2021", "2021-12"), ("n/a", None)],
)
def test_single_dates(text: str, value: str | None) -> None:
    assert parse_date(text, TODAY) == value


def test_phone_number_is_not_a_date() -> None:
    assert find_date_range("+1 (462) 320-9117", TODAY) is None
