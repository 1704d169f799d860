"""Round trip: phantom → DICOM files (pydicom) → read back → the same Hounsfield units and geometry."""

from __future__ import annotations

import numpy as np
import pydicom
import pytest
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, MRImageStorage

from course.imaging.dicom_io import PATIENT_ID, PATIENT_NAME, read_series, to_hu, uid, write_series
from course.imaging.phantom import T, Findings, Phantom, level_centre

FINDINGS = Findings(kind="lytic", extent=0.8, escc="2", pedicle="right")


@pytest.fixture(scope="module")
def ct_images():
    return Phantom(FINDINGS).axial_series("CT", spacing=6.0, z_range=(-18.0, 18.0))


@pytest.fixture()
def ct_dir(tmp_path, ct_images):
    write_series(ct_images, tmp_path, series_number=3)
    return tmp_path


def test_ct_round_trip_hounsfield_units(ct_dir, ct_images):
    series = read_series(ct_dir)
    assert series.volume.shape == (len(ct_images), 128, 128)
    original = np.stack([im.pixels for im in ct_images])
    assert np.abs(series.volume - original).max() <= 0.5 + 1e-6  # only integer rounding is lost
    assert series.modality == "CT"


def test_slices_sorted_and_positioned(ct_dir, ct_images):
    series = read_series(ct_dir)
    assert np.allclose(series.positions, [im.position for im in ct_images])
    assert np.allclose(np.diff(series.positions), 6.0)
    assert series.pixel_spacing == (1.0, 1.0)
    for ds, im in zip(series.datasets, ct_images):
        assert np.allclose([float(v) for v in ds.ImagePositionPatient], im.origin)
        assert float(ds.SliceLocation) == pytest.approx(im.position)
        # the geometry tags reproduce the phantom's pixel coordinates
        iop = np.array([float(v) for v in ds.ImageOrientationPatient])
        ipp = np.array([float(v) for v in ds.ImagePositionPatient])
        r, c = 17, 93
        dr, dc = (float(v) for v in ds.PixelSpacing)
        point = ipp + c * dc * iop[:3] + r * dr * iop[3:]
        x, y, z = im.coordinates()
        assert np.allclose(point, [x[r, c], y[r, c], z[r, c]])


def test_ct_tags(ct_dir):
    ds = read_series(ct_dir).datasets[0]
    assert ds.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian
    assert ds.SOPClassUID == CTImageStorage == ds.file_meta.MediaStorageSOPClassUID
    assert ds.Modality == "CT"
    assert str(ds.PatientName) == PATIENT_NAME == "SYNTHETIC^PHANTOM"
    assert ds.PatientID == PATIENT_ID == "SYNTH-0001"
    assert "SYNTHETIC" in ds.StudyDescription and ds.PatientIdentityRemoved == "YES"
    assert float(ds.RescaleSlope) == 1.0 and float(ds.RescaleIntercept) == -1024.0
    assert ds.RescaleType == "HU"
    assert [float(v) for v in ds.WindowCenter] == [40.0, 400.0]
    assert [float(v) for v in ds.WindowWidth] == [400.0, 1800.0]
    assert list(ds.WindowCenterWidthExplanation) == ["SOFT TISSUE", "BONE"]
    assert ds.Rows == ds.Columns == 128 and ds.BitsStored == 12 and ds.PixelRepresentation == 0
    assert ds.BodyPartExamined == "TSPINE"
    # stored values are unsigned; HU only after rescale
    assert ds.pixel_array.min() >= 0
    assert to_hu(ds).min() < -50


def test_uids_are_valid_unique_and_deterministic(tmp_path, ct_images):
    a = write_series(ct_images, tmp_path / "a", series_number=1)
    b = write_series(ct_images, tmp_path / "b", series_number=1)
    da = [pydicom.dcmread(p) for p in a]
    db = [pydicom.dcmread(p) for p in b]
    sop = [str(d.SOPInstanceUID) for d in da]
    assert len(set(sop)) == len(sop)
    assert sop == [str(d.SOPInstanceUID) for d in db]  # same phantom, same UIDs
    assert len({str(d.SeriesInstanceUID) for d in da}) == 1
    assert len({str(d.StudyInstanceUID) for d in da}) == 1
    for d in da:
        for u in (d.SOPInstanceUID, d.SeriesInstanceUID, d.StudyInstanceUID, d.FrameOfReferenceUID):
            assert u.is_valid and len(str(u)) <= 64
    assert uid("x") == uid("x") != uid("y")


def test_mr_series_round_trip(tmp_path):
    ph = Phantom(FINDINGS)
    images = ph.sagittal_series("STIR", spacing=8.0)
    write_series(images, tmp_path, series_number=2)
    series = read_series(tmp_path)
    ds = series.datasets[0]
    assert ds.Modality == "MR" and ds.SOPClassUID == MRImageStorage
    assert ds.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian
    assert float(ds.InversionTime) > 0 and float(ds.RepetitionTime) > float(ds.EchoTime)
    assert "RescaleIntercept" not in ds
    # sorted along the normal of the sagittal plane; values are signal × 1000
    by_x = {round(float(d.ImagePositionPatient[0])): i for i, d in enumerate(series.datasets)}
    for im in images:
        stored = series.volume[by_x[round(im.position)]]
        assert np.abs(stored / 1000.0 - im.pixels).max() <= 0.0005 + 1e-6
    tags = series.tags()
    assert tags["PatientID"] == "SYNTH-0001" and tags["Modality"] == "MR"
    assert tags["TransferSyntaxUID"] == "Explicit VR Little Endian"
    # the study is shared with the CT written by the same phantom
    assert str(ds.StudyInstanceUID) == uid("study")


def test_gadolinium_series_says_so(tmp_path):
    write_series([Phantom(FINDINGS).sagittal("T1+Gd FS")], tmp_path)
    ds = read_series(tmp_path).datasets[0]
    assert "GADOLINIUM" in ds.ContrastBolusAgent and ds.ScanOptions == "FS"


def test_write_and_read_errors(tmp_path):
    ph = Phantom()
    with pytest.raises(ValueError, match="images"):
        write_series([], tmp_path)
    with pytest.raises(ValueError, match="one modality"):
        write_series([ph.axial("CT"), ph.axial("T1")], tmp_path)
    with pytest.raises(ValueError, match="no .dcm"):
        read_series(tmp_path / "empty")
    write_series([ph.axial("CT")], tmp_path, series_number=1)
    write_series([ph.axial("T2")], tmp_path, series_number=2)
    with pytest.raises(ValueError, match="series"):
        read_series(tmp_path)


def test_lumbar_ct_round_trip_below_the_conus(tmp_path):
    """An L3 series: HU and geometry survive the round trip; the slices show roots, not a cord."""
    f = Findings(kind="blastic", level="L3", extent=0.7, pedicle="left", escc="3")
    images = Phantom(f).axial_series("CT", spacing=6.0)
    assert min(abs(im.position - level_centre("L3")) for im in images) < 1e-6  # centred on the lesion
    write_series(images, tmp_path, series_number=4)
    series = read_series(tmp_path)
    assert series.volume.shape == (len(images), 128, 128)
    assert np.abs(series.volume - np.stack([im.pixels for im in images])).max() <= 0.5 + 1e-6
    assert np.allclose(series.positions, [im.position for im in images])
    ds = series.datasets[len(images) // 2]
    assert ds.BodyPartExamined == "LSPINE" and "L3" in ds.SeriesDescription
    middle = images[len(images) // 2]
    assert float(ds.SliceLocation) == pytest.approx(middle.position)
    assert not (middle.labels == T["cord"]).any() and (middle.labels == T["nerve_root"]).any()
    assert to_hu(ds)[middle.labels == T["blastic"]].mean() > 700  # dense sclerotic bone read back in HU


def test_cervical_mr_body_part(tmp_path):
    write_series([Phantom(Findings(level="C6")).axial("T2")], tmp_path)
    assert read_series(tmp_path).datasets[0].BodyPartExamined == "CSPINE"
