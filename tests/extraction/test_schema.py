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


# --- the pydantic model and the JSON schema describe the same document ---------------------------

# Keys the model requires although the contract lets them be left out: an entry with no language
# or no certificate name says nothing, so the model refuses it rather than keep an empty row.
MODEL_STRICTER = {"/languages/*/language", "/certifications/*/name"}


def _shapes(node: dict, defs: dict, path: str = "") -> dict[str, str]:
    """Every position of a JSON schema as ``path -> types, enum, pattern``; arrays add ``/*``."""
    branches = node.get("anyOf") or [node]
    types: set[str] = set()
    enum: set[str] = set()
    patterns: set[str] = set()
    shapes: dict[str, str] = {}
    for branch in branches:
        if "$ref" in branch:
            branch = defs[branch["$ref"].rsplit("/", 1)[-1]]
        declared = branch.get("type", [])
        types.update([declared] if isinstance(declared, str) else declared)
        for value in branch.get("enum", []):
            types.add("null" if value is None else "string")
            if value is not None:
                enum.add(value)
        if "pattern" in branch:
            patterns.add(branch["pattern"])
        if "items" in branch:
            shapes.update(_shapes(branch["items"], defs, f"{path}/*"))
        for name, child in branch.get("properties", {}).items():
            shapes.update(_shapes(child, defs, f"{path}/{name}"))
    shapes[path or "/"] = f"types={sorted(types)} enum={sorted(enum)} pattern={sorted(patterns)}"
    return shapes


def _required(node: dict, defs: dict, path: str = "") -> set[str]:
    """Every required key of a JSON schema, as paths."""
    node = defs[node["$ref"].rsplit("/", 1)[-1]] if "$ref" in node else node
    found = {f"{path}/{name}" for name in node.get("required", [])}
    for branch in node.get("anyOf", []):
        found |= _required(branch, defs, path)
    if "items" in node:
        found |= _required(node["items"], defs, f"{path}/*")
    for name, child in node.get("properties", {}).items():
        found |= _required(child, defs, f"{path}/{name}")
    return found


def test_model_and_json_schema_have_the_same_properties_types_enums_and_patterns() -> None:
    contract = load_json_schema()
    model = CVData.model_json_schema(mode="serialization")
    assert _shapes(model, model.get("$defs", {})) == _shapes(contract, contract.get("$defs", {}))


def test_model_requires_what_the_contract_requires_and_always_emits_it() -> None:
    contract = load_json_schema()
    model = CVData.model_json_schema(mode="validation")
    required_by_contract = _required(contract, contract["$defs"])
    required_by_model = _required(model, model["$defs"])
    # Stricter on input only where named, and never looser on output: every key the contract
    # requires is in what the model emits, even for an empty document.
    assert required_by_model - required_by_contract == MODEL_STRICTER
    emitted = CVData().model_dump(mode="json")
    assert {f"/{name}" for name in emitted} >= {path for path in required_by_contract if path.count("/") == 1}
    assert set(emitted["contact_info"]) >= {"name", "email", "phone"}
