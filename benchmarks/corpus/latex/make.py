"""Build the LaTeX part of the team's real-layout corpus (see ../README.md).

    apt-get install texlive-latex-extra texlive-xetex texlive-lang-chinese texlive-fonts-extra   # once, dev-only
    .venv/bin/python benchmarks/corpus/latex/make.py [--people 9] [--seed 15] [--families moderncv-classic ...]

Writes, for the same fictional people as the JSON Resume themes (``../people.py``, same seed), one
``.tex`` per person and CV class as a user of that class would (the class's own macros for entries,
dates and contact details), compiles it with ``pdflatex`` (``xelatex`` + xeCJK for Chinese) and
writes the truth next to the PDF, derived from the person alone (``family``: ``latex-<class>``).
Every truth value is checked to be on the page. Chinese people are added for the classes that take
xeCJK (all but europecv, which has no Chinese labels).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from people import Person, people, write_truth  # noqa: E402  (benchmarks/corpus/people.py: one home for every family)

DOCUMENTS = HERE.parent / "documents"
SOURCES = HERE / "sources"
PREFIX = "tx"  # file names: tx01_en_moderncv-classic.pdf (the JSON Resume generator owns jr*)

BABEL = {"en": "english", "es": "spanish,es-minimal", "fr": "french"}
COUNTRY = {
    "en": {"GB": "United Kingdom", "US": "USA", "CA": "Canada"},
    "es": {"ES": "España", "MX": "México"},
    "fr": {"FR": "France", "CH": "Suisse"},
    "zh": {"CN": "中国"},
}
# Section titles as users of each language write them.
HEADINGS = {
    "en": {"summary": "Profile", "work": "Experience", "education": "Education", "skills": "Skills",
           "languages": "Languages", "personal": "Personal data"},
    "es": {"summary": "Perfil", "work": "Experiencia profesional", "education": "Formación", "skills": "Competencias",
           "languages": "Idiomas", "personal": "Datos personales"},
    "fr": {"summary": "Profil", "work": "Expérience professionnelle", "education": "Formation",
           "skills": "Compétences", "languages": "Langues", "personal": "Informations personnelles"},
    "zh": {"summary": "个人简介", "work": "工作经历", "education": "教育背景", "skills": "专业技能",
           "languages": "语言能力", "personal": "个人信息"},
}
PRESENT = {"en": "Present", "es": "actualidad", "fr": "aujourd'hui", "zh": "至今"}
MONTHS = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "es": ["ene.", "feb.", "mar.", "abr.", "may.", "jun.", "jul.", "ago.", "sept.", "oct.", "nov.", "dic."],
    "fr": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
}
CONTACT = {
    "en": ("Address", "Phone", "E-mail", "LinkedIn"),
    "es": ("Dirección", "Teléfono", "Correo", "LinkedIn"),
    "fr": ("Adresse", "Téléphone", "E-mail", "LinkedIn"),
    "zh": ("地址", "电话", "邮箱", "领英"),
}
DEGREE_IN = {"en": "{degree} in {area}", "es": "{degree} en {area}", "fr": "{degree} en {area}", "zh": "{area}{degree}"}
# europecv prints the Europass labels of its era; the class has no Chinese labels.
EUROPASS = {
    "en": {"desired": "Desired employment / Occupational field", "work": "Work experience", "dates": "Dates",
           "position": "Occupation or position held", "activities": "Main activities and responsibilities",
           "employer": "Name and address of employer", "education": "Education and training",
           "qualification": "Title of qualification awarded",
           "school": "Name and type of organisation providing education and training",
           "personal": "Personal skills and competences", "other": "Other language(s)",
           "computer": "Computer skills and competences"},
    "es": {"desired": "Empleo deseado / familia profesional", "work": "Experiencia laboral", "dates": "Fechas",
           "position": "Profesión o cargo desempeñado", "activities": "Funciones y responsabilidades principales",
           "employer": "Nombre y dirección de la empresa o empleador", "education": "Educación y formación",
           "qualification": "Cualificación obtenida", "school": "Nombre y tipo del centro de estudios",
           "personal": "Capacidades y competencias personales", "other": "Otro(s) idioma(s)",
           "computer": "Capacidades y competencias informáticas"},
    "fr": {"desired": "Emploi recherché / Domaine de compétence", "work": "Expérience professionnelle",
           "dates": "Dates", "position": "Fonction ou poste occupé",
           "activities": "Principales activités et responsabilités", "employer": "Nom et adresse de l'employeur",
           "education": "Éducation et formation", "qualification": "Intitulé du certificat ou diplôme délivré",
           "school": "Nom et type de l'établissement d'enseignement ou de formation",
           "personal": "Aptitudes et compétences personnelles", "other": "Autre(s) langue(s)",
           "computer": "Aptitudes et compétences informatiques"},
}
ECV_LANGUAGE = {"en": "english", "es": "spanish", "fr": "french"}


def tex(value: str) -> str:
    """Escape text for LaTeX (names, companies and highlights are plain text)."""
    out = value.replace("\\", r"\textbackslash{}")
    for char in "&%$#_{}":
        out = out.replace(char, "\\" + char)
    return out.replace("~", r"\textasciitilde{}").replace("^", r"\textasciicircum{}")


def month(ym: str, language: str, style: str) -> str:
    year, number = int(ym[:4]), int(ym[5:7])
    if style == "numeric" or language == "zh":
        return f"{number:02d}/{year}" if language != "zh" else f"{year}.{number:02d}"
    return f"{MONTHS[language][number - 1]} {year}"


def span(start: str, end: str | None, language: str, style: str) -> str:
    return f"{month(start, language, style)} -- {month(end, language, style) if end else PRESENT[language]}"


def years(entry: dict) -> str:
    return f"{entry['startDate'][:4]} -- {entry['endDate'][:4]}"


def degree(entry: dict, language: str) -> str:
    return DEGREE_IN[language].format(degree=entry["studyType"], area=entry["area"])


def skill_rows(person: Person) -> list[tuple[str, str]]:
    """(label, text) rows: a group name over its keywords, or a skill over its level, as the JSON Resume input has it."""
    rows = []
    for item in person.resume["skills"]:
        if "keywords" in item:
            rows.append((item["name"], ", ".join(item["keywords"])))
        else:
            rows.append((item["name"], item["level"]))
    return rows


def preamble(language: str) -> str:
    """Input encoding and language, pdflatex (en/es/fr) or xelatex + xeCJK (zh)."""
    if language == "zh":
        return (r"\usepackage{xeCJK}" "\n"
                r"\setCJKmainfont[BoldFont=FandolSong-Bold.otf]{FandolSong-Regular.otf}" "\n"
                r"\setCJKsansfont[BoldFont=FandolHei-Bold.otf]{FandolHei-Regular.otf}")
    return (r"\usepackage[utf8]{inputenc}" "\n" r"\usepackage[T1]{fontenc}" "\n" r"\usepackage{lmodern}" "\n"
            rf"\usepackage[{BABEL[language]}]{{babel}}")


def moderncv(style: str, dates: str) -> Callable[[Person], str]:
    def render(person: Person) -> str:
        lang, basics, h = person.language, person.resume["basics"], HEADINGS[person.language]
        location = basics["location"]
        handle = basics["profiles"][0]["username"]
        lines = [
            r"\documentclass[11pt,a4paper,sans]{moderncv}",
            rf"\moderncvstyle{{{style}}}",
            r"\moderncvcolor{blue}",
            preamble(lang),
            r"\usepackage[scale=0.8]{geometry}",
            # Chinese users put the whole name, family name first, in the first argument.
            (rf"\name{{{tex(basics['name'])}}}{{}}" if lang == "zh" else
             rf"\name{{{tex(person.given)}}}{{{tex(person.family)}}}"),
            rf"\title{{{tex(basics['label'])}}}",
            rf"\address{{{tex(location['city'])}}}{{{tex(COUNTRY[lang][location['countryCode']])}}}",
            rf"\phone[mobile]{{{tex(basics['phone'])}}}",
            rf"\email{{{tex(basics['email'])}}}",
            rf"\social[linkedin]{{{tex(handle)}}}",
            r"\begin{document}",
            r"\makecvtitle",
            rf"\section{{{h['summary']}}}",
            rf"\cvitem{{}}{{{tex(basics['summary'])}}}",
            rf"\section{{{h['work']}}}",
        ]
        for job in person.resume["work"]:
            lines.append(rf"\cventry{{{span(job['startDate'], job.get('endDate'), lang, dates)}}}"
                         rf"{{{tex(job['position'])}}}{{{tex(job['name'])}}}{{{tex(location['city'])}}}{{}}"
                         rf"{{{tex(job['highlights'][0])}}}")
        lines.append(rf"\section{{{h['education']}}}")
        for school in person.resume["education"]:
            lines.append(rf"\cventry{{{years(school)}}}{{{tex(degree(school, lang))}}}"
                         rf"{{{tex(school['institution'])}}}{{}}{{}}{{}}")
        lines.append(rf"\section{{{h['skills']}}}")
        lines += [rf"\cvitem{{{tex(label)}}}{{{tex(text)}}}" for label, text in skill_rows(person)]
        lines.append(rf"\section{{{h['languages']}}}")
        lines += [rf"\cvitemwithcomment{{{tex(item['language'])}}}{{{tex(item['fluency'])}}}{{}}"
                  for item in person.resume["languages"]]
        lines.append(r"\end{document}")
        return "\n".join(lines) + "\n"

    return render


def europecv(person: Person) -> str:
    lang, basics, e = person.language, person.resume["basics"], EUROPASS[person.language]
    location = basics["location"]
    spoken = person.resume["languages"]
    skills = [k for item in person.resume["skills"] for k in item.get("keywords", [item["name"]])]
    lines = [
        rf"\documentclass[{ECV_LANGUAGE[lang]},a4paper,nologo]{{europecv}}",
        preamble(lang),
        r"\usepackage{hyperref}",  # before the class loads it late, which today's LaTeX kernel refuses
        r"\usepackage[top=1.5cm,bottom=1.5cm,left=1.5cm,right=1.5cm]{geometry}",
        rf"\ecvname{{{tex(person.given)} {tex(person.family)}}}",
        rf"\ecvaddress{{{tex(location['city'])}, {tex(COUNTRY[lang][location['countryCode']])}}}",
        rf"\ecvtelephone{{{tex(basics['phone'])}}}",
        rf"\ecvemail{{{tex(basics['email'])}}}",
        rf"\ecvhomepage{{{tex(basics['profiles'][0]['url'])}}}",
        r"\begin{document}",
        r"\begin{europecv}",
        r"\ecvpersonalinfo",
        rf"\ecvitem{{\large {e['desired']}}}{{\large {tex(basics['label'])}}}",
        rf"\ecvsection{{{e['work']}}}",
    ]
    for job in person.resume["work"]:
        lines += [
            rf"\ecvitem{{{e['dates']}}}{{{span(job['startDate'], job.get('endDate'), lang, 'numeric')}}}",
            rf"\ecvitem{{{e['position']}}}{{{tex(job['position'])}}}",
            rf"\ecvitem{{{e['activities']}}}{{{tex(job['highlights'][0])}}}",
            rf"\ecvitem{{{e['employer']}}}{{{tex(job['name'])}, {tex(location['city'])}}}",
            r"\ecvitem{}{}",
        ]
    lines.append(rf"\ecvsection{{{e['education']}}}")
    for school in person.resume["education"]:
        lines += [
            rf"\ecvitem{{{e['dates']}}}{{{years(school)}}}",
            rf"\ecvitem{{{e['qualification']}}}{{{tex(degree(school, lang))}}}",
            rf"\ecvitem{{{e['school']}}}{{{tex(school['institution'])}}}",
            r"\ecvitem{}{}",
        ]
    lines += [
        rf"\ecvsection{{{e['personal']}}}",
        rf"\ecvmothertongue{{{tex(spoken[0]['language'])}}}",
        rf"\ecvitem{{\large {e['other']}}}{{\large "
        + ", ".join(f"{tex(item['language'])} ({tex(item['fluency'])})" for item in spoken[1:]) + "}",
        # One box per skill: the narrow value column would hyphenate a skill over two lines ("even-/tos").
        rf"\ecvitem{{\large {e['computer']}}}{{" + ", ".join(rf"\mbox{{{tex(s)}}}" for s in skills) + "}",
        r"\end{europecv}",
        r"\end{document}",
    ]
    return "\n".join(lines) + "\n"


def currvita(person: Person) -> str:
    lang, basics, h = person.language, person.resume["basics"], HEADINGS[person.language]
    location = basics["location"]
    address, phone, mail, linkedin = CONTACT[lang]
    url = basics["profiles"][0]["url"]
    lines = [
        r"\documentclass[11pt,a4paper]{article}",
        preamble(lang),
        r"\usepackage[NoDate]{currvita}",
        r"\usepackage[margin=2.2cm]{geometry}",
        r"\usepackage{hyperref}",
        r"\begin{document}",
        rf"\begin{{cv}}{{{tex(basics['name'])}\\[2pt] \normalsize {tex(basics['label'])}}}",
        rf"\begin{{cvlist}}{{{h['personal']}}}",
        rf"\item[{address}] {tex(location['city'])}, {tex(COUNTRY[lang][location['countryCode']])}",
        rf"\item[{phone}] {tex(basics['phone'])}",
        rf"\item[{mail}] \href{{mailto:{basics['email']}}}{{{tex(basics['email'])}}}",
        rf"\item[{linkedin}] \url{{{url}}}",
        r"\end{cvlist}",
        rf"\begin{{cvlist}}{{{h['work']}}}",
    ]
    for job in person.resume["work"]:
        lines.append(rf"\item[{span(job['startDate'], job.get('endDate'), lang, 'numeric')}] "
                     rf"\textbf{{{tex(job['position'])}}}, {tex(job['name'])}\\ {tex(job['highlights'][0])}")
    lines += [r"\end{cvlist}", rf"\begin{{cvlist}}{{{h['education']}}}"]
    for school in person.resume["education"]:
        lines.append(rf"\item[{years(school)}] {tex(degree(school, lang))}\\ \textit{{{tex(school['institution'])}}}")
    lines += [r"\end{cvlist}", rf"\begin{{cvlist}}{{{h['skills']}}}"]
    lines += [rf"\item[{tex(label)}] {tex(text)}" for label, text in skill_rows(person)]
    lines += [r"\end{cvlist}", rf"\begin{{cvlist}}{{{h['languages']}}}"]
    lines += [rf"\item[{tex(item['language'])}] {tex(item['fluency'])}" for item in person.resume["languages"]]
    lines += [r"\end{cvlist}", r"\end{cv}", r"\end{document}"]
    return "\n".join(lines) + "\n"


def simplecv(person: Person) -> str:
    lang, basics, h = person.language, person.resume["basics"], HEADINGS[person.language]
    location = basics["location"]
    url = basics["profiles"][0]["url"]
    lines = [
        r"\documentclass[11pt,a4paper]{simplecv}",
        preamble(lang),
        r"\usepackage[margin=2cm]{geometry}",
        r"\usepackage{hyperref}",
        rf"\title{{{tex(basics['name'])}}}",
        rf"\leftheader{{{tex(basics['label'])}\\ {tex(location['city'])}, "
        rf"{tex(COUNTRY[lang][location['countryCode']])}\\ {tex(basics['phone'])}}}",
        rf"\rightheader[r]{{\href{{mailto:{basics['email']}}}{{{tex(basics['email'])}}}\\ \url{{{url}}}}}",
        r"\begin{document}",
        r"\maketitle",
        rf"\section{{{h['summary']}}}",
        tex(basics["summary"]),
        rf"\section{{{h['work']}}}",
        r"\begin{topic}",
    ]
    # Company first, title below: the order of many hand-written LaTeX CVs.
    for job in person.resume["work"]:
        lines.append(rf"\item[{span(job['startDate'], job.get('endDate'), lang, 'named')}] "
                     rf"\textbf{{{tex(job['name'])}}}, {tex(location['city'])}\\ \emph{{{tex(job['position'])}}}\\ "
                     rf"{tex(job['highlights'][0])}")
    lines += [r"\end{topic}", rf"\section{{{h['education']}}}", r"\begin{topic}"]
    for school in person.resume["education"]:
        lines.append(rf"\item[{years(school)}] \textbf{{{tex(school['institution'])}}}\\ {tex(degree(school, lang))}")
    lines += [r"\end{topic}", rf"\section{{{h['skills']}}}", r"\begin{topic}"]
    lines += [rf"\item[{tex(label)}] {tex(text)}" for label, text in skill_rows(person)]
    lines += [r"\end{topic}", rf"\section{{{h['languages']}}}",
              ", ".join(f"{tex(item['language'])} ({tex(item['fluency'])})" for item in person.resume["languages"]),
              r"\end{document}"]
    return "\n".join(lines) + "\n"


# family (after "latex-") -> (layout of the printed page, renderer, takes Chinese)
FAMILIES: dict[str, tuple[str, Callable[[Person], str], bool]] = {
    "moderncv-classic": ("one-column-labels", moderncv("classic", "named"), True),
    "moderncv-banking": ("one-column", moderncv("banking", "numeric"), True),
    "moderncv-casual": ("one-column-labels", moderncv("casual", "named"), True),
    "europecv": ("two-column-labels", europecv, False),
    "currvita": ("one-column-labels", currvita, True),
    "simplecv": ("one-column-labels", simplecv, True),
}


def compile_pdf(source: str, language: str, pdf: Path) -> None:
    engine = "xelatex" if language == "zh" else "pdflatex"
    if not shutil.which(engine):
        raise SystemExit(f"{engine} not found (apt-get install texlive-latex-extra texlive-xetex ...)")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "cv.tex").write_text(source, encoding="utf-8")
        # A fixed date in the PDF's metadata and ID, so the same seed gives the same bytes.
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1791331200", "FORCE_SOURCE_DATE": "1"}
        run = subprocess.run([engine, "-interaction=nonstopmode", "-halt-on-error", "cv.tex"],
                             cwd=tmp, capture_output=True, text=True, timeout=180, check=False, env=env)
        if run.returncode != 0:
            raise SystemExit(f"{pdf.name}: {engine} failed:\n{run.stdout[-3000:]}")
        shutil.copyfile(Path(tmp) / "cv.pdf", pdf)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=9, help="en/es/fr people (the JSON Resume themes' people)")
    parser.add_argument("--zh-people", type=int, default=3)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--families", nargs="*", default=list(FAMILIES))
    parser.add_argument("--out", type=Path, default=DOCUMENTS,
                        help="output folder (a fresh seed in a temporary folder checks that fixes generalise)")
    args = parser.parse_args()
    documents: Path = args.out
    sources = SOURCES if documents == DOCUMENTS else documents / "sources"
    documents.mkdir(parents=True, exist_ok=True)
    sources.mkdir(parents=True, exist_ok=True)
    for family in args.families:  # only the families being rebuilt
        for old in [*documents.glob(f"{PREFIX}*_{family}.pdf*"), *sources.glob(f"{PREFIX}*_{family}.tex")]:
            old.unlink()
    # Chinese people come from their own stream of the seed, so the en/es/fr people stay the JSON Resume ones.
    everyone = people(args.people, args.seed) + people(args.zh_people, args.seed + 1000, ("zh",))
    for person in everyone:
        for family in args.families:
            layout, render, takes_chinese = FAMILIES[family]
            if person.language == "zh" and not takes_chinese:
                continue
            stem = f"{PREFIX}{person.key.removeprefix('jr')}_{family}"
            source = render(person)
            (sources / f"{stem}.tex").write_text(source, encoding="utf-8")
            pdf = documents / f"{stem}.pdf"
            compile_pdf(source, person.language, pdf)
            truth = {"file": pdf.name, "format": "pdf", "layout": layout, "family": f"latex-{family}", **person.truth}
            write_truth(pdf, truth)
            print(pdf)


if __name__ == "__main__":
    main()
