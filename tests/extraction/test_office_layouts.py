"""Mechanisms that Word/LibreOffice templates and LinkedIn-style exports need, on fixtures of our own making.

Each test exercises a general layout found in ``benchmarks/corpus`` (``docx-*`` and
``linkedin-style`` families), not one document.
"""

from datetime import date

from cvs.extraction.providers import extract_structured
from cvs.extraction.rules.contacts import find_contacts
from cvs.extraction.rules.experience import parse_experience

TODAY = date(2026, 10, 15)


def _parse(text: str) -> dict:
    return extract_structured(text, provider="rules", today=TODAY).data


def _jobs(lines: list[str], home: str | None = None) -> list[tuple[str | None, str | None, str | None]]:
    return [(j["title"], j["company"], j["location"]) for j in parse_experience(lines, TODAY, home=home)]


def test_a_profile_url_wrapped_after_a_hyphen() -> None:
    # A narrow sidebar breaks the slug after its hyphen; a label may follow the rest of it.
    text = "Contact\nwww.linkedin.com/in/ines-arrieta-\nquintero (LinkedIn)\nTop Skills"
    assert find_contacts(text, "en").linkedin == "linkedin.com/in/ines-arrieta-quintero"
    # A slug that is whole stays whole: the next line is not glued to it.
    assert find_contacts("linkedin.com/in/ines-q\nSummary", "en").linkedin == "linkedin.com/in/ines-q"


def test_company_and_place_above_the_title_and_dates() -> None:
    lines = [
        "Velmora Foods — Bristol",
        "\tQuality Engineer\tMarch 2022 – Present",
        "Cut the audit findings by a third.",
        "Tessaline Bank — Bristol",
        "\tJunior Analyst\tJune 2019 – February 2022",
        "Built the weekly risk report.",
    ]
    assert _jobs(lines) == [
        ("Quality Engineer", "Velmora Foods", "Bristol"),
        ("Junior Analyst", "Tessaline Bank", "Bristol"),
    ]


def test_a_company_line_above_title_and_dates_outside_the_vocabulary() -> None:
    # Neither line reads as a title by its words: the line holding the dates is the title.
    lines = ["ATELIER GRANVEL", "Conducteur de travaux | 03/2021 – 05/2024", "Suivi de trois chantiers."]
    assert _jobs(lines) == [("Conducteur de travaux", "ATELIER GRANVEL", None)]


def test_a_place_after_the_company_needs_evidence_from_the_cv() -> None:
    lines = [
        "Data Engineer",
        "{company}",
        "Jul 2023 – Present",
        "Analyst",
        "{other}",
        "May 2020 – May 2023",
    ]

    def jobs(company: str, other: str, home: str | None = None) -> list[tuple[str | None, str | None, str | None]]:
        return _jobs([ln.format(company=company, other=other) for ln in lines], home)

    # The candidate's own city, a place after two companies, or "City, ST".
    assert jobs("Harlow Labs | Leeds", "Corvane Ltd | York", home="Leeds, England")[0] == (
        "Data Engineer", "Harlow Labs", "Leeds")
    assert [j[1] for j in jobs("Harlow Labs, Denver", "Corvane Ltd, Denver")] == ["Harlow Labs", "Corvane Ltd"]
    assert jobs("Harlow Labs, Portland, OR", "Corvane Ltd")[0][1:] == ("Harlow Labs", "Portland, OR")
    # Without such evidence the text after the comma is part of the company.
    assert jobs("Smith, Jones and Partners", "Corvane Ltd")[0][1] == "Smith, Jones and Partners"


def test_a_sidebar_read_before_the_main_column_keeps_name_and_location() -> None:
    # LinkedIn-style export: the sidebar's last list (Certifications) runs into the main column's
    # name, headline and location, which sit above its first section header.
    text = "\n".join([
        "Contact",
        "oskar.lindqvist@example.com",
        "www.linkedin.com/in/oskar-lindqvist (LinkedIn)",
        "Top Skills",
        "Revit",
        "Cost Estimation",
        "Certifications",
        "PRINCE2 Foundation",
        "Oskar Lindqvist",
        "Site Engineer",
        "Gothenburg, Sweden",
        "Summary",
        "Site engineer with six years on bridges.",
        "Experience",
        "Brovik Bygg AB",
        "Site Engineer",
        "March 2021 - Present (5 years 8 months)",
        "Gothenburg, Sweden",
        "Education",
        "Chalmers University of Technology",
        "Master of Science, Structural Engineering · (2014 - 2016)",
    ])
    data = _parse(text)
    assert data["contact_info"]["name"] == "Oskar Lindqvist"
    assert data["headline"] == "Site Engineer"
    assert [c["name"] for c in data["certifications"]] == ["PRINCE2 Foundation"]
    assert data["contact_info"]["location"] == "Gothenburg, Sweden"
    assert [j["company"] for j in data["experience"]] == ["Brovik Bygg AB"]


def test_a_display_name_over_the_main_column_keeps_its_headline_and_location() -> None:
    # A sidebar (contact, skills, certifications) beside a main column that opens with the name in
    # display type, the headline and the location set tight under it, then the first section.
    from cvs.extraction.layout import Line, order_lines

    lines = [
        Line(43, 60, 88, 75, "Contact"),
        Line(43, 80, 163, 92, "ines.marlo@example.org"),
        Line(43, 148, 98, 162, "Top Skills"),
        Line(43, 168, 110, 180, "Event Planning"),
        Line(43, 299, 118, 314, "Certifications"),
        Line(43, 320, 169, 331, "Certified Meeting Planner"),
        Line(216, 49, 434, 78, "Inés Marló"),
        Line(216, 83, 331, 96, "Events Manager"),
        Line(216, 99, 320, 111, "Valencia, Spain"),
        Line(216, 126, 284, 144, "Summary"),
        Line(216, 150, 534, 163, "Events manager with ten years of experience."),
        Line(216, 190, 296, 207, "Experience"),
        Line(216, 219, 316, 232, "Feria Levante"),
    ]
    texts, _ = order_lines(lines)
    assert texts[:3] == ["Inés Marló", "Events Manager", "Valencia, Spain"]
    data = extract_structured("\n".join(texts), provider="rules", today=date(2026, 10, 15)).data
    assert [c["name"] for c in data["certifications"]] == ["Certified Meeting Planner"]


def _sidebar_page(sidebar: list) -> list:
    from cvs.extraction.layout import Line

    main = [
        Line(216, 49, 434, 78, "Inés Marló"),
        Line(216, 126, 284, 144, "Summary"),
        Line(216, 150, 534, 163, "Events manager with ten years of experience in trade fairs."),
        Line(216, 190, 296, 207, "Experience"),
        Line(216, 219, 316, 232, "Feria Levante"),
        Line(216, 236, 330, 249, "Events Manager"),
    ]
    return [*sidebar, *main]


def test_a_sidebar_item_wrapped_at_the_column_measure_reads_as_one_line() -> None:
    # Items 5 pt apart; a wrapped item's second line sits 1 pt under its first, and its first word
    # would not have fit on the line above: LinkedIn's sidebar, and many two-column themes.
    from cvs.extraction.layout import Line, order_lines

    texts, _ = order_lines(_sidebar_page([
        Line(43, 60, 88, 75, "Contact"),
        Line(43, 80, 209, 92, "ines.marlo.valencia@example.org"),
        Line(43, 97, 168, 109, "Spanish (Native or Bilingual)"),
        Line(43, 113, 139, 125, "English (Full"),
        Line(43, 126, 96, 138, "Professional)"),
        Line(43, 299, 118, 314, "Certifications"),
        Line(43, 320, 139, 331, "AWS Certified Cloud"),
        Line(43, 332, 96, 343, "Practitioner"),
        Line(43, 348, 169, 359, "Certified Meeting Planner"),
    ]))
    assert "English (Full Professional)" in texts
    assert "AWS Certified Cloud Practitioner" in texts
    assert "Certified Meeting Planner" in texts
    data = extract_structured("\n".join(texts), provider="rules", today=date(2026, 10, 15)).data
    assert [c["name"] for c in data["certifications"]] == ["AWS Certified Cloud Practitioner", "Certified Meeting Planner"]


def test_sidebar_lines_evenly_spaced_or_short_stay_separate() -> None:
    # Lines as close as their neighbours are items, however long; a short line was not broken by
    # the measure; a wrapped URL is left to the contact rules.
    from cvs.extraction.layout import Line, order_lines

    sidebar = [
        Line(43, 60, 88, 75, "Skills"),
        Line(43, 80, 165, 92, "Technical Drawing Standards"),
        Line(43, 93, 96, 105, "AutoCAD"),
        Line(43, 106, 120, 118, "Cost Estimation"),
        Line(43, 140, 176, 152, "www.linkedin.com/in/ines-"),
        Line(43, 153, 120, 165, "marlo (LinkedIn)"),
        Line(43, 180, 100, 192, "Planning"),
        Line(43, 200, 90, 212, "Budgets"),
        Line(43, 213, 95, 225, "Logistics"),
        Line(43, 240, 80, 252, "Events"),
    ]
    texts, _ = order_lines(_sidebar_page(sidebar))
    for line in sidebar:
        assert line.text in texts
