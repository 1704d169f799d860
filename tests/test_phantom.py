"""The synthetic spine teaches real imaging patterns: check them on the generated arrays.

Every relation below is measured on rendered pixels (means over the pixels of a tissue, read from
the phantom's label map), not on the lookup table alone, so geometry and rendering are both tested.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course import calculators
from course.imaging.phantom import (
    BODY_H,
    ESCC_GRADES,
    KINDS,
    LEVELS,
    MODALITIES,
    T,
    TISSUES,
    Findings,
    Phantom,
    escc_findings,
    level_centre,
    tissue_table,
    window,
    window_preset,
)


def sag(findings: Findings, modality: str, x: float = 0.0):
    return Phantom(findings).sagittal(modality, x=x)


def level_rows(img, level: str, margin: float = 0.0) -> np.ndarray:
    """Boolean mask of the rows of a sagittal image lying within body ``level`` (± margin mm)."""
    _, _, z = img.coordinates()
    zc = level_centre(level)
    return np.abs(z - zc) <= BODY_H / 2 + margin


# ----------------------------------------------------------------------------------------------
# Normal anatomy
# ----------------------------------------------------------------------------------------------
def test_every_tissue_has_every_modality():
    for name, props in tissue_table().items():
        for key in ("hu", "t1", "t2", "stir", "t1_gd", "t1_gd_fs"):
            assert key in props, (name, key)
        for key in ("t1", "t2", "stir", "t1_gd", "t1_gd_fs"):
            assert 0.0 <= props[key] <= 1.0, (name, key)


def test_normal_phantom_contains_the_anatomy():
    f = Findings()
    img = sag(f, "T1")
    present = {TISSUES[i] for i in np.unique(img.labels)}
    for tissue in ("cortex", "marrow", "disc", "cord", "csf", "epidural_fat", "fat"):
        assert tissue in present, tissue
    axial = Phantom(f).axial("T1", level="T9")
    assert {"cortex", "marrow", "cord", "csf", "dura", "epidural_fat", "vessel", "muscle"} <= {TISSUES[i] for i in np.unique(axial.labels)}
    # pedicles: bone lateral to the canal in the axial slice through the body
    x, y, _ = axial.coordinates()
    bone = (axial.labels == T["marrow"]) | (axial.labels == T["cortex"])
    for side in (1, -1):
        assert (bone & (side * x > 10) & (side * x < 17) & (y > 2) & (y < 9)).any()


def test_normal_signal_relations():
    f = Findings()
    t1, t2, stir = (Phantom(f).axial(m) for m in ("T1", "T2", "STIR"))
    ct = Phantom(f).axial("CT")
    # adult marrow is brighter than disc and muscle on T1
    assert t1.mean("marrow") > t1.mean("disc") + 0.15
    assert t1.mean("marrow") > t1.mean("muscle") + 0.15
    # fat: bright on T1, nulled on STIR; CSF: dark on T1, bright on T2
    assert t1.mean("fat") > 0.8 and stir.mean("fat") < 0.15
    assert t1.mean("csf") < 0.2 and t2.mean("csf") > 0.85
    assert t2.mean("csf") > t2.mean("cord") + 0.3
    # cortex is dark on every MR sequence
    for m in MODALITIES[1:]:
        assert sag(f, m).mean("cortex") < 0.1, m
    # CT numbers in the right order
    order = ["cortex", "marrow", "disc", "muscle", "csf", "fat"]
    means = [ct.mean(t) for t in order]
    assert means == sorted(means, reverse=True)
    assert -150 < ct.mean("fat") < -50 and abs(ct.mean("csf")) < 20 and ct.mean("cortex") > 1000


def test_sagittal_and_axial_agree_where_they_cross():
    ph = Phantom(Findings(kind="lytic", escc="2", pedicle="left", collapse=0.2))
    s = ph.sagittal("CT", x=0.0)
    a = ph.axial("CT", z=float(s.coordinates()[2][60, 0]), fov=128.0, centre=(0.0, -2.0))
    col = np.argmin(np.abs(a.coordinates()[0][0] - 0.0))
    # the axial grid has x = ±0.5 at its centre columns; compare the labels along y where sampled alike
    xa = a.coordinates()[0][0, col]
    s2 = ph.sagittal("CT", x=float(xa))
    assert np.array_equal(s2.labels[60, :], a.labels[:, col])


def test_deterministic():
    f = Findings(kind="mixed", extent=0.8, escc="1b")
    a, b = Phantom(f).sagittal("STIR"), Phantom(f).sagittal("STIR")
    assert np.array_equal(a.pixels, b.pixels) and np.array_equal(a.labels, b.labels)
    quiet = Phantom(f, noise=False).sagittal("STIR")
    assert np.array_equal(quiet.labels, a.labels)
    assert np.abs(quiet.pixels - a.pixels).max() < 0.1


# ----------------------------------------------------------------------------------------------
# Metastases
# ----------------------------------------------------------------------------------------------
def test_lytic_marrow_replacement_dark_on_t1_bright_on_stir():
    f = Findings(kind="lytic", extent=0.7)
    t1, stir, ct = sag(f, "T1"), sag(f, "STIR"), sag(f, "CT")
    # darker than the normal marrow and darker than disc and muscle on T1 (the replacement rule)
    assert t1.mean("lytic") < t1.mean("marrow") - 0.3
    assert t1.mean("lytic") < t1.mean("disc")
    axial = Phantom(f).axial("T1")
    assert axial.mean("lytic") < axial.mean("muscle") and axial.mean("lytic") < axial.mean("disc" if axial.mask("disc").any() else "muscle")
    assert stir.mean("lytic") > stir.mean("marrow") + 0.5
    assert ct.mean("lytic") < ct.mean("marrow") - 100  # bone destroyed: soft-tissue density


def test_blastic_dark_on_t1_and_t2_dense_on_ct():
    f = Findings(kind="blastic", extent=0.7)
    for m in ("T1", "T2", "STIR"):
        img = sag(f, m)
        assert img.mean("blastic") < img.mean("marrow") - 0.03, m
        assert img.mean("blastic") < 0.2, m
    ct = sag(f, "CT")
    assert ct.mean("blastic") > ct.mean("marrow") + 400


def test_mixed_has_both_components():
    img = sag(Findings(kind="mixed", extent=0.9), "CT")
    axial = Phantom(Findings(kind="mixed", extent=0.9)).axial("CT")
    labels = set(np.unique(img.labels)) | set(np.unique(axial.labels))
    assert T["lytic"] in labels and T["blastic"] in labels


def test_fat_saturation_shows_enhancing_tumour():
    f = Findings(kind="lytic", extent=0.7, escc="2")
    gd, fs = sag(f, "T1+Gd"), sag(f, "T1+Gd FS")
    contrast_plain = abs(gd.mean("lytic") - gd.mean("marrow"))
    contrast_fs = fs.mean("lytic") - fs.mean("marrow")
    assert contrast_fs > 0.4
    assert contrast_fs > 3 * contrast_plain  # without fat saturation the enhancing lesion nearly vanishes
    assert fs.mean("epidural_tumour") > fs.mean("epidural_fat") + 0.4


@pytest.mark.parametrize("kind", ["lytic", "blastic", "mixed"])
def test_metastasis_spares_the_disc(kind):
    normal = sag(Findings(), "T2")
    f = Findings(kind=kind, extent=1.0, collapse=0.3)
    img = sag(f, "T2")
    assert T["infected_disc"] not in np.unique(img.labels)
    assert abs(img.mean("disc") - normal.mean("disc")) < 0.02
    # the discs above and below the diseased body are still there
    _, _, z = img.coordinates()
    zc = level_centre(f.level)
    for sign in (1, -1):
        band = np.abs(z - (zc + sign * (BODY_H / 2 + 2))) < 1.5
        assert (img.labels[band] == T["disc"]).any()


def test_infection_involves_the_disc_and_both_endplates():
    f = Findings(kind="infection", level="T9")
    normal_t2, t2 = sag(Findings(), "T2"), sag(f, "T2")
    t1, stir = sag(f, "T1"), sag(f, "STIR")
    assert t2.mean("infected_disc") > normal_t2.mean("disc") + 0.08
    assert t1.mean("infected_disc") < t1.mean("disc") - 0.1
    assert stir.mean("infected_disc") > stir.mean("disc") + 0.15
    # oedema on both sides of the disc: in T9 and in T10
    for lv in ("T9", "T10"):
        rows = level_rows(stir, lv)
        m = (stir.labels == T["infected_marrow"]) & rows
        assert m.any(), lv
        assert stir.pixels[m].mean() > stir.mean("marrow") + 0.5
    # endplates eroded: no continuous cortex across the middle of the disc–bone interface
    _, y, z = t1.coordinates()
    upper_endplate = np.abs(z - (level_centre("T9") - BODY_H / 2 + 0.6)) < 0.6
    centre = np.abs(y + 15) < 8
    assert not (t1.labels[upper_endplate & centre] == T["cortex"]).any()


def _posterior_border(img, level):
    """y of the most posterior body pixel along the rows of ``level`` (NaN where none)."""
    _, y, z = img.coordinates()
    body = np.isin(img.labels, [T["cortex"], T["marrow"], T["lytic"], T["blastic"], T["osteopenic_marrow"],
                                T["fracture_oedema"]]) & (y < 4)
    rows = np.where(level_rows(img, level).any(axis=1))[0]
    out = {}
    for r in rows:
        ys = y[r][body[r]]
        if ys.size:
            out[float(z[r, 0])] = float(ys.max())
    return out


def test_malignant_collapse_vs_osteoporotic_collapse():
    malignant = Findings(kind="lytic", extent=1.0, collapse=0.4, pedicle="both", escc="2")
    benign = Findings(kind="osteoporotic", collapse=0.4)
    # height loss in both
    for f in (malignant, benign):
        img = sag(f, "T1")
        _, y, z = img.coordinates()
        col = np.argmin(np.abs(y[0] + 20))
        bone = img.labels[:, col] != T["disc"]
        rows = level_rows(img, f.level)[:, 0]
        height = np.count_nonzero(bone & rows & np.isin(img.labels[:, col], [T["cortex"], T["lytic"],
                                                                               T["osteopenic_marrow"], T["fracture_oedema"]]))
        assert height < 0.8 * BODY_H, f.kind
    # convex posterior border in the malignant collapse only
    for f, convex in ((malignant, True), (benign, False)):
        border = _posterior_border(sag(f, "T1"), f.level)
        zs = np.array(sorted(border))
        ys = np.array([border[z] for z in zs])
        mid = ys[len(ys) // 2]
        ends = np.median(np.r_[ys[: len(ys) // 5], ys[-len(ys) // 5 :]])
        assert bool(mid - ends > 1.5) is convex, f.kind
    # pedicles and epidural mass
    ax_m = Phantom(malignant).axial("T1")
    ax_b = Phantom(benign).axial("T1")
    x, y, _ = ax_m.coordinates()
    pedicle_zone = (np.abs(x) > 9) & (np.abs(x) < 17) & (y > -1) & (y < 8)
    assert (ax_m.labels[pedicle_zone] == T["lytic"]).sum() > 20
    assert not np.isin(ax_b.labels[pedicle_zone], [T["lytic"], T["fracture_oedema"]]).any()
    assert T["epidural_tumour"] in np.unique(ax_m.labels)
    assert T["epidural_tumour"] not in np.unique(sag(benign, "T1").labels)
    # osteoporotic: fatty marrow preserved in most of the body, a dark band under the endplate
    t1 = sag(benign, "T1")
    rows = level_rows(t1, benign.level)
    marrow = (t1.labels == T["osteopenic_marrow"]) & rows
    band = (t1.labels == T["fracture_oedema"]) & rows
    assert marrow.sum() > band.sum()
    assert t1.pixels[marrow].mean() > t1.mean("disc") + 0.2
    assert t1.pixels[band].mean() < t1.pixels[marrow].mean() - 0.3
    # malignant: the whole body is replaced — dark on T1
    t1m = sag(malignant, "T1")
    _, y, _ = t1m.coordinates()
    assert not ((t1m.labels == T["marrow"]) & level_rows(t1m, malignant.level, margin=-2) & (y < 0)).any()


# ----------------------------------------------------------------------------------------------
# ESCC
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("grade", ESCC_GRADES)
def test_escc_images_read_as_their_grade(grade):
    img = Phantom(Findings(kind="lytic", extent=0.7, escc=grade)).escc_view()
    assert img.modality == "T2" and img.plane == "axial"
    found = escc_findings(img)
    assert calculators.escc(**found).grade == grade


@pytest.mark.parametrize("grade", ESCC_GRADES)
def test_escc_grade_survives_other_findings(grade):
    f = Findings(kind="mixed", extent=1.0, collapse=0.3, pedicle="right", escc=grade)
    assert calculators.escc(**escc_findings(Phantom(f).escc_view())).grade == grade


def test_escc_t2_contrast():
    img = Phantom(Findings(kind="lytic", escc="2")).escc_view()
    assert img.mean("csf") > img.mean("epidural_tumour") + 0.2
    assert img.mean("csf") > img.mean("cord") + 0.4


def test_escc_findings_needs_axial():
    with pytest.raises(ValueError, match="axial"):
        escc_findings(Phantom().sagittal("T2"))


# ----------------------------------------------------------------------------------------------
# Validation and windowing
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"kind": "tumour"}, "kind"),
        ({"level": "L1"}, "level"),
        ({"extent": 0}, "extent"),
        ({"collapse": 0.9, "kind": "lytic"}, "collapse"),
        ({"pedicle": "middle", "kind": "lytic"}, "pedicle"),
        ({"escc": "1", "kind": "lytic"}, "escc"),
        ({"escc": "2", "kind": "osteoporotic", "collapse": 0.3}, "escc"),
        ({"pedicle": "left", "kind": "infection"}, "pedicle"),
        ({"kind": "osteoporotic"}, "collapse"),
        ({"kind": "infection", "level": "T11"}, "level"),
    ],
)
def test_findings_validation(kwargs, field):
    with pytest.raises(ValueError, match=field):
        Findings(**kwargs)


def test_every_kind_and_level_renders():
    for kind in KINDS:
        kw = {"collapse": 0.3} if kind == "osteoporotic" else {}
        for level in LEVELS[:-1]:
            img = Phantom(Findings(kind=kind, level=level, **kw)).sagittal("T1")
            assert img.pixels.shape == (144, 128) and np.isfinite(img.pixels).all()
    with pytest.raises(ValueError, match="modality"):
        Phantom().sagittal("PD")


def test_window_presets_and_dicom_linear_function():
    c, w = window_preset("bone")
    assert (c, w) == (400.0, 1800.0)
    assert window_preset("soft_tissue") == (40.0, 400.0)
    with pytest.raises(ValueError, match="name"):
        window_preset("lung")
    lo, hi = c - 0.5 - (w - 1) / 2, c - 0.5 + (w - 1) / 2
    out = window([lo - 1, lo, c, hi + 1], c, w)
    assert out[0] == 0 and out[1] == 0 and out[-1] == 1 and 0.49 < out[2] < 0.51
    with pytest.raises(ValueError, match="width"):
        window([0], 0, 0.5)


@settings(max_examples=60, deadline=None)
@given(center=st.floats(-1000, 3000), width=st.floats(1, 4000),
       values=st.lists(st.floats(-1024, 3071), min_size=2, max_size=20))
def test_window_is_monotone_and_bounded(center, width, values):
    v = np.sort(np.array(values))
    out = window(v, center, width)
    assert ((out >= 0) & (out <= 1)).all()
    assert (np.diff(out) >= -1e-12).all()


def test_bone_and_soft_tissue_windows():
    img = Phantom(Findings(kind="lytic", escc="2")).axial("CT")
    soft, bone = window_preset("soft_tissue"), window_preset("bone")
    # bone window: marrow mid-grey, cortex near white, and the lytic lesion barely differs from fat-free soft tissue
    assert 0.3 < window(img.mean("marrow"), *bone) < 0.7
    assert window(img.mean("cortex"), *bone) > 0.85
    # soft-tissue window: bone white, fat dark, tumour and cord in mid-grey where they can be told apart
    assert window(img.mean("cortex"), *soft) == 1.0 and window(img.mean("marrow"), *soft) > 0.9
    assert window(img.mean("fat"), *soft) < 0.2
    assert 0.3 < window(img.mean("epidural_tumour"), *soft) < 0.7
