"""CV text that lost its line breaks (issue 15, class 8): a web form's paste, a one-run-per-page PDF.

The fixtures are made up here; `benchmarks/bench_flattened.py` measures the same on whole corpora.
"""

from datetime import date

from cvs.extraction.providers import extract_structured
from cvs.extraction.rules.linebreaks import restore_line_breaks

TODAY = date(2026, 10, 15)

FLAT_EN = (
    "Jane Roe Senior Data Engineer London, UK jane.roe@example.com +44 20 7946 0958 SUMMARY Data engineer with "
    "eight years of experience building pipelines. EXPERIENCE Senior Data Engineer Acme Analytics Ltd Jan 2021 - "
    "Present • Built the streaming platform on Kafka and Spark. • Led a team of four. Data Engineer Globex "
    "Corporation Mar 2017 - Dec 2020 • Moved reporting to Airflow. EDUCATION MSc Computer Science University of "
    "Leeds 2015 - 2016 BSc Mathematics University of York 2012 - 2015 SKILLS Python, SQL, Kafka, Spark, Airflow "
    "LANGUAGES English (Native), French (B2)"
)


def test_a_flattened_cv_is_read_by_headings_dates_and_bullets() -> None:
    data = extract_structured(FLAT_EN, provider="rules", today=TODAY).data
    assert data["contact_info"]["name"] == "Jane Roe"
    assert data["headline"] == "Senior Data Engineer"
    assert data["contact_info"]["location"] == "London, UK"
    assert [(j["title"], j["company"], j["start_date"], j["end_date"]) for j in data["experience"]] == [
        ("Senior Data Engineer", "Acme Analytics Ltd", "2021-01", None),
        ("Data Engineer", "Globex Corporation", "2017-03", "2020-12"),
    ]
    assert [(e["institution"], e["graduation_year"]) for e in data["education"]] == [
        ("University of Leeds", 2016), ("University of York", 2015)
    ]
    assert [lang["language"] for lang in data["languages"]] == ["English", "French"]
    assert {"Python", "SQL", "Kafka"} <= set(data["skills"])


def test_sentence_case_headings_and_a_hyphenated_name() -> None:
    flat = (
        "Lucía Ferrer-Soto Ingeniera de Datos Valencia, España lucia.ferrer@example.es Resumen profesional "
        "Ingeniera de datos con seis años de experiencia. Experiencia profesional Ingeniera de Datos Naviera "
        "Turia marzo 2021 - actualidad • Diseño de los flujos de datos de la flota y de sus cuadros de mando. "
        "• Migración de los informes mensuales a un almacén de datos en la nube. Formación académica Grado en "
        "Matemáticas Universidad de Valencia 2012 - 2016 Idiomas Español (nativo), Inglés (C1)"
    )
    text = restore_line_breaks(flat)
    assert "Experiencia profesional" in text.splitlines()
    data = extract_structured(flat, provider="rules", today=TODAY).data
    assert data["contact_info"]["name"] == "Lucía Ferrer-Soto"
    assert [j["start_date"] for j in data["experience"]] == ["2021-03"]
    assert [e["institution"] for e in data["education"]] == ["Universidad de Valencia"]


def test_text_with_its_line_breaks_and_headings_inside_sentences_are_left_alone() -> None:
    lines = "Jane Roe\nData Engineer\nEXPERIENCE\nAcme Ltd\n2021 - Present\n" * 3
    assert restore_line_breaks(lines) == lines
    prose = "A summary that mentions eight years of Experience in pipelines and more. " * 8
    assert "Experience" not in restore_line_breaks(prose).splitlines()
