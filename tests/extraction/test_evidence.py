import pytest

from cvs.extraction.evidence import build_evidence, locate

pytestmark = pytest.mark.unit

TEXT = "Jane DOE\njane@example.com\nExperience\nSenior  Engineer\nAcme / Corp\n"


def test_values_are_keyed_by_json_pointer_with_spans_into_the_text() -> None:
    data = {
        "name": "Jane DOE",
        "email": "jane@example.com",
        "experience": [{"title": "senior engineer", "company": "Acme / Corp", "end": None}],
        "skills": [],
    }
    evidence = build_evidence(data, TEXT)
    assert set(evidence) == {"/name", "/email", "/experience/0/title", "/experience/0/company"}
    for pointer, value in [("/name", "Jane DOE"), ("/email", "jane@example.com")]:
        start, end = evidence[pointer]["span"] or [0, 0]
        assert TEXT[start:end] == value
        assert evidence[pointer]["match"] == "exact"
    start, end = evidence["/experience/0/title"]["span"] or [0, 0]
    assert TEXT[start:end] == "Senior  Engineer"
    assert evidence["/experience/0/title"]["match"] == "case"


def test_invented_value_has_no_span() -> None:
    assert locate("Globex", TEXT) == {"span": None, "match": "none"}


def test_pointer_escapes_slashes_in_keys() -> None:
    assert list(build_evidence({"a/b": "Acme"}, TEXT)) == ["/a~1b"]
