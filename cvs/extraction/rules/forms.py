"""CVs laid out as a form: a column of field labels beside the values (the classic Europass CV).

Read by rows, such a page gives "Occupation or position held | Senior Data Engineer", "Dates |
07/2023 – Present", and label tails wrapped onto rows of their own ("Main activities and" /
"responsibilities"). The labels are a fixed vocabulary (the Europass CV's, in English, Spanish and
French), so they say what each value is. :func:`unlabel_form_rows` rewrites those rows into the
plain order the section and entry rules read: section headings, "Name: …" for the name, and each
entry as title, employer or school, dates, then its details.
"""

from __future__ import annotations

import re

from ..textnorm import compact
from .lines import is_boilerplate

# Field kinds. Personal details keep their value; entry fields are gathered per entry.
NAME, ADDRESS, DESIRED, DETAIL, DROP = "name", "address", "desired", "detail", "drop"
WORK, EDUCATION, LANGUAGES, SKILLS, OTHER = "work", "education", "languages", "skills", "other"
PERSONAL, PERSONAL_SKILLS = "personal", "personal_skills"
DATES, POSITION, ACTIVITIES, EMPLOYER, QUALIFICATION, SCHOOL = (
    "dates", "position", "activities", "employer", "qualification", "school"
)

_LABELS: dict[str, tuple[str, ...]] = {
    NAME: (
        "name / surname", "first name(s) / surname(s)", "surname(s) / first name(s)", "name(s) / surname(s)",
        "nombre(s) / apellido(s)", "apellido(s) / nombre(s)", "nom(s) / prénom(s)", "prénom(s) / nom(s)",
    ),
    ADDRESS: ("address", "address(es)", "dirección(es)", "dirección", "adresse(s)", "adresse"),
    DETAIL: (
        "telephone", "telephone(s)", "mobile", "fax", "fax(es)", "e-mail", "e-mail(s)", "email", "personal email",
        "home page", "nationality", "date of birth", "gender", "teléfono(s)", "teléfono", "móvil",
        "correo(s) electrónico(s)", "correo electrónico", "página web", "nacionalidad", "fecha de nacimiento", "sexo",
        "téléphone(s)", "téléphone", "portable", "télécopie(s)", "courrier(s) électronique(s)",
        "courrier électronique", "site web", "nationalité", "date de naissance", "sexe",
    ),
    DESIRED: (
        "desired employment / occupational field", "desired employment", "empleo deseado / familia profesional",
        "empleo deseado", "emploi recherché / domaine de compétence", "emploi recherché",
    ),
    PERSONAL: ("personal information", "información personal", "informations personnelles", "information personnelle"),
    PERSONAL_SKILLS: (
        "personal skills and competences", "capacidades y competencias personales",
        "aptitudes et compétences personnelles",
    ),
    WORK: ("work experience", "experiencia laboral", "expérience professionnelle"),
    EDUCATION: ("education and training", "educación y formación", "éducation et formation"),
    LANGUAGES: (
        "mother tongue", "mother tongue(s)", "other language(s)", "other languages", "idioma(s) materno(s)",
        "lengua materna", "lengua(s) materna(s)", "otro(s) idioma(s)", "otros idiomas", "langue(s) maternelle(s)",
        "langue maternelle", "autre(s) langue(s)", "autres langues",
    ),
    SKILLS: (
        "computer skills and competences", "technical skills and competences",
        "capacidades y competencias informáticas", "capacidades y competencias técnicas",
        "aptitudes et compétences informatiques", "aptitudes et compétences techniques",
    ),
    OTHER: (
        "social skills and competences", "organisational skills and competences", "artistic skills and competences",
        "other skills and competences", "driving licence(s)", "driving licence", "additional information", "annexes",
        "capacidades y competencias sociales", "capacidades y competencias organizativas",
        "capacidades y competencias artísticas", "otras capacidades y competencias", "permiso(s) de conducción",
        "información adicional", "anexos", "aptitudes et compétences sociales",
        "aptitudes et compétences organisationnelles", "aptitudes et compétences artistiques",
        "autres aptitudes et compétences", "permis de conduire", "information complémentaire",
        "informations complémentaires",
    ),
    DROP: ("self-assessment", "european level (*)", "autoevaluación", "nivel europeo (*)", "auto-évaluation",
           "niveau européen (*)"),
    DATES: ("dates", "fechas"),
    POSITION: ("occupation or position held", "profesión o cargo desempeñado", "fonction ou poste occupé"),
    ACTIVITIES: (
        "main activities and responsibilities", "type of business or sector",
        "funciones y responsabilidades principales", "tipo de empresa o sector",
        "principales activités et responsabilités", "type ou secteur d'activité",
        "principal subjects/occupational skills covered", "level in national or international classification",
        "principales materias o capacidades profesionales estudiadas",
        "nivel conforme a una clasificación nacional o internacional",
        "principales matières/compétences professionnelles couvertes",
        "niveau dans la classification nationale ou internationale",
    ),
    EMPLOYER: ("name and address of employer", "nombre y dirección de la empresa o empleador",
               "nom et adresse de l'employeur"),
    QUALIFICATION: ("title of qualification awarded", "cualificación obtenida",
                    "intitulé du certificat ou diplôme délivré"),
    SCHOOL: (
        "name and type of organisation providing education and training", "nombre y tipo del centro de estudios",
        "nom et type de l'établissement d'enseignement ou de formation",
    ),
}
_KIND_OF = {compact(label): kind for kind, labels in _LABELS.items() for label in labels}
# The heading each section label becomes (each is in the section rules' vocabulary).
_HEADING = {PERSONAL: "Personal information", WORK: "Work experience", EDUCATION: "Education and training",
            LANGUAGES: "Languages", SKILLS: "Skills", OTHER: "Additional information",
            PERSONAL_SKILLS: "Additional information"}
# Personal details in the order of a CV's header: the name, the role sought, then the contacts.
_PERSONAL_ORDER = (NAME, DESIRED, ADDRESS, DETAIL)
_ENTRY_FIELDS = (DATES, POSITION, ACTIVITIES, EMPLOYER, QUALIFICATION, SCHOOL)
# Each entry as the entry rules read it best: what, where, when, then the details.
_EXPERIENCE_ORDER = (POSITION, EMPLOYER, DATES, ACTIVITIES)
_EDUCATION_ORDER = (QUALIFICATION, SCHOOL, DATES, ACTIVITIES)
_SEPARATOR = re.compile(r"\s+\|\s+|\t+")
_MIN_PREFIX = 4  # characters of a label's start before a wrapped label is recognised by it
_MIN_FORM_ROWS = 3


def _kind(label: str) -> str | None:
    """The kind of a whole label, or of the start of one wrapped onto the next rows."""
    key = compact(label)
    if not key:
        return None
    if key in _KIND_OF:
        return _KIND_OF[key]
    if len(key) < _MIN_PREFIX:
        return None
    kinds = {kind for full, kind in _KIND_OF.items() if full.startswith(key)}
    return kinds.pop() if len(kinds) == 1 else None


def _completes(pending: str, line: str) -> bool:
    """Whether ``line`` is the next piece of a label wrapped over several rows."""
    return bool(compact(line)) and _is_label_start(f"{pending} {line}")


def _split(line: str) -> tuple[str, str]:
    parts = _SEPARATOR.split(line, maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 else (line, "")


def _is_label_start(label: str) -> bool:
    key = compact(label)
    return len(key) >= _MIN_PREFIX and any(full.startswith(key) for full in _KIND_OF)


def _merge_wrapped_labels(lines: list[str]) -> list[str]:
    """Rows whose labels continue one label ("Capacidades y" / "competencias personales") as one row.

    The values beside them are the lines of one value, joined with a space.
    """
    out: list[str] = []
    for line in lines:
        label, value = _split(line)
        if out:
            above_label, above_value = _split(out[-1])
            joined = f"{above_label} {label}"
            if compact(above_label) not in _KIND_OF and _is_label_start(above_label) and _is_label_start(joined):
                merged_value = " ".join(v for v in (above_value, value) if v)
                out[-1] = f"{joined} | {merged_value}" if merged_value else joined
                continue
        out.append(line)
    return out


def unlabel_form_rows(lines: list[str]) -> list[str]:
    """Lines of a form-shaped CV rewritten for the section rules; any other CV's lines unchanged."""
    # Entry fields named by whole labels make a form; "Address | …" rows alone are a contact block.
    if sum(1 for ln in lines if _SEPARATOR.search(ln) and _KIND_OF.get(compact(_split(ln)[0])) in _ENTRY_FIELDS) < _MIN_FORM_ROWS:
        return lines
    lines = _merge_wrapped_labels(lines)
    out: list[str] = []
    entry: dict[str, list[str]] = {}
    section: str | None = None
    pending, pending_kind = "", ""  # a label whose tail may follow on the next rows, and its kind

    personal: dict[str, list[str]] = {}
    name = ""

    def flush() -> None:
        for kind in _PERSONAL_ORDER:
            out.extend(personal.get(kind, []))
        personal.clear()
        if not entry:
            return
        for field in _EDUCATION_ORDER if section == EDUCATION else _EXPERIENCE_ORDER:
            out.extend(entry.get(field, []))
        entry.clear()

    for line in lines:
        label, value = _split(line)
        if pending and _completes(pending, label):
            pending = f"{pending} {label}"
            if value:  # the label's tail beside the value's second line
                (entry.setdefault(pending_kind, []) if pending_kind in _ENTRY_FIELDS else out).append(value)
            continue
        kind = _kind(label)
        if kind is None and (is_boilerplate(line) or (name and compact(line) == name)):
            continue  # the form's page footer, "Page 1 - Curriculum vitae of" and the name wrapped below it
        if kind is None:
            pending = pending_kind = ""
            if entry and line.strip():
                entry.setdefault(ACTIVITIES, []).append(line)  # a value's own second line
            else:
                out.append(line)
            continue
        pending, pending_kind = label, kind
        if kind in _HEADING:
            flush()
            section = kind
            out.append(_HEADING[kind])
            if value:
                out.append(value)
        elif kind in _ENTRY_FIELDS:
            if kind == DATES or kind in entry and kind != ACTIVITIES:
                flush()
            if value and kind == EMPLOYER and not entry.get(EMPLOYER):
                # "Name and address of employer": the name comes first, up to the first comma.
                entry[EMPLOYER] = [value.split(",", 1)[0].strip()]
            elif value:
                entry.setdefault(kind, []).append(value)
        elif kind in _PERSONAL_ORDER and value:
            if kind == NAME:
                name = compact(value)
            personal.setdefault(kind, []).append(f"Address: {value}" if kind == ADDRESS else value)
    flush()
    return out
