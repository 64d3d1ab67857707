"""The fictional people of the team's real-layout corpus, and their truth (see README.md).

One home for every generator under ``benchmarks/corpus/`` (JSON Resume themes, LaTeX classes, ...):
each renders the same seeded people with its own tool, so families differ by layout only. A person
is a JSON Resume document (``resume``: the tools' common input, a public schema) plus the truth in
the format of ``../shared/corpus/README.md``; a generator adds ``file``, ``format``, ``layout`` and
``family`` and checks with :func:`unprinted` that the page shows every value the truth states.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import pymupdf

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from cvs.extraction.textnorm import fold, strip_accents  # noqa: E402

# Years of experience are counted up to this month, as in ../shared/corpus (evaluate with --today 2026-10-15).
CUTOFF = (2026, 10)

FIRST = {
    "en": ["Olivia", "Marcus", "Priya", "Declan", "Hannah", "Tobias", "Grace", "Samuel"],
    "es": ["María José", "Alejandro", "Lucía", "Javier", "Carmen", "Andrés", "Inés", "Rodrigo"],
    "fr": ["Anne-Sophie", "Mathieu", "Camille", "Étienne", "Léa", "Jean-Baptiste", "Chloé", "Bastien"],
    "zh": ["晓明", "静怡", "子涵", "浩然", "雨桐", "建国", "思远", "欣妍"],
}
LAST = {
    "en": ["Whitcombe", "Okafor", "Ramanathan", "O'Sullivan", "Brennan", "Ashdown", "Kowalski", "Tremaine"],
    "es": ["Fernández Ruiz", "Navarro", "Gil de la Torre", "Castaño", "Ibáñez Soler", "Quintero", "Arrieta", "Domínguez"],
    "fr": ["Lefèvre", "Dubois-Marchand", "Giraud", "Kerbrat", "Morin", "Vasseur", "Lemaître", "Faure"],
    "zh": ["王", "李", "张", "刘", "陈", "杨", "欧阳", "周"],
}
# Chinese names are written family name first, without a space; handles and e-mails use the pinyin.
PINYIN = {"晓明": "xiaoming", "静怡": "jingyi", "子涵": "zihan", "浩然": "haoran", "雨桐": "yutong", "建国": "jianguo",
          "思远": "siyuan", "欣妍": "xinyan", "王": "wang", "李": "li", "张": "zhang", "刘": "liu", "陈": "chen",
          "杨": "yang", "欧阳": "ouyang", "周": "zhou"}
CITY = {
    "en": [("Leeds", "England", "GB", "+44 7700 900{n:03d}"), ("Portland", "OR", "US", "(503) 555-0{n:03d}"),
           ("Toronto", "ON", "CA", "+1 416 555 0{n:03d}")],
    "es": [("Sevilla", "Andalucía", "ES", "+34 612 345 {n:03d}"), ("Valencia", "", "ES", "+34 699 10 2{n:02d} 11"),
           ("Guadalajara", "Jalisco", "MX", "+52 33 1234 5{n:03d}")],
    "fr": [("Nantes", "", "FR", "+33 6 12 34 5{n:01d} 78"), ("Lyon", "", "FR", "06 45 21 {n:02d} 90"),
           ("Genève", "", "CH", "+41 79 555 1{n:02d} 00")],
    "zh": [("上海", "", "CN", "+86 138 0013 8{n:03d}"), ("北京", "", "CN", "+86 139 1088 6{n:03d}"),
           ("深圳", "", "CN", "+86 137 2455 0{n:03d}")],
}
COMPANIES = {
    "en": ["Brightfold Labs", "Norvane Logistics", "Harbourline Health", "Quillstone Media", "Tarnwick Energy",
           "Oakridge Analytics", "Peregrine Freight Ltd", "Silverbirch Insurance"],
    "es": ["Talleres Ebro Sur", "Cafés Almira", "Grupo Ventisca", "Clínica Alborán", "Transportes Guadiana",
           "Sistemas Oroel S.L.", "Banca Marítima", "Editorial Candil"],
    "fr": ["Groupe Vérandel", "Atelier Lumen", "Transports Kerlann", "Mutuelle Orvault", "Laboratoires Sancey",
           "Brasserie du Faubourg", "Éditions Calame", "Cabinet Rivemont"],
    "zh": ["华信数据科技有限公司", "上海远帆物流有限公司", "北京启明星传媒有限公司", "深圳云杉软件有限公司",
           "中建蓝图工程有限公司", "杭州青禾电子商务有限公司", "南方航港集团", "广州和风保险股份有限公司"],
}
SCHOOLS = {
    "en": ["University of Leeds", "Portland State University", "University of Waterloo", "King's College London"],
    "es": ["Universidad de Sevilla", "Universitat Politècnica de València", "Universidad de Guadalajara",
           "Universidad Complutense de Madrid"],
    "fr": ["Université de Nantes", "INSA Lyon", "Université de Genève", "École Centrale de Nantes"],
    "zh": ["浙江大学", "复旦大学", "同济大学", "华南理工大学"],
}
# profession -> language -> (titles junior to senior, (degree, field) bachelor then master, skills)
PROFESSIONS: dict[str, dict[str, tuple[list[str], list[tuple[str, str]], list[str]]]] = {
    "data": {
        "en": (["Data Analyst", "Data Engineer", "Senior Data Engineer"],
               [("Bachelor of Science", "Mathematics"), ("Master of Science", "Data Science")],
               ["Python", "SQL", "Apache Airflow", "dbt", "Tableau", "Statistics", "Data Modeling"]),
        "es": (["Analista de Datos", "Ingeniera de Datos", "Ingeniera de Datos Sénior"],
               [("Grado", "Matemáticas"), ("Máster", "Ciencia de Datos")],
               ["Python", "SQL", "Power BI", "Estadística", "Modelado de datos", "Apache Spark"]),
        "fr": (["Analyste de données", "Ingénieur de données", "Ingénieur de données senior"],
               [("Licence", "Mathématiques"), ("Master", "Science des données")],
               ["Python", "SQL", "Power BI", "Statistiques", "Modélisation de données", "Apache Spark"]),
        "zh": (["数据分析师", "数据工程师", "高级数据工程师"],
               [("学士", "统计学"), ("硕士", "数据科学")],
               ["Python", "SQL", "Tableau", "数据建模", "Apache Spark", "统计分析"]),
    },
    "marketing": {
        "en": (["Marketing Assistant", "Marketing Coordinator", "Head of Growth"],
               [("Bachelor of Arts", "Communications"), ("MBA", "Marketing")],
               ["Event Planning", "Copywriting", "SEO", "Google Analytics", "HubSpot", "Public Speaking"]),
        "es": (["Asistente de Marketing", "Coordinadora de Marketing", "Directora de Crecimiento"],
               [("Grado", "Publicidad y Relaciones Públicas"), ("Máster", "Marketing Digital")],
               ["Organización de eventos", "Redacción publicitaria", "SEO", "Google Analytics", "HubSpot"]),
        "fr": (["Assistant marketing", "Chargé de marketing", "Responsable marketing"],
               [("Licence", "Communication"), ("Master", "Marketing digital")],
               ["Organisation d'événements", "Rédaction", "SEO", "Google Analytics", "HubSpot"]),
        "zh": (["市场专员", "市场主管", "市场总监"],
               [("学士", "广告学"), ("硕士", "市场营销")],
               ["活动策划", "文案写作", "SEO", "Google Analytics", "新媒体运营"]),
    },
    "engineering": {
        "en": (["Junior Civil Engineer", "Site Engineer", "Project Engineer"],
               [("Bachelor of Engineering", "Civil Engineering"), ("Master of Engineering", "Structural Engineering")],
               ["AutoCAD", "Technical Drawing", "Project Management", "Revit", "Cost Estimation", "Microsoft Excel"]),
        "es": (["Ingeniero Civil Júnior", "Ingeniero de Obra", "Jefe de Proyecto"],
               [("Grado", "Ingeniería Civil"), ("Máster", "Ingeniería de Caminos")],
               ["AutoCAD", "Dibujo técnico", "Gestión de proyectos", "Revit", "Presupuestos", "Microsoft Excel"]),
        "fr": (["Ingénieur travaux junior", "Conducteur de travaux", "Chef de projet"],
               [("Licence", "Génie civil"), ("Diplôme d'ingénieur", "Génie civil")],
               ["AutoCAD", "Dessin technique", "Gestion de projet", "Revit", "Chiffrage", "Microsoft Excel"]),
        "zh": (["助理土木工程师", "现场工程师", "项目工程师"],
               [("学士", "土木工程"), ("硕士", "结构工程")],
               ["AutoCAD", "工程制图", "项目管理", "Revit", "工程造价", "Microsoft Excel"]),
    },
    "software": {
        "en": (["Junior Developer", "Software Engineer", "Senior Software Engineer"],
               [("Bachelor of Science", "Computer Science"), ("Master of Science", "Software Engineering")],
               ["JavaScript", "TypeScript", "React", "Node.js", "PostgreSQL", "Docker", "Git"]),
        "es": (["Desarrollador Júnior", "Ingeniero de Software", "Ingeniero de Software Sénior"],
               [("Grado", "Ingeniería Informática"), ("Máster", "Ingeniería del Software")],
               ["Java", "Spring Boot", "Kotlin", "PostgreSQL", "Docker", "Kubernetes", "Git"]),
        "fr": (["Développeur junior", "Développeur full stack", "Lead développeur"],
               [("Licence", "Informatique"), ("Master", "Génie logiciel")],
               ["PHP", "Symfony", "Vue.js", "MySQL", "Docker", "Git", "Linux"]),
        "zh": (["初级开发工程师", "软件工程师", "高级软件工程师"],
               [("学士", "计算机科学与技术"), ("硕士", "软件工程")],
               ["Java", "Spring Boot", "MySQL", "Redis", "Docker", "Linux", "微服务架构"]),
    },
}
HIGHLIGHT = {
    "en": ["Moved the monthly reporting to {tool}, cutting the preparation time in half.",
           "Trained four new colleagues on {tool} and wrote the team's guide.",
           "Led the switch from spreadsheets to {tool} across two departments."],
    "es": ["Migré los informes mensuales a {tool} y reduje a la mitad el tiempo de preparación.",
           "Formé a cuatro compañeros en {tool} y redacté la guía del equipo.",
           "Lideré el paso de hojas de cálculo a {tool} en dos departamentos."],
    "fr": ["Migration des rapports mensuels vers {tool}, temps de préparation divisé par deux.",
           "Formation de quatre collègues à {tool} et rédaction du guide de l'équipe.",
           "Pilotage du passage des tableurs à {tool} dans deux services."],
    "zh": ["将月度报表迁移到{tool}，准备时间减半。",
           "培训四名新同事使用{tool}，并编写团队手册。",
           "牵头两个部门从电子表格切换到{tool}。"],
}
TOOLS = ["Jira", "Salesforce", "Confluence", "SAP", "Trello", "Notion"]
SUMMARY = {
    "en": "{title} with {years} years of experience in {place}. Calm under deadlines, fond of clear documentation.",
    "es": "{title} con {years} años de experiencia en {place}. Rigor, trabajo en equipo y buena documentación.",
    "fr": "{title} avec {years} ans d'expérience à {place}. Rigueur, esprit d'équipe et documentation claire.",
    "zh": "{title}，{years}年工作经验，现居{place}。做事严谨，注重团队合作与清晰的文档。",
}
LANGUAGES = {
    "en": [("English", "Native speaker"), ("Spanish", "Professional working proficiency"), ("German", "Elementary")],
    "es": [("Español", "Nativo"), ("Inglés", "Avanzado (C1)"), ("Catalán", "Intermedio")],
    "fr": [("Français", "Langue maternelle"), ("Anglais", "Courant"), ("Italien", "Notions")],
    "zh": [("普通话", "母语"), ("英语", "流利（CET-6）"), ("日语", "基础")],
}
SKILL_GROUP = {"en": ("Core", "Tools"), "es": ("Competencias", "Herramientas"), "fr": ("Compétences", "Outils"),
               "zh": ("核心技能", "工具")}


@dataclass
class Person:
    key: str
    language: str
    resume: dict
    truth: dict
    given: str  # the name's parts, for tools that print them apart (LaTeX \name{given}{family})
    family: str


def _months(start: tuple[int, int], end: tuple[int, int]) -> int:
    return (end[0] - start[0]) * 12 + end[1] - start[1]


def _ym(value: tuple[int, int]) -> str:
    return f"{value[0]:04d}-{value[1]:02d}"


def make_person(index: int, language: str, rng: random.Random) -> Person:
    profession = list(PROFESSIONS)[index % len(PROFESSIONS)]
    titles, degrees, skills = PROFESSIONS[profession][language]
    first, last = rng.choice(FIRST[language]), rng.choice(LAST[language])
    if language == "zh":
        name, handle = f"{last}{first}", f"{PINYIN[last]}-{PINYIN[first]}"
    else:
        name = f"{first} {last}"
        handle = "-".join(strip_accents(part).lower().replace("'", "-") for part in name.split()).replace("--", "-")
    city, region, country, phone = rng.choice(CITY[language])
    phone = phone.format(n=rng.randrange(10, 99))
    email = f"{handle.replace('-', '.')}@example.{ {'en': 'com', 'zh': 'cn'}.get(language, language)}"

    # Jobs, newest first, one after the other (no overlap), the newest sometimes still current.
    companies = rng.sample(COMPANIES[language], 3)
    current = rng.random() < 0.6
    end: tuple[int, int] | None = None if current else (2026, rng.randrange(1, 9))
    cursor = CUTOFF if end is None else end
    work, jobs = [], []
    tools_in_jobs: set[str] = set()
    for position, company in zip(reversed(titles), companies, strict=True):
        length = rng.randrange(14, 40)
        start_months = cursor[0] * 12 + cursor[1] - 1 - length
        start = (start_months // 12, start_months % 12 + 1)
        tool = rng.choice(TOOLS)
        tools_in_jobs.add(tool)
        entry: dict = {
            "name": company,
            "company": company,  # older themes (macchiato, flat) read the pre-1.0 key
            "position": position,
            "startDate": _ym(start),
            "highlights": [rng.choice(HIGHLIGHT[language]).format(tool=tool)],
        }
        if end is not None:
            entry["endDate"] = _ym(end)
        work.append(entry)
        jobs.append({"title": position, "company": company, "start": _ym(start),
                     "end": _ym(end) if end else None, "is_current": end is None})
        gap = rng.randrange(0, 4)
        end_months = start_months - gap
        end = (end_months // 12, end_months % 12 + 1) if gap else start
        cursor = end

    # Schools: the degree ends before the first job.
    first_start = jobs[-1]["start"]
    grad_year = int(first_start[:4]) - rng.randrange(0, 2)
    education, schools = [], []
    for (degree, field_name), school in zip(
        reversed(degrees), rng.sample(SCHOOLS[language], 2), strict=True
    ):
        education.append({
            "institution": school,
            "area": field_name,
            "studyType": degree,
            "startDate": f"{grad_year - 2}-09",
            "endDate": f"{grad_year}-06",
        })
        schools.append({"institution": school, "degree": degree, "field": field_name, "end_year": grad_year})
        grad_year -= 3

    chosen = rng.sample(skills, min(len(skills), rng.randrange(4, 7)))
    grouped = index % 2 == 0
    if grouped:  # "Core: a, b, c" / "Tools: d, e": the group names are headings, not skills
        half = len(chosen) // 2
        skill_items = [{"name": SKILL_GROUP[language][0], "keywords": chosen[:half]},
                       {"name": SKILL_GROUP[language][1], "keywords": chosen[half:]}]
    else:
        skill_items = [{"name": s, "level": rng.choice(["Advanced", "Intermediate", "Expert"])} for s in chosen]
    spoken = LANGUAGES[language][: rng.randrange(2, 4)]
    years = sum(_months(tuple(map(int, j["start"].split("-"))),
                        tuple(map(int, j["end"].split("-"))) if j["end"] else CUTOFF) for j in jobs) / 12
    linkedin = f"https://www.linkedin.com/in/{handle}"
    resume = {
        "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
        "basics": {
            "name": name,
            "label": jobs[0]["title"],
            "email": email,
            "phone": phone,
            "summary": SUMMARY[language].format(title=jobs[0]["title"], years=int(years), place=city),
            "location": {"city": city, "region": region, "countryCode": country} if region else
                        {"city": city, "countryCode": country},
            "profiles": [{"network": "LinkedIn", "username": handle, "url": linkedin}],
        },
        "work": work,
        "education": education,
        "skills": skill_items,
        "languages": [{"language": lang, "fluency": fluency} for lang, fluency in spoken],
    }
    truth = {
        "language": language,
        "contact_info": {"name": name, "email": email, "phone": phone, "location": city, "linkedin": linkedin},
        "headline": jobs[0]["title"],
        "years_of_experience": round(years, 1),
        "experience": jobs,
        "education": schools,
        "skills": chosen,
        "tools_in_jobs": sorted(tools_in_jobs),
        "languages": [lang for lang, _ in spoken],
        "certifications": [],
    }
    return Person(f"jr{index + 1:02d}_{language}", language, resume, truth, first, last)


def people(count: int, seed: int, languages: tuple[str, ...] = ("en", "es", "fr")) -> list[Person]:
    rng = random.Random(seed)
    return [make_person(i, languages[i % len(languages)], rng) for i in range(count)]


def unprinted(truth: dict, pdf: Path) -> list[str]:
    """Truth values the PDF does not show (text layer or link targets): the truth must state only what is there."""
    with pymupdf.open(pdf) as doc:
        text = " ".join(page.get_text() for page in doc)
        text += " " + " ".join(link.get("uri") or "" for page in doc for link in page.get_links())
    folded, squeezed = fold(text), "".join(text.split())
    values = [v for k, v in truth["contact_info"].items() if k != "location"]
    values += [j["company"] for j in truth["experience"]] + [e["institution"] for e in truth["education"]]
    values += truth["skills"] + truth["languages"]
    # Themes may re-space phone numbers; a value counts as printed when it is there folded or without spaces.
    return [v for v in values if fold(v) not in folded and "".join(v.split()) not in squeezed]


def write_truth(document: Path, truth: dict, *, shown_in: Path | None = None) -> None:
    """Write ``document``'s truth beside it (``X.pdf.json``), after checking the page shows every value it states.

    ``shown_in`` is the PDF to check when ``document`` is not one (a DOCX is checked on its PDF export).
    """
    if missing := unprinted(truth, shown_in or document):
        raise SystemExit(f"{document.name}: the truth states values the page does not show: {missing}")
    document.with_name(document.name + ".json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
