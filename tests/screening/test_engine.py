"""The matcher: exact school aliases, canonical skills, per-criterion reasons, groups and exclusions."""

import pytest

from cvs.extraction.levels import education_level
from screening.criteria import criteria_parse
from screening.engine import Profile, Screener
from screening.schools import SchoolIndex, seed_rows
from screening.vocab import language_code, name_key, skill_key


class Row:
    def __init__(self, name, aliases, tiers):
        self.name, self.aliases, self.tiers = name, aliases, tiers

    def keys(self):
        return {name_key(text) for text in [self.name, *self.aliases]}


@pytest.fixture(scope="module")
def screener():
    return Screener(SchoolIndex.build(Row(r["name"], r["aliases"], r["tiers"]) for r in seed_rows()))


def evaluate(screener, criteria, **profile):
    return screener.evaluate(criteria_parse(criteria), Profile(**profile))


@pytest.mark.parametrize(
    ("institution", "tiers"),
    [
        ("北京大学", {"985", "211", "top-200"}),
        ("北大", {"985", "211", "top-200"}),
        ("Peking University", {"985", "211", "top-200"}),
        ("peking  university", {"985", "211", "top-200"}),
        ("北京大学 信息科学技术学院", {"985", "211", "top-200"}),
        ("Peking University, School of EECS", {"985", "211", "top-200"}),
        ("西安电子科技大学", {"211"}),
        ("Universitat de Barcelona", {"top-200"}),
        ("Université Paris-Saclay", {"top-200"}),
        ("universite paris saclay", {"top-200"}),
        ("湖北大学", None),  # contains 北大 — a substring match would call it 985
        ("北京大学附属中学", None),
        ("Universidad de Granada", None),
    ],
)
def test_school_lookup_is_exact_on_aliases(screener, institution, tiers):
    match = screener.schools.lookup(institution)
    assert (set(match.tiers) if match else None) == tiers


def test_seed_list_has_the_national_programmes():
    rows = seed_rows()
    assert sum("985" in row["tiers"] for row in rows) == 39
    assert all("211" in row["tiers"] for row in rows if "985" in row["tiers"])
    assert {"ES", "FR"} <= {row["country"] for row in rows if "top-200" in row["tiers"]}


def test_vocabulary_normalisation():
    assert skill_key("Vue.js") == skill_key("vue") == skill_key("VueJS")
    assert len({skill_key("C"), skill_key("C#"), skill_key("C++")}) == 3
    assert skill_key("postgres") == skill_key("PostgreSQL")
    assert language_code("Francés") == language_code("français") == language_code("法语") == "fr"
    assert language_code("English (C1)") == "en"
    assert education_level("本科") == "bachelor" and education_level("硕士") == "master" and education_level("nope") is None


def test_summary_reads_per_criterion(screener):
    result = evaluate(
        screener, {"education_level": "bachelor", "skills": ["Java"], "work_years_min": 5},
        education_level="master", years=3, skills=["Python"],
    )
    assert not result.is_qualified
    assert result.summary == "education master ≥ bachelor: pass; Java: missing; 3 years < 5: fail"
    assert [r["criterion"] for r in result.reasons] == ["education_level_min", "skills", "work_years_min"]
    assert result.score == pytest.approx(33.3)


def test_all_criteria_pass(screener):
    result = evaluate(
        screener,
        {"education_level": ["本科", "硕士"], "work_years_min": 2, "work_years_max": 8, "skills": ["vue", "Python"],
         "school_tier": ["985"], "languages": ["English"], "location": ["Shenzhen", "深圳"]},
        education_level="master", years=6.5, skills=["Vue.js", "python"], institutions=["湖北大学", "北京大学"],
        languages=["英语"], location="深圳市南山区",
    )
    assert result.is_qualified and result.score == 100.0
    assert {r["criterion"] for r in result.reasons} == {
        "education_level", "work_years_min", "work_years_max", "skills", "school_tier", "languages", "location"}
    assert "school 北京大学 (211, 985, top-200) in 985: pass" in result.summary


def test_school_tier_fails_for_lookalike(screener):
    result = evaluate(screener, {"school_tier": ["985", "211"]}, institutions=["湖北大学"])
    assert not result.is_qualified
    assert result.reasons == [{"criterion": "school_tier", "passed": False, "detail": "school 湖北大学 not in 985/211: fail"}]


def test_unknown_values_fail(screener):
    result = evaluate(screener, {"work_years_min": 1, "education_level": "associate", "location": "Madrid"})
    assert [r["passed"] for r in result.reasons] == [False, False, False]
    assert "unknown years < 1: fail" in result.summary


def test_skills_any(screener):
    ok = evaluate(screener, {"skills": ["Go", "Rust"], "skills_match": "any"}, skills=["golang"])
    assert ok.is_qualified and ok.summary == "any of Go, Rust: Go present: pass"
    assert not evaluate(screener, {"skills": ["Go", "Rust"], "skills_match": "any"}, skills=["Java"]).is_qualified


def test_exclusions(screener):
    criteria = {"exclude": {"skills": ["PHP"], "schools": ["北大"], "companies": ["Acme S.L."], "keywords": ["intern"]}}
    assert evaluate(screener, criteria, skills=["Python"], institutions=["湖北大学"]).is_qualified
    assert not evaluate(screener, criteria, institutions=["Peking University"]).is_qualified
    assert not evaluate(screener, criteria, companies=["ACME S.L"]).is_qualified
    result = evaluate(screener, criteria, skills=["php"], text="Software Intern")
    assert result.reasons[-1]["detail"] == "excluded skill PHP, keyword intern: fail"


def test_and_or_groups(screener):
    criteria = {
        "education_level": "bachelor",
        "groups": {"operator": "or", "rules": [
            {"school_tier": ["985"]},
            {"work_years_min": 5, "groups": {"operator": "and", "rules": [{"skills": ["Java"]}, {"skills": ["Spring"]}]}},
        ]},
    }
    assert evaluate(screener, criteria, education_level="bachelor", institutions=["浙江大学"]).is_qualified
    assert evaluate(screener, criteria, education_level="bachelor", years=6, skills=["Java", "Spring Framework"]).is_qualified
    failing = evaluate(screener, criteria, education_level="bachelor", years=6, skills=["Java"])
    assert not failing.is_qualified
    assert failing.reasons[-1]["criterion"] == "group" and "Spring: missing" in failing.reasons[-1]["detail"]


def test_languages_count_the_cv_language(screener):
    assert evaluate(screener, {"languages": ["fr", "Spanish"]}, languages=["es", "Francés"]).is_qualified
    assert not evaluate(screener, {"languages": ["German"]}, languages=["es"]).is_qualified


def test_profile_from_candidate_reads_cv_data():
    class C:
        name = headline = ""
        location = ""
        language = "zh"
        education_level = ""
        school = "中山大学"
        years_of_experience = None
        skills = ["Python"]
        data = {
            "years_of_experience": 6.6, "education_level": None,
            "education": [{"institution": "中山大学", "level": "master"}, {"institution": "北京大学", "level": "bachelor"}],
            "experience": [{"title": "产品经理", "company": "数字100", "tech_tools": ["Docker"]}],
            "languages": [{"language": "英语"}], "contact_info": {"location": "惠州市"},
        }

    profile = Profile.from_candidate(C())
    assert profile.education_level == "master" and profile.years == 6.6
    assert profile.institutions == ["中山大学", "中山大学", "北京大学"] and "Docker" in profile.skills
    assert profile.languages == ["zh", "英语"] and profile.location == "惠州市" and profile.companies == ["数字100"]


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ({"work_years_min": -1}, "criteria.work_years_min: Input should be greater than or equal to 0"),
        ({"education_level": ["phd-ish"]}, "criteria.education_level.0: unknown education level 'phd-ish'"),
        ({"skils": ["Java"]}, "criteria.skils: Extra inputs are not permitted"),
        ({"work_years_min": 5, "work_years_max": 2}, "criteria: work_years_min must not exceed work_years_max"),
        ({"groups": {"operator": "xor", "rules": [{}]}}, "criteria.groups.operator: Input should be 'and' or 'or'"),
        ({"skills_match": "most"}, "criteria.skills_match: Input should be 'all' or 'any'"),
    ],
)
def test_criteria_validation_messages(criteria, message):
    from config.errors import ApplicationError

    with pytest.raises(ApplicationError) as exc:
        criteria_parse(criteria)
    assert exc.value.code == "invalid_criteria" and message in exc.value.message
