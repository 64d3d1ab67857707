"""The Markdown export of an analysis query."""

from __future__ import annotations

from analytics.answers import EDUCATION_LABELS, describe_filters
from analytics.models import AnalysisQuery
from analytics.questions import Filters

HEADINGS = {
    "en": ("Analysis report", "Question", "Answer", "Candidates", "Analytics", "Filters", "Name", "School", "Similarity",
           "Candidates matching", "Average similarity", "Education", "Top skills", "Generated"),
    "es": ("Informe de análisis", "Pregunta", "Respuesta", "Candidatos", "Analítica", "Filtros", "Nombre", "Centro", "Similitud",
           "Candidatos que cumplen", "Similitud media", "Formación", "Competencias principales", "Generado"),
    "fr": ("Rapport d'analyse", "Question", "Réponse", "Candidats", "Statistiques", "Filtres", "Nom", "École", "Similarité",
           "Candidats correspondants", "Similarité moyenne", "Formation", "Compétences principales", "Généré"),
    "zh": ("分析报告", "问题", "回答", "候选人", "统计", "筛选条件", "姓名", "学校", "相似度", "符合条件人数", "平均相似度",
           "学历分布", "热门技能", "生成时间"),
}


def _cell(value: object) -> str:
    return str(value if value not in (None, "") else "—").replace("|", "\\|").replace("\n", " ")


def analysis_report_markdown(query: AnalysisQuery) -> str:
    language = query.language if query.language in HEADINGS else "en"
    (title, h_question, h_answer, h_candidates, h_analytics, h_filters, h_name, h_school, h_similarity,
     h_total, h_avg, h_education, h_skills, h_generated) = HEADINGS[language]
    result = query.result or {}
    analytics = result.get("analytics") or {}
    labels = EDUCATION_LABELS[language]
    stamp = f"*{h_generated}: {query.updated_at:%Y-%m-%d %H:%M} UTC · id {query.pk}*"
    lines = [f"# {title}", "", f"**{h_question}:** {query.question}", "", stamp, ""]
    conditions = describe_filters(Filters(**(result.get("filters") or {})), language)
    if conditions:
        lines += [f"**{h_filters}:** {conditions}", ""]
    lines += [f"## {h_answer}", "", result.get("answer", ""), "", f"## {h_candidates}", ""]
    lines += [f"| # | {h_name} | id | {h_school} | {h_similarity} |", "|---|---|---|---|---|"]
    for index, source in enumerate(result.get("sources") or [], start=1):
        lines.append(f"| {index} | {_cell(source['name'])} | `{source['id']}` | {_cell(source['school'])} | {source['similarity']:.3f} |")
    lines += ["", f"## {h_analytics}", "", f"- {h_total}: {analytics.get('total_count', 0)}"]
    lines.append(f"- {h_avg}: {analytics.get('avg_similarity', 0):.3f}")
    if analytics.get("by_education"):
        education = ", ".join(f"{labels.get(level, level)} {count}" for level, count in analytics["by_education"].items())
        lines.append(f"- {h_education}: {education}")
    if analytics.get("top_skills"):
        lines.append(f"- {h_skills}: " + ", ".join(f"{item['name']} ({item['count']})" for item in analytics["top_skills"]))
    return "\n".join(lines) + "\n"
