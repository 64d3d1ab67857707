import json
import subprocess
import sys
from pathlib import Path

import pytest

from cvs.extraction.evaluation import (
    data_to_truth,
    evaluate_dir,
    format_report,
    judge_values,
    match_one_to_one,
    score_document,
)

REPO = Path(__file__).resolve().parents[2]

TRUTH = {
    "contact_info": {"name": "José Pérez", "email": "jose@example.com", "phone": "+34 612 345 678"},
    "experience": [{"company": "Acme, S.L.", "title": "Dev"}, {"company": "Globex", "title": "QA"}],
    "education": [{"institution": "Universidad de Sevilla"}],
    "skills": ["Python", "SQL"],
    "tools_in_jobs": ["Docker"],
    "languages": ["Español"],
    "certifications": [],
}


def test_matching_is_one_to_one_and_fuzzy() -> None:
    assert match_one_to_one(["ACME SL", "acme sl"], ["Acme, S.L."]) == [(0, 0)]
    assert match_one_to_one(["Initech"], ["Globex"]) == []


def test_scoring_rules() -> None:
    pred = {
        "contact_info": {"name": "Jose Perez", "email": "JOSE@example.com", "phone": "612345678"},
        "experience": [{"company": "ACME SL"}, {"company": "Umbrella"}],
        "education": [],
        "skills": ["python", "Docker", "Excel"],
        "languages": [{"language": "Espanol"}],
        "certifications": [],
    }
    counts, _, _ = score_document(pred, TRUTH)
    assert (counts["name"].tp, counts["email"].tp, counts["phone"].tp) == (1, 1, 1)
    assert (counts["experience"].tp, counts["experience"].fp, counts["experience"].fn) == (1, 1, 1)
    assert (counts["education"].tp, counts["education"].fn) == (0, 1)
    # Docker is a tool named under a job: neither a hit nor a false positive.
    assert (counts["skills"].tp, counts["skills"].fp, counts["skills"].fn) == (1, 1, 1)
    assert counts["languages"].tp == 1


def test_only_stated_fields_are_scored() -> None:
    """A real set states a few fields: predictions for the others are not false positives."""
    truth = {
        "contact_info": {"name": "Ana Ruiz", "email": None, "linkedin": "linkedin.com/in/ana-ruiz"},
        "experience": [{"company": "Acme"}],
    }
    pred = {
        "contact_info": {"name": "Ana Ruiz", "email": "ana@example.com", "phone": "+34 612 345 678",
                         "linkedin": "https://es.linkedin.com/in/ana-ruiz/"},
        "experience": [{"company": "Acme"}],
        "education": [{"institution": "Universidad de Sevilla"}],
        "skills": ["Python"],
        "languages": [{"language": "Español"}],
    }
    counts, _, _ = score_document(pred, truth)
    assert set(counts) == {"name", "email", "linkedin", "experience"}
    # Stated as null: the CV has no e-mail, so a predicted one is wrong.
    assert (counts["email"].tp, counts["email"].fp) == (0, 1)
    assert counts["linkedin"].tp == 1
    pred["contact_info"]["linkedin"] = "linkedin.com/in/someone-else"
    counts, _, _ = score_document(pred, truth)
    assert (counts["linkedin"].fp, counts["linkedin"].fn) == (1, 1)


def test_values_are_judged_by_the_scoring_rules() -> None:
    pred = {
        "contact_info": {"name": "Jose Perez", "email": "other@example.com", "phone": "612345678"},
        "summary": "Not stated by the truth",
        "experience": [{"company": "ACME SL", "title": "Dev", "start_date": "2020-01"}, {"company": "Umbrella"}],
        "skills": ["python", "Docker", "Excel"],
        "languages": [{"language": "Espanol"}],
    }
    assert judge_values(pred, TRUTH) == {
        "/contact_info/name": True,
        "/contact_info/email": False,
        "/contact_info/phone": True,
        "/experience/0/company": True,
        "/experience/0/title": True,
        "/experience/0/start_date": False,  # the truth has no start
        "/experience/1/company": False,
        "/skills/0": True,
        "/skills/1": True,  # a tool named under a job
        "/skills/2": False,
        "/languages/0/language": True,
    }


def test_report_scores_stated_fields_per_group(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Ana Ruiz\nana@example.com\n", encoding="utf-8")
    truth = {"file": "a.txt", "layout": "plain", "family": "memo", "contact_info": {"name": "Ana Ruiz"}}
    (tmp_path / "a.txt.json").write_text(json.dumps(truth), encoding="utf-8")
    report = evaluate_dir(tmp_path, jobs=1)
    assert list(report["fields"]) == ["name"]
    assert report["macro_f1"] == 1.0
    assert "email" in report["not_scored"]
    assert report["by_family"]["memo"]["fields"]["name"]["f1"] == 1.0
    assert "by_language" not in report
    assert "family" in format_report(report)


def _write_corpus(folder: Path) -> None:
    (folder / "a.txt").write_text(
        "José Pérez\nDesarrollador\njose@example.com | +34 612 345 678\nEXPERIENCIA\n"
        "Desarrollador en Acme, S.L.\nenero 2020 - actualidad\nHABILIDADES\nPython, SQL\nIDIOMAS\nEspañol (nativo)\n",
        encoding="utf-8",
    )
    truth = {**TRUTH, "file": "a.txt", "layout": "txt", "language": "es"}
    truth["experience"] = truth["experience"][:1]
    truth["education"] = []
    (folder / "a.txt.json").write_text(json.dumps(truth), encoding="utf-8")


def test_evaluate_dir_and_cli(tmp_path: Path) -> None:
    _write_corpus(tmp_path)
    report = evaluate_dir(tmp_path, jobs=1)
    assert report["documents"] == 1
    assert report["fields"]["name"]["f1"] == 1.0
    assert report["by_layout"]["txt"]["macro_f1"] == report["macro_f1"]
    assert "by_family" not in report  # no truth names a family
    out = subprocess.run(
        [sys.executable, "-m", "cvs.extraction.evaluate", str(tmp_path), "--json", "--jobs", "1"],
        capture_output=True, text=True, check=True, cwd=REPO,
    )
    assert json.loads(out.stdout)["macro_f1"] == report["macro_f1"]
    evidence = report["evidence"]
    assert evidence["values"] > evidence["judged"] > 0
    assert 0 < evidence["with_span"] <= 1
    assert evidence["ece"] is not None and "ECE" in format_report(report)
    # The job title is in the text but the truth says "Dev": a wrong key value the queue misses.
    review = evidence["review"]
    assert {key: review[key] for key in ("threshold", "flagged_share", "wrong_key_values", "caught_share")} == {
        "threshold": 0.6, "flagged_share": 0.0, "wrong_key_values": 1, "caught_share": 0.0}
    [missed] = review["wrong"]  # each wrong key value is listed, with whether the queue flagged its job
    assert missed["file"] == "a.txt" and missed["error"].startswith("/experience/0/title") and missed["flagged"] is False


def test_fit_confidence_from_several_folders(tmp_path: Path) -> None:
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        _write_corpus(tmp_path / name)
    table_path = tmp_path / "confidence.json"
    subprocess.run(
        [sys.executable, "-m", "cvs.extraction.evaluate", str(tmp_path / "one"), str(tmp_path / "two"),
         "--jobs", "1", "--fit-confidence", str(table_path), "--reliability-png", str(tmp_path / "reliability.png")],
        capture_output=True, text=True, check=True, cwd=REPO,
    )
    table = json.loads(table_path.read_text(encoding="utf-8"))
    assert table["fitted_on"] == ["one", "two"]
    assert table["counts"]["contact_info.name|exact"] == [2, 2]
    assert (tmp_path / "reliability.png").read_bytes().startswith(b"\x89PNG")


def test_management_command(tmp_path: Path, capsys) -> None:
    pytest.importorskip("django")
    from django.conf import settings

    if not settings.configured:
        pytest.skip("Django settings are not configured")
    from django.core.management import call_command

    _write_corpus(tmp_path)
    call_command("evaluate_extraction", str(tmp_path), "--json", "--jobs", "1")
    assert json.loads(capsys.readouterr().out)["documents"] == 1


def test_data_written_as_truth_scores_perfectly_against_itself() -> None:
    from cvs.extraction.providers import extract_structured

    text = (
        "Ana Ruiz\nanalista@example.com | +34 612 345 678\nEXPERIENCIA\nAnalista en Acme, S.L.\nenero 2020 - actualidad\n"
        "EDUCACIÓN\nGrado en Economía, Universidad de Sevilla, 2015\nHABILIDADES\nPython, SQL\nIDIOMAS\nEspañol (nativo)\n"
    )
    data = extract_structured(text, provider="rules").data
    truth = data_to_truth(data, file_name="ana.PDF")
    assert truth["file"] == "ana.PDF" and truth["format"] == "pdf"
    assert truth["contact_info"]["email"] == "analista@example.com"
    counts, details, _ = score_document(data, truth)
    assert all(c.fp == 0 and c.fn == 0 for c in counts.values()), counts
    assert {"name", "email", "phone", "experience", "education", "skills", "languages"} <= set(counts)
    assert all(right == total for right, total in details.values()), details
