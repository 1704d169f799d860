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
    a.key_feature("A 66-year-old man with prostate cancer has two weeks of low back pain, then numb buttocks and "
                  "difficulty passing urine. MRI shows a metastasis filling the canal at the L3 vertebral level.",
                  [{"prompt": "Which neural structure is compressed at L3?",
                    "options": ["the spinal cord", "the conus medullaris", "the cauda equina nerve roots",
                                "the artery of Adamkiewicz"], "answer": "C"},
                   {"prompt": "Which reflex finding fits a compression at this level?",
                    "options": ["brisk ankle jerks with extensor plantars", "reduced or absent ankle jerks",
                                "sustained ankle clonus", "a brisk jaw jerk"], "answer": "B"},
                   {"prompt": "Which finding makes this an emergency today?",
                    "options": ["saddle anaesthesia with urinary retention", "pain at night",
                                "tenderness over L3", "morning stiffness"], "answer": "A"}],
                  objective="O2", points=3)
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
              [(1, "States that the cord ends at about L1–L2 so L3 compresses the cauda equina / roots. "
                   "[taught: 01 § Cord, conus, cauda equina and blood supply | L1–L2 disc, cauda equina]"),
               (1, "Lower-motor-neuron signs at L3 (flaccid weakness, reduced reflexes). "
                   "[taught: 01 § Cord, conus, cauda equina and blood supply | lower-motor-neurone, reduced]"),
               (1, "Sphincter/saddle features of cauda equina compression. "
                   "[taught: 01 § Cord, conus, cauda equina and blood supply | saddle anaesthesia, retention]"),
               (1, "Upper-motor-neuron signs and a sensory level for the T8 cord lesion. "
                   "[taught: 01 § Cord, conus, cauda equina and blood supply | upper-motor-neurone, brisk, "
                   "sensory level]")],
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
    a.multiple("Spread backwards through the valveless vertebral venous (Batson) plexus — from the pelvic "
               "veins, or from the intercostal and azygos veins of the chest wall — is classically invoked for "
               "metastases from which primaries?",
               ["prostate", "breast", "rectum", "basal cell carcinoma of the skin", "glioblastoma"],
               {"A", "B", "C"}, objective="O1")
    a.numeric("In a cohort of 1,196 patients with spinal metastases, 36.5% had lung primaries. How "
              "many patients is that (to the nearest whole patient)?", 437, 1, objective="O2")
    a.key_feature("A 70-year-old man with prostate cancer and a rising PSA has new back pain. His chest CT is "
                  "clear; MRI shows deposits in several lumbar and lower thoracic vertebrae.",
                  [{"prompt": "Which route best explains spinal deposits without lung metastases?",
                    "options": ["arterial spread after passing through the lungs",
                                "the valveless vertebral venous (Batson) plexus",
                                "lymphatic spread along the thoracic duct",
                                "direct invasion from the prostate"], "answer": "B"},
                   {"prompt": "What can reverse the flow in that plexus towards the spine?",
                    "options": ["coughing or straining, which raise abdominal pressure", "lying flat",
                                "deep sleep", "fasting"], "answer": "A"},
                   {"prompt": "If he develops cord compression, in which region is it most often found?",
                    "options": ["cervical", "thoracic", "lumbar", "sacral"], "answer": "B"}],
                  objective="O1, O3", points=3)
    a.case("mscc_cohort", {"patients": {"low": 400, "high": 2000, "step": 100},
                           "spinal_pct": [5, 10, 15, 20, 25, 30], "mscc_pct": [20]},
           describe="Your cohort: {patient.patients} patients with cancer; {patient.spinal_pct}% develop "
                    "spinal metastases (the source document gives 5–30%), and about {patient.mscc_pct}% of "
                    "those present with canal invasion or cord compression (StatPearls).",
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
              [(1, "Population differences (region, incidence, demographics). "
                   "[taught: 01 § How often, from which cancers, in whom | population, cohort, lung cancer is common]"),
               (1, "Selection/setting or definition differences (what is counted: clinically evident disease, "
                   "autopsy findings, a review of series or one centre's cohort). "
                   "[taught: 01 § How often, from which cancers, in whom | depends on what is counted, autopsy]"),
               (2, "Distinguishes symptomatic MSCC distribution from the distribution of all vertebral "
                   "metastases (lumbar often most involved overall). "
                   "[taught: 01 § Where metastases land | symptomatic, lumbar spine is often the commonest]")],
              objective="O2")
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
    a.key_feature("A 64-year-old woman treated for breast cancer five years ago has three weeks of thoracic "
                  "back pain, worse lying down at night. For two days her legs feel stiff and she trips; she "
                  "has brisk knee jerks, extensor plantars and reduced pin-prick from the umbilicus down. She "
                  "walks with a stick.",
                  [{"prompt": "Where is the lesion?",
                    "options": ["the cauda equina, below L1", "the thoracic cord, at or above the T10 segment",
                                "a peripheral neuropathy", "the cervical cord above C5"], "answer": "B"},
                   {"prompt": "What is her Frankel grade?",
                    "options": ["A", "B", "C", "D", "E"], "answer": "D"},
                   {"prompt": "What happens first?",
                    "options": ["whole-spine MRI within 24 hours, and dexamethasone 16 mg now",
                                "an outpatient MRI within six weeks", "plain radiographs of the thoracic spine",
                                "a bone scan next week"], "answer": "A"}],
                  objective="O2, O3", points=3)
    # Only published regimens (addendum G, m16): NICE NG234 16 mg at once then 16 mg daily, and
    # Vecht 1989 / StatPearls 10 mg IV then 4 mg every 6 hours.
    a.case("dexamethasone_course", {"regimen": [["the NICE regimen (16 mg at once, then 16 mg once a day)",
                                                 16, 16, 24],
                                                ["the Vecht regimen (10 mg IV, then 4 mg every 6 hours)", 10, 4, 6]],
                                    "hours": [24, 36, 48, 72]},
           describe="Your patient with suspected MSCC and leg weakness receives dexamethasone by "
                    "{patient.regimen[0]}: {patient.regimen[1]} mg at hour 0, then {patient.regimen[2]} mg every "
                    "{patient.regimen[3]} h, the first regular dose {patient.regimen[3]} h after the first.",
           prompt="How many mg of dexamethasone has your patient received by hour "
                  "`patient.hours` (a dose given exactly at that hour counts)?",
           expected="_p.regimen[1] + _p.regimen[2] * (_p.hours // _p.regimen[3])",
           solution="answer_q6 = patient.regimen[1] + patient.regimen[2] * (patient.hours // patient.regimen[3])",
           tolerance=0, objective="O3", unit="mg")
    a.written("A 68-year-old man with prostate cancer has had thoracic back pain for three weeks. It wakes "
              "him at night and is worse lying flat; today he says his legs feel 'heavy'. Explain why "
              "this is an emergency and list the first steps, in order, in the next few hours.",
              "New thoracic pain that is nocturnal/worse lying flat in a patient with cancer is a red "
              "flag for spinal metastasis; subjective leg weakness is a neurological symptom, so this is "
              "suspected metastatic spinal cord compression (MSCC), and the neurological state when "
              "treatment starts largely decides the outcome. Steps: focused neurological examination (power, "
              "sensory level, reflexes, saddle sensation, bladder and bowel); contact the MSCC coordinator "
              "immediately; whole-spine MRI as soon as possible and always within 24 hours; dexamethasone "
              "16 mg at once (then 16 mg daily) with a proton-pump inhibitor and capillary glucose checks — "
              "not before a biopsy if lymphoma were suspected, which it is not here; analgesia, and "
              "immobilisation if the neurology suggests instability; definitive treatment (surgery and/or "
              "radiotherapy) planned through the MSCC team.",
              [(1, "Identifies red flags and evolving MSCC; outcome depends on pre-treatment function. "
                   "[taught: 03 § Pain comes first | night, thoracic] "
                   "[taught: 03 § Why compression is an emergency | still walks, permanent]"),
               (1, "Focused neurological examination: power, sensory level, reflexes, saddle sensation and "
                   "sphincters. [taught: 03 § Dermatomes, myotomes and reflexes | sensory level, reflexes] "
                   "[taught: 03 § Neurological and autonomic symptoms | bladder, bowel]"),
               (1, "Contacts the MSCC coordinator immediately and asks for a whole-spine MRI within 24 hours. "
                   "[taught: 03 § Triage: pathway, clock and steroids | MSCC coordinator, immediately, "
                   "whole-spine MRI as soon as possible, always within 24 hours]"),
               (1, "Dexamethasone 16 mg with PPI cover and glucose monitoring (accept: biopsy first if lymphoma "
                   "is suspected). [taught: 03 § Triage: pathway, clock and steroids | dexamethasone 16 mg, "
                   "proton-pump inhibitor, capillary glucose, lymphoma is suspected, biopsy first]")],
              objective="O1")
    return a


def a03a() -> Assignment:
    a = Assignment("a03a_emergency", "The MSCC emergency, hour by hour", minutes=35, objectives={
        "O1": "Decide who is on the MSCC pathway and which clock applies.",
        "O2": "Start the first-hours care: imaging, spinal precautions, bladder and supportive care.",
        "O3": "Prescribe dexamethasone with its safeguards and know when to hold it.",
        "O4": "Relate walking status at treatment to the outcome; work up MSCC as the first sign of cancer.",
    }, intro="This assignment checks what you do in the first hours of suspected metastatic spinal cord "
             "compression: the pathway, its clocks, the scan, the steroid and the supportive care "
             "(module 03a).")
    a.header()
    a.case_setup()
    a.single("A 58-year-old man with no history or features of cancer has back pain after gardening, pain "
             "down both legs, saddle numbness and a weak urinary stream. What do you do first?",
             ["phone the MSCC coordinator and give dexamethasone 16 mg",
              "phone the on-call spinal team for an emergency MRI within 4 hours",
              "request a whole-spine MRI within a week",
              "ask his GP to review him in a few days"], "B", objective="O1")
    a.single("Two patients with MSCC start radiotherapy: one walks with a stick, the other stopped walking "
             "two days ago. Which factor best predicts which of them walks afterwards?",
             ["the radiotherapy schedule each receives",
              "their walking status when treatment starts",
              "the dexamethasone dose each was given",
              "how many vertebrae the MRI shows involved"], "B", objective="O4")
    a.multiple("A woman with breast cancer has new leg weakness, pain on turning and a sensory level at T10. "
               "Her whole-spine MRI is booked for tonight. Which should start now, before the scan?",
               ["dexamethasone 16 mg with a proton-pump inhibitor and glucose checks",
                "spinal precautions: flat or partly raised, log-roll for transfers",
                "plain X-rays of the thoracic spine",
                "a bladder scan, with a catheter if she is in retention",
                "no steroid until the MRI confirms compression"], {"A", "B", "D"}, objective="O2")
    a.numeric("In a Mayo Clinic series, in about what percentage of patients was spinal epidural metastasis "
              "the first sign of their cancer (Schiff et al., 1997)?", 20, 5, objective="O4", unit="%")
    a.key_feature("A 58-year-old man with known lung cancer phones at 18:00: since this morning his legs are "
                  "weak and he has not passed urine for 10 hours. He can stand with help.",
                  [{"prompt": "Which clock applies?",
                    "options": ["contact the MSCC coordinator now; whole-spine MRI within 24 hours",
                                "whole-spine MRI within one week", "a GP review within two weeks",
                                "MRI only if he stops walking"], "answer": "A"},
                   {"prompt": "Until his spine has been assessed, how does he move?",
                    "options": ["walks to the toilet as usual",
                                "spinal precautions: lying flat or partly raised, log-rolled for transfers",
                                "sits out in a chair overnight", "no restriction"], "answer": "B"},
                   {"prompt": "What do you do about his bladder?",
                    "options": ["a bladder scan, and a catheter if he is in retention", "restrict his fluids",
                                "wait for the MRI", "a laxative only"], "answer": "A"}],
                  objective="O1, O2", points=3)
    a.case("rt_clock", {"mri_h": [3, 5, 7, 9, 11, 14, 18, 22], "decision_h": [1, 2, 3, 4, 6, 8]},
           describe="Your patient, not fit for surgery, presented with neurological signs at hour 0. The MRI "
                    "was reported at hour {patient.mri_h}, and the decision to give radiotherapy was made "
                    "{patient.decision_h} hours after the report.",
           prompt="By which hour after presentation, at the latest, must radiotherapy start to meet the "
                  "2023 quality standard (QS56, statement 6)?",
           expected="_p.mri_h + _p.decision_h + 24",
           solution="answer_q6 = patient.mri_h + patient.decision_h + 24",
           tolerance=0, objective="O1", unit="hours")
    a.written("Mr Okafor, 52, has no cancer diagnosis. He has six weeks of back pain, weight loss, night "
              "sweats and enlarged painless neck nodes; since this morning his legs are weak, he walks "
              "unsteadily without help, and you find a sensory level at the nipple line. It is 22:00. "
              "Write your plan for the next few hours, with a reason for each step.",
              "He is on the MSCC pathway because cancer is suspected (past, current or suspected cancer), "
              "and he has neurological signs: phone the MSCC coordinator immediately. Request whole-spine "
              "MRI as soon as possible and always within 24 hours, overnight if needed; no plain X-rays. "
              "Lymphoma is possible (nodes, night sweats): hold dexamethasone until an urgent biopsy, and "
              "discuss with haematology, because steroids can make the biopsy non-diagnostic. Keep him flat "
              "and log-roll until stability is known; bladder scan (catheter if in retention), bowel care, "
              "VTE prophylaxis and regular analgesia. Start the work-up for an unknown primary (CT chest, "
              "abdomen and pelvis; calcium; myeloma screen with serum electrophoresis and free light chains), "
              "but do not let it delay emergency treatment if he deteriorates. Walking status at treatment "
              "predicts walking afterwards, so every hour counts.",
              [(1, "On the pathway because cancer is suspected; MSCC coordinator called immediately. "
                   "[taught: 03a § Who is on the pathway | suspected cancer] "
                   "[taught: 03a § The calls and the clocks | MSCC coordinator, immediately]"),
               (1, "Whole-spine MRI within 24 hours (overnight if needed); no plain X-rays. "
                   "[taught: 03a § The calls and the clocks | always within 24 hours, overnight] "
                   "[taught: 03a § Imaging: the whole spine, and never a plain X-ray to rule it out | "
                   "whole spine, plain radiographs]"),
               (1, "Dexamethasone held until an urgent biopsy because lymphoma is possible; haematology "
                   "involved. [taught: 03a § Dexamethasone: who, how much, and when not | lymphoma possible, "
                   "biopsy, haematology]"),
               (1, "Spinal precautions, bladder scan or catheter, bowel care, VTE prophylaxis, analgesia; "
                   "work-up (CT chest, abdomen and pelvis, calcium, myeloma screen) without delaying "
                   "treatment. [taught: 03a § Keep the spine still until its stability is known | log-rolling] "
                   "[taught: 03a § The first hours: bladder, bowel, clots and pain | bladder, laxatives, "
                   "venous thromboembolism] [taught: 03a § When MSCC is the first sign of cancer | chest, "
                   "abdomen and pelvis, myeloma screen, do not let the work-up delay emergency treatment]")],
              objective="O1, O2, O3")
    return a


def a03b() -> Assignment:
    import json

    from course.isncsci import WORKSHEET_SPEC

    spec = dict(WORKSHEET_SPEC)
    spec_src = json.dumps(spec)
    a = Assignment("a03b_examination", "The neurological examination and ISNCSCI", minutes=40, objectives={
        "O1": "Grade power with the MRC scale and score the ISNCSCI key muscles.",
        "O2": "Find the key sensory points and recognise sacral sparing.",
        "O3": "Classify an ISNCSCI worksheet: levels, completeness and the AIS grade.",
        "O4": "Recognise and manage the autonomic emergencies of high cord lesions.",
    }, intro="This assignment checks the neurological examination of module 03b and the ISNCSCI "
             "classification (Rupp et al., 2021) on a worksheet drawn for you.")
    a.header()
    a.case_setup()
    a._readonly_code("from course import isncsci", "setup_isncsci")
    a.single("A patient lifts the leg off the bed against gravity but cannot resist your hand at all. "
             "Which MRC grade do you record?", ["2", "3", "4", "5"], "B", objective="O1")
    a.single("Where is the ISNCSCI key sensory point for S3?",
             ["the popliteal fossa", "the ischial tuberosity (infragluteal fold)", "the perianal skin",
              "the lateral heel"], "B", objective="O2")
    a.multiple("Which findings make an injury *incomplete* in ISNCSCI?",
               ["deep anal pressure felt", "voluntary anal contraction", "normal resting anal tone",
                "altered (1) light touch at S4-5", "a brisk bulbocavernosus reflex"], {"A", "B", "D"},
               objective="O2")
    a.numeric("A patient's right upper-limb key muscles are graded C5 5, C6 4, C7 3, C8 2 and T1 1. "
              "What is the right upper-extremity motor score?", 15, 0, objective="O1")
    a.case("isncsci_worksheet", spec,
           describe="Your patient's ISNCSCI worksheet (motor 0-5, sensation 2 normal, 1 altered, "
                    "0 absent):\\n{isncsci.worksheet_text(isncsci.worksheet_exam(**patient))}",
           prompt="Your patient's worksheet is printed below. What is the lower-extremity motor score "
                  "(right plus left, out of 50)?",
           expected="__import__('course.isncsci', fromlist=['_']).isncsci(**__import__('course.isncsci', "
                    "fromlist=['_']).worksheet_exam(**_p)).lower_extremity_motor_total",
           solution="""
           answer_q5 = calculators.isncsci(**isncsci.worksheet_exam(**patient)).lower_extremity_motor_total
           """, tolerance=0, objective="O3", points=2)
    hidden_head = f"""
           from course import isncsci as _isncsci_for_grading
           _p = variants.grading_case({spec_src}, assignment="a03b_examination", template="isncsci_worksheet")
           _r = _isncsci_for_grading.isncsci(**_isncsci_for_grading.worksheet_exam(**_p))
           """
    a.code("Classify your patient's worksheet (printed above) step by step, as taught in module 03b: the "
           "sensory levels, the motor levels, the neurological level, completeness. Set `ais_grade` to "
           "the AIS grade, one letter. (You may check your answer with `calculators.isncsci`.)",
           level="reasoning", assesses="clinical",
           solution="""
           ais_grade = calculators.isncsci(**isncsci.worksheet_exam(**patient)).ais
           """, visible="""
           assert isinstance(ais_grade, str) and ais_grade.strip().upper() in set("ABCDE"), 'give one letter, e.g. "B"'
           """, hidden=hidden_head + """
           assert ais_grade.strip().upper() == _r.ais, "not the AIS grade of this student's worksheet"
           """, objective="O3", points=3)
    a.code("Set `neurological_level` to your patient's neurological level of injury, written like "
           "`\"T6\"` or `\"C5\"`.", level="application", assesses="clinical",
           solution="""
           neurological_level = calculators.isncsci(**isncsci.worksheet_exam(**patient)).neurological_level
           """, visible="""
           assert isinstance(neurological_level, str) and neurological_level.strip().upper() in isncsci.SENSORY_LEVELS, 'write a level such as "T6"'
           """, hidden=hidden_head + """
           assert neurological_level.strip().upper() == _r.neurological_level, "not the neurological level of this student's worksheet"
           """, objective="O3", points=3)
    a.written("A 60-year-old woman with a complete T4 cord lesion from a metastasis, treated two months ago, "
              "has a sudden pounding headache; she is flushed and sweating above the chest, her blood "
              "pressure is 190/100 mmHg (usually 110/70) and her pulse 52. Name the emergency, explain "
              "why it happens, and list what you do, in order.",
              "Autonomic dysreflexia: a lesion at or above T6 in the chronic phase, after spinal shock. A "
              "noxious stimulus below the lesion — most often a full bladder or blocked catheter, or "
              "faecal loading — triggers a sympathetic surge that the brain cannot damp below the "
              "lesion: systolic pressure 20–40 mmHg or more above baseline, headache, flushing and "
              "sweating above the lesion, often bradycardia. Sit her up and loosen tight clothing; check "
              "and relieve the bladder (catheterise, or flush or change a blocked catheter), then the "
              "bowel; give a short-acting antihypertensive if the systolic pressure stays high; monitor "
              "the pressure.",
              [(1, "Names autonomic dysreflexia and links it to a lesion at or above T6. "
                   "[taught: 03b § Autonomic emergencies | autonomic dysreflexia, at or above T6]"),
               (1, "Mechanism: a noxious trigger below the lesion, most often the bladder or a blocked "
                   "catheter. [taught: 03b § Autonomic emergencies | noxious stimulus, full bladder or a blocked catheter]"),
               (1, "First actions: sit her up, loosen clothing. "
                   "[taught: 03b § Autonomic emergencies | sit the patient up, loosen tight clothing]"),
               (1, "Relieve the bladder then the bowel, and a short-acting antihypertensive if the "
                   "pressure stays high. [taught: 03b § Autonomic emergencies | relieve the bladder, "
                   "short-acting antihypertensive]")], objective="O4")
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
    a.key_feature("A 70-year-old man with prostate cancer has new thoracic pain and numb legs. A plain "
                  "radiograph of the thoracic spine was reported as normal.",
                  [{"prompt": "What next?",
                    "options": ["reassure him: the radiograph is normal", "whole-spine MRI within 24 hours",
                                "a repeat radiograph in six weeks", "a CT of the head"], "answer": "B"},
                   {"prompt": "On the axial T2 image the epidural tumour compresses the cord, with CSF still "
                              "visible around it. Which ESCC grade is this?",
                    "options": ["1a", "1c", "2", "3"], "answer": "C"},
                   {"prompt": "Which finding would point to infection rather than metastasis?",
                    "options": ["destruction of the disc and both neighbouring end plates",
                                "a pedicle lesion with the disc spared", "a sclerotic vertebral body",
                                "several vertebral bodies involved with normal discs"], "answer": "A"}],
                  objective="O1, O2, O3", points=3)
    a.numeric("Use `calculators.escc` to find whether grade 1c counts as high-grade under the course's "
              "binary rule: set `answer_q6` to 1 if it does and 0 if it does not.", 0, 0, objective="O2",
              solution='answer_q6 = int(calculators.escc(grade="1c").high_grade)')
    a.written("An MRI shows a T9 lesion with destruction of the end plates and the adjacent disc, with "
              "involvement of both T9 and T10. Explain why this pattern argues against metastasis, what "
              "it suggests instead, and what you would do next.",
              "Metastases usually spare the intervertebral disc (they start in the marrow of the "
              "vertebral body/pedicle and the disc is relatively resistant), so disc and end-plate "
              "destruction across two adjacent levels suggests infection (spondylodiscitis, e.g. "
              "pyogenic or tuberculous). Next: inflammatory markers (blood count, ESR) and cultures, "
              "and image-guided biopsy for histology and culture before treatment; keep metastasis in "
              "the differential in a patient with cancer.",
              [(2, "Disc usually spared by metastasis; disc involvement suggests spondylodiscitis/infection. "
                   "[taught: 04 § 4. Metastasis, infection or osteoporosis? | spondylodiscitis, disc alone]"),
               (1, "Names an infection work-up: inflammatory markers (blood count, ESR) and cultures. "
                   "[taught: 04 § 7. Choosing the right test — and the rest of the work-up | ESR, infection, "
                   "culture]"),
               (1, "Biopsy for histology/microbiology before treating. "
                   "[taught: 04 § 7. Choosing the right test — and the rest of the work-up | biopsy, culture]")],
              objective="O3")
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
    }, intro="This assignment checks the Spinal Instability Neoplastic Score (Fisher et al., 2010): its "
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
    a.key_feature("A 57-year-old woman with lung cancer has neck pain that is much worse on turning her head and "
                  "eased lying down. CT shows a lytic C7 body with about 60% collapse, normal alignment and "
                  "tumour in both facet joints and pedicles.",
                  [{"prompt": "Which pain does she have, for SINS?",
                    "options": ["mechanical (3 points)", "occasional, non-mechanical (1 point)",
                                "pain-free (0 points)"], "answer": "A"},
                   {"prompt": "Her SINS total (junctional 3 + mechanical 3 + lytic 2 + alignment 0 + collapse "
                              "over 50% 3 + bilateral posterolateral 3) falls in which band?",
                    "options": ["stable (0–6)", "potentially unstable (7–12)", "unstable (13–18)"],
                    "answer": "C"},
                   {"prompt": "What follows from the band?",
                    "options": ["a spinal surgeon's opinion on stability, with neck precautions meanwhile",
                                "no surgical opinion is needed", "radiotherapy alone, without asking a surgeon",
                                "a repeat CT in three months"], "answer": "A"}],
                  objective="O2", points=3)
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
              [(1, "Band 7–12 potentially unstable / indeterminate. "
                   "[taught: 05 § 2. SINS — is the spine stable? (O2) | 7–12 potentially unstable]"),
               (1, "Surgical consultation recommended (≥7). "
                   "[taught: 05 § 2. SINS — is the spine stable? (O2) | 7 or more, surgical consultation]"),
               (2, "SINS is mechanical only: NOMS components (neurology, oncology, systemic) and "
                   "patient preference also decide. "
                   "[taught: 05 § 4. NOMS — putting it together (O4) | Neurologic, Oncologic, Mechanical, Systemic]")],
              objective="O2")
    return a


def a05a() -> Assignment:
    a = Assignment("a05a_prognosis", "Prognosis and the conversation about it", minutes=35, objectives={
        "O1": "Explain why a prognostic score informs a decision but does not make it.",
        "O2": "Calculate NESMS and the new Katagiri score.",
        "O3": "Match the radiotherapy schedule and the plan to the expected survival.",
        "O4": "Judge a score by discrimination, calibration and net benefit.",
        "O5": "Talk with a patient about prognosis and goals of care.",
    }, intro="This assignment checks how you estimate survival in spinal metastases, judge the tools that do "
             "it, and turn the estimate into a plan and a conversation (module 05a).")
    a.header()
    a.single("An MDT is deciding whether a patient with MSCC should have surgery. Which statement about "
             "prognostic scores is best supported by the evidence reviewed for the 2023 NICE guideline?",
             ["the revised Tokuhashi score should decide, as in the older guideline",
              "scores inform the decision, but none is accurate enough to make it alone",
              "SINS predicts survival well enough to select patients for surgery",
              "scores add nothing, because clinicians' own estimates are accurate"], "B", objective="O1")
    a.numeric("A 64-year-old man has a modified Bauer score of 3. He cannot walk without help and his serum "
              "albumin is 32 g/L. What is his NESMS?", 2, 0, objective="O2")
    a.numeric("A 59-year-old man has hormone-independent prostate cancer, no visceral or cerebral metastases "
              "and multiple bone metastases. He has had chemotherapy; he is ECOG 3; his LDH is 310 IU/L and "
              "his other blood tests are normal. What is his new Katagiri score?", 6, 0, objective="O2")
    a.key_feature("An 81-year-old woman with lung cancer, liver metastases and cord compression at T8 stopped "
                  "walking 9 days ago. Her Rades score for death within 2 months is 21 and she is not fit for "
                  "surgery.",
                  [{"prompt": "Which radiotherapy schedule do you recommend?",
                    "options": ["8 Gy in a single fraction", "30 Gy in 10 fractions",
                                "separation surgery, then SBRT", "40 Gy in 20 fractions"], "answer": "A"},
                   {"prompt": "Which two things do you do today?",
                    "options": ["ask the palliative-care team to see her",
                                "tell her that radiotherapy will get her walking again",
                                "ask what matters most to her and where she wants to be cared for",
                                "wait for the radiotherapy result before discussing the outlook"],
                    "answer": {"A", "C"}, "max_choices": 2}],
                  objective="O3, O5", points=2)
    a.multiple("Which statements about judging a prognostic score are true?",
               ["a c-statistic of 0.5 means the score orders patients no better than chance",
                "a score can discriminate well and still be badly calibrated in a new era",
                "recalibrating a score on a new cohort changes its c-statistic",
                "the threshold of a decision curve is a property of the score",
                "a c-statistic of 0.79 means 79% of individual predictions are correct"], {"A", "B"},
               objective="O4")
    a.code("Use `calculators.rades_two_month` for this patient: ECOG 3, breast cancer, other bone metastases, "
           "liver metastases, MSCC 30 months after the cancer diagnosis, not walking, motor deficit developed "
           "over 4 days. Set `rades_total` to the total and `bsc_considered` to whether best supportive care "
           "should be considered.",
           solution="""
           result = calculators.rades_two_month(ecog=3, tumour_type="breast", other_bone_mets=True,
                                                visceral_mets=True, interval_months=30, ambulatory=False,
                                                motor_deficit_days=4)
           rades_total = result.total
           bsc_considered = result.best_supportive_care_considered
           """, visible="""
           assert isinstance(rades_total, int) and 6 <= rades_total <= 25
           assert isinstance(bsc_considered, bool)
           """, hidden="""
           assert rades_total == 21
           assert bsc_considered is True
           """, objective="O3", points=2)
    a.written("Mrs Novak, 77, has pancreatic cancer with liver metastases. She has been in bed for a week "
              "with cord compression at T6 (ECOG 4); her Rades 2-month score is 23. The MDT advises against "
              "surgery and offers one 8 Gy fraction for pain. She asks you: \"My neighbour had an operation "
              "and walked again — why can't I? And how long do I have?\" Write what you would say: what you "
              "tell her, what you do not promise, and what you offer next.",
              "Start by asking what she understands and how much she wants to know; warn that the news is "
              "difficult and use plain words. Explain that operations help people who are fit for them, "
              "expected to live at least 3 months and have not lost the use of their legs for more than 48 "
              "hours; she is outside those limits, so surgery would bring its risks without the benefit. "
              "One radiotherapy treatment aims to ease pain. Give the outlook as a range for people in a "
              "similar situation (often weeks rather than months), never a date, and say that nobody can "
              "know exactly. Do not promise that she will walk again or that treatment will cure the cancer; "
              "do not say that nothing more can be done. Offer palliative care now, alongside the "
              "radiotherapy; ask what matters most to her and where she would like to be cared for; invite "
              "questions and agree to talk again as things change.",
              [(1, "Asks what she understands and wants to know; warns and uses plain words. "
                   "[taught: 05a § 7. Talking about prognosis and goals of care (O5) | how much they want to "
                   "know, plain words]"),
               (1, "Explains why no operation: surgery helps fit patients expected to live at least 3 months "
                   "and not paraplegic for more than 48 hours. [taught: 05a § 1. Why prognosis matters (O1) | "
                   "at least 3 months, paraplegic for more than 48 hours]"),
               (1, "Gives the outlook as a range or scenarios for people in a similar situation, never a date, "
                   "and says what cannot be known. [taught: 05a § 7. Talking about prognosis and goals of care "
                   "(O5) | ranges and scenarios, never a date]"),
               (1, "Promises neither walking nor cure, and does not say that nothing more can be done. "
                   "[taught: 05a § 7. Talking about prognosis and goals of care (O5) | walking again, nothing "
                   "more can be done]"),
               (1, "Involves palliative care now, alongside radiotherapy; asks about goals and place of care; "
                   "offers to revisit. [taught: 05a § 7. Talking about prognosis and goals of care (O5) | "
                   "involve palliative care early, place of care] [taught: 05a § 4. The Rades scores and the "
                   "radiotherapy schedule (O3) | best supportive care]")],
              objective="O1, O3, O5")
    return a


def a06() -> Assignment:
    # Every schedule is taught in module 06 with its source: 8/1 (NICE; SCORAD III), 20/5 (SCORAD III; SC.24),
    # 30/10 and 37.5/15 (Rades long courses), 24/2 (SC.24), 16/1 and 18/1 (RTOG 0631), and 27/3 and 35/5, which lie
    # within the post-separation-surgery SRS ranges of Laufer et al. (2013): 24–30 Gy in 3, 18–36 Gy in 5–6.
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
    a.key_feature("A fit 60-year-old man with renal cell carcinoma, walking, has ESCC 2 compression at T10 in a "
                  "spine judged unstable; it is his only metastasis.",
                  [{"prompt": "Which NOMS decision follows?",
                    "options": ["conventional radiotherapy alone", "stereotactic radiosurgery alone",
                                "separation surgery (decompression and stabilisation), then stereotactic "
                                "radiotherapy", "no treatment"], "answer": "C"},
                   {"prompt": "What is arranged before the operation?",
                    "options": ["preoperative embolisation", "a bone scan", "a lumbar puncture",
                                "nothing more"], "answer": "A"},
                   {"prompt": "Why stereotactic rather than conventional fractions after the operation?",
                    "options": ["renal cancer responds poorly to conventional fractions",
                                "conventional radiotherapy is not allowed after surgery",
                                "stereotactic treatment needs no planning",
                                "renal metastases never recur"], "answer": "A"}],
                  objective="O1, O3", points=3)
    a.case("eqd2_schedule", {"schedule": schedules, "alpha_beta": [2, 3, 10]},
           describe="Your patient is planned for {patient.schedule[0]} Gy in {patient.schedule[1]} "
                    "fraction(s) (a schedule taught in module 06; 27 Gy in 3 and 35 Gy in 5 lie within the "
                    "postoperative SRS ranges of Laufer et al., 2013); use α/β = {patient.alpha_beta} Gy.",
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
              "disease, can tolerate surgery. Plan: dexamethasone 16 mg now for her neurological signs "
              "(with a proton-pump inhibitor and glucose checks); preoperative embolisation, because "
              "renal cell metastases are hypervascular; separation surgery (decompression to create a "
              "margin of CSF around the cord) with posterior instrumentation for the instability — she "
              "meets Patchell's criteria for surgery first — followed by postoperative stereotactic "
              "radiotherapy for durable local control; discuss goals with the patient and the tumour board.",
              [(1, "N: high-grade ESCC with myelopathy; dexamethasone 16 mg for the neurological signs. "
                   "[taught: 05 § 4. NOMS — putting it together (O4) | Neurologic, ESCC] "
                   "[taught: 06 § 1. Corticosteroids (O1) | neurological symptoms or signs, 16 mg]"),
               (1, "O: RCC radioresistant to cEBRT. "
                   "[taught: 05 § 4. NOMS — putting it together (O4) | renal cell carcinoma, resistant]"),
               (1, "M: SINS 14 unstable → stabilisation. "
                   "[taught: 05 § 2. SINS — is the spine stable? (O2) | 13–18 unstable]"),
               (1, "S + plan: fit → embolisation, then separation surgery with instrumentation, then SRS. "
                   "[taught: 06 § 5. Surgery (O5) | embolisation, separation surgery, Patchell]")],
              objective="O1")
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
    a.single("A patient with suspected cord compression has new leg weakness. Which dexamethasone regimen "
             "is mainstream?",
             ["100 mg bolus, then 96 mg a day", "16 mg a day, then reduced after treatment",
              "2 mg a day, stopped without a taper", "none until the biopsy result, whatever the cancer"], "B",
             objective="O2")
    a.multiple("Which are recognised risks of high-dose dexamethasone boluses?",
               ["gastrointestinal bleeding or perforation", "psychosis", "hyperglycaemia", "hypoglycaemia"],
               {"A", "B", "C"}, objective="O3")
    a.numeric("What is the EQD2 (α/β = 2 Gy) of a thecal-sac point maximum of 21 Gy in 3 fractions?",
              47.25, 0.05, objective="O1", unit="Gy")
    a.key_feature("A 62-year-old woman with cord compression from breast cancer started dexamethasone 16 mg a "
                  "day five days ago; her radiotherapy finished today. Her capillary glucose is 14 mmol/L and "
                  "she is taking no stomach protection.",
                  [{"prompt": "What happens to the dexamethasone now?",
                    "options": ["reduce it over about a week and stop", "continue 16 mg a day for a month",
                                "stop it abruptly today", "double it"], "answer": "A"},
                   {"prompt": "Which safeguard is missing?",
                    "options": ["a proton-pump inhibitor", "an antibiotic", "a diuretic", "an iron tablet"],
                    "answer": "A"},
                   {"prompt": "What about her glucose?",
                    "options": ["check it regularly and treat high readings while she takes the steroid",
                                "ignore it: the rise is harmless", "stop the radiotherapy",
                                "stop eating carbohydrates entirely"], "answer": "A"}],
                  objective="O2, O3", points=3)
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
              "Reduce the dose gradually now that definitive treatment has started, rather than stopping "
              "abruptly, and stop it: sources differ on how long — about 5–7 days (NICE CG75, as "
              "reported), 10 days (Sørensen) or 14 days (Heimdal and many local protocols) — any of "
              "these is acceptable if the reduction is gradual, in whole tablets. Watch the neurology and "
              "increase the dose again if the deficit returns. Monitor and prevent: hyperglycaemia "
              "(capillary glucose checks), peptic ulceration and bleeding (a proton-pump inhibitor), "
              "infection, muscle wasting (proximal weakness that can mimic neurological deterioration) "
              "and mood or sleep disturbance.",
              [(1, "Gradual reduction and stop; any sourced length accepted (5–7, 10 or 14 days). "
                   "[taught: 06 § 1. Corticosteroids (O1) | 5–7 days, 10 days, 14 days]"),
               (1, "Increase again if the deficit returns. "
                   "[taught: 06 § 1. Corticosteroids (O1) | increase again if the deficit returns]"),
               (1, "Glucose monitoring and a proton-pump inhibitor. "
                   "[taught: 06 § 1. Corticosteroids (O1) | proton-pump inhibitor, capillary glucose]"),
               (1, "At least two further side effects (infection, muscle wasting, mood or sleep). "
                   "[taught: 07 § 3. Complications caused by treatment | infection, mood, muscle wasting]")],
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
    a.key_feature("A man with renal cell carcinoma: KPS 60, no extraspinal bone metastases, two vertebral-body "
                  "metastases, a removable lung metastasis, Frankel D. His revised Tokuhashi total is 9.",
                  [{"prompt": "Which survival band does that total predict?",
                    "options": ["less than 6 months (0–8)", "6 months or more (9–11)", "1 year or more (12–15)"],
                    "answer": "B"},
                   {"prompt": "Which treatment does the Tokuhashi guidance suggest for that band?",
                    "options": ["conservative treatment only", "palliative surgery, or excision if the spinal "
                                "lesion is single and there are no major-organ metastases",
                                "en bloc excision in every case", "no treatment"], "answer": "B"},
                   {"prompt": "Which limit of the score matters most for him?",
                    "options": ["it predates modern systemic therapy for renal cancer, so it may underestimate "
                                "his survival", "it cannot be used in renal cancer",
                                "it applies only to cervical lesions", "it needs a PET scan"], "answer": "A"}],
                  objective="O1", points=3)
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
              [(1, "Explains the band (9–11, ≥6 months) in plain words. "
                   "[taught: 05 § 5. Revised Tokuhashi — how long is the patient likely to live? (O5) | "
                   "9–11 six months or more]"),
               (1, "Population estimate, not an individual prediction. "
                   "[taught: 05a § 7. Talking about prognosis and goals of care (O5) | population estimate, ranges and scenarios]"),
               (1, "Dated against modern systemic therapy; may underestimate survival. "
                   "[taught: 08 § 3. When the sources disagree: the NSCLC patient | targeted, underestimate survival]"),
               (1, "Links to the plan (Tokuhashi guidance + NOMS + patient's goals). "
                   "[taught: 05 § 5. Revised Tokuhashi — how long is the patient likely to live? (O5) | "
                   "palliative surgery, excisional surgery]")], objective="O2, O3")
    return a


BUILDERS = {"a01_anatomy": a01, "a02_spread": a02, "a03_presentation": a03, "a03a_emergency": a03a,
            "a03b_examination": a03b,
            "a04_imaging": a04,
            "a05_scoring": a05, "a05a_prognosis": a05a, "a06_treatment": a06, "a07_complications": a07, "a08_cases": a08}


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
