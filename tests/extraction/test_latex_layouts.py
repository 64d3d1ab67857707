"""Mechanisms that LaTeX CV classes (moderncv and others of ``benchmarks/corpus/latex``) need,
on fixtures of our own making: each is a general layout or wording, not one document."""

from datetime import date

from cvs.extraction.layout import Line, order_lines
from cvs.extraction.providers import extract_structured
from cvs.extraction.rules.dates import rejoin_wrapped_ranges

TODAY = date(2026, 10, 15)


def _parse(text: str) -> dict:
    return extract_structured(text, provider="rules", today=TODAY).data


def test_a_name_in_display_type_beside_the_contact_block_is_read_first() -> None:
    # moderncv classic: the name at 30 pt on the left, the address and phone right-aligned in 9 pt on its rows.
    lines = [
        Line(60, 73, 313, 104, "Ada Quenby"),
        Line(60, 112, 203, 128, "Quality Engineer"),
        Line(500, 69, 532, 78, "Dundee"),
        Line(501, 81, 532, 90, "Scotland"),
        Line(450, 91, 532, 102, "+44 7700 900417"),
        Line(385, 104, 533, 114, "ada.quenby@example.org"),
        Line(110, 150, 200, 162, "Experience"),
    ]
    texts, _ = order_lines(lines)
    assert texts[0] == "Ada Quenby"
    assert "+44 7700 900417" in texts  # no longer glued to the name


def test_a_date_range_wrapped_in_a_narrow_dates_column_is_put_back_together() -> None:
    lines = [
        "Jul 2023 – | Quality Engineer, Corvane Foods, Dundee",
        "Present | Led the audit programme.",
        "2015 – 2017 | MSc in Food Science, University of Abertay",
    ]
    assert rejoin_wrapped_ranges(lines) == [
        "Jul 2023 – Present | Quality Engineer, Corvane Foods, Dundee",
        "Led the audit programme.",
        "2015 – 2017 | MSc in Food Science, University of Abertay",
    ]
    data = _parse("Ada Quenby\nExperience\n" + "\n".join(lines[:2]) + "\nmars 2019 – | Technicienne, Laiterie Brunet, Dundee\n"
                  "juin 2021 | Contrôle qualité.\n")
    jobs = data["experience"]
    assert [j["is_current"] for j in jobs] == [True, False]
    assert jobs[1]["end_date"] == "2021-06"


def test_title_employer_city_fields_and_the_home_city() -> None:
    # \\cventry prints "Title, Employer, City"; the city the header gives is the job's location.
    text = (
        "Ada Quenby\nDundee – Scotland\nada.quenby@example.org\nExperience\n"
        "2023 – Present | Conducteur de travaux, Mutuelle Orvault, Dundee\n"
        "2019 – 2022 | Quality Engineer, Corvane Foods, Dundee\n"
    )
    jobs = _parse(text)["experience"]
    assert [(j["title"], j["company"], j["location"]) for j in jobs] == [
        ("Conducteur de travaux", "Mutuelle Orvault", "Dundee"),
        ("Quality Engineer", "Corvane Foods", "Dundee"),
    ]


def test_a_tail_every_employer_shares_is_a_place_but_a_legal_form_is_not() -> None:
    text = (
        "Ada Quenby\nada.quenby@example.org\nExperience\n"
        "2023 – Present | Quality Engineer, Corvane Foods, Perth\n2019 – 2022 | Lab Technician, Brae Dairies, Perth\n"
        "2016 – 2019 | Lab Assistant | Tay Labs, Inc.\n2014 – 2016 | Intern | Firth Mills, Inc.\n"
    )
    companies = [j["company"] for j in _parse(text)["experience"]]
    assert companies == ["Corvane Foods", "Brae Dairies", "Tay Labs, Inc.", "Firth Mills, Inc."]


def test_company_and_city_above_title_and_dates() -> None:
    # moderncv banking: "Employer | City" on one row, "Title | dates" right below it.
    text = (
        "Ada Quenby\nada.quenby@example.org\nExperience\n"
        "Corvane Foods | Dundee\nQuality Engineer | 07/2023 – Present\nLed the audit programme.\n"
        "Brae Dairies | Perth\nLab Technician | 08/2021 – 05/2023\nRan the lab.\n"
    )
    jobs = _parse(text)["experience"]
    assert [(j["title"], j["company"], j["location"]) for j in jobs] == [
        ("Quality Engineer", "Corvane Foods", "Dundee"),
        ("Lab Technician", "Brae Dairies", "Perth"),
    ]
    assert jobs[0]["description"] == "Led the audit programme."


def test_a_name_and_title_on_one_display_line() -> None:
    data = _parse("Ada Quenby | Quality\nEngineer\nada.quenby@example.org\nExperience\n2019 – 2022 | Engineer, Corvane Foods\n")
    assert data["contact_info"]["name"] == "Ada Quenby"


def test_chinese_entries_in_latex_classes() -> None:
    # "至今" cut by CJK line breaking in the dates column; "职位, 公司, 城市" fields; a one-run title beside its dates.
    assert rejoin_wrapped_ranges(["2024.11 – 至 | 高级工程师, 华信数据科技有限公司, 上海", "今 | 负责数据平台。"]) == [
        "2024.11 – 至今 | 高级工程师, 华信数据科技有限公司, 上海",
        "负责数据平台。",
    ]
    text = (
        "王晓明\n上海\nwang.xiaoming@example.cn\n工作经历\n"
        "2024.11 – 至今 | 高级工程师, 华信数据科技有限公司, 上海\n负责数据平台。\n"
        "远帆物流有限公司 | 上海\n数据分析师 | 2021.03 – 2024.10\n编写报表。\n"
    )
    jobs = _parse(text)["experience"]
    assert [(j["title"], j["company"], j["is_current"]) for j in jobs] == [
        ("高级工程师", "华信数据科技有限公司", True),
        ("数据分析师", "远帆物流有限公司", False),
    ]
