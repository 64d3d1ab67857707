"""CVs laid out as a form: field labels set flush right beside their values (the classic Europass CV).

Fixtures are made up in the tests: geometry as PyMuPDF gives it, text as the layout reads it.
"""

from datetime import date

from cvs.extraction.layout import Line, order_lines
from cvs.extraction.providers import extract_structured
from cvs.extraction.rules import normalise_lines
from cvs.extraction.rules.forms import unlabel_form_rows

TODAY = date(2026, 10, 15)


def _label(y: float, text: str, right: float = 184, width_per_char: float = 4.6) -> Line:
    return Line(right - width_per_char * len(text), y, right, y + 9, text)


def _value(y: float, text: str) -> Line:
    return Line(209, y, 209 + 4.6 * len(text), y + 9, text)


def test_a_label_column_set_flush_right_is_read_row_by_row() -> None:
    lines = [
        _label(127, "Work experience"),
        _label(150, "Dates"), _value(150, "07/2023 – Present"),
        _label(164, "Occupation or position held"), _value(164, "Senior Data Engineer"),
        _label(178, "Main activities and"), _value(178, "Moved the monthly reporting to a shared notebook."),
        _label(190, "responsibilities"),
        _label(204, "Name and address of employer"), _value(204, "Harbourline Health, Toronto"),
        _label(230, "Dates"), _value(230, "08/2021 – 05/2023"),
        _label(244, "Occupation or position held"), _value(244, "Data Engineer"),
    ]
    texts, columns = order_lines(lines)
    assert not columns
    assert "Dates | 07/2023 – Present" in texts
    assert "Occupation or position held | Senior Data Engineer" in texts
    assert texts.index("Work experience") < texts.index("Dates | 07/2023 – Present")


def test_a_flush_left_sidebar_stays_a_column() -> None:
    # Same rows, but the left column is set flush left (a sidebar): read as a column, as before.
    sidebar = [Line(40, y, 40 + 5 * len(t), y + 9, t) for y, t in
               [(150, "Contact"), (164, "jane@example.com"), (178, "Top Skills"), (192, "Python"), (206, "SQL")]]
    main = [_value(y, t) for y, t in [(150, "Jane Roe"), (164, "Data Engineer"), (178, "Summary"), (206, "Builds pipelines.")]]
    texts, columns = order_lines(sidebar + main)
    assert columns
    assert texts[:5] == ["Contact", "jane@example.com", "Top Skills", "Python", "SQL"]


EUROPASS_ES = """Curriculum vitae
Europass
Información personal
Nombre(s) / Apellido(s) | Lucía Ferrándiz Soto
Dirección(es) | Valencia, España
Teléfono(s) | +34 612 555 018
Correo(s) electrónico(s) | lucia.ferrandiz@example.es
Empleo deseado / familia | Analista de datos
profesional
Experiencia laboral
Fechas | 03/2021 – actualidad
Profesión o cargo desempeñado | Analista de datos
Funciones y responsabilidades | Preparé los informes mensuales de ventas y los cuadros de mando
principales | del equipo comercial.
Nombre y dirección de la | Naviera Turia, Valencia
empresa o empleador
Fechas | 09/2017 – 02/2021
Profesión o cargo desempeñado | Técnica de marketing
Nombre y dirección de la | Hortas del Sur, Alicante
empresa o empleador
Educación y formación
Fechas | 2013 – 2017
Cualificación obtenida | Grado en Economía
Nombre y tipo del centro de | Universidad de Alicante
estudios
Página 1 - Curriculum vitæ de
Lucía Ferrándiz Soto
Capacidades y competencias
personales
Idioma(s) materno(s) | Español
Otro(s) idioma(s) | Inglés (B2), Francés (A2)
Capacidades y | Excel, Power BI, SQL
competencias informáticas
"""


def test_form_rows_become_a_header_and_entries() -> None:
    data = extract_structured(EUROPASS_ES, provider="rules", today=TODAY).data
    assert data["contact_info"]["name"] == "Lucía Ferrándiz Soto"
    assert data["contact_info"]["email"] == "lucia.ferrandiz@example.es"
    assert [(j["title"], j["company"], j["start_date"], j["end_date"]) for j in data["experience"]] == [
        ("Analista de datos", "Naviera Turia", "2021-03", None),
        ("Técnica de marketing", "Hortas del Sur", "2017-09", "2021-02"),
    ]
    assert [(e["institution"], e["degree"], e["graduation_year"]) for e in data["education"]] == [
        ("Universidad de Alicante", "Grado", 2017)
    ]
    assert [lang["language"] for lang in data["languages"]] == ["Español", "Inglés", "Francés"]
    assert {"Excel", "Power BI", "SQL"} <= set(data["skills"])


def test_contact_label_rows_alone_are_not_a_form() -> None:
    lines = normalise_lines("Jane Roe\nAddress | Leeds, UK\nTelephone | +44 113 555 0101\nE-mail | jane@example.com\nExperience")
    assert unlabel_form_rows(lines) == lines
