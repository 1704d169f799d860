"""A deterministic, analytic phantom of the thoracic spine (T7–T11), rendered as CT and MR.

Geometry is described by approximate signed-distance functions in patient coordinates (DICOM LPS,
millimetres: +x patient left, +y posterior, +z superior), so any plane can be sampled at any
resolution and the sagittal and axial views always agree. Each point gets a tissue label (painter's
algorithm); a modality then maps labels to CT numbers (HU) or relative MR signal (0–1) taken from
``course/data/imaging_modalities.yaml``, plus a little seeded noise.

Pathology is described by :class:`Findings`:

* ``kind`` — ``normal``, ``lytic``, ``blastic``, ``mixed`` (metastases), ``infection``
  (spondylodiscitis of the disc below ``level``) or ``osteoporotic`` (benign insufficiency fracture);
* ``extent`` — fraction of the vertebral body marrow replaced (metastases) or the depth of oedema
  (infection);
* ``collapse`` — fraction of body height lost (malignant: near-uniform with a convex posterior
  border; osteoporotic: anterior wedge, band of oedema, retropulsed fragment);
* ``pedicle`` — tumour in the ``left``, ``right`` or ``both`` pedicles;
* ``escc`` — epidural extension drawn to match Bilsky grade ``0``, ``1a``, ``1b``, ``1c``, ``2``, ``3``.

All values are illustrative teaching numbers, not measurements.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import yaml

# ----------------------------------------------------------------------------------------------
# Vocabulary
# ----------------------------------------------------------------------------------------------
LEVELS: tuple[str, ...] = ("T7", "T8", "T9", "T10", "T11")
KINDS: tuple[str, ...] = ("normal", "lytic", "blastic", "mixed", "infection", "osteoporotic")
METASTATIC: tuple[str, ...] = ("lytic", "blastic", "mixed")
PEDICLE: tuple[str, ...] = ("none", "left", "right", "both")
ESCC_GRADES: tuple[str, ...] = ("0", "1a", "1b", "1c", "2", "3")
#: Display name → key of the tissue table.
SEQUENCES: dict[str, str] = {"T1": "t1", "T2": "t2", "STIR": "stir", "T1+Gd": "t1_gd", "T1+Gd FS": "t1_gd_fs"}
MODALITIES: tuple[str, ...] = ("CT", *SEQUENCES)

# Geometry (mm). Vertebral bodies are 22 mm tall with 6 mm discs; T9 is centred on z = 0.
BODY_H = 22.0
PITCH = 28.0
CORTEX = 1.2
BODY_CENTRE_Y, BODY_A, BODY_B = -15.0, 20.0, 16.0
CANAL = (0.0, 7.5, 10.0, 9.0)  # centre x, y, semi-axes
SAC = (0.0, 8.5, 8.0, 6.5)
CORD = (0.0, 8.5, 4.5, 3.5)
#: Depth (y, mm) reached by the epidural mass at its maximum, for each Bilsky grade.
ESCC_DEPTH = {"0": None, "1a": 1.8, "1b": 3.8, "1c": 5.4, "2": 8.5, "3": 11.0}


@lru_cache(maxsize=1)
def data() -> dict[str, Any]:
    """The parsed ``imaging_modalities.yaml``."""
    text = (resources.files("course") / "data" / "imaging_modalities.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def tissue_table() -> dict[str, dict[str, Any]]:
    """Tissue name → properties (``hu``, ``t1`` … ``t1_gd_fs``, ``label``)."""
    return dict(data()["tissues"]["values"])


TISSUES: tuple[str, ...] = tuple(tissue_table())
T = {name: i for i, name in enumerate(TISSUES)}  # tissue name → label id


def level_centre(level: str) -> float:
    """z (mm) of the centre of vertebral body ``level``.

    Raises:
        ValueError: for a level outside the phantom, listing the accepted levels.
    """
    if level not in LEVELS:
        raise ValueError(f"level: {level!r} is not in the phantom; accepted: {list(LEVELS)}")
    return (2 - LEVELS.index(level)) * PITCH


# ----------------------------------------------------------------------------------------------
# Findings
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Findings:
    """What is wrong with the phantom (default: nothing)."""

    kind: str = "normal"
    level: str = "T9"
    extent: float = 0.6
    collapse: float = 0.0
    pedicle: str = "none"
    escc: str = "0"
    seed: int = 4

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind: {self.kind!r}; accepted: {list(KINDS)}")
        level_centre(self.level)
        if not 0.0 < float(self.extent) <= 1.0:
            raise ValueError(f"extent: {self.extent!r} must be in (0, 1]")
        if not 0.0 <= float(self.collapse) <= 0.6:
            raise ValueError(f"collapse: {self.collapse!r} must be between 0 and 0.6")
        if self.pedicle not in PEDICLE:
            raise ValueError(f"pedicle: {self.pedicle!r}; accepted: {list(PEDICLE)}")
        if self.escc not in ESCC_GRADES:
            raise ValueError(f"escc: {self.escc!r}; accepted: {list(ESCC_GRADES)}")
        if self.kind not in METASTATIC:
            if self.pedicle != "none":
                raise ValueError(f"pedicle: only metastases involve the pedicle in this phantom (kind={self.kind!r})")
            if self.escc != "0":
                raise ValueError(f"escc: only metastases have an epidural mass in this phantom (kind={self.kind!r})")
        if self.kind in ("normal", "infection") and self.collapse:
            raise ValueError(f"collapse: not modelled for kind={self.kind!r}; accepted: 0")
        if self.kind == "osteoporotic" and not self.collapse:
            raise ValueError("collapse: an osteoporotic fracture needs collapse > 0 (e.g. 0.35)")
        if self.kind == "infection" and self.level == LEVELS[-1]:
            raise ValueError(f"level: infection involves the disc below the level; accepted: {list(LEVELS[:-1])}")

    def describe(self) -> str:
        """A one-line plain-language description (used in alt texts)."""
        if self.kind == "normal":
            return "a normal thoracic spine"
        if self.kind == "infection":
            below = LEVELS[LEVELS.index(self.level) + 1]
            return f"spondylodiscitis of the {self.level}–{below} disc"
        if self.kind == "osteoporotic":
            return f"an osteoporotic compression fracture of {self.level} ({round(100 * self.collapse)}% height loss)"
        parts = [f"a {self.kind} metastasis in {self.level}"]
        if self.collapse:
            parts.append(f"{round(100 * self.collapse)}% collapse")
        if self.pedicle != "none":
            parts.append(f"{'both pedicles' if self.pedicle == 'both' else self.pedicle + ' pedicle'} involved")
        if self.escc != "0":
            parts.append(f"epidural extension (ESCC {self.escc})")
        return ", ".join(parts)


# ----------------------------------------------------------------------------------------------
# Signed-distance helpers (negative inside; approximate distances in mm)
# ----------------------------------------------------------------------------------------------
def _ellipse(u: np.ndarray, v: np.ndarray, cu: float, cv: float, a: Any, b: Any) -> np.ndarray:
    du, dv = (u - cu) / a, (v - cv) / b
    k = np.sqrt(du * du + dv * dv)
    grad = np.sqrt((du / a) ** 2 + (dv / b) ** 2) / np.maximum(k, 1e-9)
    return (k - 1.0) / np.maximum(grad, 1e-9)


def _capsule(u: np.ndarray, v: np.ndarray, p: tuple[float, float], q: tuple[float, float], r: float) -> np.ndarray:
    pu, pv = u - p[0], v - p[1]
    du, dv = q[0] - p[0], q[1] - p[1]
    h = np.clip((pu * du + pv * dv) / (du * du + dv * dv), 0.0, 1.0)
    return np.hypot(pu - du * h, pv - dv * h) - r


def _slab(w: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return np.abs(w - (lo + hi) / 2) - (hi - lo) / 2


def _inside_ellipse(u: np.ndarray, v: np.ndarray, spec: tuple[float, float, float, float]) -> np.ndarray:
    cu, cv, a, b = spec
    return ((u - cu) / a) ** 2 + ((v - cv) / b) ** 2 <= 1.0


# ----------------------------------------------------------------------------------------------
# Labelling
# ----------------------------------------------------------------------------------------------
def _body_geometry(f: Findings, level: str, x: np.ndarray, y: np.ndarray, z: np.ndarray) -> dict[str, Any]:
    """Top/bottom endplates and posterior border of one body (collapse and bulge included)."""
    zc = level_centre(level)
    zbot = zc - BODY_H / 2
    ztop = np.full(np.broadcast(x, y, z).shape, zc + BODY_H / 2)
    ypost = -1.5 * np.clip(1 - (x / BODY_A) ** 2, 0, None) + 0 * z
    lesion_level = level == f.level
    if lesion_level and f.collapse:
        front = np.clip(-y / (2 * BODY_B), 0, 1)  # 0 at the posterior wall, 1 at the anterior cortex
        weight = 0.9 + 0.1 * front if f.kind in METASTATIC else 0.35 + 0.65 * front
        ztop = ztop - f.collapse * BODY_H * weight
        if f.kind in METASTATIC:  # tumour expands the body: convex posterior border
            zmid, half = (zbot + zc + BODY_H / 2 - f.collapse * BODY_H * 0.9) / 2, BODY_H * (1 - f.collapse) / 2
            bulge = (1.5 + 3.0 * f.collapse) * np.clip(1 - (x / 14) ** 2, 0, None)
            ypost = ypost + bulge * np.clip(1 - ((z - zmid) / half) ** 2, 0, None)
    return {"zc": zc, "zbot": zbot, "ztop": ztop, "ypost": ypost}


def _body_sdf(x: np.ndarray, y: np.ndarray, z: np.ndarray, g: dict[str, Any], ellipse: np.ndarray) -> np.ndarray:
    """Vertebral body: the elliptical footprint (``ellipse``, precomputed) cut by the posterior
    border and the endplates, with rounded corners."""
    foot = np.maximum(ellipse, y - g["ypost"])
    height = np.maximum(g["zbot"] - z, z - g["ztop"])
    r = 2.5  # rounded corners where the endplates meet the walls
    a, b = foot + r, height + r
    return np.hypot(np.maximum(a, 0), np.maximum(b, 0)) + np.minimum(np.maximum(a, b), 0) - r


def _arch_parts(x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """The in-plane (x, y) parts of the posterior arch, identical at every level."""
    cx, cy, ca, cb = CANAL
    ring = np.maximum(_ellipse(x, y, 0.0, 8.0, 16.5, 15.0), -_ellipse(x, y, cx, cy, ca, cb))
    ring = np.maximum(ring, -1.0 - y)
    ring = np.maximum(ring, np.minimum(8.0 - np.abs(x), 4.0 - y))  # nothing bony in front of the canal
    tp = np.minimum(_capsule(x, y, (14.0, 10.0), (30.0, 18.0), 3.5), _capsule(x, y, (-14.0, 10.0), (-30.0, 18.0), 3.5))
    return {"ring": ring, "lamina": np.maximum(ring, 10.0 - y), "tp": tp, "midline": np.abs(x) - 3.0}


def _arch_sdf(y: np.ndarray, z: np.ndarray, zc: float, parts: dict[str, np.ndarray]) -> np.ndarray:
    """Pedicles, laminae, spinous and transverse processes of the vertebra centred at ``zc``."""
    low_slab = _slab(z, zc - 4.0, zc + 8.0)
    pedicles = np.maximum(parts["ring"], low_slab)
    laminae = np.maximum(parts["lamina"], _slab(z, zc - 9.0, zc + 9.0))
    spinous = np.maximum(_capsule(y, z, (20.0, zc), (42.0, zc - 14.0), 3.2), parts["midline"])
    tp = np.maximum(parts["tp"], low_slab)
    return np.minimum(np.minimum(pedicles, laminae), np.minimum(spinous, tp))


def _paint_bone(lab: np.ndarray, sdf: np.ndarray, marrow: int) -> None:
    lab[sdf <= 0] = T["cortex"]
    lab[sdf <= -CORTEX] = marrow


def labels(f: Findings, x: Any, y: Any, z: Any) -> np.ndarray:
    """Tissue label (index into :data:`TISSUES`) at the points ``(x, y, z)`` (broadcast arrays, mm)."""
    x, y, z = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float), np.asarray(z, float))
    lab = np.full(x.shape, T["fat"], dtype=np.uint8)
    # Soft tissues: erector spinae muscles, descending aorta (left anterolateral), skin.
    lab[_inside_ellipse(np.abs(x), y, (21.0, 36.0, 13.0, 14.0))] = T["muscle"]
    lab[np.hypot(x - 12.0, y + 44.0) <= 11.0] = T["vessel"]
    lab[y > 60.0] = T["air"]

    marrow = T["osteopenic_marrow"] if f.kind == "osteoporotic" else T["marrow"]
    geoms = {lv: _body_geometry(f, lv, x, y, z) for lv in LEVELS}
    zlo, zhi = float(z.min()), float(z.max())
    near = [lv for lv in LEVELS if zlo - 30 <= geoms[lv]["zc"] <= zhi + 30]  # levels this grid can touch
    # Posterior elements, then canal contents (the arch ring leaves the canal free).
    parts = _arch_parts(x, y)
    for lv in near:
        _paint_bone(lab, _arch_sdf(y, z, geoms[lv]["zc"], parts), marrow)
    canal = _inside_ellipse(x, y, CANAL)
    sac = _inside_ellipse(x, y, SAC)
    lab[canal] = T["epidural_fat"]
    lab[sac] = T["csf"]
    # Disc column, then the bodies painted over it (a collapsed endplate is filled by disc).
    ypost = -1.5 * np.clip(1 - (x / BODY_A) ** 2, 0, None)
    column = (_ellipse(x, y, 0.0, BODY_CENTRE_Y, BODY_A + 0.5, BODY_B + 0.5) <= 0) & (y <= ypost + 0.5)
    lab[column] = T["disc"]
    ellipse = _ellipse(x, y, 0.0, BODY_CENTRE_Y, BODY_A, BODY_B + 2)
    body_sdf = {lv: _body_sdf(x, y, z, geoms[lv], ellipse) for lv in LEVELS}
    for lv in near:
        _paint_bone(lab, body_sdf[lv], marrow)

    g = geoms[f.level]
    cord = _cord_shape(f, z)
    if f.kind in METASTATIC:
        _paint_metastasis(lab, f, x, y, z, g, body_sdf[f.level], canal, sac)
    elif f.kind == "infection":
        _paint_infection(lab, f, x, y, z, geoms, body_sdf)
    elif f.kind == "osteoporotic":
        _paint_osteoporotic(lab, f, x, y, z, g, body_sdf[f.level])
    # The cord last (possibly displaced and flattened by the epidural mass).
    cord_mask = _inside_ellipse(x, y, (0.0, cord["cy"], cord["a"], cord["b"]))
    lab[cord_mask] = T["cord"]
    if f.escc == "3":  # no CSF left around the compressed cord
        lab[sac & ~cord_mask & cord["full"] & (lab == T["csf"])] = T["epidural_tumour"]
    # The dura: a thin dark line where the thecal sac meets epidural fat.
    sx, sy, sa, sb = SAC
    lab[_inside_ellipse(x, y, (sx, sy, sa + 0.7, sb + 0.7)) & ~sac & (lab == T["epidural_fat"])] = T["dura"]
    return lab


def _mass_depth(f: Findings, z: np.ndarray) -> np.ndarray:
    """Depth (y, mm) reached by the epidural mass at each z; NaN where there is none."""
    d = ESCC_DEPTH[f.escc]
    if d is None:
        return np.full(z.shape, np.nan)
    zc = level_centre(f.level) - f.collapse * BODY_H * 0.45
    taper = 1 - ((z - zc) / (BODY_H / 2 + 4)) ** 2
    depth = np.where(taper > 0, d * np.sqrt(np.clip(taper, 0, None)), np.nan)
    return np.where(depth > 0.3, depth, np.nan)


def _cord_shape(f: Findings, z: np.ndarray) -> dict[str, np.ndarray]:
    cx, cy, a, b = CORD
    depth = _mass_depth(f, z)
    front = cy - b
    pushed = np.nan_to_num(depth, nan=0.0) > front + 0.5
    new_front = np.where(pushed, np.nan_to_num(depth, nan=front), front)
    new_back = np.where(pushed, np.minimum(cy + b + 0.45 * (new_front - front), 14.6), cy + b)
    half = (new_back - new_front) / 2
    return {
        "cy": (new_front + new_back) / 2,
        "b": half,
        "a": np.where(pushed, np.minimum(a * np.sqrt(b / np.maximum(half, 0.5)), 6.5), a),
        "full": np.nan_to_num(depth, nan=0.0) >= 10.0,
    }


def _paint_metastasis(lab, f, x, y, z, g, sdf, canal, sac) -> None:  # type: ignore[no-untyped-def]
    tissue = T["blastic"] if f.kind == "blastic" else T["lytic"]
    s = float(f.extent) ** (1 / 3)
    zmid = (g["zbot"] + g["ztop"]) / 2
    inside = ((x / (24 * s)) ** 2 + ((y + 11) / (23 * s)) ** 2 + ((z - zmid) / (15 * s)) ** 2) <= 1.0
    bone = sdf <= 0
    lesion = inside & bone & (sdf <= -CORTEX)
    breach = np.zeros_like(lesion)
    if f.kind != "blastic" and f.escc != "0":  # the tumour escapes through the posterior wall
        breach = inside & bone & (sdf > -CORTEX) & (y > -6) & (np.abs(x) < 9)
    # Pedicles: the arch of this level, lateral to the canal, in front of the laminae.
    ped = np.zeros_like(lesion)
    for side in (["left", "right"] if f.pedicle == "both" else [f.pedicle] if f.pedicle != "none" else []):
        sgn = 1 if side == "left" else -1
        ped |= (sgn * x > 8.0) & (y < 9.0) & (y > -3.0) & (np.abs(z - g["zc"] - 2.0) < 6.5)
    ped &= (lab == T["marrow"]) | (lab == T["cortex"])
    if f.kind == "blastic":
        ped &= lab == T["marrow"]
    region = lesion | breach | (ped & ((lab == T["marrow"]) | (f.kind != "blastic")))
    lab[region] = tissue
    if f.kind == "mixed":
        rng = np.random.default_rng(f.seed)
        for _ in range(9):
            c = rng.uniform(-0.55, 0.55, 3) * np.array([24 * s, 20 * s, 15 * s]) + np.array([0.0, -11.0, 0.0])
            nodule = np.sqrt((x - c[0]) ** 2 + (y - c[1]) ** 2 + (z - zmid - c[2]) ** 2) <= 3.5
            lab[nodule & region] = T["blastic"]
    depth = _mass_depth(f, z)
    if np.isfinite(depth).any():
        has = np.isfinite(depth)
        d = np.where(has, depth, 0.0)
        mass = has & _inside_ellipse_var(x, y, -1.5, -1.0, 8.5, d + 1.0) & canal
        allowed = lab == T["epidural_fat"]
        if f.escc != "1a":
            allowed |= lab == T["csf"]
        else:
            mass &= ~sac
        lab[mass & allowed] = T["epidural_tumour"]


def _inside_ellipse_var(x, y, cx, cy, a, b):  # type: ignore[no-untyped-def]
    return ((x - cx) / a) ** 2 + ((y - cy) / np.maximum(b, 1e-6)) ** 2 <= 1.0


def _paint_infection(lab, f, x, y, z, geoms, body_sdf) -> None:  # type: ignore[no-untyped-def]
    upper, lower = f.level, LEVELS[LEVELS.index(f.level) + 1]
    z_disc_top, z_disc_bot = geoms[upper]["zbot"], geoms[lower]["ztop"]
    band = 4.0 + 10.0 * float(f.extent)
    zd = (z_disc_top + z_disc_bot) / 2
    lab[(lab == T["disc"]) & (z < z_disc_top + 1) & (z > z_disc_bot - 1)] = T["infected_disc"]
    for lv, endplate in ((upper, z_disc_top), (lower, z_disc_bot)):
        bone = body_sdf[lv] <= 0
        near = np.abs(z - endplate) < band
        lab[bone & near & (body_sdf[lv] <= -CORTEX)] = T["infected_marrow"]
        eroded = bone & (np.abs(z - endplate) < CORTEX + 0.3) & (_ellipse(x, y, 0, BODY_CENTRE_Y, 14, 11) <= 0)
        lab[eroded] = T["infected_marrow"]
    # Paravertebral phlegmon around the front and sides of the disc.
    around = (_ellipse(x, y, 0.0, BODY_CENTRE_Y, BODY_A + 6, BODY_B + 5) <= 0) & (y < -4) & (np.abs(z - zd) < 9)
    lab[around & (lab == T["fat"])] = T["phlegmon"]


def _paint_osteoporotic(lab, f, x, y, z, g, sdf) -> None:  # type: ignore[no-untyped-def]
    inside = sdf <= -CORTEX
    lab[inside & (z > g["ztop"] - 6.0)] = T["fracture_oedema"]
    # Retropulsed posterosuperior fragment: a small bone block pushed ~2 mm into the canal.
    ztop_post = level_centre(f.level) + BODY_H / 2 - f.collapse * BODY_H * 0.35
    frag = (np.abs(x) < 7.0) & (y > -4.0) & (y < g["ypost"] + 2.0) & (z < ztop_post) & (z > ztop_post - 5.0)
    lab[frag] = T["cortex"]


# ----------------------------------------------------------------------------------------------
# Images
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Image:
    """One rendered slice, with the geometry DICOM needs.

    ``pixels`` is ``float32``: HU for CT, relative signal 0–1 for MR. ``labels`` holds the tissue
    label of each pixel (the answer key). ``row_direction`` is the patient direction of increasing
    column index and ``col_direction`` that of increasing row index (DICOM Image Orientation);
    ``spacing`` is (between rows, between columns) in mm (DICOM Pixel Spacing); ``origin`` is the
    centre of pixel [0, 0] (DICOM Image Position).
    """

    pixels: np.ndarray
    labels: np.ndarray
    modality: str
    plane: str
    origin: tuple[float, float, float]
    row_direction: tuple[float, float, float]
    col_direction: tuple[float, float, float]
    spacing: tuple[float, float]
    position: float
    findings: Findings = field(default_factory=Findings)

    def mask(self, tissue: str) -> np.ndarray:
        """Boolean mask of the pixels of ``tissue`` (a name from :data:`TISSUES`)."""
        if tissue not in T:
            raise ValueError(f"tissue: {tissue!r}; accepted: {list(TISSUES)}")
        return self.labels == T[tissue]

    def mean(self, tissue: str, where: np.ndarray | None = None) -> float:
        """Mean pixel value over ``tissue`` (optionally restricted to ``where``); NaN if absent."""
        m = self.mask(tissue) if where is None else self.mask(tissue) & where
        return float(self.pixels[m].mean()) if m.any() else float("nan")

    def extent(self) -> tuple[float, float, float, float]:
        """``(left, right, bottom, top)`` in mm for ``matplotlib.imshow`` (horizontal, vertical axes)."""
        rows, cols = self.pixels.shape
        h0 = float(np.dot(self.origin, self.row_direction))
        v0 = float(np.dot(self.origin, self.col_direction))
        dr, dc = self.spacing
        return (h0 - dc / 2, h0 + (cols - 0.5) * dc, v0 + (rows - 0.5) * dr, v0 - dr / 2)

    def coordinates(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Patient coordinates (x, y, z) of every pixel centre."""
        return _plane_points(self.origin, self.row_direction, self.col_direction, self.spacing, self.pixels.shape)


def _plane_points(origin, row_dir, col_dir, spacing, shape):  # type: ignore[no-untyped-def]
    rows, cols = shape
    i = np.arange(rows)[:, None] * spacing[0]
    j = np.arange(cols)[None, :] * spacing[1]
    return tuple(origin[k] + j * row_dir[k] + i * col_dir[k] for k in range(3))  # type: ignore[return-value]


@lru_cache(maxsize=96)
def _plane_labels(f: Findings, origin, row_dir, col_dir, spacing, shape) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Labels of one plane (cached: switching sequence on the same slice does not recompute them)."""
    x, y, z = _plane_points(origin, row_dir, col_dir, spacing, shape)
    lab = labels(f, x, y, z)
    lab.setflags(write=False)
    return lab


def _seed(*parts: Any) -> int:
    return zlib.crc32(repr(parts).encode())


def render(lab: np.ndarray, modality: str, noise: bool = True, seed: int = 0) -> np.ndarray:
    """Map a label array to CT numbers (HU) or MR signal for ``modality`` (one of :data:`MODALITIES`)."""
    if modality not in MODALITIES:
        raise ValueError(f"modality: {modality!r}; accepted: {list(MODALITIES)}")
    key = "hu" if modality == "CT" else SEQUENCES[modality]
    lut = np.array([float(tissue_table()[t][key]) for t in TISSUES], dtype=np.float32)
    out = lut[lab]
    if noise:
        sigma = 6.0 if modality == "CT" else 0.015
        out = out + np.random.default_rng(seed).normal(0.0, sigma, lab.shape).astype(np.float32)
        if modality != "CT":
            out = np.clip(out, 0.0, 1.0)
    return out.astype(np.float32)


class Phantom:
    """The synthetic spine with given :class:`Findings`; slices are computed on demand.

    >>> ph = Phantom(Findings(kind="lytic", escc="2"))
    >>> img = ph.axial("T2", level="T9")        # 128 × 128 px, 1 mm
    >>> sag = ph.sagittal("STIR")               # midline, 144 × 128 px
    """

    FOV = 128.0

    def __init__(self, findings: Findings | None = None, noise: bool = True) -> None:
        self.findings = findings or Findings()
        self.noise = noise

    def with_findings(self, **changes: Any) -> "Phantom":
        """A copy with some findings changed."""
        return Phantom(replace(self.findings, **changes), self.noise)

    def _image(self, modality, plane, origin, row_dir, col_dir, spacing, shape, position) -> Image:  # type: ignore[no-untyped-def]
        lab = _plane_labels(self.findings, tuple(map(float, origin)), row_dir, col_dir, tuple(spacing), tuple(shape))
        pix = render(lab, modality, self.noise, _seed(self.findings, modality, plane, position, spacing))
        return Image(pix, lab, modality, plane, tuple(map(float, origin)), row_dir, col_dir,  # type: ignore[arg-type]
                     (float(spacing[0]), float(spacing[1])), float(position), self.findings)

    def axial(self, modality: str = "CT", z: float | None = None, level: str | None = None,
              size: int = 128, fov: float | None = None, centre: tuple[float, float] = (0.0, -2.0)) -> Image:
        """An axial slice at height ``z`` (mm) or through the middle of body ``level``.

        Rows run anterior → posterior, columns patient right → left (radiological convention).
        """
        if z is None:
            lv = level or self.findings.level
            z = level_centre(lv)
            if lv == self.findings.level and self.findings.collapse:
                z -= self.findings.collapse * BODY_H * 0.45
        fov = fov or self.FOV
        d = fov / size
        origin = (centre[0] - fov / 2 + d / 2, centre[1] - fov / 2 + d / 2, float(z))
        return self._image(modality, "axial", origin, (1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (d, d), (size, size), float(z))

    def sagittal(self, modality: str = "CT", x: float = 0.0, size: int = 128, height: int = 144) -> Image:
        """A sagittal slice at ``x`` mm (0 = midline; the pedicles lie near ±13 mm).

        Columns run anterior → posterior (the patient faces left), rows superior → inferior.
        """
        d = self.FOV / size
        origin = (float(x), -2.0 - self.FOV / 2 + d / 2, (height - 1) * d / 2)
        return self._image(modality, "sagittal", origin, (0.0, 1.0, 0.0), (0.0, 0.0, -1.0), (d, d),
                           (height, size), float(x))

    def axial_series(self, modality: str = "CT", spacing: float = 4.0, z_range: tuple[float, float] = (-42.0, 42.0),
                     size: int = 128) -> list[Image]:
        """A stack of axial slices from ``z_range[0]`` (inferior) upwards, every ``spacing`` mm."""
        zs = np.arange(z_range[0], z_range[1] + 1e-9, spacing)
        return [self.axial(modality, z=float(zz), size=size) for zz in zs]

    def sagittal_series(self, modality: str = "T1", spacing: float = 4.0, x_range: tuple[float, float] = (-16.0, 16.0)) -> list[Image]:
        """A stack of sagittal slices from patient right (−x) to left (+x)."""
        xs = np.arange(x_range[0], x_range[1] + 1e-9, spacing)
        return [self.sagittal(modality, x=float(xx)) for xx in xs]

    def escc_view(self, size: int = 128, fov: float = 48.0) -> Image:
        """The axial T2 image used for Bilsky grading: zoomed on the canal at the lesion level."""
        return self.axial("T2", size=size, fov=fov, centre=(0.0, 3.0))


# ----------------------------------------------------------------------------------------------
# Windowing and ESCC findings
# ----------------------------------------------------------------------------------------------
def window(values: Any, center: float, width: float) -> np.ndarray:
    """Map HU to display grey levels 0–1 with the DICOM linear VOI function (PS3.3 C.11.2.1.2).

    Values at or below ``center − 0.5 − (width − 1)/2`` are black, above ``center − 0.5 + (width − 1)/2``
    white, linear in between.

    Raises:
        ValueError: if ``width`` < 1 (the standard requires width ≥ 1).
    """
    if width < 1:
        raise ValueError(f"width: {width!r} must be ≥ 1")
    v = np.asarray(values, dtype=float)
    if width == 1:
        return (v > center - 0.5).astype(float)
    out = ((v - (center - 0.5)) / (width - 1)) + 0.5
    return np.clip(out, 0.0, 1.0)


def window_preset(name: str) -> tuple[float, float]:
    """``(center, width)`` of a CT window preset (``bone`` or ``soft_tissue``)."""
    presets = data()["windows"]["presets"]
    if name not in presets:
        raise ValueError(f"name: {name!r}; accepted: {sorted(presets)}")
    return float(presets[name]["center"]), float(presets[name]["width"])


def escc_findings(image: Image) -> dict[str, bool]:
    """Read the five Bilsky findings off an axial image's labels, as a radiologist would.

    Keys match :func:`course.calculators.escc`: ``epidural_disease``, ``thecal_sac_deformed``,
    ``cord_abutment``, ``cord_compressed``, ``csf_visible_around_cord``.
    """
    if image.plane != "axial":
        raise ValueError(f"image.plane: {image.plane!r}; ESCC is graded on an axial image")
    x, y, _ = image.coordinates()
    tumour = image.labels == T["epidural_tumour"]
    cord = image.labels == T["cord"]
    csf = image.labels == T["csf"]
    normal_sac = _inside_ellipse(x, y, SAC)
    neighbours = np.zeros_like(cord)
    neighbours[1:, :] |= cord[:-1, :]
    neighbours[:-1, :] |= cord[1:, :]
    neighbours[:, 1:] |= cord[:, :-1]
    neighbours[:, :-1] |= cord[:, 1:]
    if cord.any():
        ys = y[cord]
        ap = float(ys.max() - ys.min() + image.spacing[0])
    else:
        ap = 0.0
    epidural = bool(tumour.any())
    return {
        "epidural_disease": epidural,
        "thecal_sac_deformed": bool((tumour & normal_sac).any()),
        "cord_abutment": bool((tumour & neighbours).any()),
        "cord_compressed": bool(ap < 0.85 * 2 * CORD[3]),
        "csf_visible_around_cord": bool(csf.any()),
    }
