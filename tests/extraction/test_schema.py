import json
from pathlib import Path

import jsonschema
import pytest

from cvs.extraction.evidence import build_evidence
from cvs.extraction.providers import extract_structured
from cvs.extraction.schema import SCHEMA_PATH, CVData, load_json_schema

SHARED_SCHEMA = Path(__file__).resolve().parents[2] / "../shared/contracts/cv-data.schema.json"


def test_packaged_schema_is_the_shared_contract() -> None:
    if not SHARED_SCHEMA.exists():
        pytest.skip("shared contracts not available")
    packaged = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    # Our copy adds only the optional `evidence` schema (carried beside `data`, never inside it).
    packaged.pop("$defs")
    assert json.loads(SHARED_SCHEMA.read_text(encoding="utf-8")) == packaged


def test_evidence_validates_against_the_contract_evidence_schema() -> None:
    text = "Jane Doe\njane@example.com\nEXPERIENCE\nData Engineer at Acme Ltd\nJan 2020 - Present"
    data = extract_structured(text).data
    evidence_schema = load_json_schema()["$defs"]["evidence"]
    evidence = build_evidence(data, text)
    assert evidence
    jsonschema.validate(evidence, evidence_schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"experience/0": {"span": None, "match": "none"}}, evidence_schema)


def test_empty_model_validates_against_contract() -> None:
    jsonschema.validate(CVData().model_dump(mode="json"), load_json_schema())


def test_parsed_cv_validates_against_contract() -> None:
    text = "Jane Doe\nData Engineer\njane@example.com\nEXPERIENCE\nData Engineer at Acme Ltd\nJan 2020 - Present"
    data = extract_structured(text).data
    jsonschema.validate(data, load_json_schema())
    assert set(data) >= {"contact_info", "experience", "education", "skills", "languages", "certifications",
                         "projects", "headline", "summary", "years_of_experience", "education_level", "language"}


def test_model_rejects_bad_dates_and_levels() -> None:
    with pytest.raises(ValueError):
        CVData.model_validate({"experience": [{"start_date": "Jan 2020"}]})
    with pytest.raises(ValueError):
        CVData.model_validate({"education_level": "guru"})


def test_blank_strings_become_null() -> None:
    data = CVData.model_validate({"contact_info": {"name": " ", "email": "N/A"}}).model_dump(mode="json")
    assert data["contact_info"]["name"] is None and data["contact_info"]["email"] is None
