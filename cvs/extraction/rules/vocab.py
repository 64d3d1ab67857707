"""Generic vocabularies: job-title words, company legal forms, school words,
language names and proficiency levels (degrees and their levels: ``cvs.extraction.levels``).

Nothing here is specific to a particular CV; these are the words CVs in
English, Spanish, French and Chinese use.
"""

from __future__ import annotations

import re


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
