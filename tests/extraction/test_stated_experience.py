"""Class 7: a stated total of years counts when the job list is incomplete."""

from datetime import date

import pytest

from cvs.extraction.postprocess import finalize, stated_years_of_experience

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "text",
    [
        "Engineer with 9 years of experience in logistics.",
        "9+ yrs of professional experience",
        "Ingeniera con 9 años de experiencia en logística.",
        "Ingénieur avec 9 ans d'expérience en logistique.",
        "9年工作经验，熟悉供应链管理。",
    ],
)
def test_stated_years_read_in_each_language(text: str) -> None:
    assert stated_years_of_experience(text) == 9.0


def test_stated_years_fill_an_incomplete_job_list() -> None:
    text = "Jane Roe\n9 years of experience\nAcme Corp\nAnalyst 2022 - 2023"
    data = {"experience": [{"company": "Acme Corp", "title": "Analyst", "start_date": "2022-01", "end_date": "2023-01"}]}
    assert finalize(data, text, today=date(2025, 1, 1))["years_of_experience"] == 9.0


def test_job_periods_win_when_they_cover_the_statement() -> None:
    text = "Over 2 years of experience"
    data = {"experience": [{"company": "Acme Corp", "title": "Analyst", "start_date": "2020-01", "end_date": "2023-01"}]}
    assert finalize(data, text, today=date(2025, 1, 1))["years_of_experience"] == 3.0
