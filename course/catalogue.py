"""The course's modules, in order: the single list the README table and the start page are checked against."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Module:
    """One notebook module."""

    stem: str
    title: str
    summary: str
    minutes: int  # the core path's time by the time model plus ~3 min headroom, rounded up to 5 (tests/test_time_model.py)

    @property
    def number(self) -> str:
        """The reading-order number shown to learners: ``03`` for ``03_…``, ``03a`` for a slotted-in ``03a_…``."""
        return self.stem.split("_", 1)[0]


MODULES: tuple[Module, ...] = (
    Module("00_start_here", "Start here", "How the course works, the educational-use notice, an environment check and a first self-check.", 15),
    Module("01_anatomy_and_epidemiology", "Spinal anatomy and epidemiology", "The column, the vertebra, cord, conus and cauda equina, blood supply; where metastases land and how often, with the sources' disagreements.", 45),
    Module("02_spread_to_the_spine", "Spread to the spine", "Arterial, venous (Batson plexus), direct and lymphatic spread; a venous network model with flow reversal on coughing or straining; RANK/RANKL.", 55),
    Module("03_clinical_presentation", "Clinical presentation and neurological localisation", "Pain patterns, neurological and autonomic symptoms, red flags, dermatomes/myotomes/reflexes, localisation and triage.", 50),
    Module("03a_mscc_emergency", "The MSCC emergency, hour by hour", "Who is on the pathway, the calls and clocks, whole-spine MRI, spinal precautions, bladder and supportive care, dexamethasone and its caveats, MSCC as the first sign of cancer; a \"time is spine\" teaching model.", 45),
    Module("03b_neurological_examination", "The neurological examination and ISNCSCI", "MRC power grades, key sensory points (S3, S4-5), reflexes, tone and clonus, the rectal examination, the ISNCSCI classification and AIS grade with an interactive worksheet, and the autonomic emergencies.", 40),
    Module("04_imaging_and_diagnosis", "Imaging and diagnosis", "MRI, CT, X-ray, PET, bone scan and myelography on a synthetic spine with real DICOM; windowing; ESCC grading; blood tests and biopsy.", 60),
    Module("05_classification_and_scoring", "Classification and scoring", "Compartments; SINS, ESCC, NOMS, revised Tokuhashi, Tomita, Frankel/ASIA and KPS/ECOG with interactive calculators.", 60),
    Module("05a_prognosis", "Prognosis and the conversation about it", "NESMS, new Katagiri, Rades and SORG beside the legacy scores; judging a score by discrimination, calibration and decision curves on a synthetic cohort; a goals-of-care and breaking-news exercise.", 45),
    Module("06_treatment", "Treatment", "Steroids, pain, bone-targeted and systemic therapy, radiotherapy with BED/EQD2 and cord limits, surgery, and the NOMS decision.", 70),
    Module("07_complications_and_rehabilitation", "Complications, rehabilitation and living with spinal metastases", "Disease- and treatment-related complications, hypercalcaemia, rehabilitation, supportive care, prevention and living with the disease.", 65),
    Module("08_capstone_cases", "Capstone: the multidisciplinary decision", "Synthetic patients decided step by step — imaging, dexamethasone, stability, prognosis, surgery or not, embolisation, radiotherapy schedule, supportive care, rehabilitation — with branching consequences and scores that must be overridden.", 55),
)


def notebooks_dir() -> Path:
    """The ``notebooks/`` folder of a source checkout."""
    return Path(__file__).resolve().parent.parent / "notebooks"


def module(stem: str) -> Module:
    """Look up a module by notebook stem.

    Raises:
        ValueError: for an unknown stem, listing the accepted stems.
    """
    for m in MODULES:
        if m.stem == stem:
            return m
    raise ValueError(f"stem: {stem!r}; accepted: {[m.stem for m in MODULES]}")


def markdown_table(link_dir: str = "notebooks/") -> str:
    """The module table, as Markdown.

    ``link_dir`` is the path from the page showing the table to ``notebooks/``: the default suits
    the README (repository root); the start page, itself in ``notebooks/``, passes ``""``.
    """
    rows = ["| # | Module | What you learn | Time |", "|---|---|---|---|"]
    for m in MODULES:
        rows.append(f"| {m.number} | [{m.title}]({link_dir}{m.stem}.ipynb) | {m.summary} | {m.minutes} min |")
    return "\n".join(rows)


# ----------------------------------------------------------------------------------------------
# The time model (docs/CONVENTIONS.md, "Time model") — one model for every module
# ----------------------------------------------------------------------------------------------
#: Reading speed for the course's prose (Markdown cells), in words per minute: careful reading of
#: technical text, slower than leisure reading.
WORDS_PER_MINUTE = 150
#: Minutes per interactive: a code cell whose last line builds a widget the learner explores (a bare call of a
#: class, ``SpineExplorer()`` or ``cases_apps.DecisionRunner("renal_t10")``; display helpers and ``…Check``
#: questions excluded).
MINUTES_PER_INTERACTIVE = 4.0
#: Minutes per self-check question (each item of ``quiz(...)``, each ``self_check(...)`` or ``…Check(...)``,
#: and each decision of the capstone case a ``DecisionRunner`` opens).
MINUTES_PER_QUESTION = 1.5
#: Headings whose sections are not on the core path: "Going further (optional)" and the reference list.
OPTIONAL_HEADING = re.compile(r"^(#{2,4})\s+(?:\d+\.\s+)?(Going further\b.*|References\s*)$", re.I)

_INTERACTIVE = re.compile(r"^(?:\w+\.)*([A-Z]\w*)\((.*)\)\s*;?\s*$")
_NOT_INTERACTIVE = {"Markdown", "HTML", "Image", "Math", "Latex"}
_QUIZ = re.compile(r"\bquiz\(\s*[\"']([\w]+)[\"']\s*(?:,\s*\[(?P<ids>[^\]]*)\])?\s*\)", re.S)
_SINGLE_CHECKS = re.compile(r"\bself_check\(|\b\w*Check\((?!\))")


@dataclass(frozen=True)
class CoreTime:
    """The core path's time for one module (optional "Going further" sections excluded)."""

    words: int
    interactives: int
    questions: int
    optional_words: int

    @property
    def minutes(self) -> float:
        return (self.words / WORDS_PER_MINUTE + self.interactives * MINUTES_PER_INTERACTIVE
                + self.questions * MINUTES_PER_QUESTION)


def _bank_size(bank: str) -> int:
    from course.quiz import load_bank

    return len(load_bank(bank).questions)


def core_time(stem: str, notebook_dir: Path | None = None) -> CoreTime:
    """Count a module's core path from its notebook: prose words, interactives and questions, outside any
    ``## Going further (optional)`` section (and the reference list), with the model's constants.

    Raises:
        ValueError: for an unknown stem.
    """
    import nbformat

    module(stem)
    nb = nbformat.read(str((notebook_dir or notebooks_dir()) / f"{stem}.ipynb"), as_version=4)
    words = optional = interactives = questions = 0
    skip_level = 0  # heading level of the optional section we are in (0: on the core path)
    for cell in nb.cells:
        src = cell.source
        if cell.cell_type == "markdown":
            first = src.lstrip().splitlines()[0] if src.strip() else ""
            m = re.match(r"^(#{1,6})\s", first)
            if m and skip_level and len(m.group(1)) <= skip_level:
                skip_level = 0
            om = OPTIONAL_HEADING.match(first)
            if om:
                skip_level = len(om.group(1))
            n = len(re.sub(r"[#*_`|>\-]+", " ", src).split())
            if skip_level:
                optional += n
            else:
                words += n
            continue
        if cell.cell_type != "code" or skip_level:
            continue
        code = "\n".join(line for line in src.splitlines() if not line.lstrip().startswith(("import ", "from ", "#")))
        lines = [line for line in code.splitlines() if line.strip()]
        last = _INTERACTIVE.match(lines[-1].strip()) if lines else None
        if last and last.group(1) == "DecisionRunner":  # the capstone: each decision of the case it opens
            from course.case_decisions import walk

            questions += len(walk(last.group(2).strip().strip("\"'") or "renal_t10", {}))
        elif last and last.group(1) not in _NOT_INTERACTIVE and not last.group(1).endswith("Check"):
            interactives += 1
        for q in _QUIZ.finditer(code):
            ids = q.group("ids")
            questions += len(re.findall(r"[\"'](\w+)[\"']", ids)) if ids is not None else _bank_size(q.group(1))
        questions += len(_SINGLE_CHECKS.findall(code))
    return CoreTime(words, interactives, questions, optional)


def core_minutes(stem: str) -> int:
    """A module's core-path minutes by the time model, rounded up to whole minutes."""
    import math

    return math.ceil(core_time(stem).minutes)
