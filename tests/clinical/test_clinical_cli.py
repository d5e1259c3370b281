"""The clinical command line (shared/clinical-cli.md): every command, its output shape, and
bad input (exit 2, nothing on stdout, one `error: <field>: ...` line on stderr)."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest

from kyphocare.clinical_cli import COMMANDS, main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

DOCUMENTED_ASSESS = {
    "as_of": "2026-11-21",
    "age": 78,
    "signs": ["midline_back_pain", "pain_with_movement"],
    "pain_nrs": 7,
    "hospitalized_for_pain": False,
    "nsm_tried": True,
    "symptom_course": "stable",
    "rmdq": 18,
    "cancer": "none",
    "trauma": "low_energy",
    "contraindications": [],
    "fractures": [
        {
            "level": "L1",
            "onset": "2026-10-20",
            "imaging": {"modality": "mri", "date": "2026-10-28", "acute": True},
            "morphometry": {"ha": 18.0, "hm": 21.0, "hp": 26.0, "hp_above": 27.0, "hp_below": 28.0},
            "height_loss_pct": None,
            "kyphotic_deformity": False,
            "progression": False,
            "pain_correlates": True,
        }
    ],
}
TRIAGE = {
    "day": 5,
    "pain_nrs": 6,
    "baseline_pain_nrs": 8,
    "previous_pain_nrs": 5,
    "temperature_c": 37.2,
    "symptoms": ["new_numbness_tingling"],
    "wound": [],
    "walking": True,
    "opioid_use": False,
    "rmdq": None,
    "baseline_rmdq": None,
}
PLAN = {
    "procedure_date": "2026-11-20",
    "age": 82,
    "levels": ["T12", "L1"],
    "asa_class": 2,
    "genant_grade": 3,
    "kyphosis_deg": None,
    "fracture_age_days": 20,
    "osteoporosis_treatment": True,
    "depression": False,
    "baseline_pain_nrs": 8,
}
GRADE = {"ha": 18.0, "hm": 21.0, "hp": 26.0, "hp_above": 27.0, "hp_below": 28.0}


def run(argv, payload=None, text=None):
    """Run main() in-process; payload is JSON-encoded onto stdin."""
    stdin = StringIO(text if text is not None else json.dumps(payload))
    out, err = StringIO(), StringIO()
    code = main(argv, stdin=stdin, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def ok(argv, payload):
    code, out, err = run(argv, payload)
    assert (code, err) == (0, ""), err
    assert out.endswith("}\n")
    data = json.loads(out)
    assert data["rules_version"] == "2026.1"
    assert out == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return data


def bad(argv, payload=None, text=None, field=None):
    code, out, err = run(argv, payload, text)
    assert code == 2
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("error: ")
    if field is not None:
        assert err.startswith(f"error: {field}: "), err
    assert "Traceback" not in err
    return err


# --- the commands ----------------------------------------------------------------------------


def test_commands_are_the_six_of_the_contract():
    assert list(COMMANDS) == ["assess", "grade", "score", "triage", "plan", "codes"]


def test_assess_documented_example():
    """clinical-cli.md assess example output: appropriate, 30.8 %, grade 2, 32 days,
    [height_loss_over_25, rmdq_over_17]."""
    data = ok(["assess", "-"], DOCUMENTED_ASSESS)
    assert list(data) == [
        "rules_version",
        "vcf_probability",
        "signs_count",
        "imaging_advice",
        "recommendation",
        "requires_review",
        "levels",
        "contraindications",
        "fractures",
        "reasons",
        "missing",
        "next_steps",
    ]
    assert data["recommendation"] == "appropriate"
    assert (data["vcf_probability"], data["signs_count"], data["imaging_advice"]) == (
        "low",
        2,
        "done",
    )
    assert data["levels"] == ["L1"]
    assert data["requires_review"] is False
    assert data["contraindications"] == {"absolute": [], "relative": []}
    (f,) = data["fractures"]
    assert f["height_loss_pct"] == 30.8
    assert f["genant_grade"] == 2
    assert f["age_days"] == 32
    assert f["age_category"] == "acute"
    assert f["unfavorable_conditions"] == ["height_loss_over_25", "rmdq_over_17"]
    assert f["criteria"] == {
        "A_fracture_age": True,
        "B_imaging": True,
        "C_correlation": True,
        "D_severity": True,
    }
    assert f["recommendation"] == "appropriate"
    assert f["reasons"] and f["missing"] == []
    assert data["reasons"] and data["next_steps"] and data["missing"] == []


def test_assess_incomplete_lists_missing_and_nulls():
    payload = dict(DOCUMENTED_ASSESS, fractures=[{"level": "T12", "imaging": None}])
    data = ok(["assess", "-"], payload)
    assert data["recommendation"] == "incomplete"
    f = data["fractures"][0]
    assert (f["age_days"], f["age_category"], f["height_loss_pct"], f["genant_grade"]) == (
        None,
        None,
        None,
        None,
    )
    assert f["criteria"]["B_imaging"] is None
    assert any("obtain MRI" in m for m in data["missing"])


def test_assess_with_a_relative_contraindication():
    payload = dict(DOCUMENTED_ASSESS, contraindications=["uncorrected_coagulopathy"])
    data = ok(["assess", "-"], payload)
    assert data["recommendation"] == "appropriate"
    assert data["requires_review"] is True
    assert data["contraindications"]["relative"] == ["uncorrected_coagulopathy"]


def test_grade():
    data = ok(["grade", "-"], GRADE)
    assert data == {
        "rules_version": "2026.1",
        "height_loss_pct": 30.8,
        "type": "wedge",
        "genant_grade": 2,
        "reductions": {"wedge": 30.8, "biconcave": 19.2, "crush": 5.5},
    }
    no_ref = ok(["grade", "-"], {"ha": 18, "hm": 21, "hp": 26})
    assert no_ref["reductions"]["crush"] is None


def test_score_rmdq_and_odi():
    assert ok(["score", "rmdq", "-"], {"ticked": [1, 4, 7]}) == {
        "rules_version": "2026.1",
        "score": 3,
        "max": 24,
    }
    assert ok(["score", "odi", "-"], {"sections": [0, 1, 2, None, 3, 2, 1, 0, 2, 1]}) == {
        "rules_version": "2026.1",
        "score_pct": 26.7,
        "answered": 9,
        "band": "moderate",
    }


def test_triage():
    data = ok(["triage", "-"], TRIAGE)
    assert data["level"] == "urgent"
    assert data["reasons"] == [{"code": "new_numbness_tingling", "level": "urgent"}]
    assert "care team today" in data["patient_message"]
    emergency = ok(["triage", "-"], {"day": 1, "symptoms": ["chest_pain"]})
    assert emergency["patient_message"].startswith("Call 911 now.")
    calm = ok(["triage", "-"], {"day": 2})
    assert (calm["level"], calm["reasons"]) == ("none", [])


def test_plan():
    data = ok(["plan", "-"], PLAN)
    assert [p["key"] for p in data["phases"]] == [
        "procedure_day",
        "first_48_hours",
        "first_week",
        "return_to_activity",
        "strengthening",
        "long_term",
    ]
    assert data["phases"][0] == {"key": "procedure_day", "start": "2026-11-20", "end": "2026-11-20"}
    assert data["phases"][-1]["end"] is None
    assert data["factors"] == ["age_80_plus", "severe_collapse", "multiple_levels"]
    assert data["return_to_normal_activities"] == {
        "start": "2026-12-18",
        "end": "2026-12-25",
        "longer_recovery_likely": False,
    }
    assert data["follow_up_visit"] == {"start": "2026-12-04", "end": "2026-12-18"}
    assert data["bone_health_by"] == "2027-02-18"
    assert data["questionnaires"][0] == {"instrument": "rmdq", "due": "2026-11-20"}
    assert {q["instrument"] for q in data["questionnaires"]} == {"nrs", "rmdq"}
    assert [p["day"] for p in data["expected_pain"]] == [0, 2, 7, 14, 30, 60, 90, 180, 365]
    assert data["expected_pain"][0] == {"day": 0, "nrs": 8.0}
    without = ok(["plan", "-"], {"procedure_date": "2026-11-20", "levels": ["L1"]})
    assert "expected_pain" not in without


def test_codes():
    assert ok(["codes", "-"], {"levels": ["L1", "L2"]}) == {
        "rules_version": "2026.1",
        "codes": [{"code": "22514", "level": "L1"}, {"code": "22515", "level": "L2"}],
    }
    mixed = ok(["codes", "-"], {"levels": ["T12", "L1"]})
    assert mixed["codes"][0] == {"code": "22513", "level": "T12"}


def test_reads_a_file(tmp_path):
    path = tmp_path / "in.json"
    path.write_text(json.dumps(GRADE), encoding="utf-8")
    out, err = StringIO(), StringIO()
    assert main(["grade", str(path)], stdout=out, stderr=err) == 0
    assert json.loads(out.getvalue())["genant_grade"] == 2


def test_help_lists_the_commands():
    for flag in ("--help", "-h"):
        code, out, err = run([flag], {})
        assert (code, err) == (0, "")
        for name in COMMANDS:
            assert name in out
    code, out, _ = run(["score", "--help"], {})
    assert code == 0 and "score rmdq|odi" in out


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "payload", "field"),
    [
        # unknown keys
        (["assess", "-"], dict(DOCUMENTED_ASSESS, colour="red"), "colour"),
        (
            ["assess", "-"],
            dict(DOCUMENTED_ASSESS, fractures=[{"level": "L1", "size": 3}]),
            "fractures[0].size",
        ),
        (
            ["assess", "-"],
            dict(
                DOCUMENTED_ASSESS,
                fractures=[{"level": "L1", "imaging": {"modality": "mri", "oedema": True}}],
            ),
            "fractures[0].imaging.oedema",
        ),
        (["grade", "-"], dict(GRADE, hx=1), "hx"),
        (["triage", "-"], dict(TRIAGE, mood="ok"), "mood"),
        (["plan", "-"], dict(PLAN, bmi=22), "bmi"),
        (["codes", "-"], {"levels": ["L1"], "approach": "x"}, "approach"),
        (["score", "rmdq", "-"], {"ticked": [], "extra": 1}, "extra"),
        # wrong types (bool is not int; floats are not ints)
        (["assess", "-"], dict(DOCUMENTED_ASSESS, age=True), "age"),
        (["assess", "-"], dict(DOCUMENTED_ASSESS, pain_nrs=7.0), "pain_nrs"),
        (["assess", "-"], dict(DOCUMENTED_ASSESS, pain_nrs="7"), "pain_nrs"),
        (["assess", "-"], dict(DOCUMENTED_ASSESS, nsm_tried="yes"), "nsm_tried"),
        (["assess", "-"], dict(DOCUMENTED_ASSESS, signs="midline_back_pain"), "signs"),
        (["assess", "-"], dict(DOCUMENTED_ASSESS, fractures=["L1"]), "fractures[0]"),
        (["grade", "-"], dict(GRADE, ha="18"), "ha"),
        (["grade", "-"], dict(GRADE, hm=False), "hm"),
        (["triage", "-"], dict(TRIAGE, walking=1), "walking"),
        (["triage", "-"], dict(TRIAGE, day=1.5), "day"),
        (["plan", "-"], dict(PLAN, genant_grade="3"), "genant_grade"),
        (["score", "odi", "-"], {"sections": "0123456789"}, "sections"),
        (["score", "rmdq", "-"], {"ticked": [1.0]}, "ticked[0]"),
        # out-of-range values
        (["assess", "-"], dict(DOCUMENTED_ASSESS, pain_nrs=11), "pain_nrs"),
        (["assess", "-"], dict(DOCUMENTED_ASSESS, rmdq=25), "rmdq"),
        (["assess", "-"], dict(DOCUMENTED_ASSESS, age=-1), "age"),
        (
            ["assess", "-"],
            dict(
                DOCUMENTED_ASSESS,
                fractures=[{"level": "L1", "morphometry": {"ha": 60, "hm": 20, "hp": 20}}],
            ),
            "fractures[0].morphometry.ha",
        ),
        (["grade", "-"], dict(GRADE, hp=0), "hp"),
        (["triage", "-"], dict(TRIAGE, day=-1), "day"),
        (["triage", "-"], dict(TRIAGE, temperature_c=47), "temperature_c"),
        (["plan", "-"], dict(PLAN, asa_class=7), "asa_class"),
        (["score", "rmdq", "-"], {"ticked": [25]}, "ticked[0]"),
        (["score", "rmdq", "-"], {"ticked": [2, 2]}, "ticked[1]"),
        (["score", "odi", "-"], {"sections": [1] * 9}, "sections"),
        (["score", "odi", "-"], {"sections": [1] * 9 + [6]}, "sections[9]"),
        # unknown levels and keys
        (
            ["assess", "-"],
            dict(DOCUMENTED_ASSESS, fractures=[{"level": "C5"}]),
            "fractures[0].level",
        ),
        (["assess", "-"], dict(DOCUMENTED_ASSESS, signs=["back_ache"]), "signs[0]"),
        (
            ["assess", "-"],
            dict(DOCUMENTED_ASSESS, contraindications=["allergy"]),
            "contraindications[0]",
        ),
        (["assess", "-"], dict(DOCUMENTED_ASSESS, cancer="maybe"), "cancer"),
        (["assess", "-"], dict(DOCUMENTED_ASSESS, symptom_course="worse"), "symptom_course"),
        (
            ["assess", "-"],
            dict(DOCUMENTED_ASSESS, fractures=[{"level": "L1", "imaging": {"modality": "pet"}}]),
            "fractures[0].imaging.modality",
        ),
        (["triage", "-"], dict(TRIAGE, symptoms=["hiccups"]), "symptoms[0]"),
        (["triage", "-"], dict(TRIAGE, wound=["itch"]), "wound[0]"),
        (["plan", "-"], dict(PLAN, levels=["S1"]), "levels[0]"),
        (["codes", "-"], {"levels": ["C7"]}, "levels[0]"),
        (["codes", "-"], {"levels": ["L1", "L1"]}, "levels[1]"),
        (["codes", "-"], {"levels": []}, "levels"),
        # bad dates
        (["assess", "-"], dict(DOCUMENTED_ASSESS, as_of="2026-02-30"), "as_of"),
        (["assess", "-"], dict(DOCUMENTED_ASSESS, as_of="21/11/2026"), "as_of"),
        (["assess", "-"], dict(DOCUMENTED_ASSESS, as_of=20261121), "as_of"),
        (
            ["assess", "-"],
            dict(DOCUMENTED_ASSESS, fractures=[{"level": "L1", "onset": "2026-12-01"}]),
            "fractures[0].onset",
        ),
        (["plan", "-"], dict(PLAN, procedure_date="2026-W47-5"), "procedure_date"),
        # missing required fields
        (["assess", "-"], {k: v for k, v in DOCUMENTED_ASSESS.items() if k != "as_of"}, "as_of"),
        (["assess", "-"], dict(DOCUMENTED_ASSESS, fractures=None), "fractures"),
        (
            ["assess", "-"],
            dict(DOCUMENTED_ASSESS, fractures=[{"onset": "2026-10-20"}]),
            "fractures[0].level",
        ),
        (["grade", "-"], {"ha": 18, "hm": 21}, "hp"),
        (["triage", "-"], {"pain_nrs": 3}, "day"),
        (["plan", "-"], {"levels": ["L1"]}, "procedure_date"),
        (["score", "odi", "-"], {}, "sections"),
        # not an object
        (["grade", "-"], [18, 21, 26], "input"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_field(argv, payload, field):
    bad(argv, payload, field=field)


def test_level_message_matches_the_contract():
    err = bad(["assess", "-"], dict(DOCUMENTED_ASSESS, fractures=[{"level": "C5"}]))
    assert err == (
        "error: fractures[0].level: 'C5' is not a thoracic or lumbar level (T1–T12, L1–L5)\n"
    )


def test_odi_with_fewer_than_8_answered_says_so():
    err = bad(["score", "odi", "-"], {"sections": [1] * 7 + [None] * 3}, field="sections")
    assert "only 7 of 10 sections answered" in err


def test_ints_are_accepted_where_floats_are_allowed():
    assert ok(["grade", "-"], {"ha": 18, "hm": 21, "hp": 26})["height_loss_pct"] == 30.8
    assert ok(["triage", "-"], {"day": 3, "temperature_c": 38})["level"] == "urgent"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('{"ha": 18, "hm": 21,', "input"),
        ("", "input"),
        ("not json", "input"),
        ('{"ha": NaN, "hm": 21, "hp": 26}', "input"),
        ('{"ha": 18, "ha": 19, "hm": 21, "hp": 26}', "ha"),
        ('{"ha": 1e400, "hm": 21, "hp": 26}', "ha"),
    ],
)
def test_malformed_json(text, field):
    err = bad(["grade", "-"], text=text, field=field)
    if field == "input" and text.startswith('{"ha": 18, "hm"'):
        assert "malformed JSON at line 1" in err


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        ([], "command"),
        (["diagnose", "-"], "command"),
        (["grade"], "arguments"),
        (["grade", "a.json", "b.json"], "arguments"),
        (["score", "-"], "arguments"),
        (["score", "sf36", "-"], "instrument"),
        (["grade", "/nonexistent/kyphocare/in.json"], "file"),
    ],
)
def test_usage_errors(argv, field):
    bad(argv, {}, field=field)


def test_a_directory_is_not_a_file(tmp_path):
    bad(["grade", str(tmp_path)], {}, field="file")


# --- the examples and the module entry point -------------------------------------------------


def example_argv(path):
    stem = path.stem
    if stem.startswith("score-"):
        return ["score", stem.removeprefix("score-"), str(path)]
    return [stem, str(path)]


def test_there_is_an_example_for_every_command():
    stems = {p.stem for p in EXAMPLES.glob("*.json")}
    assert stems == {"assess", "grade", "score-rmdq", "score-odi", "triage", "plan", "codes"}


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_every_example_runs(path):
    out, err = StringIO(), StringIO()
    assert main(example_argv(path), stdout=out, stderr=err) == 0, err.getvalue()
    assert json.loads(out.getvalue())["rules_version"] == "2026.1"


def test_the_assess_example_is_the_documented_one():
    assert json.loads((EXAMPLES / "assess.json").read_text(encoding="utf-8")) == DOCUMENTED_ASSESS


def module(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "kyphocare.clinical_cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_module_runs_the_assess_example():
    proc = module("assess", str(EXAMPLES / "assess.json"))
    assert (proc.returncode, proc.stderr) == (0, "")
    data = json.loads(proc.stdout)
    assert data["recommendation"] == "appropriate"
    assert data["fractures"][0]["height_loss_pct"] == 30.8


def test_module_reads_stdin():
    proc = module("score", "rmdq", "-", stdin='{"ticked": [2, 3]}')
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["score"] == 2


def test_module_bad_level_exits_2_without_traceback():
    payload = dict(DOCUMENTED_ASSESS, fractures=[{"level": "C5"}])
    proc = module("assess", "-", stdin=json.dumps(payload))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == (
        "error: fractures[0].level: 'C5' is not a thoracic or lumbar level (T1–T12, L1–L5)\n"
    )


def test_module_malformed_json_and_missing_file():
    proc = module("grade", "-", stdin="{")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr.startswith("error: input: malformed JSON")
    assert proc.stderr.count("\n") == 1
    proc = module("codes", "no-such-file.json")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr.startswith("error: file: ")


def test_module_help():
    proc = module("--help")
    assert proc.returncode == 0
    assert all(name in proc.stdout for name in COMMANDS)


def test_docs_show_the_actual_output_of_every_example():
    """docs/clinical-rules.md pastes each example's output; it must stay what the CLI prints."""
    text = (ROOT / "docs" / "clinical-rules.md").read_text(encoding="utf-8")
    for path in sorted(EXAMPLES.glob("*.json")):
        marker = f"<!-- output: {path.stem} -->\n```json\n"
        assert marker in text, path.stem
        documented = text.split(marker, 1)[1].split("\n```", 1)[0] + "\n"
        out, err = StringIO(), StringIO()
        assert main(example_argv(path), stdout=out, stderr=err) == 0
        assert documented == out.getvalue(), path.stem
