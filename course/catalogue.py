"""The course's modules, in order: the single list the README table and the start page are checked against."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Module:
    """One notebook module."""

    stem: str
    title: str
    summary: str
    minutes: int  # suggested study time

    @property
    def number(self) -> str:
        """The reading-order number shown to learners: ``03`` for ``03_…``, ``03a`` for a slotted-in ``03a_…``."""
        return self.stem.split("_", 1)[0]


MODULES: tuple[Module, ...] = (
    Module("00_start_here", "Start here", "How the course works, the educational-use notice, an environment check and a first self-check.", 10),
    Module("01_anatomy_and_epidemiology", "Spinal anatomy and epidemiology", "The column, the vertebra, cord, conus and cauda equina, blood supply; where metastases land and how often, with the sources' disagreements.", 45),
    Module("02_spread_to_the_spine", "Spread to the spine", "Arterial, venous (Batson plexus), direct and lymphatic spread; a venous network model with flow reversal on coughing or straining; RANK/RANKL.", 45),
    Module("03_clinical_presentation", "Clinical presentation and neurological localisation", "Pain patterns, neurological and autonomic symptoms, red flags, dermatomes/myotomes/reflexes, localisation and triage.", 50),
    Module("03a_mscc_emergency", "The MSCC emergency, hour by hour", "Who is on the pathway, the calls and clocks, whole-spine MRI, spinal precautions, bladder and supportive care, dexamethasone and its caveats, MSCC as the first sign of cancer; a \"time is spine\" teaching model.", 45),
    Module("03b_neurological_examination", "The neurological examination and ISNCSCI", "MRC power grades, key sensory points (S3, S4-5), reflexes, tone and clonus, the rectal examination, the ISNCSCI classification and AIS grade with an interactive worksheet, and the autonomic emergencies.", 50),
    Module("04_imaging_and_diagnosis", "Imaging and diagnosis", "MRI, CT, X-ray, PET, bone scan and myelography on a synthetic spine with real DICOM; windowing; ESCC grading; blood tests and biopsy.", 60),
    Module("05_classification_and_scoring", "Classification and scoring", "Compartments; SINS, ESCC, NOMS, revised Tokuhashi, Tomita, Frankel/ASIA and KPS/ECOG with interactive calculators.", 60),
    Module("05a_prognosis", "Prognosis and the conversation about it", "NESMS, new Katagiri, Rades and SORG beside the legacy scores; judging a score by discrimination, calibration and decision curves on a synthetic cohort; a goals-of-care and breaking-news exercise.", 60),
    Module("06_treatment", "Treatment", "Steroids, pain, bone-targeted and systemic therapy, radiotherapy with BED/EQD2 and cord limits, surgery, and the NOMS decision.", 60),
    Module("07_complications_and_rehabilitation", "Complications, rehabilitation and living with spinal metastases", "Disease- and treatment-related complications, hypercalcaemia, rehabilitation, supportive care, prevention and living with the disease.", 45),
    Module("08_capstone_cases", "Capstone cases", "Synthetic patients worked end to end: presentation to rehabilitation, with feedback at every step.", 75),
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
