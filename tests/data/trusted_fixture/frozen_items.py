"""Frozen copy of the graded items of a05_scoring and a06_treatment as they were on main at
commit 901ea15 (2026-12-01), before grading moved out of the student's kernel (issue 14).

Built with today's ``grading/tools/nbbuild.py``; ``tests/test_grading_trusted.py`` grades the
frozen batch (``batch.json``) with the trusted grader and compares with ``scores.json``, the
scores that nbgrader gave the same batch with the old in-kernel hidden tests
(``record_scores.py``). Never edit this file: it is the reference for "scores stay right".
"""

from nbbuild import Assignment


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


BUILDERS = {"a05_scoring": a05, "a06_treatment": a06}
