from datetime import date

import pytest

from cvs.extraction.levels import degree_level
from cvs.extraction.providers import extract_structured
from cvs.extraction.rules.contacts import find_contacts, find_phone
from cvs.extraction.rules.experience import split_heading
from cvs.extraction.rules.sections import header_kind

TODAY = date(2026, 10, 15)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("PROFESSIONAL EXPERIENCE", "experience"), ("Work History:", "experience"),
        ("Experiencia Laboral", "experience"), ("PARCOURS PROFESSIONNEL", "experience"),
        ("Expériences professionnelles", "experience"), ("工作经历", "experience"),
        ("Education", "education"), ("FORMACIÓN ACADÉMICA", "education"), ("Diplômes", "education"),
        ("教育背景", "education"), ("育经历", "education"),
        ("Technical Skills", "skills"), ("CONOCIMIENTOS TÉCNICOS", "skills"), ("Compétences", "skills"),
        ("专业技能", "skills"), ("Languages", "languages"), ("IDIOMAS", "languages"), ("Langues", "languages"),
        ("语言能力", "languages"), ("Certifications", "certifications"), ("资格证书", "certifications"),
        ("Sobre mí", "summary"), ("À propos", "summary"), ("自我评价", "summary"), ("Projects", "projects"),
        ("1. Experience", "experience"), ("Experiance", "experience"),
        # LinkedIn's "Top Skills" and "Licenses & certifications" in its Spanish and French exports
        ("Aptitudes principales", "skills"), ("Principales compétences", "skills"),
        ("Licencias y certificaciones", "certifications"),
    ],
)
def test_section_headers(line: str, kind: str) -> None:
    assert header_kind(line) == kind


@pytest.mark.parametrize("line", ["Senior Backend Developer", "Python, Django", "Experience in building APIs for 5 years"])
def test_non_headers(line: str) -> None:
    assert header_kind(line) is None


@pytest.mark.parametrize(
    ("degree", "level"),
    [
        ("PhD in Machine Learning", "doctorate"), ("Doctorado en Inteligencia Artificial", "doctorate"),
        ("Doctorat en Informatique", "doctorate"), ("博士", "doctorate"),
        ("Master of Science in Data Science", "master"), ("Máster en Big Data", "master"),
        ("Diplôme d'ingénieur en Génie logiciel", "master"), ("硕士 软件工程", "master"), ("MBA", "master"),
        ("Bachelor of Arts", "bachelor"), ("Grado en Ingeniería Informática", "bachelor"),
        ("Licenciatura en Economía", "bachelor"), ("Licence en Mathématiques", "bachelor"), ("本科", "bachelor"),
        ("大专 计算机应用技术", "associate"), ("BTS Services informatiques", "associate"),
        ("Ciclo Formativo de Grado Superior en DAM", "vocational"), ("High School Diploma", "secondary"),
        ("Baccalauréat scientifique", "secondary"),
    ],
)
def test_degree_levels(degree: str, level: str) -> None:
    assert degree_level(degree) == level


@pytest.mark.parametrize(
    ("parts", "title", "company"),
    [
        (["Senior Developer at Acme Corp"], "Senior Developer", "Acme Corp"),
        (["Chef de projet chez Lebon S.A.S."], "Chef de projet", "Lebon S.A.S."),
        (["Desarrollador Backend en Banco Sol S.L."], "Desarrollador Backend", "Banco Sol S.L."),
        (["Acme GmbH — Software Engineer"], "Software Engineer", "Acme GmbH"),
        (["Data Analyst | Northwind Ltd"], "Data Analyst", "Northwind Ltd"),
        (["数据分析师 | 四通信息有限公司"], "数据分析师", "四通信息有限公司"),
        (["新格林耐特传媒有限公司一运维工程师"], "运维工程师", "新格林耐特传媒有限公司"),
        (["Product Manager", "Globex"], "Product Manager", "Globex"),
        (["Initech Inc.", "QA Engineer"], "QA Engineer", "Initech Inc."),
    ],
)
def test_title_and_company_arrangements(parts: list[str], title: str, company: str) -> None:
    assert split_heading(parts) == (title, company)


@pytest.mark.parametrize(
    ("text", "language", "e164"),
    [
        ("Tel: +34 612 345 678", "es", "+34612345678"),
        ("Móvil 612 345 678", "es", "+34612345678"),
        ("Tél. 06 12 34 56 78", "fr", "+33612345678"),
        ("手机：138 0013 8000", "zh", "+8613800138000"),
        ("Phone: (415) 555-2671", "en", "+14155552671"),
    ],
)
def test_phones(text: str, language: str, e164: str) -> None:
    raw, normalised = find_phone(text, language)
    assert raw is not None
    assert normalised == e164


def test_contacts_links() -> None:
    text = "jane@example.org | https://www.linkedin.com/in/jane-doe/ | github.com/janedoe | https://janedoe.dev"
    contacts = find_contacts(text, "en")
    assert contacts.email == "jane@example.org"
    assert contacts.linkedin == "linkedin.com/in/jane-doe"
    assert contacts.github == "github.com/janedoe"
    assert contacts.website == "janedoe.dev"


EN_CV = """Jordan Avery Blake
Staff Software Engineer
jordan.blake@mailbox.org • (415) 555-2671 • Portland, OR • github.com/jblake

SUMMARY
Engineer who likes distributed systems.

WORK EXPERIENCE
Staff Software Engineer at Umbrella Logistics Inc.
Jan 2021 – Present | Remote
• Led the move to event-driven services
Technologies: Go, Kafka, postgres

Globex Corporation — Backend Developer
March 2017 to December 2020
• Built billing APIs in Python

EDUCATION
B.Sc. in Computer Science
Oregon State University, 2013 - 2017

SKILLS
Go, Python, Kubernetes, Terraform, Leadership

LANGUAGES
English (Native), Spanish (B1)

CERTIFICATIONS
AWS Certified Solutions Architect – Amazon Web Services (2022)

PROJECTS
routekit — maintainer
• Open-source routing library
"""


def test_english_cv_end_to_end() -> None:
    data = extract_structured(EN_CV, today=TODAY).data
    assert data["language"] == "en"
    contact = data["contact_info"]
    assert contact["name"] == "Jordan Avery Blake"
    assert contact["email"] == "jordan.blake@mailbox.org"
    assert contact["phone_e164"] == "+14155552671"
    assert contact["github"] == "github.com/jblake"
    assert data["headline"] == "Staff Software Engineer"
    jobs = data["experience"]
    assert [(j["title"], j["company"]) for j in jobs] == [
        ("Staff Software Engineer", "Umbrella Logistics Inc."),
        ("Backend Developer", "Globex Corporation"),
    ]
    assert jobs[0]["is_current"] and jobs[0]["start_date"] == "2021-01" and jobs[0]["end_date"] is None
    assert jobs[0]["tech_tools"] == ["Go", "Kafka", "PostgreSQL"]
    assert (jobs[1]["start_date"], jobs[1]["end_date"]) == ("2017-03", "2020-12")
    # 2017-03..2020-12 (45 months) + 2021-01..2026-10 (69 months)
    assert data["years_of_experience"] == 9.5
    assert data["education"][0]["institution"] == "Oregon State University"
    assert data["education"][0]["graduation_year"] == 2017
    assert data["education_level"] == "bachelor"
    assert {"Go", "Python", "Kubernetes", "Terraform", "Leadership", "Kafka", "PostgreSQL"} <= set(data["skills"])
    assert [lang["language"] for lang in data["languages"]] == ["English", "Spanish"]
    cert = data["certifications"][0]
    assert (cert["name"], cert["issuer"], cert["year"]) == ("AWS Certified Solutions Architect", "Amazon Web Services", 2022)
    assert data["projects"][0]["name"] == "routekit"


ES_CV = """María José Fernández Ruiz
Analista de Datos
maria.fernandez@correo.es | 612 345 678 | Sevilla

EXPERIENCIA PROFESIONAL
Analista de Datos en Banco Andaluz S.A.
marzo 2021 – actualidad
- Cuadros de mando en Power BI
Consultora BI
Datos Sur S.L.
ene. 2018 - feb. 2021

FORMACIÓN
Máster en Ciencia de Datos
Universidad de Granada (2016 - 2017)

HABILIDADES
SQL · Python · Power BI · Excel

IDIOMAS
Español: Nativo, Inglés: C1
"""

FR_CV = """Camille Martin
Ingénieure DevOps
camille.martin@exemple.fr — 06 12 34 56 78 — Lyon

EXPÉRIENCES PROFESSIONNELLES
Ingénieure DevOps chez Nuage Services SAS
janv. 2022 – aujourd'hui
Administratrice systèmes chez Réseaux Rhône
sept. 2019 – déc. 2021

FORMATION
Diplôme d'ingénieur en Informatique
INSA Lyon, 2014 - 2019

COMPÉTENCES
Kubernetes, Ansible, Linux

LANGUES
Français (langue maternelle) ; Anglais (courant)
"""

ZH_CV = """李明
高级后端工程师
liming@example.cn | 138 0013 8000 | 深圳市

工作经历
高级后端工程师 | 深圳云帆科技有限公司
2020.01 - 至今
后端开发工程师 | 杭州数联网络有限公司
2017年3月 - 2019年12月

教育背景
本科 计算机科学与技术
浙江大学, 2013 - 2017

专业技能
Java, Spring Boot, MySQL, Redis

语言能力
英语 (CET-6)
"""


@pytest.mark.parametrize(
    ("text", "lang", "name", "jobs", "school", "level", "e164"),
    [
        (ES_CV, "es", "María José Fernández Ruiz",
         [("Analista de Datos", "Banco Andaluz S.A."), ("Consultora BI", "Datos Sur S.L.")],
         "Universidad de Granada", "master", "+34612345678"),
        (FR_CV, "fr", "Camille Martin",
         [("Ingénieure DevOps", "Nuage Services SAS"), ("Administratrice systèmes", "Réseaux Rhône")],
         "INSA Lyon", "master", "+33612345678"),
        (ZH_CV, "zh", "李明",
         [("高级后端工程师", "深圳云帆科技有限公司"), ("后端开发工程师", "杭州数联网络有限公司")],
         "浙江大学", "bachelor", "+8613800138000"),
    ],
)
def test_cvs_in_other_languages(text, lang, name, jobs, school, level, e164) -> None:
    data = extract_structured(text, today=TODAY).data
    assert data["language"] == lang
    assert data["contact_info"]["name"] == name
    assert data["contact_info"]["phone_e164"] == e164
    assert [(j["title"], j["company"]) for j in data["experience"]] == jobs
    assert data["experience"][0]["is_current"] is True
    assert data["education"][0]["institution"] == school
    assert data["education_level"] == level
    assert data["languages"]


def test_empty_and_non_cv_text_give_valid_empty_data() -> None:
    for text in ("", "   \n  ", "12345 67890"):
        data = extract_structured(text, today=TODAY).data
        assert data["language"] is None
        assert data["contact_info"]["name"] is None
        assert data["experience"] == [] and data["education"] == [] and data["skills"] == []
    letter = "Dear neighbour, the garden party is on Saturday at noon. Please bring a salad and some chairs."
    data = extract_structured(letter, today=TODAY).data
    assert data["experience"] == [] and data["contact_info"]["email"] is None


def test_overlapping_jobs_count_once() -> None:
    from cvs.extraction.postprocess import years_of_experience

    jobs = [
        {"start_date": "2020-01", "end_date": "2021-01", "is_current": False},
        {"start_date": "2020-07", "end_date": "2021-07", "is_current": False},
        {"start_date": "2024-01", "end_date": None, "is_current": True},
    ]
    # 2020-01..2021-07 = 18 months, 2024-01..2026-10 = 33 months
    assert years_of_experience(jobs, TODAY) == 4.2


LINKEDIN_STYLE = """Contact
www.linkedin.com/in/sam-okafor
Top Skills
Terraform
Kubernetes
Sam Okafor
Site Reliability Engineer
Lagos, Nigeria
Experience
Paystack Ltd
Site Reliability Engineer
January 2021 - Present (5 years 10 months)
Lagos, Nigeria
Andela
Software Engineer
June 2018 - December 2020 (2 years 7 months)
Education
University of Lagos
Bachelor of Science - BS, Computer Science · (2013 - 2017)
"""


def test_linkedin_export_layout() -> None:
    data = extract_structured(LINKEDIN_STYLE, today=TODAY).data
    assert data["contact_info"]["name"] == "Sam Okafor"
    assert data["contact_info"]["linkedin"] == "linkedin.com/in/sam-okafor"
    assert [(j["title"], j["company"]) for j in data["experience"]] == [
        ("Site Reliability Engineer", "Paystack Ltd"),
        ("Software Engineer", "Andela"),
    ]
    assert data["experience"][0]["location"] is None or "years" not in data["experience"][0]["location"]
    assert data["education"][0]["institution"] == "University of Lagos"
    assert data["education_level"] == "bachelor"
    assert {"Terraform", "Kubernetes"} <= set(data["skills"])


def test_dates_on_the_heading_line() -> None:
    text = (
        "John Smith\nProduct Manager\nLondon, UK · +44 7700 900123 · john.smith@example.com\n\n"
        "Professional Experience\n"
        "Product Manager, Monzo Bank\tMar 2020 – Present\n- Owned the savings roadmap\n"
        "Associate Product Manager, Deliveroo\t2017 – 2020\n- Ran pricing experiments\n"
    )
    data = extract_structured(text, today=TODAY).data
    assert [(j["title"], j["company"], j["start_date"]) for j in data["experience"]] == [
        ("Product Manager", "Monzo Bank", "2020-03"),
        ("Associate Product Manager", "Deliveroo", "2017"),
    ]
    assert data["contact_info"]["phone_e164"] == "+447700900123"
    assert data["contact_info"]["location"] == "London, UK"


LABELLED_ES = """CURRICULUM VITAE

Nombre: Laura Gómez Martín
Email: laura.gomez@gmail.com
Teléfono: +34 655 123 456
Dirección: Calle Mayor 5, Madrid

EXPERIENCIA
Garrigues Abogados S.L.P. — Asociada Senior
Enero 2020 - Presente

EDUCACIÓN
Licenciatura en Derecho, Universidad Complutense de Madrid, 2010-2015
Máster en Asesoría Jurídica de Empresas — IE Business School (2015-2016)
"""

COMPACT_ZH = """Zhang Wei 张伟
电话：13912345678  邮箱：zhangwei@163.com
求职意向：Java开发工程师

工作经历
2019.03-2021.06  北京字节跳动科技有限公司  后端开发工程师
2021.07-至今  阿里巴巴（中国）有限公司  高级Java开发工程师

教育背景
2015.09-2019.06  北京邮电大学  计算机科学与技术  本科
"""


def test_labelled_fields_and_one_line_education() -> None:
    data = extract_structured(LABELLED_ES, today=TODAY).data
    assert data["contact_info"]["name"] == "Laura Gómez Martín"
    assert data["contact_info"]["location"] == "Calle Mayor 5, Madrid"
    assert [(e["degree"], e["field_of_study"], e["institution"], e["graduation_year"]) for e in data["education"]] == [
        ("Licenciatura", "Derecho", "Universidad Complutense de Madrid", 2015),
        ("Máster", "Asesoría Jurídica de Empresas", "IE Business School", 2016),
    ]
    assert data["education_level"] == "master"


def test_compact_chinese_layout() -> None:
    data = extract_structured(COMPACT_ZH, today=TODAY).data
    assert data["contact_info"]["name"] == "Zhang Wei 张伟"
    assert data["headline"] == "Java开发工程师"
    assert [(j["company"], j["title"], j["start_date"], j["is_current"]) for j in data["experience"]] == [
        ("阿里巴巴（中国）有限公司", "高级Java开发工程师", "2021-07", True),
        ("北京字节跳动科技有限公司", "后端开发工程师", "2019-03", False),
    ]
    school = data["education"][0]
    assert (school["institution"], school["degree"], school["field_of_study"]) == ("北京邮电大学", "本科", "计算机科学与技术")


def test_profile_url_wrapped_in_a_sidebar() -> None:
    contacts = find_contacts("jane@example.com\nlinkedin.com/in/jane-exposit\no\nSkills\nPython", "en")
    assert contacts.linkedin == "linkedin.com/in/jane-exposito"


@pytest.mark.parametrize(
    ("ocr_line", "email"),
    [
        ("lara.sanz440 gmail.com | +34 698 794 729", "lara.sanz44@gmail.com"),
        ("caroline.vasseur7 @proton.me | +33 6 70 40 88 92", "caroline.vasseur7@proton.me"),
        ("wei12© hotmail.com", "wei12@hotmail.com"),
    ],
)
def test_ocr_damaged_emails(ocr_line: str, email: str) -> None:
    assert find_contacts(ocr_line, None).email == email


def test_profile_url_is_not_joined_with_a_header() -> None:
    assert find_contacts("linkedin.com/in/jane-doe\nSummary\nEngineer", "en").linkedin == "linkedin.com/in/jane-doe"
    assert find_contacts("linkedin.com/in/jane-doe\nskills\nPython", "en").linkedin == "linkedin.com/in/jane-doe"


def test_each_level_word_names_one_level_for_every_reader() -> None:
    """One table of level words: a word names the same level as a label, in a degree and in a question."""
    from cvs.extraction.levels import _WORDS, education_level, mentioned_level
    from cvs.extraction.textnorm import compact

    named: dict[str, str] = {}
    for level, names in _WORDS.items():
        for word in (*names.anywhere, *names.qualified):
            assert named.setdefault(compact(word), level) == level, word  # no word names two levels
            assert education_level(word) == level, word
            if level != "other":
                assert degree_level(f"{word} in computer science") == level, word
        for word in names.anywhere:
            assert mentioned_level(f"candidates with {word} please") == level, word
    for names in _WORDS.values():
        for word in names.qualified:
            assert mentioned_level(f"candidates with {word} please") is None, word  # not safe in free text


def test_an_abbreviated_degree_is_split_from_its_field() -> None:
    from cvs.extraction.rules.education import split_degree

    assert split_degree("M.Sc. Statistics") == ("M.Sc.", "Statistics")
    assert split_degree("BSc Computer Science") == ("BSc", "Computer Science")
    assert split_degree("MBA") == ("MBA", None)
    assert split_degree("Master of Science in Data Science") == ("Master of Science", "Data Science")
