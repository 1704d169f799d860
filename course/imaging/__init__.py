"""Module 04 — imaging and diagnosis on a synthetic spine.

* :mod:`course.imaging.phantom` — a deterministic, analytic phantom of the spine from C3 to L5
  (cortex, marrow, discs, canal, cord ending at the conus, cauda equina roots, CSF, epidural fat,
  posterior elements with facet joints, a sacral canal below the end of the thecal sac at S2;
  region-dependent shapes) with lytic, blastic or
  mixed metastases, epidural extension graded on the Bilsky (ESCC) scale, pathological or
  osteoporotic collapse, pedicle involvement, or spondylodiscitis; rendered as CT (HU) and MR.
* :mod:`course.imaging.dicom_io` — writes the phantom as a real DICOM series and reads it back.
* :mod:`course.imaging.modalities` — the comparison table of imaging tests and the tissue table.
* :mod:`course.imaging.exercises` — the interactives (viewer, windowing, spot the lesion, ESCC).

The numbers are illustrative; what the phantom teaches are the signal *relations*.
"""

from __future__ import annotations

from course.imaging.phantom import (
    KINDS,
    LEVELS,
    MODALITIES,
    SEQUENCES,
    Findings,
    Image,
    Phantom,
    escc_findings,
    window,
)

__all__ = [
    "KINDS",
    "LEVELS",
    "MODALITIES",
    "SEQUENCES",
    "Findings",
    "Image",
    "Phantom",
    "escc_findings",
    "window",
]
