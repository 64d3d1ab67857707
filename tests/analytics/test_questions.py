import pytest

from analytics.questions import Filters, detect_language, parse_question
from analytics.texts import cjk_bigrams, fts_config
from cvs.extraction.levels import levels_at_least

SKILLS = ["Python", "Java", "JavaScript", "Spring", "Spring Boot", "Go", "C++", "C", ".NET", "Machine Learning"]
PLACES = ["Madrid, Spain", "Huelva", "Paris", "北京市"]


def parse(question: str) -> Filters:
    return parse_question(question, skills_vocabulary=SKILLS, locations_vocabulary=PLACES)


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Which Java developers have 5+ years and a master's?", "en"),
        ("¿Qué desarrolladores tienen más de 3 años de experiencia?", "es"),
        ("Quels candidats ont plus de 5 ans d'expérience avec Python ?", "fr"),
        ("有哪些5年以上工作经验的Java开发工程师?", "zh"),
        ("Python", "en"),
    ],
)
def test_detect_language(question, language):
    assert detect_language(question) == language


@pytest.mark.parametrize(
    ("question", "min_years", "max_years"),
    [
        ("Python developers with 5+ years", 5, None),
        ("at least 3 years of Java", 3, None),
        ("desarrolladores con más de 3 años", 3, None),
        ("al menos 2,5 años", 2.5, None),
        ("plus de 5 ans d'expérience", 5, None),
        ("5年以上工作经验", 5, None),
        ("五年以上经验的工程师", 5, None),
        ("十二年以上", 12, None),
        ("less than 2 years of experience", None, 2),
        ("moins de 4 ans", None, 4),
        ("3年以下", None, 3),
        ("Python developers", None, None),
    ],
)
def test_years(question, min_years, max_years):
    filters = parse(question)
    assert filters.min_years == min_years
    assert filters.max_years == max_years


@pytest.mark.parametrize(
    ("question", "level"),
    [
        ("who has a master's degree", "master"),
        ("candidates with a Máster", "master"),
        ("硕士学历的候选人", "master"),
        ("PhD in machine learning", "doctorate"),
        ("titulados con doctorado", "doctorate"),
        ("une licence en informatique", "bachelor"),
        ("本科以上", "bachelor"),
        ("mastered the art of Python", None),
        ("Python developers", None),
    ],
)
def test_education(question, level):
    assert parse(question).education_min == level


def test_education_means_at_least():
    assert levels_at_least("master") == ["master", "doctorate"]


@pytest.mark.parametrize(
    ("question", "skills"),
    [
        ("Java developers", ["Java"]),
        ("JavaScript and Go engineers", ["Go", "JavaScript"]),
        ("who would go to Madrid", []),  # "go" in lower case is not the language
        ("Spring Boot experts", ["Spring Boot"]),
        ("C++ or .NET", [".NET", "C++"]),
        ("有哪些Java开发工程师", ["Java"]),
        ("experts en machine learning", ["Machine Learning"]),
    ],
)
def test_skills(question, skills):
    assert parse(question).skills == skills


@pytest.mark.parametrize(
    ("question", "location"),
    [
        ("Python developers in Madrid", "Madrid"),
        ("desarrolladores en huelva", "Huelva"),
        ("développeurs à Paris", "Paris"),
        ("在北京市工作的工程师", "北京市"),
        ("Java developers in Lisbon", "Lisbon"),  # unknown to the pool: still a filter, matching nobody
        ("developers in Python", None),
        ("Java developers", None),
    ],
)
def test_location(question, location):
    assert parse(question).location == location


def test_explicit_filters_win():
    merged = parse("Java developers with 5+ years in Madrid").merged_with(Filters(min_years=2, skills=["Go"]))
    assert (merged.min_years, merged.skills, merged.location) == (2, ["Go"], "Madrid")


def test_text_helpers():
    assert fts_config("es") == "spanish" and fts_config("zh") == "simple" and fts_config("") == "simple"
    assert cjk_bigrams("Java开发工程师") == "开发 发工 工程 程师"
