#!/usr/bin/env python3
"""Write the eight graded source notebooks ``grading/source/aNN_*/aNN_*.ipynb`` and their rubrics.

    .venv/bin/python grading/tools/build_assignments.py            # rewrite all
    .venv/bin/python grading/tools/build_assignments.py a05_scoring
    .venv/bin/python grading/tools/build_assignments.py --out ~/private-bank   # a private item bank

The notebooks are committed; edit the definitions here and re-run (tests check that the committed
notebooks match). Clinical content: /work/shared/reference/clinical-reference.md (sections in
brackets). These questions are for grading only — they are not the self-check items of the course.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nbbuild import Assignment  # noqa: E402

GRADING = Path(__file__).resolve().parents[1]

LEVELS = ([f"C{i}" for i in range(1, 8)] + [f"T{i}" for i in range(1, 13)]
          + [f"L{i}" for i in range(1, 6)] + [f"S{i}" for i in range(1, 6)])


def a01() -> Assignment:
    a = Assignment("a01_anatomy", "Anatomy of the spine for oncology", minutes=35, objectives={
        "O1": "Count the vertebrae by region and name a level from its position.",
        "O2": "Relate vertebral levels to the end of the spinal cord and the cauda equina.",
        "O3": "Describe the arterial supply of the cord that matters in spinal surgery and embolization.",
    }, intro="This assignment checks the anatomy you need to read a spine MRI report and to "
             "understand why the level of a lesion changes the clinical picture.")
    a.header()
    a.case_setup()
    a.single("In most adults the conus medullaris ends at about which level?",
             ["T10–T11", "T12 vertebral body, always", "the L1–L2 disc", "L4–L5"], "C", objective="O2")
    a.single("The artery of Adamkiewicz (great anterior radiculomedullary artery) typically arises …",
             ["on the right, from C5–C7", "on the left, between T8 and L1", "bilaterally at L4–L5",
              "from the basilar artery"], "B", objective="O3")
    a.multiple("Which statements about the adult vertebral column are correct?",
               ["There are seven cervical vertebrae.", "There are twelve thoracic vertebrae.",
                "There are four lumbar vertebrae.", "There are 31 pairs of spinal nerves.",
                "There are seven cervical pairs of spinal nerves."], {"A", "B", "D"}, objective="O1")
    a.numeric("How many vertebrae lie *strictly between* T9 and L2 (excluding both)?", 4, 0,
              objective="O1")
    a.code("Write `region(level)` that returns `\"cervical\"`, `\"thoracic\"`, `\"lumbar\"` or "
           "`\"sacral\"` for a level such as `\"C5\"`, `\"T12\"`, `\"L1\"`, `\"S3\"` (C1–C7, T1–T12, "
           "L1–L5, S1–S5) and raises `ValueError` for anything else (for example `\"T13\"` or `\"C8\"`).",
           solution="""
           def region(level):
               counts = {"C": (7, "cervical"), "T": (12, "thoracic"), "L": (5, "lumbar"), "S": (5, "sacral")}
               if not isinstance(level, str) or len(level) < 2 or level[0] not in counts:
                   raise ValueError(f"unknown level {level!r}")
               try:
                   number = int(level[1:])
               except ValueError:
                   raise ValueError(f"unknown level {level!r}") from None
               top, name = counts[level[0]]
               if not 1 <= number <= top:
                   raise ValueError(f"unknown level {level!r}")
               return name
           """, visible="""
           assert region("C5") == "cervical"
           """, hidden="""
           assert [region(x) for x in ("C1", "C7", "T1", "T12", "L1", "L5", "S1", "S5")] == [
               "cervical", "cervical", "thoracic", "thoracic", "lumbar", "lumbar", "sacral", "sacral"]
           for _bad in ("T13", "C8", "L6", "S6", "X1", "T0", "", "T"):
               try:
                   region(_bad)
               except ValueError:
                   pass
               else:
                   raise AssertionError(f"no ValueError for {_bad!r}")
           """, objective="O1")
    a.case("levels_between", {"upper": ["C4", "C6", "T1", "T3", "T5", "T7"],
                              "lower": ["T10", "T11", "T12", "L1", "L2", "L3", "L4"]},
           describe="Your patient has metastases at {patient.upper} and {patient.lower}.",
           prompt="How many vertebrae lie strictly between your patient's two lesions?",
           expected=f"{LEVELS!r}.index(_p.lower) - {LEVELS!r}.index(_p.upper) - 1",
           solution="""
           order = [f"C{i}" for i in range(1, 8)] + [f"T{i}" for i in range(1, 13)] + [f"L{i}" for i in range(1, 6)]
           answer_q6 = order.index(patient.lower) - order.index(patient.upper) - 1
           """, tolerance=0, objective="O1")
    a.written("A patient has a metastasis that compresses the canal at the L3 vertebral level. "
              "Explain which neural structure is compressed there, and how the examination findings "
              "differ from a compression at T8.",
              "In adults the cord ends at about L1–L2, so at L3 the canal holds the cauda equina "
              "(lumbosacral nerve roots), not the cord. Compression gives a lower-motor-neuron picture: "
              "radicular pain, flaccid weakness, reduced or absent knee/ankle reflexes, saddle "
              "anaesthesia, urinary retention with overflow and reduced anal tone. At T8 the cord "
              "itself is compressed: an upper-motor-neuron picture below the level (spastic weakness, "
              "brisk reflexes, extensor plantars) with a sensory level near T8 and sphincter "
              "disturbance later.",
              [(1, "States that the cord ends at about L1–L2 so L3 compresses the cauda equina / roots."),
               (1, "Lower-motor-neuron signs at L3 (flaccid weakness, reduced reflexes)."),
               (1, "Sphincter/saddle features of cauda equina compression."),
               (1, "Upper-motor-neuron signs and a sensory level for the T8 cord lesion.")],
              objective="O2")
    return a


def a02() -> Assignment:
    a = Assignment("a02_spread", "How cancer reaches the spine", minutes=35, objectives={
        "O1": "Explain haematogenous spread through the vertebral venous (Batson) plexus.",
        "O2": "Use epidemiological figures, and say where sources disagree.",
        "O3": "Summarise where in the spine metastases and cord compression occur.",
    }, intro="This assignment checks how and where cancer spreads to the spine, and how to handle "
             "epidemiological numbers that differ between sources.")
    a.header()
    a.case_setup()
    a.single("Which property of the vertebral venous (Batson) plexus best explains spread from pelvic "
             "organs to the spine?", ["It drains only into the portal vein.",
                                      "It has no valves, so flow can reverse when abdominal pressure rises.",
                                      "It carries lymph rather than blood.",
                                      "It is separated from the caval system."], "B", objective="O1")
    a.single("Among all sites of spread, bone ranks where as a site of metastasis, and which part of the "
             "skeleton is most often involved?",
             ["first; the skull", "third after lung and liver; the spine",
              "second after brain; the femur", "fifth; the ribs"], "B", objective="O2")
    a.multiple("Spread through the pelvic and vertebral veins is classically invoked for metastases "
               "from which primaries?", ["prostate", "breast", "rectum", "basal cell carcinoma of the skin",
                                         "glioblastoma"], {"A", "B", "C"}, objective="O1")
    a.numeric("In a cohort of 1,196 patients with spinal metastases, 36.5% had lung primaries. How "
              "many patients is that (to the nearest whole patient)?", 437, 1, objective="O2")
    a.code("Write `region_shares(levels)`: given a list of involved levels such as "
           "`[\"T4\", \"T7\", \"L2\", \"C5\"]`, return a dict with keys `\"cervical\"`, `\"thoracic\"`, "
           "`\"lumbar\"`, `\"sacral\"` giving the fraction of the levels in each region (fractions "
           "sum to 1; a region with no level gets 0.0). An empty list raises `ValueError`.",
           solution="""
           def region_shares(levels):
               names = {"C": "cervical", "T": "thoracic", "L": "lumbar", "S": "sacral"}
               if not levels:
                   raise ValueError("no levels given")
               shares = {name: 0.0 for name in names.values()}
               for level in levels:
                   shares[names[level[0]]] += 1 / len(levels)
               return shares
           """, visible="""
           _s = region_shares(["T4", "T7", "L2", "C5"])
           assert set(_s) == {"cervical", "thoracic", "lumbar", "sacral"}
           """, hidden="""
           assert abs(_s["thoracic"] - 0.5) < 1e-9 and abs(_s["cervical"] - 0.25) < 1e-9
           assert abs(_s["lumbar"] - 0.25) < 1e-9 and _s["sacral"] == 0
           _s2 = region_shares(["T5"] * 7 + ["L3", "L4"] + ["C6"])
           assert abs(_s2["thoracic"] - 0.7) < 1e-9 and abs(_s2["lumbar"] - 0.2) < 1e-9
           assert abs(sum(_s2.values()) - 1) < 1e-9
           try:
               region_shares([])
           except ValueError:
               pass
           else:
               raise AssertionError("no ValueError for an empty list")
           """, objective="O3")
    a.case("mscc_cohort", {"patients": {"low": 400, "high": 2000, "step": 100},
                           "spinal_pct": [5, 10, 15, 20, 25, 30], "mscc_pct": [10, 15, 20, 25]},
           describe="Your cohort: {patient.patients} patients with cancer; {patient.spinal_pct}% develop "
                    "spinal metastases, and {patient.mscc_pct}% of those develop cord compression.",
           prompt="How many patients of your cohort are expected to develop metastatic cord "
                  "compression? (Give the expected value; it need not be a whole number.)",
           expected="_p.patients * _p.spinal_pct / 100 * _p.mscc_pct / 100",
           solution="answer_q6 = patient.patients * patient.spinal_pct / 100 * patient.mscc_pct / 100",
           tolerance=0.5, objective="O2")
    a.written("One source says breast is the commonest primary among patients with spinal metastases, "
              "another (a Chinese cohort of 1,196 patients) says lung, with 36.5%. Give two reasons "
              "why such figures can differ, and say why 'about 70% thoracic' for cord compression does "
              "not tell you where *all* vertebral metastases are.",
              "Figures differ with the population (regional incidence of lung vs breast cancer, age, "
              "sex mix, smoking), the setting and selection (surgical series, radiotherapy series, "
              "autopsy, imaging screening) and the definitions and time period. The 70% thoracic "
              "figure is for symptomatic lesions / cord compression; when all lesions are counted "
              "(bone scan, autopsy) the lumbar spine is often most involved, so the two statistics "
              "answer different questions.",
              [(1, "Population differences (region, incidence, demographics)."),
               (1, "Selection/setting or definition differences (surgical vs radiotherapy vs autopsy series)."),
               (2, "Distinguishes symptomatic MSCC distribution from the distribution of all vertebral "
                   "metastases (lumbar often most involved overall).")], objective="O2")
    return a


def a03() -> Assignment:
    a = Assignment("a03_presentation", "Clinical presentation and first steps", minutes=40, objectives={
        "O1": "Recognise the symptoms and red flags of spinal metastasis and cord compression.",
        "O2": "Localise a lesion from dermatomes, myotomes and reflexes.",
        "O3": "Grade neurological function (Frankel) and start emergency management.",
    }, intro="This assignment checks recognition of spinal metastases at the bedside and the "
             "first hours of management of suspected cord compression.")
    a.header()
    a.case_setup()
    a.single("What is the most common first symptom of spinal metastasis?",
             ["urinary retention", "back or neck pain", "leg weakness", "sensory level"], "B",
             objective="O1")
    a.single("A sensory level at the umbilicus corresponds to which dermatome?",
             ["T4", "T6", "T10", "L1"], "C", objective="O2")
    a.multiple("Which findings point to a cauda equina (rather than a cord) lesion?",
               ["saddle anaesthesia", "urinary retention with overflow", "bilateral extensor plantar responses",
                "reduced anal tone", "brisk knee jerks with clonus"], {"A", "B", "D"}, objective="O2")
    a.numeric("Which daily dose of oral dexamethasone (mg/day) does NICE NG234 recommend while a patient "
              "with neurological signs of cord compression awaits definitive treatment?", 16, 0,
              objective="O3", unit="mg/day")
    a.code("Write `frankel_points(grade)` returning the revised-Tokuhashi palsy points for a Frankel "
           "grade: complete palsy (A, B) 0 points, incomplete (C, D) 1, none (E) 2. Accept upper- or "
           "lower-case letters; raise `ValueError` for anything else.",
           solution="""
           def frankel_points(grade):
               table = {"A": 0, "B": 0, "C": 1, "D": 1, "E": 2}
               key = grade.strip().upper() if isinstance(grade, str) else None
               if key not in table:
                   raise ValueError(f"Frankel grade must be one of A-E, got {grade!r}")
               return table[key]
           """, visible="""
           assert frankel_points("E") == 2
           """, hidden="""
           assert [frankel_points(g) for g in "ABCDE"] == [0, 0, 1, 1, 2]
           assert frankel_points("c") == 1
           for _bad in ("F", "", "AB", 3, None):
               try:
                   frankel_points(_bad)
               except ValueError:
                   pass
               else:
                   raise AssertionError(f"no ValueError for {_bad!r}")
           """, objective="O3")
    a.case("dexamethasone_course", {"bolus_mg": [8, 10, 16], "dose_mg": [2, 4, 8],
                                    "interval_h": [6, 8, 12], "hours": [24, 36, 48, 72]},
           describe="Your patient receives a {patient.bolus_mg} mg dexamethasone bolus at hour 0, then "
                    "{patient.dose_mg} mg every {patient.interval_h} h, the first regular dose "
                    "{patient.interval_h} h after the bolus.",
           prompt="How many mg of dexamethasone has your patient received by hour "
                  "`patient.hours` (a dose given exactly at that hour counts)?",
           expected="_p.bolus_mg + _p.dose_mg * (_p.hours // _p.interval_h)",
           solution="answer_q6 = patient.bolus_mg + patient.dose_mg * (patient.hours // patient.interval_h)",
           tolerance=0, objective="O3", unit="mg")
    a.written("A 68-year-old man with prostate cancer has had thoracic back pain for three weeks. It wakes "
              "him at night and is worse lying flat; today he says his legs feel 'heavy'. Explain why "
              "this is an emergency and list the first steps, in order, in the next few hours.",
              "New thoracic pain that is nocturnal/worse lying flat in a patient with cancer is a red "
              "flag for spinal metastasis; subjective leg weakness suggests evolving cord "
              "compression, and neurological outcome depends on function at the start of treatment. "
              "Steps: full neurological examination (power, sensory level, reflexes, sphincters, "
              "Frankel/ASIA grade); urgent whole-spine MRI (within 24 h, sooner if deficits); "
              "dexamethasone 16 mg/day (with gastric protection, glucose monitoring) unless "
              "contraindicated or lymphoma suspected; analgesia and spinal precautions if "
              "instability is suspected; urgent referral to the MSCC coordinator/oncology/spinal "
              "surgery for definitive treatment (surgery and/or radiotherapy).",
              [(1, "Identifies red flags and evolving MSCC; outcome depends on pre-treatment function."),
               (1, "Neurological examination with grading."),
               (1, "Urgent whole-spine MRI."),
               (1, "Dexamethasone and urgent referral for definitive treatment.")], objective="O1")
    return a


def a04() -> Assignment:
    a = Assignment("a04_imaging", "Imaging and epidural compression", minutes=35, objectives={
        "O1": "Choose the imaging for suspected spinal metastasis and cord compression.",
        "O2": "Grade epidural spinal cord compression (Bilsky/ESCC) from axial T2 findings.",
        "O3": "Tell metastasis from infection and recognise the limits of radiographs.",
    }, intro="This assignment checks how spinal metastases are imaged and how epidural "
             "compression is graded.")
    a.header()
    a.single("Which examination is the standard for suspected metastatic cord compression?",
             ["plain radiographs of the painful segment", "CT of the painful segment",
              "MRI of the whole spine", "bone scintigraphy"], "C", objective="O1")
    a.single("On which images is the ESCC (Bilsky) grade assigned?",
             ["sagittal T1 at the most collapsed vertebra", "axial T2 at the level of most severe compression",
              "axial CT in bone window", "sagittal STIR at the most painful level"], "B", objective="O2")
    a.multiple("Which ESCC grades count as high-grade compression?",
               ["0", "1a", "1b", "1c", "2", "3"], {"E", "F"}, objective="O2")
    a.numeric("Roughly what percentage of a vertebral body must be destroyed before a lytic lesion "
              "becomes visible on plain radiographs?", 50, 10, objective="O3", unit="%")
    a.code("Write `escc_grade(epidural, sac_deformed, abutment, compressed, csf_visible)` returning the "
           "ESCC grade as a string (`\"0\"`, `\"1a\"`, `\"1b\"`, `\"1c\"`, `\"2\"` or `\"3\"`) from five "
           "booleans read on axial T2: epidural disease present; thecal sac deformed; cord abutted; cord "
           "compressed; CSF visible around the cord (only meaningful when compressed). You may check "
           "your function against `calculators.escc`.",
           solution="""
           def escc_grade(epidural, sac_deformed, abutment, compressed, csf_visible):
               if not epidural:
                   return "0"
               if compressed:
                   return "2" if csf_visible else "3"
               if abutment:
                   return "1c"
               if sac_deformed:
                   return "1b"
               return "1a"
           """, visible="""
           assert escc_grade(False, False, False, False, True) == "0"
           """, hidden="""
           assert escc_grade(True, False, False, False, True) == "1a"
           assert escc_grade(True, True, False, False, True) == "1b"
           assert escc_grade(True, True, True, False, True) == "1c"
           assert escc_grade(True, True, True, True, True) == "2"
           assert escc_grade(True, True, True, True, False) == "3"
           """, objective="O2")
    a.numeric("Use `calculators.escc` to find whether grade 1c counts as high-grade under the course's "
              "binary rule: set `answer_q6` to 1 if it does and 0 if it does not.", 0, 0, objective="O2",
              solution='answer_q6 = int(calculators.escc(grade="1c").high_grade)')
    a.written("An MRI shows a T9 lesion with destruction of the end plates and the adjacent disc, with "
              "involvement of both T9 and T10. Explain why this pattern argues against metastasis, what "
              "it suggests instead, and what you would do next.",
              "Metastases usually spare the intervertebral disc (they start in the marrow of the "
              "vertebral body/pedicle and the disc is relatively resistant), so disc and end-plate "
              "destruction across two adjacent levels suggests infection (spondylodiscitis, e.g. "
              "pyogenic or tuberculous). Next: inflammatory markers and blood cultures, contrast MRI, "
              "and image-guided biopsy for histology and culture before treatment; keep metastasis in "
              "the differential in a patient with cancer.",
              [(2, "Disc usually spared by metastasis; disc involvement suggests spondylodiscitis/infection."),
               (1, "Names infection work-up (markers, cultures, contrast MRI)."),
               (1, "Biopsy for histology/microbiology before treating.")], objective="O3")
    return a


def a05() -> Assignment:
    sins_spec = {"level": ["C2", "C5", "C7", "T4", "T8", "T11", "T12", "L1", "L3", "L5", "S3"],
                 "pain": ["mechanical", "occasional_nonmechanical", "pain_free"],
                 "bone_lesion": ["lytic", "mixed", "blastic"],
                 "alignment": ["subluxation_translation", "de_novo_deformity", "normal"],
                 "collapse": ["gt50", "lt50", "no_collapse_gt50_involved", "none"],
                 "posterolateral": ["bilateral", "unilateral", "none"]}
    location = {"C2": 3, "C5": 2, "C7": 3, "T4": 1, "T8": 1, "T11": 3, "T12": 3, "L1": 3, "L3": 2,
                "L5": 3, "S3": 0}
    points = {"mechanical": 3, "occasional_nonmechanical": 1, "pain_free": 0, "lytic": 2, "mixed": 1,
              "blastic": 0, "subluxation_translation": 4, "de_novo_deformity": 2, "normal": 0, "gt50": 3,
              "lt50": 2, "no_collapse_gt50_involved": 1, "none": 0, "bilateral": 3, "unilateral": 1}
    expected = (f"{location!r}[_p.level] + sum({{**{points!r}}}[v] for v in (_p.pain, _p.bone_lesion, "
                "_p.alignment, _p.collapse)) + {'bilateral': 3, 'unilateral': 1, 'none': 0}[_p.posterolateral]")
    a = Assignment("a05_scoring", "Scoring spinal instability (SINS)", minutes=40, objectives={
        "O1": "Score the six SINS components and the total.",
        "O2": "Interpret the SINS bands and when to ask for a surgical opinion.",
        "O3": "Use the course calculators and check their results by hand.",
    }, intro="This assignment checks the Spinal Instability Neoplastic Score (Fisher 2010): its "
             "components, its bands and its use.")
    a.header()
    a.case_setup()
    a.single("A lesion scores SINS 9. How is it classified?",
             ["stable", "potentially unstable (indeterminate)", "unstable", "not classifiable"], "B",
             objective="O2")
    a.single("How many SINS location points does a lesion of T6 score?", ["0", "1", "2", "3"], "B",
             objective="O1")
    a.multiple("Which of these levels are *junctional* in SINS?",
               ["C1", "C5", "T1", "T7", "T12", "L3", "L5"], {"A", "C", "E", "G"}, objective="O1")
    a.numeric("A lytic L1 metastasis causes mechanical pain; alignment is normal, the body has "
              "collapsed by less than half, and one pedicle is involved. What is its SINS total?", 11, 0,
              objective="O1")
    a.code("Use `calculators.sins` for a C7 lesion: pain-free, mixed lytic/blastic, de novo kyphosis, no "
           "collapse but more than half the body involved, bilateral posterolateral involvement. Set "
           "`sins_c7` to the total and `consult_c7` to whether a surgical consultation is recommended.",
           solution="""
           result = calculators.sins(level="C7", pain="pain_free", bone_lesion="mixed",
                                     alignment="de_novo_deformity", collapse="no_collapse_gt50_involved",
                                     posterolateral="bilateral")
           sins_c7 = result.total
           consult_c7 = result.surgical_consultation_recommended
           """, visible="""
           assert isinstance(sins_c7, int) and 0 <= sins_c7 <= 18
           assert isinstance(consult_c7, bool)
           """, hidden="""
           assert sins_c7 == 10
           assert consult_c7 is True
           """, objective="O3")
    a.case("sins_lesion", sins_spec,
           describe="Your patient's lesion: level {patient.level}, pain {patient.pain}, "
                    "{patient.bone_lesion} lesion, alignment {patient.alignment}, collapse "
                    "{patient.collapse}, posterolateral involvement {patient.posterolateral}.",
           prompt="What is the SINS total of your patient's lesion? (The values printed are the "
                  "calculator's vocabulary.)",
           expected=expected,
           solution="""
           answer_q6 = calculators.sins(level=patient.level, pain=patient.pain, bone_lesion=patient.bone_lesion,
                                        alignment=patient.alignment, collapse=patient.collapse,
                                        posterolateral=patient.posterolateral).total
           """, tolerance=0, objective="O1")
    a.written("Your patient's C7 lesion scores SINS 10. Explain what this score means, what you would "
              "do next, and why SINS alone does not decide whether to operate.",
              "10 lies in the 7–12 'potentially unstable' band: a surgical (spine) consultation is "
              "recommended (SINS ≥ 7). SINS measures mechanical stability only; the treatment decision "
              "also depends on neurology/ESCC grade, tumour radiosensitivity and the patient's "
              "systemic state and prognosis (NOMS), and on the patient's wishes. The C7 junctional "
              "location and the bilateral posterolateral involvement drive the score.",
              [(1, "Band 7–12 potentially unstable / indeterminate."),
               (1, "Surgical consultation recommended (≥7)."),
               (2, "SINS is mechanical only: NOMS components (neurology, oncology, systemic) and "
                   "patient preference also decide.")], objective="O2")
    return a


def a06() -> Assignment:
    schedules = [[8, 1], [20, 5], [30, 10], [24, 2], [27, 3], [35, 5], [16, 1], [18, 1], [37.5, 15]]
    a = Assignment("a06_treatment", "Choosing treatment: NOMS and radiobiology", minutes=45, objectives={
        "O1": "Apply the NOMS framework to choose between radiotherapy, radiosurgery and surgery.",
        "O2": "Compute BED and EQD2 with the linear-quadratic model.",
        "O3": "Explain the role of radiosensitivity and its disagreements between sources.",
    }, intro="This assignment checks treatment selection with NOMS and dose comparison with BED and EQD2.")
    a.header()
    a.case_setup()
    a.single("Myeloma, ESCC grade 3, mechanically stable, fit for surgery. What does NOMS suggest?",
             ["separation surgery then SRS", "conventional external-beam radiotherapy (cEBRT)",
              "SRS alone", "observation"], "B", objective="O1")
    a.single("Renal cell carcinoma, ESCC grade 2, mechanically stable, fit for surgery. What does NOMS "
             "suggest?", ["cEBRT alone", "SRS alone", "separation surgery then postoperative SRS",
                          "stabilisation then cEBRT"], "C", objective="O1")
    a.multiple("On which histologies do the radiosensitivity lists agree (radiosensitive in all of them)?",
               ["myeloma", "lymphoma", "renal cell carcinoma", "melanoma", "non-small-cell lung cancer"],
               {"A", "B"}, objective="O3")
    a.numeric("What is the EQD2 (α/β = 10 Gy) of 24 Gy in 2 fractions?", 44.0, 0.05, objective="O2",
              unit="Gy")
    a.code("Write `eqd2(D, n, ab)`: the EQD2 in Gy of a total dose `D` in `n` equal fractions for an "
           "α/β of `ab` (EQD2 = D·(d + α/β)/(2 + α/β), d = D/n). Raise `ValueError` if a dose, "
           "fraction number or α/β is not positive. Do not round.",
           solution="""
           def eqd2(D, n, ab):
               if D <= 0 or n <= 0 or ab <= 0:
                   raise ValueError("dose, fractions and alpha/beta must be positive")
               d = D / n
               return D * (d + ab) / (2 + ab)
           """, visible="""
           assert abs(eqd2(40, 20, 10) - 40) < 1e-6
           """, hidden="""
           assert abs(eqd2(30, 10, 10) - 32.5) < 1e-6
           assert abs(eqd2(8, 1, 10) - 12.0) < 1e-6
           assert abs(eqd2(20, 5, 10) - 70 / 3) < 1e-6
           assert abs(eqd2(24, 2, 2) - 84.0) < 1e-6
           for _args in ((0, 1, 10), (8, 0, 10), (8, 1, 0), (-8, 1, 10)):
               try:
                   eqd2(*_args)
               except ValueError:
                   pass
               else:
                   raise AssertionError(f"no ValueError for {_args}")
           """, objective="O2")
    a.case("eqd2_schedule", {"schedule": schedules, "alpha_beta": [2, 3, 10]},
           describe="Your patient is planned for {patient.schedule[0]} Gy in {patient.schedule[1]} "
                    "fraction(s); use α/β = {patient.alpha_beta} Gy.",
           prompt="What is the EQD2 of your patient's schedule?",
           expected="_p.schedule[0] * (_p.schedule[0] / _p.schedule[1] + _p.alpha_beta) / (2 + _p.alpha_beta)",
           solution="""
           answer_q6 = calculators.bed_eqd2(total_dose_gy=patient.schedule[0], fractions=patient.schedule[1],
                                            alpha_beta_gy=patient.alpha_beta).by_alpha_beta[patient.alpha_beta].EQD2
           """, tolerance=0.05, objective="O2", unit="Gy")
    a.written("A 59-year-old woman with renal cell carcinoma has a T11 metastasis with ESCC grade 3, SINS "
              "14, mild leg weakness and good performance status with limited systemic disease. Walk "
              "through NOMS to a treatment plan and explain each step.",
              "N: high-grade ESCC (3) with myelopathy. O: renal cell carcinoma is radioresistant to "
              "conventional radiotherapy. M: SINS 14 is unstable (13–18). S: fit, limited systemic "
              "disease, can tolerate surgery. Plan: separation surgery (decompression to create a "
              "margin of CSF around the cord) with posterior instrumentation for the instability, "
              "followed by postoperative stereotactic radiosurgery/SBRT for durable local control; "
              "steroids peri-operatively; discuss goals with the patient and the tumour board.",
              [(1, "N: high-grade ESCC with myelopathy."), (1, "O: RCC radioresistant to cEBRT."),
               (1, "M: SINS 14 unstable → stabilisation."),
               (1, "S + plan: fit → separation surgery with instrumentation, then SRS.")], objective="O1")
    return a


def a07() -> Assignment:
    a = Assignment("a07_complications", "Complications: cord tolerance and steroids", minutes=40, objectives={
        "O1": "State spinal-cord dose limits for stereotactic radiotherapy and compute their EQD2.",
        "O2": "Use and justify dexamethasone regimens in cord compression.",
        "O3": "Recognise the complications of treatment and plan their prevention.",
    }, intro="This assignment checks the limits that keep treatment safe: cord tolerance to "
             "stereotactic radiotherapy and corticosteroid side effects.")
    a.header()
    a.case_setup()
    a.single("What thecal-sac point-maximum dose (Sahgal 2013, ≤5% myelopathy risk) is quoted for a single "
             "SBRT fraction?", ["8 Gy", "10 Gy", "12.4 Gy", "16 Gy"], "C", objective="O1")
    a.single("Which dexamethasone regimen is mainstream for cord compression?",
             ["100 mg bolus then 96 mg/day", "16 mg/day (after an optional 10 mg bolus), then taper",
              "2 mg/day without taper", "none; steroids are contraindicated"], "B", objective="O2")
    a.multiple("Which are recognised risks of high-dose dexamethasone boluses?",
               ["gastrointestinal bleeding or perforation", "psychosis", "hyperglycaemia", "hypoglycaemia"],
               {"A", "B", "C"}, objective="O3")
    a.numeric("What is the EQD2 (α/β = 2 Gy) of a thecal-sac point maximum of 21 Gy in 3 fractions?",
              47.25, 0.05, objective="O1", unit="Gy")
    a.code("Use `calculators.cord_pmax_check` for a plan with a thecal-sac Pmax of 22 Gy in 3 fractions. "
           "Set `within_3fx` to whether it is within the limit and `limit_3fx` to the limit in Gy.",
           solution="""
           check = calculators.cord_pmax_check(dose_gy=22, fractions=3)
           within_3fx = check.within_limit
           limit_3fx = check.limit_gy
           """, visible="""
           assert isinstance(within_3fx, bool)
           assert float(limit_3fx) > 0
           """, hidden="""
           assert within_3fx is False
           assert abs(float(limit_3fx) - 20.3) < 1e-6
           """, objective="O1")
    a.case("cord_pmax", {"fractions": {"low": 1, "high": 5}, "pmax_gy": {"low": 10, "high": 28, "step": 0.5}},
           describe="Your patient's SBRT plan: thecal-sac point maximum {patient.pmax_gy} Gy in "
                    "{patient.fractions} fraction(s).",
           prompt="What is the EQD2 (α/β = 2 Gy) of your patient's thecal-sac point maximum?",
           expected="_p.pmax_gy * (_p.pmax_gy / _p.fractions + 2) / 4",
           solution="answer_q6 = calculators.cord_pmax_check(dose_gy=patient.pmax_gy, fractions=patient.fractions).eqd2_gy",
           tolerance=0.05, objective="O1", unit="Gy")
    a.written("A patient on dexamethasone 16 mg/day for cord compression has finished radiotherapy. "
              "Describe how you would manage the steroid from here and which complications you would "
              "monitor for and prevent.",
              "Taper the dose gradually (over about two weeks) once definitive treatment has started or "
              "finished, rather than stopping abruptly, watching for neurological deterioration (then "
              "return to the previous dose). Monitor and prevent: hyperglycaemia (glucose checks), "
              "gastrointestinal bleeding (gastric protection such as a PPI), infection (oral "
              "candidiasis), proximal myopathy, mood disturbance/psychosis and insomnia; consider "
              "adrenal suppression if long courses are stopped.",
              [(2, "Gradual taper (about two weeks), re-escalate if deficits worsen."),
               (1, "Glucose monitoring and gastric protection."),
               (1, "At least two further side effects (infection, myopathy, psychiatric, adrenal).")],
              objective="O2")
    return a


def a08() -> Assignment:
    spec = {"kps": {"low": 30, "high": 100, "step": 10}, "extraspinal": {"low": 0, "high": 4},
            "vertebral": {"low": 1, "high": 4}, "organ": ["none", "removable", "unremovable"],
            "site": ["lung", "breast", "kidney", "rectum", "liver", "prostate", "stomach", "melanoma"],
            "frankel": ["A", "B", "C", "D", "E"]}
    expected = ("(0 if _p.kps <= 40 else 1 if _p.kps <= 70 else 2)"
                " + (2 if _p.extraspinal == 0 else 1 if _p.extraspinal <= 2 else 0)"
                " + (2 if _p.vertebral == 1 else 1 if _p.vertebral == 2 else 0)"
                " + {'none': 2, 'removable': 1, 'unremovable': 0}[_p.organ]"
                " + {'lung': 0, 'stomach': 0, 'liver': 1, 'melanoma': 2, 'kidney': 3, 'rectum': 4,"
                " 'breast': 5, 'prostate': 5}[_p.site]"
                " + {'A': 0, 'B': 0, 'C': 1, 'D': 1, 'E': 2}[_p.frankel]")
    a = Assignment("a08_cases", "Integrated cases: prognosis and plans", minutes=50, objectives={
        "O1": "Compute and interpret prognostic scores (revised Tokuhashi, Tomita).",
        "O2": "Combine prognosis with NOMS into a plan for a whole patient.",
        "O3": "Communicate a plan and its uncertainty.",
    }, intro="This assignment brings the modules together on whole patients: prognosis scores, "
             "their limits, and a plan that fits the patient.")
    a.header()
    a.case_setup()
    a.single("A revised Tokuhashi total of 0–8 predicts a survival of …",
             ["less than 6 months", "6 months or more", "1 year or more", "it does not predict survival"],
             "A", objective="O1")
    a.single("A Tomita total of 8–10 suggests which treatment goal?",
             ["wide or marginal excision", "marginal or intralesional excision", "palliative surgery",
              "non-operative supportive care"], "D", objective="O1")
    a.multiple("Which primaries score the maximum 5 points in the revised Tokuhashi primary-site item?",
               ["thyroid", "breast", "lung", "prostate", "rectum", "kidney"], {"A", "B", "D"}, objective="O1")
    a.numeric("Tomita score: moderately growing primary, untreatable visceral metastases, a solitary "
              "spinal metastasis. What is the total?", 7, 0, objective="O1")
    a.code("Use `calculators.revised_tokuhashi` for: KPS 60, no extraspinal bone metastases, two "
           "vertebral-body metastases, removable lung metastasis (major internal organ), renal cell "
           "primary, Frankel D. Set `tokuhashi_total` and `tokuhashi_prognosis` from the result.",
           solution="""
           result = calculators.revised_tokuhashi(kps=60, extraspinal_bone_mets=0, vertebral_body_mets=2,
                                                  major_organ_mets="removable", primary_site="kidney",
                                                  frankel="D")
           tokuhashi_total = result.total
           tokuhashi_prognosis = result.prognosis
           """, visible="""
           assert isinstance(tokuhashi_total, int) and 0 <= tokuhashi_total <= 15
           assert tokuhashi_prognosis in {"<6 months", ">=6 months", ">=1 year"}
           """, hidden="""
           assert tokuhashi_total == 9
           assert tokuhashi_prognosis == ">=6 months"
           """, objective="O1")
    a.case("tokuhashi_patient", spec,
           describe="Your patient: KPS {patient.kps}, {patient.extraspinal} extraspinal bone metastases, "
                    "{patient.vertebral} vertebral-body metastases, major-organ metastases: "
                    "{patient.organ}, primary: {patient.site}, Frankel {patient.frankel}.",
           prompt="What is your patient's revised Tokuhashi total?",
           expected=expected,
           solution="""
           answer_q6 = calculators.revised_tokuhashi(kps=patient.kps, extraspinal_bone_mets=patient.extraspinal,
                                                     vertebral_body_mets=patient.vertebral,
                                                     major_organ_mets=patient.organ, primary_site=patient.site,
                                                     frankel=patient.frankel).total
           """, tolerance=0, objective="O1")
    a.written("Your patient from question 5 (Tokuhashi total as computed) asks you what the score means for "
              "them. Write what you would say, including the limits of the score, and how it changes "
              "the treatment discussion.",
              "The score groups patients with similar survival in past series (here ≥6 months, "
              "band 9–11); it is a population estimate, not a personal prediction, built before "
              "modern systemic therapies (targeted/immune therapy for renal cell carcinoma), so it "
              "may underestimate survival. It supports discussing palliative surgery (or excision "
              "if solitary without major-organ spread) alongside radiotherapy/SRS; the plan also "
              "uses NOMS (neurology, radioresistant histology, stability) and the patient's goals.",
              [(1, "Explains the band (9–11, ≥6 months) in plain words."),
               (1, "Population estimate, not an individual prediction."),
               (1, "Dated against modern systemic therapy; may underestimate survival."),
               (1, "Links to the plan (Tokuhashi guidance + NOMS + patient's goals).")], objective="O2, O3")
    return a


BUILDERS = {"a01_anatomy": a01, "a02_spread": a02, "a03_presentation": a03, "a04_imaging": a04,
            "a05_scoring": a05, "a06_treatment": a06, "a07_complications": a07, "a08_cases": a08}


def assignments() -> list[Assignment]:
    return [build() for build in BUILDERS.values()]


def main(argv: list[str]) -> None:
    out = GRADING
    if "--out" in argv:                 # write source/ and rubrics/ of a private item bank
        i = argv.index("--out")
        out = Path(argv[i + 1]).expanduser().resolve()
        argv = argv[:i] + argv[i + 2:]
    names = argv or list(BUILDERS)
    for name in names:
        path = BUILDERS[name]().write(out)
        print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
