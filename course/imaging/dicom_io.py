"""Write the phantom as a real DICOM series and read it back, as a viewer would.

Files are Explicit VR Little Endian, with CT or MR Image Storage SOP classes, deterministic UIDs
(:func:`pydicom.uid.generate_uid` with fixed entropy sources) and identifiers that are obviously
synthetic (``SYNTHETIC^PHANTOM``, ``SYNTH-0001``). CT pixels are stored as unsigned integers with
``RescaleIntercept = -1024`` and ``RescaleSlope = 1``; the reader applies slope and intercept to
recover Hounsfield units — exactly what radiology software does.

Write into a temporary directory (nothing is committed)::

    with tempfile.TemporaryDirectory() as tmp:
        paths = write_series(Phantom(f).axial_series("CT"), tmp)
        series = read_series(tmp)
        series.volume  # HU, shape (slices, rows, columns)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pydicom
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import (
    CTImageStorage,
    ExplicitVRLittleEndian,
    MRImageStorage,
    PYDICOM_IMPLEMENTATION_UID,
    generate_uid,
)

from course.imaging.phantom import Image, data, region_of, window_preset

PATIENT_NAME = "SYNTHETIC^PHANTOM"
PATIENT_ID = "SYNTH-0001"
STUDY_ID = "SYNTH-SPINE"
#: Everything derives from this string, so the same phantom always gets the same UIDs.
ENTROPY_ROOT = "spinal-metastases-course/module-04/synthetic-phantom"
CT_INTERCEPT = -1024.0
MR_SCALE = 1000.0  # MR signal 0–1 stored as 0–1000
#: DICOM Body Part Examined (PS3.16 defined terms) of the region the image centre lies in.
BODY_PART = {"cervical": "CSPINE", "thoracic": "TSPINE", "lumbar": "LSPINE"}


def uid(*parts: Any) -> str:
    """A deterministic DICOM UID derived from ``parts`` (same parts → same UID)."""
    return str(generate_uid(entropy_srcs=[ENTROPY_ROOT, *map(str, parts)]))


def _sequence_info(modality: str) -> dict[str, Any]:
    for item in data()["sequences"]["items"]:
        if item["name"] == modality:
            return dict(item)
    raise ValueError(f"modality: {modality!r} is not an MR sequence of the phantom")


def _dataset(image: Image, number: int, series_number: int, series_description: str,
             slice_thickness: float, spacing_between: float) -> FileDataset:
    is_ct = image.modality == "CT"
    sop_class = CTImageStorage if is_ct else MRImageStorage
    series_uid = uid("series", series_number, image.modality, image.plane)
    sop_uid = uid("instance", series_number, image.modality, image.plane, number)

    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = sop_uid
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = PYDICOM_IMPLEMENTATION_UID

    ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.ImageType = ["DERIVED", "SECONDARY", "AXIAL" if image.plane == "axial" else "OTHER"]
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = sop_uid
    ds.StudyDate = ds.SeriesDate = ds.ContentDate = "20000101"
    ds.StudyTime = ds.SeriesTime = ds.ContentTime = "120000"
    ds.AccessionNumber = "SYNTH"
    ds.Modality = "CT" if is_ct else "MR"
    ds.Manufacturer = "SYNTHETIC (spinal metastases course phantom)"
    ds.InstitutionName = "NONE - SYNTHETIC DATA"
    ds.ReferringPhysicianName = ""
    ds.StudyDescription = "SYNTHETIC SPINE PHANTOM - NOT A PATIENT - TEACHING ONLY"
    ds.SeriesDescription = series_description
    ds.PatientName = PATIENT_NAME
    ds.PatientID = PATIENT_ID
    ds.PatientBirthDate = ""
    ds.PatientSex = "O"
    ds.PatientIdentityRemoved = "YES"
    ds.DeidentificationMethod = "No real patient: computer-generated phantom"
    ds.BodyPartExamined = BODY_PART[region_of(image.level)]
    ds.PatientPosition = "HFS"
    ds.StudyInstanceUID = uid("study")
    ds.SeriesInstanceUID = series_uid
    ds.FrameOfReferenceUID = uid("frame-of-reference")
    ds.StudyID = STUDY_ID
    ds.SeriesNumber = series_number
    ds.InstanceNumber = number
    ds.ImagePositionPatient = [round(float(v), 4) for v in image.origin]
    ds.ImageOrientationPatient = [float(v) for v in (*image.row_direction, *image.col_direction)]
    ds.SliceLocation = round(float(image.position), 4)
    ds.PixelSpacing = [round(image.spacing[0], 6), round(image.spacing[1], 6)]
    ds.SliceThickness = slice_thickness
    ds.SpacingBetweenSlices = spacing_between
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows, ds.Columns = image.pixels.shape
    ds.BitsAllocated = 16
    ds.PixelRepresentation = 0
    if is_ct:
        stored = np.clip(np.rint(image.pixels.astype(np.float64) - CT_INTERCEPT), 0, 4095).astype(np.uint16)
        ds.BitsStored, ds.HighBit = 12, 11
        ds.RescaleIntercept = CT_INTERCEPT
        ds.RescaleSlope = 1.0
        ds.RescaleType = "HU"
        ds.KVP = 120
        soft, bone = window_preset("soft_tissue"), window_preset("bone")
        ds.WindowCenter = [soft[0], bone[0]]
        ds.WindowWidth = [soft[1], bone[1]]
        ds.WindowCenterWidthExplanation = ["SOFT TISSUE", "BONE"]
    else:
        info = _sequence_info(image.modality)
        stored = np.clip(np.rint(image.pixels.astype(np.float64) * MR_SCALE), 0, MR_SCALE).astype(np.uint16)
        ds.BitsStored, ds.HighBit = 16, 15
        ds.ScanningSequence = "IR" if "ti_ms" in info else "SE"
        ds.SequenceVariant = "SK"
        ds.ScanOptions = "FS" if info["fat_suppressed"] and "ti_ms" not in info else ""
        ds.MRAcquisitionType = "2D"
        ds.SequenceName = info["name"]
        ds.RepetitionTime = info["tr_ms"]
        ds.EchoTime = info["te_ms"]
        if "ti_ms" in info:
            ds.InversionTime = info["ti_ms"]
        ds.MagneticFieldStrength = 1.5
        if info["contrast"]:
            ds.ContrastBolusAgent = "GADOLINIUM (SIMULATED)"
        ds.WindowCenter = MR_SCALE / 2
        ds.WindowWidth = MR_SCALE
    ds.PixelData = stored.tobytes()
    return ds


def write_series(images: Sequence[Image], directory: str | os.PathLike[str], series_number: int = 1,
                 series_description: str | None = None) -> list[Path]:
    """Write ``images`` (one series: same modality and plane) as ``IMG0001.dcm`` … in ``directory``.

    Raises:
        ValueError: for an empty list or mixed modalities/planes.
    """
    if not images:
        raise ValueError("images: at least one image is needed")
    kinds = {(im.modality, im.plane) for im in images}
    if len(kinds) != 1:
        raise ValueError(f"images: one series holds one modality and plane; got {sorted(kinds)}")
    modality, plane = kinds.pop()
    description = series_description or f"SYNTHETIC {modality} {plane.upper()} - {images[0].findings.describe()}"
    gaps = np.diff([im.position for im in images])
    between = float(abs(gaps[0])) if len(gaps) else 1.0
    out = Path(directory) / f"series{series_number:02d}_{modality.replace('+', 'p').replace(' ', '')}_{plane}"
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, image in enumerate(images, start=1):
        ds = _dataset(image, n, series_number, description[:64], slice_thickness=between, spacing_between=between)
        path = out / f"IMG{n:04d}.dcm"
        ds.save_as(path, enforce_file_format=True)
        paths.append(path)
    return paths


@dataclass
class Series:
    """A series read back from disk, sorted along the slice normal."""

    datasets: list[pydicom.Dataset]
    volume: np.ndarray  # (slices, rows, columns), HU for CT, stored values for MR
    positions: np.ndarray  # slice positions along the normal (mm)
    pixel_spacing: tuple[float, float]
    normal: np.ndarray

    @property
    def modality(self) -> str:
        return str(self.datasets[0].Modality)

    def tags(self, index: int = 0) -> dict[str, Any]:
        """The tags a radiologist's viewer shows, from slice ``index``, as plain Python values."""
        ds = self.datasets[index]
        keys = ["PatientName", "PatientID", "StudyDescription", "SeriesDescription", "Modality",
                "SeriesNumber", "InstanceNumber", "Rows", "Columns", "PixelSpacing", "SliceThickness",
                "ImagePositionPatient", "ImageOrientationPatient", "SliceLocation", "RescaleSlope",
                "RescaleIntercept", "RescaleType", "WindowCenter", "WindowWidth", "RepetitionTime",
                "EchoTime", "InversionTime", "ContrastBolusAgent"]
        out: dict[str, Any] = {}
        for k in keys:
            if k in ds:
                v = ds.data_element(k).value
                if isinstance(v, pydicom.multival.MultiValue):
                    v = [float(x) for x in v]
                elif isinstance(v, pydicom.valuerep.IS):
                    v = int(v)
                elif isinstance(v, pydicom.valuerep.DSfloat):
                    v = float(v)
                out[k] = str(v) if isinstance(v, pydicom.valuerep.PersonName) else v
        out["TransferSyntaxUID"] = str(ds.file_meta.TransferSyntaxUID.name)
        return out


def to_hu(ds: pydicom.Dataset) -> np.ndarray:
    """Stored pixel values → modality values: ``stored × RescaleSlope + RescaleIntercept``."""
    slope = float(ds.get("RescaleSlope", 1.0))
    intercept = float(ds.get("RescaleIntercept", 0.0))
    return ds.pixel_array.astype(np.float64) * slope + intercept


def read_series(directory: str | os.PathLike[str]) -> Series:
    """Read every ``*.dcm`` under ``directory`` (one series) and sort it along the slice normal.

    Raises:
        ValueError: if no file is found or the files belong to several series.
    """
    files = sorted(Path(directory).rglob("*.dcm"))
    if not files:
        raise ValueError(f"directory: no .dcm files under {directory}")
    dss = [pydicom.dcmread(f) for f in files]
    uids = {str(d.SeriesInstanceUID) for d in dss}
    if len(uids) != 1:
        raise ValueError(f"directory: holds {len(uids)} series; point at one series folder")
    iop = np.array([float(v) for v in dss[0].ImageOrientationPatient])
    normal = np.cross(iop[:3], iop[3:])
    pos = np.array([np.dot(normal, [float(v) for v in d.ImagePositionPatient]) for d in dss])
    order = np.argsort(pos)
    dss = [dss[i] for i in order]
    volume = np.stack([to_hu(d) for d in dss])
    spacing = tuple(float(v) for v in dss[0].PixelSpacing)
    return Series(dss, volume, pos[order], (spacing[0], spacing[1]), normal)
