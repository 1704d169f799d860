"""The synthetic spine reads like a scan: CT numbers in their stated ranges, texture, partial volume, mild
beam hardening and coil shading, the body outline, and orientation marks and a scale bar on every image."""

from __future__ import annotations

import numpy as np
import pytest

from course.imaging import exercises as ex
from course.imaging import figures
from course.imaging.phantom import (
    CT_CUPPING_HU,
    Findings,
    Phantom,
    data,
    dimensions,
    geometry,
    trabecular,
    LEVELS,
)


def core(img, tissue: str) -> np.ndarray:
    """Pixels of ``tissue`` whose four neighbours are the same tissue (a region of interest off the edges)."""
    m = img.mask(tissue)
    inner = m.copy()
    inner[1:, :] &= m[:-1, :]
    inner[:-1, :] &= m[1:, :]
    inner[:, 1:] &= m[:, :-1]
    inner[:, :-1] &= m[:, 1:]
    return inner if inner.sum() >= 6 else m


def _ct_images():
    lesions = Phantom(Findings(kind="lytic", extent=0.8, escc="2"))
    return [
        Phantom().axial("CT", level="T9"),
        Phantom().sagittal("CT"),
        Phantom().axial("CT", level="T9", size=256, fov=360.0, centre=(0.0, -40.0)),
        Phantom(Findings(kind="osteoporotic", collapse=0.3)).sagittal("CT"),
        lesions.axial("CT"),
        lesions.sagittal("CT"),
        Phantom(Findings(kind="blastic", extent=0.8)).sagittal("CT"),
    ]


@pytest.fixture(scope="module")
def ct_images():
    return _ct_images()


def test_ct_numbers_of_every_tissue_lie_in_their_stated_range(ct_images):
    ranges = data()["ct_ranges"]["values"]
    checked = set()
    for tissue, (lo, hi) in ranges.items():
        means = [float(img.pixels[core(img, tissue)].mean()) for img in ct_images if img.mask(tissue).any()]
        assert means, f"{tissue} appears on none of the CT images"
        for m in means:
            assert lo <= m <= hi, (tissue, m, (lo, hi))
        checked.add(tissue)
    assert {"cortex", "marrow", "fat", "csf", "lytic", "blastic", "lung", "air"} <= checked


def test_trabecular_texture_in_marrow_not_in_a_lytic_lesion():
    img = Phantom(Findings(kind="lytic", extent=0.6), noise=False).sagittal("CT")
    marrow, lytic = img.pixels[core(img, "marrow")], img.pixels[core(img, "lytic")]
    assert marrow.std() > 40  # plates and spaces
    assert lytic.std() < 15  # destroyed bone: homogeneous soft tissue
    # the pattern is a 3-D field: axial and sagittal slices show the same value where they cross
    x, y, z = np.meshgrid(np.linspace(-5, 5, 7), np.linspace(-20, -5, 7), [0.0])
    assert np.allclose(trabecular(x, y, z), trabecular(x.copy(), y.copy(), z.copy()))
    assert abs(float(trabecular(*np.random.default_rng(0).uniform(-30, 30, (3, 20000))).mean())) < 0.03
    # osteoporotic marrow is coarser and less dense
    op = Phantom(Findings(kind="osteoporotic", collapse=0.3), noise=False).sagittal("CT")
    assert op.pixels[core(op, "osteopenic_marrow")].mean() < marrow.mean() - 60


def test_partial_volume_softens_edges():
    img = Phantom(noise=False).axial("CT", level="T9", size=256, fov=64.0, centre=(0.0, -10.0))
    cortex = img.mask("cortex")
    # the cortical shell is brighter than marrow, but its edge pixels hold values between its neighbours'
    assert img.pixels[core(img, "cortex")].mean() > img.pixels[core(img, "marrow")].mean() + 500
    edge = cortex & ~core(img, "cortex")
    assert ((img.pixels[edge] > 300) & (img.pixels[edge] < 1200)).mean() > 0.3


def test_beam_hardening_is_mild_cupping():
    img = Phantom(noise=False).axial("CT", level="L3", size=256, fov=360.0, centre=(0.0, -40.0))
    x, y, _ = img.coordinates()
    fat = core(img, "fat")
    outline = dimensions()["outline"]["lumbar"]
    r2 = (x / outline["a"]) ** 2 + ((y - outline["cy"]) / outline["b"]) ** 2
    centre, rim = fat & (r2 < 0.3), fat & (r2 > 0.8)
    drop = img.pixels[rim].mean() - img.pixels[centre].mean()
    assert 0.3 * CT_CUPPING_HU < drop < 1.5 * CT_CUPPING_HU <= 25


def test_coil_shading_is_mild_and_posterior():
    img = Phantom(noise=False).axial("T1", level="T9")
    _, y, _ = img.coordinates()
    fat = core(img, "fat")
    back, front = img.pixels[fat & (y > 50)].mean(), img.pixels[fat & (y < -50)].mean()
    assert back > front and back / front < 1.12


def test_body_outline_lungs_and_ribs_on_a_wide_field():
    chest = Phantom().axial("CT", level="T9", size=256, fov=360.0, centre=(0.0, -40.0))
    assert chest.mask("air")[0, 0] and chest.mask("lung").sum() > 2000
    x, y, _ = chest.coordinates()
    ribs = chest.mask("cortex") & (np.abs(x) > 60)
    assert ribs.sum() > 50  # rib cross-sections round the chest wall
    abdomen = Phantom().axial("CT", level="L3", size=256, fov=360.0, centre=(0.0, -40.0))
    assert not abdomen.mask("lung").any() and abdomen.mask("air")[0, 0]
    neck = Phantom().axial("CT", level="C5", size=256, fov=360.0, centre=(0.0, -40.0))
    assert neck.mask("air").mean() > chest.mask("air").mean()  # the neck is narrower than the chest


def test_dimensions_are_sourced_data():
    dims = dimensions()
    assert set(dims["source"]) == {"panjabi1991_cervical", "panjabi1991_thoracic", "panjabi1992_lumbar"}
    for key in dims["source"]:
        figures.resolve(key)
    for lv in LEVELS:
        g = geometry(lv)
        assert [g.h, g.disc, g.a, g.b] == dims["bodies"][lv]


def test_large_slices_match_the_default_geometry():
    """A zoomed 512 × 512 slice samples the same anatomy as the 128 × 128 one (every fourth pixel agrees)."""
    small = Phantom(Findings(kind="lytic", escc="2")).axial("T2", size=128)
    big = Phantom(Findings(kind="lytic", escc="2")).axial("T2", size=512)
    agree = (big.labels[1::4, 1::4] == small.labels).mean()
    assert agree > 0.97


# ----------------------------------------------------------------------------------------------
# Orientation letters and scale bars
# ----------------------------------------------------------------------------------------------
def test_orientation_letters():
    ph = Phantom()
    assert ex.orientation_letters(ph.axial("T2")) == {"left": "R", "right": "L", "top": "A", "bottom": "P"}
    assert ex.orientation_letters(ph.sagittal("T2")) == {"left": "A", "right": "P", "top": "S", "bottom": "I"}
    assert ex.scale_bar_mm(128) == 20 and ex.scale_bar_mm(48) == 10 and ex.scale_bar_mm(360) == 100


def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


@pytest.mark.parametrize("which", ["collapse", "disc", "regions", "escc_atlas", "abscess", "screening"])
def test_every_figure_panel_is_oriented_and_scaled(which):
    fig, _ = figures._makers()[which]()
    for ax in fig.axes:
        letters = {t.get_text() for t in ax.texts}
        assert {"A", "P"} <= letters and ({"R", "L"} <= letters or {"S", "I"} <= letters), which
        assert any(t.endswith(" mm") for t in letters)


@pytest.mark.parametrize("cls", [ex.CTWindowApp, ex.SequenceExplorer, ex.SpotTheLesion, ex.GradeTheESCC])
def test_every_app_image_is_oriented_and_scaled(cls):
    app = cls()
    overlays = [a for a in app._fig.artists if isinstance(a, ex.Overlay) and a.get_visible()]
    assert overlays and all(o.scale_mm in (10, 20) for o in overlays)
    for o in overlays:
        assert {"A", "P"} <= set(o.letters.values())
        assert o.rgba[..., 3].any()  # the letters and bar were drawn (transparent elsewhere)
        assert o.rgba[..., 3].mean() < 20
    if cls is ex.CTWindowApp:
        app.set(plane="sagittal")
        shown = [a for a in app._fig.artists if isinstance(a, ex.Overlay) and a.get_visible()]
        assert len(shown) == 1 and set(shown[0].letters.values()) == {"A", "P", "S", "I"}


# ----------------------------------------------------------------------------------------------
# MR signal from the signal equations
# ----------------------------------------------------------------------------------------------
def test_mr_signal_follows_the_spin_echo_and_inversion_recovery_equations():
    from course.imaging.phantom import mr_signal, tissue_table

    p = data()["mr"]["parameters"]["csf"]
    expected = p["pd"] * (1 - np.exp(-500 / p["t1_ms"])) * np.exp(-10 / p["t2_ms"])
    assert mr_signal("csf", "t1") == pytest.approx(expected)
    ir = p["pd"] * abs(1 - 2 * np.exp(-150 / p["t1_ms"]) + np.exp(-4000 / p["t1_ms"])) * np.exp(-40 / p["t2_ms"])
    assert mr_signal("csf", "stir") == pytest.approx(ir)
    # STIR nulls fat (its inversion time is near the fat null point, T1 ln 2); fat saturation removes it on T1+Gd FS
    assert mr_signal("fat", "stir") < 0.1 * mr_signal("fat", "t1")
    assert mr_signal("fat", "t1_gd_fs") < 0.1 * mr_signal("fat", "t1_gd")
    # gadolinium shortens T1: an enhancing tumour brightens, CSF does not
    assert mr_signal("lytic", "t1_gd") > 2 * mr_signal("lytic", "t1")
    assert mr_signal("csf", "t1_gd") == pytest.approx(mr_signal("csf", "t1"))
    table = tissue_table()
    for item in data()["sequences"]["items"]:
        ref, value = item["reference"]
        assert table[ref][item["id"]] == pytest.approx(value, abs=1e-3)
    with pytest.raises(ValueError, match="tissue"):
        mr_signal("bone", "t1")


@pytest.mark.parametrize("modality", ["T1", "T2", "STIR", "T1+Gd FS"])
def test_rendered_mr_signal_of_each_tissue_stays_near_its_computed_value(modality):
    from course.imaging.phantom import SEQUENCES, tissue_table

    key = SEQUENCES[modality]
    table = tissue_table()
    images = [Phantom(Findings(kind="lytic", extent=0.8, escc="2")).sagittal(modality),
              Phantom(Findings(kind="lytic", extent=0.8, escc="2")).axial(modality)]
    for tissue in ("fat", "marrow", "csf", "cord", "muscle", "lytic", "epidural_tumour", "disc"):
        rois = [img.pixels[core(img, tissue)] for img in images if img.mask(tissue).any()]
        values = np.concatenate(rois)
        assert abs(values.mean() - table[tissue][key]) < 0.1, (tissue, modality, values.mean(), table[tissue][key])


# ----------------------------------------------------------------------------------------------
# Pathology: epidural abscess (the differential), cord signal change, the whole-spine view, the cases
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("grade", ["1a", "1b", "1c", "2", "3"])
def test_epidural_abscess_reads_as_its_grade(grade):
    from course import calculators
    from course.imaging.phantom import escc_findings

    img = Phantom(Findings(kind="abscess", level="T9", escc=grade)).escc_view()
    assert img.mask("abscess").any() or img.mask("abscess_rim").any()
    assert calculators.escc(**escc_findings(img)).grade == grade


def test_abscess_has_an_enhancing_rim_and_a_fluid_centre_behind_an_infected_disc():
    f = Findings(kind="abscess", level="T9", escc="2")
    gd = Phantom(f).axial("T1+Gd FS", size=128, fov=48.0, centre=(0.0, 3.0))
    assert gd.pixels[gd.mask("abscess_rim")].mean() > gd.pixels[core(gd, "abscess")].mean() + 0.3
    t2 = Phantom(f).sagittal("T2")
    assert t2.mean("abscess") > t2.mean("cord") + 0.4  # pus is bright on T2
    _, _, z = t2.coordinates()
    g9, g10 = geometry("T9"), geometry("T10")
    disc = (g9.zc - g9.h / 2 + g10.zc + g10.h / 2) / 2
    zs = z[t2.mask("abscess") | t2.mask("abscess_rim")]
    assert zs.min() < disc < zs.max() and zs.max() - zs.min() > g9.h  # spans the disc, longer than one body
    assert t2.mask("infected_disc").any()
    # a metastatic epidural mass enhances throughout (no fluid centre)
    tumour = Phantom(Findings(kind="lytic", escc="2")).axial("T1+Gd FS", size=128, fov=48.0, centre=(0.0, 3.0))
    assert tumour.pixels[core(tumour, "epidural_tumour")].mean() > gd.pixels[core(gd, "abscess")].mean() + 0.3
    assert "epidural abscess" in f.describe()


def test_cord_signal_change_is_bright_on_t2_over_the_compressed_segment():
    f = Findings(kind="lytic", level="T9", extent=0.8, escc="3", cord_signal=True)
    t2 = Phantom(f).sagittal("T2")
    oedema = t2.mask("cord_oedema")
    assert oedema.any() and t2.pixels[oedema].mean() > t2.mean("cord") + 0.2
    _, _, z = t2.coordinates()
    assert abs(float(z[oedema].mean()) - 0.0) < geometry("T9").h / 2  # at the lesion
    assert not Phantom(Findings(kind="lytic", escc="3")).sagittal("T2").mask("cord_oedema").any()
    for bad in ({"kind": "lytic", "escc": "1b", "cord_signal": True},
                {"kind": "lytic", "level": "L3", "escc": "3", "cord_signal": True}):
        with pytest.raises(ValueError, match="cord_signal"):
            Findings(**bad)
    with pytest.raises(ValueError, match="escc"):
        Findings(kind="abscess")


def test_whole_spine_screening_view_shows_every_level():
    img = Phantom(Findings(kind="lytic", level="T4", extent=0.8)).whole_spine("STIR")
    _, _, z = img.coordinates()
    assert z.max() > geometry("C3").zc + geometry("C3").h / 2 and z.min() < geometry("L5").zc - geometry("L5").h / 2
    lesion_z = z[img.mask("lytic")]
    assert abs(float(lesion_z.mean()) - geometry("T4").zc) < geometry("T4").h / 2
    assert img.mask("cord").any() and img.mask("nerve_root").any()


def test_each_case_lesion_appears_where_the_case_says():
    from course import calculators, cases
    from course.imaging.exercises import LESION_TISSUES
    from course.imaging.phantom import escc_findings, level_at

    for case in cases.cases():
        f = Findings(**case["phantom"])
        ph = Phantom(f)
        tissues = [T_ for T_ in LESION_TISSUES[f.kind] if T_ in ("lytic", "blastic", "fracture_oedema", "infected_disc")]
        sag = ph.sagittal("T1")
        _, _, z = sag.coordinates()
        mask = np.isin(sag.labels, [list(data()["tissues"]["values"]).index(t) for t in tissues])
        assert mask.any(), case["id"]
        assert level_at(float(z[mask].mean())) == f.level, case["id"]
        axial = ph.axial("T1")
        assert np.isin(axial.labels, [list(data()["tissues"]["values"]).index(t) for t in tissues]).any()
        assert calculators.escc(**escc_findings(ph.escc_view())).grade == f.escc, case["id"]
