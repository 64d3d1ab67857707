"""Generic vocabularies: job-title words, company legal forms, school words,
degrees and their levels, language names and proficiency levels.

Nothing here is specific to a particular CV; these are the words CVs in
English, Spanish, French and Chinese use.
"""

from __future__ import annotations

import re

from ..textnorm import fold


def words(text: str) -> frozenset[str]:
    """A vocabulary written as whitespace-separated words."""
    return frozenset(text.split())


# Words that make a phrase a job title (folded forms, matched as whole words,
# plus Chinese suffixes matched anywhere).
TITLE_WORDS = words(
    """
    engineer developer programmer manager analyst architect consultant designer scientist lead
    director head officer administrator specialist technician intern trainee assistant associate
    coordinator owner founder cofounder ceo cto cfo coo vp president supervisor executive advisor
    tester devops sre researcher professor teacher lecturer accountant auditor recruiter
    representative agent editor writer product project principal senior junior staff chief
    ingeniero ingeniera desarrollador desarrolladora programador programadora jefe jefa gerente
    analista arquitecto arquitecta consultor consultora disenador disenadora cientifico cientifica
    responsable director directora tecnico tecnica becario becaria asistente coordinador coordinadora
    administrador administradora especialista investigador investigadora profesor profesora
    ingenieur ingenieure developpeur developpeuse programmeur chef gestionnaire analyste architecte
    consultant consultante concepteur conceptrice scientifique directeur directrice technicien
    technicienne stagiaire assistant assistante coordinateur coordinatrice administrateur
    administratrice chercheur chercheuse professeur charge chargee
    """
)
TITLE_SUFFIXES_ZH = (
    "工程师", "经理", "分析师", "设计师", "架构师", "开发", "总监", "主管", "专员", "顾问", "实习生",
    "负责人", "科学家", "研究员", "助理", "主任", "组长", "总裁", "运维", "测试", "产品", "教师", "会计",
)

COMPANY_SUFFIXES = (
    "inc", "inc.", "llc", "ltd", "ltd.", "limited", "plc", "corp", "corp.", "corporation", "co.",
    "company", "gmbh", "ag", "kg", "sa", "s.a.", "s.a", "sas", "s.a.s.", "sarl", "s.a.r.l.", "sl",
    "s.l.", "s.l.u.", "slu", "s.l.n.e", "s.l.n.e.", "s.coop.", "s.coop", "s.c.p", "s.c.p.", "s.a.d",
    "s.a.d.", "s.com.", "s.com", "bv", "b.v.", "nv", "n.v.", "oy", "ab", "as", "spa", "s.p.a.",
    "srl", "s.r.l.", "pty", "pte", "lp", "llp", "group", "groupe", "grupo", "holding", "holdings",
    "technologies", "solutions", "systems", "labs", "consulting", "partners", "& co", "et fils",
    "y asociados", "& asociados", "sons", "and sons",
)
COMPANY_SUFFIXES_ZH = ("有限公司", "公司", "集团", "科技", "工作室", "银行", "研究院", "事务所")

INSTITUTION_WORDS = words(
    """
    university universite universidad universitat universita college school institute institut
    instituto academy academie academia polytechnic polytechnique politecnica politecnico ecole
    escuela lycee liceo colegio faculty faculte facultad conservatory conservatoire centre center
    centro iut insa ens hec essec escp epita epitech mit
    """
)
INSTITUTION_SUFFIXES_ZH = ("大学", "学院", "学校", "中学", "研究生院", "学堂")

# (pattern on the folded text, level); the first matching pattern wins, so the
# most specific forms come first.
_DEGREE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\b(?:phd|ph d|dphil|doctorate|doctor of|doctorado|doctora?|doctorat|docteur|edd|md)\b", "doctorate"),
    (r"博士", "doctorate"),
    (r"\b(?:diplome d ingenieur|titre d ingenieur|ingeniero superior|ingenieria superior)\b", "master"),
    (r"\b(?:master|masters|msc|m sc|mba|meng|m eng|ma|ms|m s|mres|mphil|maestria|magister|mastere"
     r"|dea|dess|llm)\b", "master"),
    (r"硕士|研究生", "master"),
    # Spanish vocational titles contain "grado"/"técnico superior"; decide them first.
    (r"\b(?:ciclo formativo|ciclo superior|formacion profesional|grado superior|grado medio"
     r"|tecnico superior|tecnico medio)\b", "vocational"),
    (r"\b(?:bachelor|bachelors|bsc|b sc|ba|bs|b s|beng|b eng|bba|llb|grado|graduado|graduada"
     r"|licenciatura|licenciado|licenciada|licence|licencie|ingenieria tecnica|ingeniero tecnico"
     r"|bachelor universitaire)\b", "bachelor"),
    (r"本科|学士", "bachelor"),
    (r"\b(?:associate|associates|aas|dut|bts|deust|hnd|foundation degree)\b", "associate"),
    (r"大专|专科|高职", "associate"),
    (r"\b(?:vocational|apprenticeship|fp|cap|bep|bac pro|certificat d aptitude)\b", "vocational"),
    (r"中专|职高|技校", "vocational"),
    (r"\b(?:high school|secondary school|ged|a levels|bachillerato|baccalaureat|bac|eso)\b", "secondary"),
    (r"高中", "secondary"),
)
DEGREE_PATTERNS = tuple((re.compile(p), level) for p, level in _DEGREE_PATTERNS)

LEVEL_RANK = {"other": 0, "secondary": 1, "vocational": 2, "associate": 3, "bachelor": 4, "master": 5, "doctorate": 6}


def degree_level(text: str) -> str | None:
    """Education level named in a degree string, or None when it names none."""
    folded = fold(text)
    for pattern, level in DEGREE_PATTERNS:
        if pattern.search(folded) or pattern.search(text):
            return level
    return None


# Language names as printed in en/es/fr/zh CVs (folded), mapped to ISO 639-1.
LANGUAGE_NAMES: dict[str, str] = {}
for _code, _names in {
    "en": "english ingles anglais 英语 英文",
    "es": "spanish espanol castellano espagnol 西班牙语",
    "fr": "french frances francais 法语",
    "de": "german aleman allemand 德语",
    "it": "italian italiano italien 意大利语",
    "pt": "portuguese portugues portugais 葡萄牙语",
    "zh": "chinese mandarin cantonese chino mandarin chinois 中文 汉语 普通话 粤语",
    "ja": "japanese japones japonais 日语",
    "ko": "korean coreano coreen 韩语",
    "ru": "russian ruso russe 俄语",
    "ar": "arabic arabe 阿拉伯语",
    "ca": "catalan catala 加泰罗尼亚语",
    "eu": "basque euskera vasco",
    "gl": "galician gallego galicien",
    "nl": "dutch neerlandes neerlandais 荷兰语",
    "pl": "polish polaco polonais",
    "sv": "swedish sueco suedois",
    "hi": "hindi",
    "tr": "turkish turco turc",
    "el": "greek griego grec",
    "ro": "romanian rumano roumain",
    "vi": "vietnamese vietnamita vietnamien",
}.items():
    for _name in words(_names):
        LANGUAGE_NAMES[_name] = _code

LANGUAGE_LEVEL_RE = re.compile(
    r"\b(?:[abc][12]|native|mother tongue|bilingual|fluent|proficient|advanced|intermediate|basic"
    r"|beginner|elementary|conversational|professional|full professional|limited working"
    r"|nativo|nativa|lengua materna|bilingue|fluido|avanzado|intermedio|basico|alto|medio"
    r"|langue maternelle|maternelle|courant|avance|intermediaire|notions|debutant|scolaire"
    r"|cet ?[46]|hsk ?\d|jlpt|n[1-5]|toeic|toefl|ielts|dele|delf|dalf)\b"
    r"|母语|流利|熟练|精通|良好|一般|入门|基础"
)
