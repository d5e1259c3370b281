"""The clinical command line: JSON in, JSON out (shared/clinical-cli.md).

An interface only: it parses and checks the JSON, calls :mod:`kyphocare.clinical`, and renders
the result. Every rule lives in the clinical core.

Bad input exits with status 2, prints nothing on standard output and one line on standard error:
``error: <field path>: <what is wrong and what is allowed>``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import Any, TextIO, TypeVar

from kyphocare import clinical as c
from kyphocare.clinical.validation import parse_iso_date, show

COMMANDS: dict[str, str] = {
    "assess": "appropriateness of kyphoplasty for a patient's fractures (clinical-rules §2–6)",
    "grade": "vertebral morphometry → height loss, type and Genant grade (§5)",
    "score": "questionnaire score: `score rmdq FILE` or `score odi FILE` (§11)",
    "triage": "one check-in → triage level, reasons and patient message (§10)",
    "plan": "personalised recovery plan with dates and expected pain (§8, §9, §11)",
    "codes": "CPT codes for the levels of a kyphoplasty procedure (§7)",
}

_USAGE = {
    "assess": "assess FILE|-",
    "grade": "grade FILE|-",
    "score": "score rmdq|odi FILE|-",
    "triage": "triage FILE|-",
    "plan": "plan FILE|-",
    "codes": "codes FILE|-",
}

Error = c.ClinicalInputError

_DATE = "a date as 'YYYY-MM-DD'"
_HEIGHT = "a height in mm, greater than 0 and less than 60"
_REQUIRED = {
    "as_of": _DATE,
    "procedure_date": _DATE,
    "fractures": "a list of fracture objects (it may be empty)",
    "level": "a level such as 'L1' (T1–T12, L1–L5)",
    "levels": "a list of levels such as ['T12', 'L1'] (T1–T12, L1–L5)",
    "modality": "one of mri, ct, bone_scan, xray",
    "ha": _HEIGHT,
    "hm": _HEIGHT,
    "hp": _HEIGHT,
    "day": "days since the procedure, a whole number 0 or more",
    "ticked": "a list of ticked statement numbers 1–24",
    "sections": "a list of 10 section scores, each 0–5 or null",
}
E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


# ---------------------------------------------------------------------------------------------
# Reading JSON


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class _Obj:
    """A JSON object at ``path`` whose keys have been checked."""

    def __init__(
        self, data: object, path: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()
    ) -> None:
        if not isinstance(data, dict):
            raise Error(path or "input", f"must be a JSON object, got {show(data)}")
        unknown = sorted(k for k in data if k not in allowed)
        if unknown:
            raise Error(_join(path, unknown[0]), f"unknown key; allowed keys: {', '.join(allowed)}")
        for key in required:
            if data.get(key) is None:
                raise Error(_join(path, key), f"is required: {_REQUIRED[key]}")
        self.data: dict[str, object] = data
        self.path = path

    def at(self, key: str) -> str:
        """The path of ``key``."""
        return _join(self.path, key)

    def raw(self, key: str) -> Any:
        """The value as given (``None`` when absent); the clinical core checks its type."""
        return self.data.get(key)

    def date(self, key: str) -> Any:
        """An ISO date, or ``None``."""
        value = self.data.get(key)
        return None if value is None else parse_iso_date(self.at(key), value)

    def enum(self, key: str, kind: type[E]) -> E | None:
        """A member of ``kind`` by value, or ``None``."""
        value = self.data.get(key)
        if value is None:
            return None
        return _member(self.at(key), value, kind)

    def items(self, key: str) -> list[tuple[str, object]]:
        """A list's elements with their paths (``None`` counts as an empty list)."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise Error(self.at(key), f"must be a list, got {show(value)}")
        return [(f"{self.at(key)}[{i}]", item) for i, item in enumerate(value)]

    def keys_of(self, key: str, parse: Callable[[object, str], T]) -> list[T]:
        """A list of distinct keys, each parsed by ``parse(value, path)``."""
        out: list[T] = []
        for path, item in self.items(key):
            parsed = parse(item, path)
            if parsed in out:
                raise Error(path, f"{show(item)} is listed twice; list each once")
            out.append(parsed)
        return out


def _member(path: str, value: object, kind: type[E]) -> E:
    allowed = ", ".join(m.value for m in kind)
    if isinstance(value, str):
        try:
            return kind(value)
        except ValueError:
            pass
    raise Error(path, f"must be one of {allowed}, got {show(value)}")


def _build(path: str, make: Callable[[], T]) -> T:
    """Build a core object; its errors are placed under ``path``."""
    try:
        return make()
    except Error as exc:
        raise exc.within(path) from None


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise Error(key, "appears twice in the same object; give each key once")
        result[key] = value
    return result


def _reject_constant(name: str) -> object:
    raise Error("input", f"{name} is not allowed in JSON input; use a finite number")


def _read(source: str, stdin: TextIO) -> object:
    if source == "-":
        text = stdin.read()
    else:
        try:
            with open(source, encoding="utf-8") as handle:
                text = handle.read()
        except FileNotFoundError:
            raise Error("file", f"cannot read {source!r}: no such file") from None
        except UnicodeDecodeError:
            raise Error("file", f"cannot read {source!r}: not UTF-8 text") from None
        except OSError as exc:
            raise Error("file", f"cannot read {source!r}: {exc.strerror or exc}") from None
    try:
        return json.loads(
            text, object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        raise Error(
            "input", f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None


# ---------------------------------------------------------------------------------------------
# Commands


def _level(value: object, path: str) -> c.Level:
    return c.parse_level(value, path)


def _imaging(path: str, data: object) -> c.ImagingResult | None:
    if data is None:
        return None
    o = _Obj(data, path, ("modality", "date", "acute"), ("modality",))
    modality = _member(o.at("modality"), o.raw("modality"), c.ImagingModality)
    day = o.date("date")
    return _build(path, lambda: c.ImagingResult(modality, o.raw("acute"), day))


def _morphometry(path: str, data: object) -> c.Morphometry | None:
    if data is None:
        return None
    keys = ("ha", "hm", "hp", "hp_above", "hp_below")
    o = _Obj(data, path, keys, ("ha", "hm", "hp"))
    return _build(path, lambda: c.Morphometry(*(o.raw(k) for k in keys)))


def _fracture(path: str, data: object) -> c.FractureInput:
    o = _Obj(
        data,
        path,
        (
            "level",
            "onset",
            "imaging",
            "morphometry",
            "height_loss_pct",
            "kyphotic_deformity",
            "progression",
            "pain_correlates",
        ),
        ("level",),
    )
    level = c.parse_level(o.raw("level"), o.at("level"))
    onset = o.date("onset")
    imaging = _imaging(o.at("imaging"), o.raw("imaging"))
    morphometry = _morphometry(o.at("morphometry"), o.raw("morphometry"))
    return _build(
        path,
        lambda: c.FractureInput(
            level=level,
            onset=onset,
            imaging=imaging,
            morphometry=morphometry,
            height_loss_pct=o.raw("height_loss_pct"),
            kyphotic_deformity=o.raw("kyphotic_deformity"),
            progression=o.raw("progression"),
            pain_correlates=o.raw("pain_correlates"),
        ),
    )


# SPEC-NOTE: the contract does not list which fields are required. Required: assess as_of and
# fractures (may be empty), each fracture's level, imaging.modality; grade ha/hm/hp; score
# ticked/sections; triage day; plan procedure_date and levels; codes levels. Every other field
# may be omitted or null ("not recorded"); a null list counts as empty. A key listed twice in
# a list (signs, contraindications, symptoms, wound, levels, ticked) is rejected.


def _assess(data: object) -> dict[str, object]:
    o = _Obj(
        data,
        "",
        (
            "as_of",
            "age",
            "signs",
            "pain_nrs",
            "hospitalized_for_pain",
            "nsm_tried",
            "symptom_course",
            "rmdq",
            "cancer",
            "trauma",
            "contraindications",
            "fractures",
        ),
        ("as_of", "fractures"),
    )
    as_of = o.date("as_of")
    signs = o.keys_of("signs", lambda v, p: _member(p, v, c.Sign))
    contraindications = o.keys_of(
        "contraindications", lambda v, p: _member(p, v, c.Contraindication)
    )
    course = o.enum("symptom_course", c.SymptomCourse)
    cancer = o.enum("cancer", c.CancerStatus)
    trauma = o.enum("trauma", c.Trauma)
    fractures = [_fracture(path, item) for path, item in o.items("fractures")]
    inp = c.AssessmentInput(
        as_of=as_of,
        fractures=tuple(fractures),
        age=o.raw("age"),
        signs=frozenset(signs),
        pain_nrs=o.raw("pain_nrs"),
        hospitalized_for_pain=o.raw("hospitalized_for_pain"),
        nsm_tried=o.raw("nsm_tried"),
        symptom_course=course,
        rmdq=o.raw("rmdq"),
        cancer=cancer,
        trauma=trauma,
        contraindications=frozenset(contraindications),
    )
    a = c.assess(inp)
    return {
        "rules_version": a.rules_version,
        "vcf_probability": str(a.vcf_probability),
        "signs_count": a.signs_count,
        "imaging_advice": str(a.imaging_advice),
        "recommendation": str(a.recommendation),
        "requires_review": a.requires_review,
        "levels": [str(level) for level in a.levels],
        "contraindications": {
            "absolute": [str(x) for x in a.contraindications.absolute],
            "relative": [str(x) for x in a.contraindications.relative],
        },
        "fractures": [
            {
                "level": str(f.level),
                "age_days": f.age_days,
                "age_category": None if f.age_category is None else str(f.age_category),
                "height_loss_pct": f.height_loss_pct,
                "genant_grade": None if f.genant_grade is None else int(f.genant_grade),
                "criteria": {str(k): v for k, v in f.criteria.items()},
                "unfavorable_conditions": [str(u) for u in f.unfavorable_conditions],
                "recommendation": str(f.recommendation),
                "reasons": list(f.reasons),
                "missing": list(f.missing),
            }
            for f in a.fractures
        ],
        "reasons": list(a.reasons),
        "missing": list(a.missing),
        "next_steps": list(a.next_steps),
    }


def _grade(data: object) -> dict[str, object]:
    m = _morphometry("", data)
    if m is None:
        raise Error("input", "must be a JSON object with ha, hm and hp")
    r = c.grade_morphometry(m)
    return {
        "rules_version": r.rules_version,
        "height_loss_pct": r.height_loss_pct,
        "type": str(r.type),
        "genant_grade": int(r.genant_grade),
        "reductions": {"wedge": r.wedge_pct, "biconcave": r.biconcave_pct, "crush": r.crush_pct},
    }


def _score(instrument: str, data: object) -> dict[str, object]:
    if instrument == "rmdq":
        o = _Obj(data, "", ("ticked",), ("ticked",))
        ticked: list[Any] = [item for _, item in o.items("ticked")]
        rmdq = c.score_rmdq(ticked)
        return {"rules_version": rmdq.rules_version, "score": rmdq.score, "max": rmdq.max}
    o = _Obj(data, "", ("sections",), ("sections",))
    sections = o.raw("sections")
    if not isinstance(sections, list):
        raise Error("sections", f"must be a list of 10 entries (0–5 or null), got {show(sections)}")
    odi = c.score_odi(sections)
    return {
        "rules_version": odi.rules_version,
        "score_pct": odi.score_pct,
        "answered": odi.answered,
        "band": str(odi.band),
    }


def _triage(data: object) -> dict[str, object]:
    o = _Obj(
        data,
        "",
        (
            "day",
            "pain_nrs",
            "baseline_pain_nrs",
            "previous_pain_nrs",
            "temperature_c",
            "symptoms",
            "wound",
            "walking",
            "opioid_use",
            "rmdq",
            "baseline_rmdq",
        ),
        ("day",),
    )
    symptoms = o.keys_of("symptoms", lambda v, p: _member(p, v, c.Symptom))
    wound = o.keys_of("wound", lambda v, p: _member(p, v, c.WoundSign))
    checkin = c.CheckIn(
        day=o.raw("day"),
        pain_nrs=o.raw("pain_nrs"),
        baseline_pain_nrs=o.raw("baseline_pain_nrs"),
        previous_pain_nrs=o.raw("previous_pain_nrs"),
        temperature_c=o.raw("temperature_c"),
        symptoms=frozenset(symptoms),
        wound=frozenset(wound),
        walking=o.raw("walking"),
        opioid_use=o.raw("opioid_use"),
        rmdq=o.raw("rmdq"),
        baseline_rmdq=o.raw("baseline_rmdq"),
    )
    t = c.triage(checkin)
    return {
        "rules_version": t.rules_version,
        "level": str(t.level),
        "reasons": [{"code": str(r.code), "level": str(r.level)} for r in t.reasons],
        "patient_message": t.patient_message,
    }


def _plan(data: object) -> dict[str, object]:
    o = _Obj(
        data,
        "",
        (
            "procedure_date",
            "age",
            "levels",
            "asa_class",
            "genant_grade",
            "kyphosis_deg",
            "fracture_age_days",
            "osteoporosis_treatment",
            "depression",
            "baseline_pain_nrs",
        ),
        ("procedure_date", "levels"),
    )
    procedure_date = o.date("procedure_date")
    levels = o.keys_of("levels", _level)
    if not levels:
        raise Error("levels", "must list at least one treated level")
    inp = c.PlanInput(
        procedure_date=procedure_date,
        levels=tuple(levels),
        age=o.raw("age"),
        asa_class=o.raw("asa_class"),
        genant_grade=o.raw("genant_grade"),
        kyphosis_deg=o.raw("kyphosis_deg"),
        fracture_age_days=o.raw("fracture_age_days"),
        osteoporosis_treatment=o.raw("osteoporosis_treatment"),
        depression=o.raw("depression"),
        baseline_pain_nrs=o.raw("baseline_pain_nrs"),
    )
    p = c.recovery_plan(inp)
    normal = p.return_to_normal_activities
    out: dict[str, object] = {
        "rules_version": p.rules_version,
        "phases": [
            {
                "key": str(ph.phase.key),
                "start": ph.start.isoformat(),
                "end": None if ph.end is None else ph.end.isoformat(),
            }
            for ph in p.phases
        ],
        "factors": [str(f) for f in p.factors],
        "return_to_normal_activities": {
            "start": normal.window.start.isoformat(),
            "end": None if normal.window.end is None else normal.window.end.isoformat(),
            "longer_recovery_likely": normal.longer_recovery_likely,
        },
        "follow_up_visit": {
            "start": p.follow_up_visit.start.isoformat(),
            "end": None if p.follow_up_visit.end is None else p.follow_up_visit.end.isoformat(),
        },
        "bone_health_by": p.bone_health_by.isoformat(),
        "questionnaires": [
            {"instrument": str(q.instrument), "due": q.due.isoformat()} for q in p.questionnaires
        ],
    }
    if p.expected_pain is not None:
        out["expected_pain"] = [{"day": pt.day, "nrs": pt.value} for pt in p.expected_pain.points]
    return out


def _codes(data: object) -> dict[str, object]:
    o = _Obj(data, "", ("levels",), ("levels",))
    levels = o.keys_of("levels", _level)
    r = c.cpt_codes(levels)
    return {
        "rules_version": r.rules_version,
        "codes": [{"code": str(line.code), "level": str(line.level)} for line in r.codes],
    }


_HANDLERS: dict[str, Callable[[object], dict[str, object]]] = {
    "assess": _assess,
    "grade": _grade,
    "triage": _triage,
    "plan": _plan,
    "codes": _codes,
}


# ---------------------------------------------------------------------------------------------
# Entry point


def help_text() -> str:
    """The list of commands, for ``--help``."""
    width = max(len(u) for u in _USAGE.values())
    lines = ["usage: kyphocare COMMAND [ARGS] FILE|-", "", "clinical commands (JSON in, JSON out):"]
    lines += [f"  {_USAGE[name]:<{width}}  {text}" for name, text in COMMANDS.items()]
    lines += [
        "",
        "FILE is a path to one JSON object, or - for standard input. Output is one JSON object.",
        "Bad input exits 2 with one line on standard error: error: <field>: <what is allowed>.",
    ]
    return "\n".join(lines) + "\n"


class _Help(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _dispatch(argv: list[str], stdin: TextIO) -> dict[str, object]:
    if not argv or argv[0] in ("-h", "--help", "help"):
        if not argv:
            raise Error("command", f"missing; use one of: {', '.join(COMMANDS)} (or --help)")
        raise _Help(help_text())
    command, args = argv[0], argv[1:]
    if command not in COMMANDS:
        raise Error("command", f"unknown command {command!r}; use one of: {', '.join(COMMANDS)}")
    if any(a in ("-h", "--help") for a in args):
        raise _Help(f"usage: kyphocare {_USAGE[command]}\n\n{COMMANDS[command]}\n")
    expected = 2 if command == "score" else 1
    if len(args) != expected:
        raise Error(
            "arguments", f"expected `kyphocare {_USAGE[command]}`, got {len(args)} argument(s)"
        )
    if command == "score":
        instrument = args[0]
        if instrument not in ("rmdq", "odi"):
            raise Error("instrument", f"unknown questionnaire {instrument!r}; use rmdq or odi")
        return _score(instrument, _read(args[1], stdin))
    return _HANDLERS[command](_read(args[0], stdin))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def main(
    argv: list[str],
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run one clinical command; return the exit status (0 ok, 2 bad input, 1 internal error)."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    source = stdin if stdin is not None else sys.stdin
    try:
        result = _dispatch(list(argv), source)
        text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    except _Help as h:
        out.write(h.text)
        return 0
    except Error as exc:
        err.write(f"error: {_one_line(str(exc))}\n")
        return 2
    except RecursionError:
        err.write("error: input: nested too deeply\n")
        return 2
    except Exception as exc:  # never a traceback
        err.write(f"error: internal: {type(exc).__name__}: {_one_line(str(exc))}\n")
        return 1
    out.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
