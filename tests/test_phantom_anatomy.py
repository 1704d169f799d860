"""The synthetic spine's anatomy measured on its own label volume: facet joints as joints, the end of the
thecal sac in the sacrum, and the per-level dimensions against their data file."""

from __future__ import annotations

import numpy as np
import pytest

from course.imaging import figures
from course.imaging.phantom import (
    LEVELS,
    REGIONS,
    T,
    Findings,
    Phantom,
    dimensions,
    facet_joints,
    geometry,
    labels,
    sacral_segments,
    thecal_sac_end,
    tissue_table,
)

BONE = (T["cortex"], T["marrow"])
CANAL = (T["epidural_fat"], T["csf"], T["dura"], T["cord"], T["nerve_root"])
STEP = 0.1  # mm between samples along a measuring line


def _line(x, y, z) -> np.ndarray:
    """Labels of a normal spine along a line of points (the label volume sampled directly)."""
    return labels(Findings(), *np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float), np.asarray(z, float)))


def _run(mask: np.ndarray, i: int) -> int:
    """Length (samples) of the run of True in ``mask`` that contains index ``i`` (0 if mask[i] is False)."""
    if not mask[i]:
        return 0
    lo = i
    while lo > 0 and mask[lo - 1]:
        lo -= 1
    hi = i
    while hi < len(mask) - 1 and mask[hi + 1]:
        hi += 1
    return hi - lo + 1


def _runs(kinds: list[str]) -> list[str]:
    """Consecutive duplicates collapsed: ['bone', 'bone', 'joint', 'bone'] → ['bone', 'joint', 'bone']."""
    return [k for i, k in enumerate(kinds) if i == 0 or k != kinds[i - 1]]


# ----------------------------------------------------------------------------------------------
# 1. Facet joints: bone – joint space – bone on an axial slice through the joint
# ----------------------------------------------------------------------------------------------
JOINTS = {(j.upper, j.lower): j for j in facet_joints()}


def test_every_pair_of_neighbouring_levels_has_facet_joints():
    assert list(JOINTS) == list(zip(LEVELS, LEVELS[1:]))
    for j in JOINTS.values():
        lo, hi = j.z_range
        assert lo < j.z < hi  # the joint space is open at the middle of the joint
        upper, lower = geometry(j.upper), geometry(j.lower)
        assert lower.zc < j.z < upper.zc
        assert 1.0 <= j.space <= 2.5  # a thin space, not a gap between bones


@pytest.mark.parametrize("pair", [("C4", "C5"), ("C6", "C7"), ("T4", "T5"), ("T8", "T9"), ("T11", "T12"),
                                  ("L1", "L2"), ("L3", "L4"), ("L4", "L5")])
def test_axial_slice_through_a_facet_joint_shows_bone_joint_space_bone_on_each_side(pair):
    j = JOINTS[pair]
    img = Phantom(noise=False).axial("CT", z=j.z, size=256, fov=64.0, centre=(0.0, 8.0))
    x0, y0 = img.origin[0], img.origin[1]
    d = img.spacing[0]
    t = np.arange(-5.0, 5.0 + 1e-9, STEP)
    for side in (1, -1):  # patient left, then right (the mirror image)
        cx, cy = side * j.centre[0], j.centre[1]
        nx, ny = side * j.normal[0], j.normal[1]
        cols = np.round((cx + t * nx - x0) / d).astype(int)
        rows = np.round((cy + t * ny - y0) / d).astype(int)
        lab = img.labels[rows, cols]
        kinds = ["bone" if v in BONE else "joint" if v == T["facet_joint"] else "other" for v in lab]
        runs = _runs(kinds)
        assert "joint" in runs, (pair, side, runs)
        k = runs.index("joint")
        assert runs[k - 1] == "bone" and runs[k + 1] == "bone", (pair, side, runs)
        # the space is as wide as stated (within the 0.5 mm at which the geometry is sampled)
        # the space is as wide as stated, widened by the slope of the joint plane where an axial slice cuts it
        # obliquely (within the 0.5 mm at which the geometry is sampled)
        width = sum(1 for v in kinds if v == "joint") * STEP
        assert abs(width - j.space / np.cos(j.tilt)) <= 0.6, (pair, side, width)
        # the joint space is not bone on CT: darker than the cortex either side of it
        pix = img.pixels[rows, cols]
        joint_hu = pix[np.array(kinds) == "joint"].mean()
        assert joint_hu < img.mean("cortex") - 500


def test_facet_joint_tissue_reads_as_cartilage_and_fluid():
    table = tissue_table()
    joint, cortex, marrow, csf = (table[k] for k in ("facet_joint", "cortex", "marrow", "csf"))
    assert -20 <= joint["hu"] <= 100 < cortex["hu"]  # soft-tissue density between the bony surfaces
    for seq in ("t1", "t2", "stir"):
        assert joint[seq] > cortex[seq] + 0.1  # brighter than the dark cortical bone on every sequence
    assert joint["t2"] < csf["t2"]  # mostly cartilage: not as bright as free fluid
    assert "facet joint" in joint["label"]


def test_facet_joints_are_at_the_disc_not_the_middle_of_the_body():
    mid = Phantom(noise=False).axial("CT", level="T9")
    assert not mid.mask("facet_joint").any()
    j = JOINTS[("T8", "T9")]
    assert Phantom(noise=False).axial("CT", z=j.z).mask("facet_joint").any()
    # a parasagittal slice through the pillars shows the joints at every level in view
    sag = Phantom(noise=False).sagittal("CT", x=j.centre[0], size=256, height=288)
    _, _, z = sag.coordinates()
    rows_with_joint = z[sag.mask("facet_joint").any(axis=1), 0]
    for pair in (("T7", "T8"), ("T8", "T9"), ("T9", "T10"), ("T10", "T11")):
        assert np.any(np.abs(rows_with_joint - JOINTS[pair].z) < 3.0), pair


def test_lumbar_facets_turn_from_sagittal_towards_coronal():
    """Lumbar joints are nearer sagittal (the superior process lateral) than thoracic ones, which are
    coronal (the superior process in front), and turn towards 45° lower down (illustrative geometry)."""
    def from_sagittal(pair):  # angle of the joint line from the sagittal plane, degrees
        nx, ny = JOINTS[pair].normal
        return float(np.degrees(np.arctan2(abs(ny), abs(nx))))
    assert from_sagittal(("T8", "T9")) > 60
    assert from_sagittal(("L1", "L2")) < from_sagittal(("L3", "L4")) < from_sagittal(("L4", "L5")) <= 50


# ----------------------------------------------------------------------------------------------
# 2. The sacral canal: the thecal sac ends at S2; below it epidural fat and nerve roots, no CSF
# ----------------------------------------------------------------------------------------------
def test_the_end_of_the_sac_is_sourced_data():
    sac = dimensions()["sacrum"]
    assert sac["thecal_sac_end"] == "S2" and "grays_anatomy" in sac["source"]
    for key in sac["source"]:
        figures.resolve(key)
    top, bottom, _ = sacral_segments()["S2"]
    assert bottom < thecal_sac_end() < top


@pytest.fixture(scope="module")
def whole_spine_t2():
    return Phantom(noise=False).whole_spine("T2", size=256)


def test_sagittal_the_sac_holds_csf_down_to_s2_and_none_below(whole_spine_t2):
    img = whole_spine_t2
    _, _, z = img.coordinates()
    zr = z[:, 0]
    end = thecal_sac_end()
    seg = sacral_segments()
    csf_rows = img.mask("csf").any(axis=1)
    above = (zr < seg["S1"][0]) & (zr > end + 3.0)  # S1 and the top of S2
    below = (zr < end - 0.5) & (zr > seg["S5"][1])  # the rest of S2 to S5
    assert above.any() and csf_rows[above].all()
    assert below.any() and not csf_rows[below].any()
    assert not img.mask("dura")[below].any()  # the sac, and its wall, have ended
    # below the sac the canal holds epidural fat and the lower roots and filum terminale
    fat_rows = img.mask("epidural_fat").any(axis=1)
    root_rows = img.mask("nerve_root").any(axis=1)
    assert fat_rows[below].all() and root_rows[below].mean() > 0.9
    # the lowest CSF is at the end of the sac (within a couple of pixels)
    assert abs(float(zr[csf_rows].min()) - end) < 4.0


@pytest.mark.parametrize("segment, has_sac", [("S1", True), ("S3", False), ("S4", False)])
def test_axial_sacral_canal_contents(segment, has_sac):
    top, bottom, back = sacral_segments()[segment]
    img = Phantom(noise=False).axial("T2", z=(top + bottom) / 2, size=256, fov=64.0, centre=(0.0, back + 6.0))
    assert img.mask("csf").any() == has_sac
    assert img.mask("dura").any() == has_sac
    assert img.mask("epidural_fat").any() and img.mask("nerve_root").any()
    assert not img.mask("cord").any()
    # the canal is enclosed by bone: body in front, the fused laminae behind (above the sacral hiatus)
    x, y, _ = img.coordinates()
    canal = np.isin(img.labels, CANAL)
    ys = y[canal]
    behind = (np.abs(x) < 1.0) & (y > ys.max()) & (y < ys.max() + 4.0)
    assert np.isin(img.labels[behind], BONE).any()
    if not has_sac:  # the roots now lie in fat: bright on T1 around them
        t1 = Phantom(noise=False).axial("T1", z=(top + bottom) / 2, size=256, fov=64.0, centre=(0.0, back + 6.0))
        assert t1.mean("epidural_fat") > t1.mean("nerve_root") + 0.2


def test_lumbar_sac_still_holds_the_cauda_equina_in_csf():
    img = Phantom(noise=False).axial("T2", level="L5")
    assert img.mask("csf").any() and img.mask("nerve_root").any() and img.mask("dura").any()


# ----------------------------------------------------------------------------------------------
# 3. Dimensions measured on the label volume, against spine_dimensions.yaml (values there are [M])
# ----------------------------------------------------------------------------------------------
#: Tolerances (mm) between a dimension measured on the labels and the data file. The geometry is analytic,
#: so the measurement differs from the data only by the 0.1 mm sampling, and for the body depth by the
#: posterior wall, which is cut flat 0.5 mm in front of the footprint's back (a slightly concave wall).
TOL_BODY_WIDTH = 0.3
TOL_BODY_DEPTH = 0.8
TOL_CANAL = 0.3
TOL_PEDICLE = 0.3


def _measure(level: str) -> dict[str, float]:
    g = geometry(level)
    zc = g.zc
    s = np.arange(-40.0, 40.0 + 1e-9, STEP)
    i0 = len(s) // 2  # s == 0
    out = {}
    row = _line(s, g.body_cy, zc)
    out["body_width"] = _run(np.isin(row, BONE), i0) * STEP
    col = _line(0.0, s + g.body_cy, zc)
    out["body_depth"] = _run(np.isin(col, BONE), i0) * STEP
    # the bony canal, as on a dry vertebra: from bone to bone through the middle of the canal
    canal_col = _line(0.0, s + g.canal_cy, zc)
    out["canal_sagittal"] = _run(~np.isin(canal_col, BONE), i0) * STEP
    ys = np.arange(0.0, g.canal_cy + g.canal_b, 0.25)  # behind the (slightly concave) posterior wall of the body
    out["canal_transverse"] = max(_run(~np.isin(_line(s, yy, zc), BONE), i0) for yy in ys) * STEP
    # pedicles: the narrowest bone lateral to the canal, on the rows in front of the canal's middle,
    # through the middle of the pedicle's height
    zp = zc + 2.0 * g.k
    widths = []
    for side in (1, -1):
        best = np.inf
        for yy in np.arange(1.5, g.canal_cy - 0.5 + 1e-9, 0.25):
            bone = np.isin(_line(side * s[i0:], yy, zp), BONE)  # from the midline outwards
            if bone.any():  # the first bone met lateral to the canal
                best = min(best, _run(bone, int(np.argmax(bone))) * STEP)
        widths.append(best)
    out["pedicle_left"], out["pedicle_right"] = widths
    return out


@pytest.fixture(scope="module")
def measured():
    return {lv: _measure(lv) for lv in LEVELS}


def test_dimensions_measured_on_the_labels_match_the_data_file(measured):
    dims = dimensions()
    assert dims["confidence"] == "M"  # the numbers are not verified against the papers
    for lv in LEVELS:
        h, disc, a_half, b_half = dims["bodies"][lv]
        transverse, sagittal, pedicle = dims["levels"][lv]
        m = measured[lv]
        assert m["body_width"] == pytest.approx(2 * a_half, abs=TOL_BODY_WIDTH), lv
        assert m["body_depth"] == pytest.approx(2 * b_half, abs=TOL_BODY_DEPTH), lv
        assert m["canal_transverse"] == pytest.approx(transverse, abs=TOL_CANAL), lv
        assert m["canal_sagittal"] == pytest.approx(sagittal, abs=TOL_CANAL), lv
        assert m["pedicle_left"] == pytest.approx(pedicle, abs=TOL_PEDICLE), lv
        assert m["pedicle_right"] == pytest.approx(pedicle, abs=TOL_PEDICLE), lv


def test_dimensions_follow_the_craniocaudal_trends(measured):
    width = [measured[lv]["body_width"] for lv in LEVELS]
    assert all(b >= a - STEP for a, b in zip(width, width[1:]))  # bodies widen from C3 to L5
    means = {r: np.mean([measured[lv]["body_width"] for lv in lvs]) for r, lvs in REGIONS.items()}
    assert means["cervical"] < means["thoracic"] < means["lumbar"]
    mid_thoracic = ("T3", "T4", "T5", "T6", "T7")
    sagittal = {lv: measured[lv]["canal_sagittal"] for lv in LEVELS}
    narrowest = min(sagittal.values())
    assert min(sagittal[lv] for lv in ("T4", "T5", "T6")) == narrowest
    assert all(sagittal[lv] > narrowest for lv in LEVELS if lv not in mid_thoracic)
    pedicle = {lv: measured[lv]["pedicle_left"] for lv in LEVELS}
    thinnest = min(pedicle.values())
    assert min(pedicle[lv] for lv in ("T4", "T5", "T6")) == thinnest
    assert all(pedicle[lv] > thinnest for lv in LEVELS if lv not in mid_thoracic)
    assert max(pedicle, key=pedicle.get) == "L5"
    # the thoracic canal is the narrowest transversely too
    transverse = {lv: measured[lv]["canal_transverse"] for lv in LEVELS}
    assert max(transverse[lv] for lv in REGIONS["thoracic"][1:-1]) < min(transverse[lv] for lv in ("C4", "C5", "L3", "L4"))
