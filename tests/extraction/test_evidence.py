import pytest

from cvs.extraction.evidence import (
    LLM_UNGROUNDED_CAP,
    build_evidence,
    calibration_error,
    confidence_for,
    confidence_table,
    field_kind,
    fit_confidence,
    key_confidence,
    key_pointers,
    locate,
    reliability_bins,
    value_at,
)

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


def test_a_word_wrapped_by_a_narrow_column_is_found() -> None:
    text = "Contact\ndeclan.whitcombe@exam\nple.com\n"
    found = locate("declan.whitcombe@example.com", text)
    assert found["match"] == "case"
    start, end = found["span"] or [0, 0]
    assert text[start:end] == "declan.whitcombe@exam\nple.com"


def test_invented_value_has_no_span() -> None:
    assert locate("Globex", TEXT) == {"span": None, "match": "none"}


def test_pointer_escapes_slashes_in_keys() -> None:
    assert list(build_evidence({"a/b": "Acme"}, TEXT)) == ["/a~1b"]
    assert value_at({"a/b": "Acme"}, "/a~1b") == "Acme"
    assert value_at({"jobs": [{"company": "Acme"}]}, "/jobs/0/company") == "Acme"
    assert value_at({"jobs": []}, "/jobs/0/company") is None


def test_every_entry_has_a_confidence_lower_when_the_value_is_not_in_the_text() -> None:
    data = {"contact_info": {"name": "Jane DOE", "email": "john@globex.com"}, "experience": [{"company": "Globex"}]}
    evidence = build_evidence(data, TEXT)
    assert all(0 <= entry["confidence"] <= 1 for entry in evidence.values())
    assert evidence["/contact_info/email"]["match"] == "none"
    assert evidence["/contact_info/email"]["confidence"] < evidence["/contact_info/name"]["confidence"]
    assert confidence_for("experience.company", "none") < confidence_for("experience.company", "exact")


def test_an_llm_value_not_found_in_the_document_is_capped_low() -> None:
    evidence = build_evidence({"experience": [{"start_date": "2020-01"}]}, TEXT, provider="openai")
    assert evidence["/experience/0/start_date"]["confidence"] <= LLM_UNGROUNDED_CAP
    # The rules provider writes dates in normal form, so an unlocated rules date is usually right.
    assert confidence_for("experience.start_date", "none", "rules") > LLM_UNGROUNDED_CAP


def test_field_kind_drops_list_indexes() -> None:
    assert field_kind("/experience/10/company") == "experience.company"
    assert field_kind("/skills/3") == "skills"


def test_fit_uses_observed_accuracy_and_falls_back_for_small_cells() -> None:
    table = fit_confidence({"skills|exact": [90, 100], "skills|none": [1, 4], "name|none": [0, 20]}, sources=["x"])
    assert table["by_kind"]["skills|exact"] == pytest.approx(0.9, abs=0.01)
    assert table["by_kind"]["name|none"] < 0.05
    assert "skills|none" not in table["by_kind"]  # too few values: the match kind's prior applies
    assert table["counts"]["skills|none"] == [1, 4]


def test_expected_calibration_error() -> None:
    assert calibration_error([]) is None
    assert calibration_error([(0.95, True)] * 19 + [(0.95, False)]) == 0.0
    # Everything claimed at 0.9 but only half right: off by 0.4.
    assert calibration_error([(0.9, True), (0.9, False)]) == pytest.approx(0.4)


def test_key_confidence_is_the_lowest_among_contacts_and_the_current_job() -> None:
    data = {
        "contact_info": {"name": "Jane DOE", "email": "jane@example.com"},
        "summary": "Invented words that do not matter",
        "experience": [{"title": "Senior Engineer", "company": "Acme / Corp"},
                       {"title": "Intern", "company": "Initech", "is_current": True}],
    }
    evidence = build_evidence(data, TEXT)
    assert key_pointers(data)[-2:] == ["/experience/1/title", "/experience/1/company"]
    assert key_confidence(data, evidence) == evidence["/experience/1/title"]["confidence"] < 0.5
    data["experience"][1]["is_current"] = False  # now the first job is the current one, found in the text
    assert key_confidence(data, build_evidence(data, TEXT)) >= 0.8
    assert key_confidence(None, {}) is None
    # Every CV names its person: no name means it was missed, whatever else was found.
    assert key_confidence({"skills": ["Python"]}, build_evidence({"skills": ["Python"]}, TEXT)) == 0.0


def test_the_shipped_table_is_fitted_on_the_team_corpora_never_on_real() -> None:
    table = confidence_table()
    assert table["fitted_on"] == ["dev", "documents", "samples"]
    assert all(0 <= value <= 1 for value in table["by_kind"].values())


def test_reliability_bins_hold_accuracy_and_mean_confidence() -> None:
    bins = reliability_bins([(0.95, True), (0.91, False), (0.2, False)])
    assert bins == [
        {"low": 0.2, "high": 0.3, "n": 1, "confidence": 0.2, "accuracy": 0.0},
        {"low": 0.9, "high": 1.0, "n": 2, "confidence": 0.93, "accuracy": 0.5},
    ]


def test_the_calibration_noise_floor_shrinks_with_the_number_of_values() -> None:
    from cvs.extraction.evaluation import calibration_noise_floor

    few, many = calibration_noise_floor([0.95] * 50 + [0.6] * 7), calibration_noise_floor([0.95] * 5000 + [0.6] * 700)
    assert few is not None and many is not None and few > 3 * many and few > 0.02
    assert calibration_noise_floor([1.0] * 40) == 0.0  # a sure value is always drawn right
