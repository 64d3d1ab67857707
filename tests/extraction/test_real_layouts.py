"""Mechanisms for CVs nobody here designed (issue 15's classes), on fixtures of our own making.

Every fixture is invented for the test: the names, companies and schools are
made up. Each test exercises a general mechanism, not a particular document.
"""

from datetime import date
from pathlib import Path

import pymupdf

from cvs.extraction.providers import extract_structured
from cvs.extraction.rules.dates import find_date_range
from cvs.extraction.text import extract_text

TODAY = date(2026, 10, 15)

# The shape of a profile export: "Title at Company" headings over their dates,
# bodies whose long lines wrap, title-only entries, a volunteer section, an
# education block with detail lines, then the export's trailer.
EXPORT = """Marta Quillon
Head of Growth at Brightfold
marta.quillon@example.com
Summary
Builder of small teams.
Experience
Head of Growth at Brightfold
March 2021  -  Present
- Lead a team spread over three offices and grow the partner programme through workshops and
events.
- Grew sign-ups by 40% from March 2022 - June 2022 through a referral programme for partners.
We are hiring: https://jobs.example.com/brightfold
Growth product manager, Partner marketplace and regional events at Brightfold
May 2019  -  February 2021 (1 year 10 months)
• Planned the yearly partner summit and the regional meetups for developers, agencies and
partners.
Owner
June 2017  -  April 2019 (1 year 11 months)
• Ran a tutoring business and handled the accounts, marketing and the day-to-day operation of the
company.
Account Manager at eg+ partners
January 2015  -  May 2017 (2 years 5 months)
Managed the regional accounts.
Volunteer Experience
Mentor at Code Harbour
January 2016  -  December 2018 (3 years)
Education
Lowfield University
Bachelor of Business, Economics & Finance, Specialised in Services, Management and
Engineering (SME), 2011 - 2014
Grade: 3.87
Activities and Societies: Debate Club, Rowing
Eastgate Junior College
GCE "A" Level, Maths, Chemistry, 2009 - 2010
Hillcrest Academy
High School, Natural Sciences, 2005 - 2008
Honors and Awards
Best Speaker 2012
Page 2
Head of Growth at Brightfold
marta.quillon@example.com
Contact Marta on LinkedIn
12 people have recommended Marta
https://www.linkedin.com/in/marta-quillon-0a1b2c
"""


def _parse(text: str) -> dict:
    return extract_structured(text, provider="rules", today=TODAY).data


def test_title_at_company_headings_are_not_taken_from_the_wrapped_text_above() -> None:
    jobs = _parse(EXPORT)["experience"]
    assert [(j["title"], j["company"]) for j in jobs] == [
        ("Head of Growth", "Brightfold"),
        ("Growth product manager, Partner marketplace and regional events", "Brightfold"),
        ("Account Manager", "eg+ partners"),  # a company may start in lower case
    ]
    assert jobs[2]["start_date"] == "2015-01" and jobs[2]["end_date"] == "2017-05"


def test_title_only_entries_and_volunteering_are_not_employers() -> None:
    companies = [j["company"] for j in _parse(EXPORT)["experience"]]
    assert None not in companies
    assert "Code Harbour" not in companies


def test_education_ignores_details_trailer_and_page_footers() -> None:
    schools = _parse(EXPORT)["education"]
    assert [s["institution"] for s in schools] == ["Lowfield University", "Eastgate Junior College", "Hillcrest Academy"]


def test_wrapped_degree_line_keeps_its_year_and_high_school_is_a_degree() -> None:
    schools = _parse(EXPORT)["education"]
    assert schools[0]["graduation_year"] == 2014
    assert schools[0]["degree"].startswith("Bachelor of Business")
    assert "(SME)" in (schools[0]["field_of_study"] or "")
    assert schools[2]["degree"] == "High School" and schools[2]["graduation_year"] == 2008


def test_a_grade_is_not_a_month_and_year() -> None:
    assert find_date_range("GPA 3.87") is None
    assert find_date_range("Grade: 3.87 (2012)").end == "2012"
    # Month.two-digit-year still reads as a date when no grade label precedes it.
    assert find_date_range("03.19 - 06.21", TODAY).start == "2019-03"


def test_profile_url_from_text_after_the_trailer() -> None:
    data = _parse(EXPORT)
    assert data["contact_info"]["linkedin"] == "linkedin.com/in/marta-quillon-0a1b2c"
    assert data["contact_info"]["name"] == "Marta Quillon"


def test_profile_url_only_in_a_link_annotation(tmp_path: Path) -> None:
    """The PDF prints "Contact X on LinkedIn"; the URL is only the link's target."""
    doc = pymupdf.open()
    page = doc.new_page()
    y = 72
    for line in ("Tom Ardent", "Data Engineer at Quarry Labs", "tom.ardent@example.com", "Contact Tom on LinkedIn"):
        page.insert_text((72, y), line, fontsize=11)
        y += 18
    page.insert_link({"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(72, y - 30, 260, y - 14),
                      "uri": "https://www.linkedin.com/in/tom-ardent-42"})
    path = tmp_path / "export.pdf"
    doc.save(path)
    text = extract_text(path, "application/pdf").text
    assert "Contact Tom" not in _parse(text)["contact_info"]["name"]
    assert _parse(text)["contact_info"]["linkedin"] == "linkedin.com/in/tom-ardent-42"


def test_a_wrapped_detail_and_a_programme_under_an_unknown_school_are_not_schools() -> None:
    # A detail paragraph's last line starts in lower case; a school whose name holds no school word
    # ("Brightline Assembly") is followed by its programme with the dates, as profile exports print it.
    text = """Education
Lowfield University
Bachelor of Engineering (B.Eng.), Chemical Engineering, 2007 - 2011
Activities and Societies: Member of the student society that ran a three-day workshop for
pre-university students to learn about research and enterprise in the fields of
materials science and engineering.
Brightline Assembly
Full Stack Web Development Immersive, 2016 - 2016
Eastgate Junior College
GCE 'A' Levels, Triple Science, 2003 - 2004
"""
    schools = _parse(text)["education"]
    assert [s["institution"] for s in schools] == ["Lowfield University", "Brightline Assembly", "Eastgate Junior College"]
    assert schools[1]["degree"].startswith("Full Stack Web Development") and schools[1]["graduation_year"] == 2016


def test_job_board_export_places_and_degree_abbreviations() -> None:
    # A job-board export: "Employer - City, State -" lines, Indian degree abbreviations, school-leaving classes.
    text = """Rohan Iyer
Software Developer
Nashik, Maharashtra
rohan.iyer@example.com
WORK EXPERIENCE
Software Developer
Kestrel Softworks - Pune, Maharashtra -
June 2019 to Present
Developed REST services in Java.
Associate Engineer
Bluefin Systems - Hyderabad, Telangana -
July 2017 to May 2019
EDUCATION
B.E in Computer Science
Savitri College of Engineering
2013 to 2017
Class XII
Greenfield Senior Secondary School
2013
"""
    data = _parse(text)
    assert [(j["company"], j["location"]) for j in data["experience"]] == [
        ("Kestrel Softworks", "Pune, Maharashtra"), ("Bluefin Systems", "Hyderabad, Telangana")
    ]
    schools = data["education"]
    assert [(s["institution"], s["level"]) for s in schools] == [
        ("Savitri College of Engineering", "bachelor"), ("Greenfield Senior Secondary School", "secondary")
    ]
