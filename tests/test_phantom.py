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
    CLASSIC_WINDOW,
    REGIONS,
    cord_taper,
    escc_depth,
    geometry,
    level_at,
    neural_content,
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
        ({"level": "C2"}, "level"),
        ({"level": "S1"}, "level"),
        ({"level": "T13"}, "level"),
        ({"extent": 0}, "extent"),
        ({"collapse": 0.9, "kind": "lytic"}, "collapse"),
        ({"pedicle": "middle", "kind": "lytic"}, "pedicle"),
        ({"escc": "1", "kind": "lytic"}, "escc"),
        ({"escc": "2", "kind": "osteoporotic", "collapse": 0.3}, "escc"),
        ({"pedicle": "left", "kind": "infection"}, "pedicle"),
        ({"kind": "osteoporotic"}, "collapse"),
        ({"kind": "infection", "level": "L5"}, "level"),
    ],
)
def test_findings_validation(kwargs, field):
    with pytest.raises(ValueError, match=field):
        Findings(**kwargs)


@pytest.mark.parametrize("level", ["C1", "C2", "S1", "T13", "L6", "t9"])
def test_unsupported_level_names_the_field_and_the_accepted_levels(level):
    for call in (lambda: Findings(level=level), lambda: level_centre(level), lambda: geometry(level),
                 lambda: Phantom().axial("T2", level=level)):
        with pytest.raises(ValueError, match="level") as err:
            call()
        assert "'C3'" in str(err.value) and "'L5'" in str(err.value) and "'T9'" in str(err.value)


def test_every_kind_and_level_renders():
    for kind in KINDS:
        kw = {"collapse": 0.3} if kind == "osteoporotic" else {"escc": "2"} if kind == "abscess" else {}
        for level in LEVELS[:-1:3]:
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


# ----------------------------------------------------------------------------------------------
# Regions: cervical, thoracic and lumbar levels; the conus and the cauda equina
# ----------------------------------------------------------------------------------------------
def test_levels_cover_c3_to_l5_in_order():
    assert LEVELS[0] == "C3" and LEVELS[-1] == "L5" and len(LEVELS) == 5 + 12 + 5
    assert tuple(lv for r in REGIONS.values() for lv in r) == LEVELS
    zs = [level_centre(lv) for lv in LEVELS]
    assert zs == sorted(zs, reverse=True) and level_centre("T9") == 0.0
    for lv in LEVELS:
        assert level_at(level_centre(lv)) == lv
    # bodies do not overlap: each disc has a positive height
    for upper, lower in zip(LEVELS, LEVELS[1:]):
        gu, gl = geometry(upper), geometry(lower)
        assert (gu.zc - gu.h / 2) - (gl.zc + gl.h / 2) == pytest.approx(gu.disc) and gu.disc > 0


def test_t7_to_t11_keep_the_original_thoracic_geometry():
    for lv in CLASSIC_WINDOW:
        g = geometry(lv)
        assert (g.h, g.disc, g.a, g.b) == (BODY_H, 6.0, 20.0, 16.0)
        assert (g.canal_a, g.canal_b, g.tri) == (10.0, 9.0, 0.0)
    assert [level_centre(lv) for lv in CLASSIC_WINDOW] == [56.0, 28.0, 0.0, -28.0, -56.0]
    assert [escc_depth(g, "T9") for g in ESCC_GRADES] == pytest.approx([None, 1.8, 3.8, 5.4, 8.5, 11.0], abs=1e-9)


def _body_area(level: str) -> float:
    """Area (mm²) of the vertebral body (bone in front of the canal) on the axial slice through its middle."""
    img = Phantom(Findings(level=level), noise=False).axial("T1", level=level)
    _, y, _ = img.coordinates()
    bone = np.isin(img.labels, [T["cortex"], T["marrow"]]) & (y < -1.0)
    return float(bone.sum()) * img.spacing[0] * img.spacing[1]


def test_body_area_and_height_increase_from_cervical_to_lumbar():
    body = {lv: _body_area(lv) for lv in ("C4", "C6", "T1", "T4", "T9", "T12", "L1", "L3")}
    order = ["C4", "C6", "T1", "T4", "T9", "T12", "L1", "L3"]
    assert [body[lv] for lv in order] == sorted(body[lv] for lv in order)
    assert body["C6"] < body["T9"] < body["L3"] and body["L3"] > 2.5 * body["C6"]
    assert geometry("C6").h < geometry("T9").h < geometry("L3").h
    heights = [geometry(lv).h for lv in LEVELS[: LEVELS.index("L4") + 1]]
    assert heights == sorted(heights)
    # cervical bodies are wider than deep; the lumbar body is the largest in both directions
    c6, t9, l3 = geometry("C6"), geometry("T9"), geometry("L3")
    assert c6.a > c6.b and l3.a > t9.a > c6.a and l3.b > t9.b > c6.b


def _canal_measures(level: str) -> tuple[float, float, float, float]:
    """Canal width, depth, and width near its front and back (mm), from the labels of the ESCC view."""
    img = Phantom(Findings(level=level), noise=False).escc_view()
    x, y, _ = img.coordinates()
    g = geometry(level)
    inside = np.isin(img.labels, [T["epidural_fat"], T["csf"], T["dura"], T["cord"], T["nerve_root"]])
    inside &= (np.abs(x) < 20) & (y > -2.0)
    front = inside & (np.abs(y - (g.canal_cy - 0.5 * g.canal_b)) < 0.3)
    back = inside & (np.abs(y - (g.canal_cy + 0.5 * g.canal_b)) < 0.3)
    return float(np.ptp(x[inside])), float(np.ptp(y[inside])), float(np.ptp(x[front])), float(np.ptp(x[back]))


def test_canal_shape_by_region():
    cw, cd, cf, cb = _canal_measures("C5")
    tw, td, tf, tb = _canal_measures("T9")
    lw, ld, lf, lb = _canal_measures("L3")
    assert cw > tw and lw > tw  # the thoracic canal is the narrowest
    assert cw / cd > 1.4 and tw / td < 1.25  # cervical wide and flat; thoracic nearly round
    assert cf > 1.2 * cb and lf > 1.2 * lb  # triangular: wide in front, narrow behind
    assert abs(tf - tb) < 1.0  # round: symmetric front to back


def _components(mask: np.ndarray) -> int:
    """Number of 4-connected components of a boolean mask (small images; no SciPy needed)."""
    seen = np.zeros_like(mask)
    count = 0
    for start in zip(*np.nonzero(mask)):
        if seen[start]:
            continue
        count += 1
        stack = [start]
        seen[start] = True
        while stack:
            r, c = stack.pop()
            for rr, cc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                if 0 <= rr < mask.shape[0] and 0 <= cc < mask.shape[1] and mask[rr, cc] and not seen[rr, cc]:
                    seen[rr, cc] = True
                    stack.append((rr, cc))
    return count


@pytest.mark.parametrize("level", ["C3", "C5", "C7", "T1", "T4", "T9", "T11", "T12", "L1"])
def test_cord_present_down_to_the_conus(level):
    img = Phantom(Findings(level=level)).escc_view()
    assert img.mask("cord").any(), level
    assert neural_content(level) in ("cord", "conus")
    if level != "L1":
        assert not img.mask("nerve_root").any(), level


def test_conus_tapers_and_ends_at_the_l1_l2_disc():
    l1, l2 = geometry("L1"), geometry("L2")
    disc = (l1.zc - l1.h / 2 + l2.zc + l2.h / 2) / 2
    assert cord_taper(level_centre("T11")) == 1.0 and cord_taper(level_centre("T12")) == 1.0
    assert 0.0 < cord_taper(level_centre("L1")) < 1.0 and cord_taper(disc - 0.1) == 0.0
    assert neural_content("T12") == "cord" and neural_content("L1") == "conus"
    # the cord cross-section shrinks through the conus, and roots gather around it
    areas = [Phantom(Findings()).axial("T2", z=zz, fov=48.0, centre=(0.0, 3.0)).mask("cord").sum()
             for zz in (level_centre("T11"), level_centre("T12") - 8, level_centre("L1"), disc - 1)]
    assert areas[0] >= areas[1] > areas[2] > areas[3] == 0
    sag = Phantom(Findings(level="L1")).sagittal("T2")
    _, _, z = sag.coordinates()
    cord_rows = z[sag.mask("cord").any(axis=1), 0]
    assert cord_rows.min() > disc - 1.0 and cord_rows.min() < level_centre("L1")
    root_rows = z[sag.mask("nerve_root").any(axis=1), 0]
    assert root_rows.min() < level_centre("L2") and root_rows.max() < level_centre("T12")


@pytest.mark.parametrize("level", ["L2", "L3", "L4", "L5"])
def test_cauda_equina_below_the_conus(level):
    img = Phantom(Findings(level=level)).escc_view()
    assert neural_content(level) == "cauda_equina"
    assert not img.mask("cord").any(), level
    roots = img.mask("nerve_root")
    assert _components(roots) >= 5  # several separate root bundles …
    csf = img.mask("csf")
    assert csf.sum() > 3 * roots.sum()  # … floating in CSF
    sag = Phantom(Findings(level=level)).sagittal("T2")  # centred on the level; may reach up to the conus
    _, _, z = sag.coordinates()
    l1 = geometry("L1")
    below = z < l1.zc - l1.h / 2 - l1.disc / 2
    assert not (sag.mask("cord") & below).any() and (sag.mask("nerve_root") & below).any()


@pytest.mark.parametrize("level", ["C5", "L3"])
def test_signal_relations_hold_outside_the_thorax(level):
    f = Findings(level=level)
    ph = Phantom(f)
    t1, t2, stir, ct = (ph.axial(m) for m in ("T1", "T2", "STIR", "CT"))
    assert t1.mean("marrow") > t1.mean("muscle") + 0.15
    assert t1.mean("fat") > 0.8 and stir.mean("fat") < 0.15
    assert t1.mean("csf") < 0.2 and t2.mean("csf") > 0.85
    neural = "cord" if level == "C5" else "nerve_root"
    assert t2.mean("csf") > t2.mean(neural) + 0.3  # cord or roots dark in bright CSF on T2
    for m in MODALITIES[1:]:
        assert ph.sagittal(m).mean("cortex") < 0.1, m
    order = ["cortex", "marrow", "muscle", "csf", "fat"]
    means = [ct.mean(t) for t in order]
    assert means == sorted(means, reverse=True)
    sag = ph.sagittal("T1")
    assert sag.mean("marrow") > sag.mean("disc") + 0.15
    # lesions: marrow replacement and sclerosis read the same way as in the thorax
    lytic = Phantom(Findings(kind="lytic", level=level, extent=0.7))
    assert lytic.sagittal("T1").mean("lytic") < lytic.sagittal("T1").mean("disc")
    assert lytic.sagittal("STIR").mean("lytic") > lytic.sagittal("STIR").mean("marrow") + 0.5
    blastic = Phantom(Findings(kind="blastic", level=level, extent=0.7)).sagittal("CT")
    assert blastic.mean("blastic") > blastic.mean("marrow") + 400


@pytest.mark.parametrize("level", ["C6", "T12", "L1", "L3", "L5"])
@pytest.mark.parametrize("grade", ESCC_GRADES)
def test_escc_images_read_as_their_grade_at_every_region(level, grade):
    f = Findings(kind="lytic", level=level, extent=0.8, collapse=0.2, pedicle="left", escc=grade)
    assert calculators.escc(**escc_findings(Phantom(f).escc_view())).grade == grade


def test_below_the_conus_the_grade_is_read_on_the_roots():
    mild = Phantom(Findings(kind="blastic", level="L3", extent=0.7, escc="2")).escc_view()
    severe = Phantom(Findings(kind="blastic", level="L3", extent=0.7, escc="3")).escc_view()
    normal = Phantom(Findings(level="L3")).escc_view()
    for img in (mild, severe, normal):
        assert not img.mask("cord").any()
    # ESCC 2: the roots are crowded but CSF is still seen; ESCC 3: one clump, no CSF
    _, y, _ = normal.coordinates()
    spread = lambda img: np.ptp(y[img.mask("nerve_root")])  # noqa: E731
    assert spread(mild) < 0.85 * spread(normal) and mild.mask("csf").any()
    assert not severe.mask("csf").any() and _components(severe.mask("nerve_root")) == 1
    assert "cauda equina" in Findings(kind="lytic", level="L3", escc="2").describe()


def test_default_views_frame_the_lesion():
    for lv in CLASSIC_WINDOW:
        assert Phantom(Findings(level=lv)).view_centre() == 0.0  # the T7–T11 window, centred on T9
    for lv in ("C6", "T3", "L3"):
        ph = Phantom(Findings(kind="lytic", level=lv))
        sag = ph.sagittal("T1")
        _, _, z = sag.coordinates()
        assert abs(z.mean() - level_centre(lv)) < 1.0 and sag.mask("lytic").any()
        series = ph.axial_series("CT", spacing=12.0)
        assert min(abs(im.position - level_centre(lv)) for im in series) < 6.1
