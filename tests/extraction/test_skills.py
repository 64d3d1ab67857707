import pytest

from cvs.extraction.rules.skills import load_skills


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [("postgres", "PostgreSQL"), ("Postgres", "PostgreSQL"), ("k8s", "Kubernetes"), ("golang", "Go"),
     ("ReactJS", "React"), (".net", ".NET"), ("scikit learn", "scikit-learn"), ("FastAPl", "FastAPI")],
)
def test_aliases_map_to_canonical_names(alias: str, canonical: str) -> None:
    assert load_skills().lookup(alias) == canonical


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("C#, C++ and CSS", ["C#", "C++", "CSS"]),
        ("Cloud computing on Google Cloud", ["GCP"]),
        ("I like to go running", []),
        ("Backend in Go and R", ["Go", "R"]),
        ("Rust, Ruby; Node.js, Vue.js", ["Rust", "Ruby", "Node.js", "Vue.js"]),
        ("Experience with Cargo and Django.", ["Django"]),
        ("ASP.NET Core services", ["ASP.NET"]),
    ],
)
def test_word_boundaries(text: str, expected: list[str]) -> None:
    assert load_skills().find(text) == expected


def test_dictionary_has_unique_canonical_names() -> None:
    import json

    from cvs.extraction.rules.skills import SKILLS_PATH

    names = [s["name"] for s in json.loads(SKILLS_PATH.read_text(encoding="utf-8"))["skills"]]
    assert len(names) == len(set(names))
