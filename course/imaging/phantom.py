"""A deterministic, analytic phantom of the spine from C3 to L5, rendered as CT and MR.

Geometry is described by approximate signed-distance functions in patient coordinates (DICOM LPS,
millimetres: +x patient left, +y posterior, +z superior), so any plane can be sampled at any
resolution and the sagittal and axial views always agree. Each point gets a tissue label (painter's
algorithm); a modality then maps labels to CT numbers (HU) or relative MR signal (0–1) taken from
``course/data/imaging_modalities.yaml``, plus a little seeded noise.

The geometry depends on the region (:func:`geometry` gives the numbers of each level): cervical bodies
are small and wide with a wide, triangular canal and a broad cord; thoracic bodies are larger with a
small round canal; lumbar bodies are the largest, with a triangular canal. Canal diameters and pedicle
widths are given level by level (``spine_dimensions.yaml``, rounded teaching numbers following Panjabi et
al.'s trends, not checked against their tables [M]). Neighbouring vertebrae meet at facet joints: the
superior articular process of the lower vertebra and the inferior process of the upper one, with a thin
joint space (cartilage and fluid) between them at the level of the disc (:func:`facet_joints`). The cord
tapers over T12–L1 (the conus) and ends at about the L1–L2 disc; below it the thecal sac holds the cauda
equina — small nerve-root bundles floating in CSF — and no cord. The sac ends at about S2
(:func:`thecal_sac_end`); below it the sacral canal holds epidural fat, the last roots and the filum
terminale. C1, C2 and the sacrum are drawn (simply) for the whole-spine view; lesions are placed from C3 to
L5. T7–T11 keep the dimensions of the original thoracic phantom (T9 is centred on z = 0).

Pathology is described by :class:`Findings`:

* ``kind`` — ``normal``, ``lytic``, ``blastic``, ``mixed`` (metastases), ``infection``
  (spondylodiscitis of the disc below ``level``) or ``osteoporotic`` (benign insufficiency fracture);
* ``extent`` — fraction of the vertebral body marrow replaced (metastases) or the depth of oedema
  (infection);
* ``collapse`` — fraction of body height lost (malignant: near-uniform with a convex posterior
  border; osteoporotic: anterior wedge, band of oedema, retropulsed fragment);
* ``pedicle`` — tumour in the ``left``, ``right`` or ``both`` pedicles;
* ``escc`` — epidural extension drawn to match Bilsky grade ``0``, ``1a``, ``1b``, ``1c``, ``2``, ``3``.
  Below the conus the same visual thresholds are applied to the thecal sac and the cauda equina
  (see :data:`ESCC_BELOW_CONUS`).

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
#: Levels by region (lesions go here). C1/C2 (atlas and axis, a different shape) and the sacrum are drawn only in
#: the whole-spine view.
REGIONS: dict[str, tuple[str, ...]] = {
    "cervical": ("C3", "C4", "C5", "C6", "C7"),
    "thoracic": tuple(f"T{i}" for i in range(1, 13)),
    "lumbar": ("L1", "L2", "L3", "L4", "L5"),
}
LEVELS: tuple[str, ...] = tuple(lv for region in REGIONS.values() for lv in region)
#: The five-level window of module 04's exercises (the default sagittal view for lesions here is centred on T9).
CLASSIC_WINDOW: tuple[str, ...] = ("T7", "T8", "T9", "T10", "T11")
#: Where the cord ends (the tip of the conus medullaris): about the L1–L2 disc. The cord tapers from the
#: middle of T12 down to it; the cauda equina roots appear around the conus and fill the sac below.
CONUS_TIP = "L1–L2 disc"
KINDS: tuple[str, ...] = ("normal", "lytic", "blastic", "mixed", "infection", "osteoporotic", "abscess")
#: Kinds with an epidural collection or mass graded on the Bilsky scale.
EPIDURAL: tuple[str, ...] = ("lytic", "blastic", "mixed", "abscess")
METASTATIC: tuple[str, ...] = ("lytic", "blastic", "mixed")
PEDICLE: tuple[str, ...] = ("none", "left", "right", "both")
ESCC_GRADES: tuple[str, ...] = ("0", "1a", "1b", "1c", "2", "3")
#: Display name → key of the tissue table.
SEQUENCES: dict[str, str] = {"T1": "t1", "T2": "t2", "STIR": "stir", "T1+Gd": "t1_gd", "T1+Gd FS": "t1_gd_fs"}
MODALITIES: tuple[str, ...] = ("CT", *SEQUENCES)

#: How the course applies the Bilsky (ESCC) scale where there is no cord (a teaching convention).
ESCC_BELOW_CONUS = (
    "Below the conus (L2 and lower here) there is no cord: the Bilsky grades were defined for the cord, and the "
    "course applies the same visual thresholds to the thecal sac and the cauda equina nerve roots — read 'cord' "
    "in the grade definitions as 'nerve roots' (a common practical adaptation, not part of the original "
    "validation).")

# Geometry (mm) of the mid-thoracic vertebrae T7–T11 (kept from the first, thoracic-only phantom):
# bodies 22 mm tall with 6 mm discs; T9 is centred on z = 0.
BODY_H = 22.0
PITCH = 28.0
CORTEX = 1.2
BODY_CENTRE_Y, BODY_A, BODY_B = -15.0, 20.0, 16.0
CANAL = (0.0, 7.5, 10.0, 9.0)  # centre x, y, semi-axes (thoracic)
SAC = (0.0, 8.5, 8.0, 6.5)
CORD = (0.0, 8.5, 4.5, 3.5)
#: Depth (y, mm) reached by the epidural mass at its maximum, for each Bilsky grade, in the thoracic spine.
#: Elsewhere the depths follow the local anatomy (see :func:`escc_depth`).
ESCC_DEPTH = {"0": None, "1a": 1.8, "1b": 3.8, "1c": 5.4, "2": 8.5, "3": 11.0}
ROOT_R = 0.9  # radius of one cauda-equina root bundle (mm)


@lru_cache(maxsize=1)
def data() -> dict[str, Any]:
    """The parsed ``imaging_modalities.yaml``."""
    text = (resources.files("course") / "data" / "imaging_modalities.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _sequence(key: str) -> dict[str, Any]:
    return next(item for item in data()["sequences"]["items"] if item["id"] == key)


def mr_signal(tissue: str, sequence: str) -> float:
    """Unscaled MR signal of ``tissue`` on ``sequence`` (a key of :data:`SEQUENCES`' values: ``t1``, ``stir`` …).

    Spin echo: ``PD (1 − e^(−TR/T1)) e^(−TE/T2)``; inversion recovery (magnitude):
    ``PD |1 − 2 e^(−TI/T1) + e^(−TR/T1)| e^(−TE/T2)`` (Bernstein et al., 2004). A tissue is water plus its fat
    fraction; gadolinium adds ``gd_dr1`` (1/s) to 1/T1 of the water; fat saturation removes most fat signal.
    The parameters (``mr`` in ``imaging_modalities.yaml``) are illustrative.
    """
    mr = data()["mr"]
    if tissue not in mr["parameters"]:
        raise ValueError(f"tissue: {tissue!r}; accepted: {sorted(mr['parameters'])}")
    seq = _sequence(sequence)
    tr, te, ti = float(seq["tr_ms"]), float(seq["te_ms"]), seq.get("ti_ms")

    def one(pd: float, t1: float, t2: float) -> float:
        if ti is not None:
            return pd * abs(1 - 2 * np.exp(-float(ti) / t1) + np.exp(-tr / t1)) * np.exp(-te / t2)
        return pd * (1 - np.exp(-tr / t1)) * np.exp(-te / t2)

    p = mr["parameters"][tissue]
    ff = float(p["fat_fraction"])
    t1 = float(p["t1_ms"])
    if seq["contrast"]:
        t1 = 1.0 / (1.0 / t1 + float(p["gd_dr1"]) / 1000.0)
    fat = mr["fat"]
    fat_signal = one(fat["pd"], fat["t1_ms"], fat["t2_ms"])
    if seq["fat_suppressed"] and ti is None:  # spectral fat saturation (STIR nulls fat by its inversion time)
        fat_signal *= 1.0 - float(mr["fat_saturation"])
    water = one(float(p["pd"]), t1, float(p["t2_ms"])) if ff < 1 else 0.0
    return float((1 - ff) * water + ff * fat_signal)


@lru_cache(maxsize=1)
def tissue_table() -> dict[str, dict[str, Any]]:
    """Tissue name → properties: ``hu`` and ``label`` from the data file, and the MR signal (0–1) of each
    sequence (``t1`` … ``t1_gd_fs``), computed by :func:`mr_signal` and scaled to the sequence's reference."""
    table = {name: dict(props) for name, props in data()["tissues"]["values"].items()}
    for item in data()["sequences"]["items"]:
        key = item["id"]
        ref, value = item["reference"]
        scale = float(value) / mr_signal(ref, key)
        for name in table:
            table[name][key] = round(min(1.0, mr_signal(name, key) * scale), 3)
    return table


TISSUES: tuple[str, ...] = tuple(tissue_table())
T = {name: i for i, name in enumerate(TISSUES)}  # tissue name → label id


# ----------------------------------------------------------------------------------------------
# Region-dependent geometry (illustrative, anatomically sensible proportions)
# ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def dimensions() -> dict[str, Any]:
    """The parsed ``spine_dimensions.yaml`` (sourced, rounded dimensions of every level, in mm)."""
    text = (resources.files("course") / "data" / "spine_dimensions.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


# Body: height h, height of the disc below it, lateral (a) and antero-posterior (b) semi-axes of the footprint.
_BODIES: dict[str, tuple[float, float, float, float]] = {
    lv: tuple(float(v) for v in vals) for lv, vals in dimensions()["bodies"].items()}  # type: ignore[misc]
# Canal (front fixed at y = −1.5, the posterior wall of the body), thecal sac and neural envelope (the cord;
# below the conus the space the cauda-equina roots occupy). ``tri`` > 0 makes the canal and sac triangular
# (wide in front, narrow behind): cervical wide and triangular with a broad flattened cord; thoracic small
# and round; lumbar triangular, the roots in the dorsal part of the sac.
_CANAL_ANCHORS: dict[str, dict[str, float]] = {
    r: {k: float(v) for k, v in vals.items()} for r, vals in dimensions()["canal"].items()}
# Mixture of the regional anchors at the transitions (cervicothoracic T1, thoracolumbar L1).
_BLEND: dict[str, dict[str, float]] = {"T1": {"cervical": 0.4, "thoracic": 0.6},
                                       "L1": {"thoracic": 0.5, "lumbar": 0.5}}
# Cauda-equina root bundles: unit positions (u lateral, v antero-posterior) in the neural envelope. The
# first pair is the midline (front and back); further pairs leave the sac level by level, the most lateral first.
_ROOTS: tuple[tuple[float, float], ...] = (
    (0.0, -1.0), (0.0, 1.0), (-0.45, -0.7), (0.45, -0.7), (-0.4, 0.7), (0.4, 0.7), (-0.8, 0.1), (0.8, 0.1),
    (-0.35, 0.0), (0.35, 0.0), (-0.95, -0.15), (0.95, -0.15),
)
_ROOT_COUNT = {"T12": 12, "L1": 12, "L2": 12, "L3": 10, "L4": 8, "L5": 6}
#: Root bundles left in the sacral canal at S1, S2, S3 and S4–S5 (the lower sacral and coccygeal roots).
_SACRAL_ROOTS = (6, 4, 2, 0)


@dataclass(frozen=True)
class LevelGeometry:
    """The illustrative dimensions (mm) of one vertebra and its canal."""

    level: str
    region: str
    zc: float  # centre of the body
    h: float  # body height
    disc: float  # height of the disc below
    a: float  # body footprint, lateral semi-axis
    b: float  # body footprint, antero-posterior semi-axis
    canal_a: float
    canal_b: float
    tri: float
    sac_front: float
    sac_back: float
    sac_a: float
    env_cy: float
    env_a: float
    env_b: float
    #: Transverse width (mm) of each pedicle at its narrowest (the isthmus, beside the widest point of the canal).
    pedicle_w: float = 6.5

    @property
    def k(self) -> float:
        """Height relative to a mid-thoracic body (scales the vertical sizes of the arch and lesions)."""
        return self.h / BODY_H

    @property
    def body_cy(self) -> float:
        return 1.0 - self.b

    @property
    def canal_cy(self) -> float:
        return -1.5 + self.canal_b

    @property
    def neural_front(self) -> float:
        return self.env_cy - self.env_b

    @property
    def canal_x_max(self) -> float:
        """Half of the canal's widest transverse extent (a triangular canal is widest a little in front of its
        centre)."""
        return self.canal_a * _tri_widest(self.tri)

    @property
    def canal_width(self) -> float:
        """Transverse diameter (mm) of the canal."""
        return 2 * self.canal_x_max

    @property
    def canal_depth(self) -> float:
        """Sagittal (antero-posterior) diameter (mm) of the canal."""
        return 2 * self.canal_b


def _tri_widest(tri: float) -> float:
    """max over t of (1 − tri·t)·√(1 − t²): the widest point of a canal-like shape, relative to its semi-axis."""
    if tri <= 0:
        return 1.0
    t = (1 - np.sqrt(1 + 8 * tri * tri)) / (4 * tri)
    return float((1 - tri * t) * np.sqrt(1 - t * t))


def _scaled_canal(anchor: dict[str, float], width: float, depth: float, scale_env: bool = False) -> dict[str, float]:
    """A region's canal anchor resized to a canal ``width`` × ``depth`` mm: the canal front stays at the body's
    posterior wall (y = −1.5); the sac and the neural envelope move and scale with the canal (the cord keeps
    its size unless ``scale_env``, as in the narrowing sacral canal)."""
    out = dict(anchor)
    ca = width / 2 / _tri_widest(anchor["tri"])
    cb = depth / 2
    ry, rx = cb / anchor["canal_b"], ca / anchor["canal_a"]
    out["canal_a"], out["canal_b"] = ca, cb
    for key in ("sac_front", "sac_back", "env_cy"):
        out[key] = -1.5 + (anchor[key] + 1.5) * ry
    out["sac_a"] = anchor["sac_a"] * rx
    if scale_env:
        out["env_a"], out["env_b"] = anchor["env_a"] * rx, anchor["env_b"] * ry
    return out


def region_of(level: str) -> str:
    """``cervical``, ``thoracic`` or ``lumbar``."""
    level_centre(level)
    return next(r for r, lvs in REGIONS.items() if level in lvs)


@lru_cache(maxsize=1)
def _geometry_table() -> dict[str, LevelGeometry]:
    # Level centres: T9 at z = 0, stacking bodies and discs up and down.
    centres = {"T9": 0.0}
    i9 = LEVELS.index("T9")
    for i in range(i9 - 1, -1, -1):  # upwards
        lv, below = LEVELS[i], LEVELS[i + 1]
        h, disc = _BODIES[lv][:2]
        centres[lv] = centres[below] + _BODIES[below][0] / 2 + disc + h / 2
    for i in range(i9 + 1, len(LEVELS)):  # downwards
        lv, above = LEVELS[i], LEVELS[i - 1]
        centres[lv] = centres[above] - _BODIES[above][0] / 2 - _BODIES[above][1] - _BODIES[lv][0] / 2
    table = {}
    for lv in LEVELS:
        region = next(r for r, lvs in REGIONS.items() if lv in lvs)
        mix = _BLEND.get(lv, {region: 1.0})
        canal = {key: sum(w * _CANAL_ANCHORS[r][key] for r, w in mix.items()) for key in _CANAL_ANCHORS["thoracic"]}
        if len(mix) == 1:
            canal = dict(_CANAL_ANCHORS[region])
        width, depth, pedicle = (float(v) for v in dimensions()["levels"][lv])
        canal = _scaled_canal(canal, width, depth)
        h, disc, a, b = _BODIES[lv]
        table[lv] = LevelGeometry(lv, region, centres[lv], h, disc, a, b, **canal, pedicle_w=pedicle)
    return table


def geometry(level: str) -> LevelGeometry:
    """The dimensions of vertebra ``level`` (see :data:`LEVELS`).

    Raises:
        ValueError: for a level outside the phantom, listing the accepted levels.
    """
    level_centre(level)
    return _geometry_table()[level]


def level_centre(level: str) -> float:
    """z (mm) of the centre of vertebral body ``level`` (T9 is at 0, superior is positive).

    Raises:
        ValueError: for a level outside the phantom, listing the accepted levels.
    """
    if level not in LEVELS:
        raise ValueError(f"level: {level!r} is not a level of the phantom (lesions go from C3 to L5; C1, C2 and the "
                         f"sacrum are drawn only in the whole-spine view); "
                         f"accepted: {list(LEVELS)}")
    return _geometry_table()[level].zc


@lru_cache(maxsize=1)
def _arrays() -> dict[str, np.ndarray]:
    """Per-level values as arrays, ordered by ascending z (for ``np.interp``)."""
    geo = [_geometry_table()[lv] for lv in reversed(LEVELS)]
    keys = ("zc", "a", "b", "canal_a", "canal_b", "tri", "sac_front", "sac_back", "sac_a", "env_cy", "env_a", "env_b")
    out = {k: np.array([getattr(g, k) for g in geo]) for k in keys}
    zs = out["zc"]
    out["mid"] = (zs[1:] + zs[:-1]) / 2  # boundaries between nearest levels
    # Body footprint knots at both endplates: constant within a body, blended across each disc.
    out["edge_z"] = np.array([zz for g in geo for zz in (g.zc - g.h / 2, g.zc + g.h / 2)])
    out["edge_a"] = np.repeat(out["a"], 2)
    out["edge_b"] = np.repeat(out["b"], 2)
    out["region"] = np.array([("cervical", "thoracic", "lumbar").index(g.region) for g in geo])
    out["roots"] = np.array([_ROOT_COUNT.get(g.level, 0) for g in geo])
    return out


def _level_index(z: np.ndarray) -> np.ndarray:
    """Index (into the ascending-z order of :func:`_arrays`) of the nearest level at each z."""
    return np.searchsorted(_arrays()["mid"], z)


def level_at(z: float) -> str:
    """The level whose body centre is nearest to height ``z`` (mm)."""
    return LEVELS[len(LEVELS) - 1 - int(_level_index(np.asarray(float(z))))]


def _profile(z: np.ndarray) -> dict[str, np.ndarray]:
    """Canal, sac, neural envelope and body footprint at each z (interpolated between body centres)."""
    arr = _arrays()
    z = np.asarray(z, float)
    zz = z[:, :1] if z.ndim == 2 and z.shape[1] > 1 and (z == z[:, :1]).all() else z  # one value per row
    out = {k: np.interp(zz, arr["zc"], arr[k]) for k in ("canal_a", "canal_b", "tri", "sac_front", "sac_back",
                                                         "sac_a", "env_cy", "env_a", "env_b")}
    out["a"] = np.interp(zz, arr["edge_z"], arr["edge_a"])
    out["b"] = np.interp(zz, arr["edge_z"], arr["edge_b"])
    out["front"] = np.full(np.shape(zz), -1.5)
    out["sac_scale"] = np.ones(np.shape(zz))
    sac = _sacral_canal()
    if np.size(zz) and float(np.min(zz)) < sac["z"][-1]:  # the sacral canal: moved back, narrowing, the sac ending
        low = zz < sac["z"][-1]
        for key, knots in sac["values"].items():
            out[key] = np.where(low, np.interp(zz, sac["z"], knots), out[key])
        scale = np.clip((zz - sac["sac_end"]) / sac["taper"], 0.0, 1.0) ** 0.5
        out["sac_scale"] = np.where(low, scale, 1.0)
    return {k: np.broadcast_to(v, z.shape) for k, v in out.items()}


def sacral_segments() -> dict[str, tuple[float, float, float]]:
    """S1…S5: the top and bottom z (mm) of each fused segment and the y of its posterior surface (the sacrum
    curves backwards as it descends)."""
    sac = dimensions()["sacrum"]
    ztop, shift, out = _column_limits()[0], 0.0, {}
    for i, seg in enumerate(sac["segments"]):
        shift += np.tan(np.deg2rad(sac["tilt_deg_per_segment"] * (i + 1))) * seg * 0.5
        out[f"S{i + 1}"] = (float(ztop), float(ztop - seg), 1.0 + float(shift))
        ztop -= seg
    return out


def thecal_sac_end() -> float:
    """z (mm) where the thecal sac ends: the middle of S2 (``thecal_sac_end`` in ``spine_dimensions.yaml``;
    Standring, 2020). Below it the sacral canal holds epidural fat, nerve roots and the filum terminale."""
    top, bottom, _ = sacral_segments()[dimensions()["sacrum"]["thecal_sac_end"]]
    return (top + bottom) / 2


@lru_cache(maxsize=1)
def _sacral_canal() -> dict[str, Any]:
    """Knots (ascending z) of the canal profile below L5: the L5 values at its lower endplate, then the
    sacral canal at the middle of S5 … S1, moved back with the sacrum (``front``)."""
    sac = dimensions()["sacrum"]
    l5 = geometry(LEVELS[-1])
    anchor = {k: float(v) for k, v in dimensions()["canal"]["lumbar"].items()}
    keys = ("canal_a", "canal_b", "tri", "sac_front", "sac_back", "sac_a", "env_cy", "env_a", "env_b")
    zs, rows = [], []
    for i, (name, (top, bottom, back)) in enumerate(reversed(list(sacral_segments().items()))):
        k = len(sac["segments"]) - 1 - i
        c = _scaled_canal(anchor, float(sac["canal_transverse"][k]), float(sac["canal_sagittal"][k]), scale_env=True)
        dy = back - 0.5 + 1.5  # the canal's front lies on the posterior surface of the segment
        c["front"] = -1.5 + dy
        for key in ("sac_front", "sac_back", "env_cy"):
            c[key] += dy
        zs.append((top + bottom) / 2)
        rows.append(c)
    top_l5 = {k: getattr(l5, k) for k in keys}
    top_l5["front"] = -1.5
    zs.append(l5.zc - l5.h / 2)
    rows.append(top_l5)
    values = {k: np.array([r[k] for r in rows]) for k in (*keys, "front")}
    return {"z": np.array(zs), "values": values, "sac_end": thecal_sac_end(), "taper": 12.0}


def cord_taper(z: Any) -> np.ndarray:
    """Relative size of the cord at height ``z``: 1 above T12, tapering (the conus) to 0 at the L1–L2 disc."""
    top = level_centre("T12")
    l1 = geometry("L1")
    end = l1.zc - l1.h / 2 - l1.disc / 2
    t = np.clip((np.asarray(z, float) - end) / (top - end), 0.0, 1.0)
    return t ** 0.6


def neural_content(level: str) -> str:
    """What the thecal sac holds at ``level``: ``cord``, ``conus`` (tapering cord and the first roots) or
    ``cauda_equina`` (nerve roots floating in CSF, no cord)."""
    s = float(cord_taper(level_centre(level)))
    return "cord" if s >= 1.0 else "conus" if s > 0.0 else "cauda_equina"


def escc_depth(grade: str, level: str, z: float | None = None) -> float | None:
    """Depth (y, mm) reached by an epidural mass of Bilsky ``grade`` at ``level`` (at height ``z``).

    The depths follow the local anatomy: just short of the sac (1a), between sac and neural tissue (1b),
    just touching the cord or the front of the roots (1c), half-way through them (2) or beyond (3).
    In T7–T11 they are :data:`ESCC_DEPTH`.
    """
    if grade not in ESCC_GRADES:
        raise ValueError(f"grade: {grade!r}; accepted: {list(ESCC_GRADES)}")
    p = _profile(np.asarray(level_centre(level) if z is None else z, float))
    sf, nf = float(p["sac_front"]), float(p["env_cy"] - p["env_b"])
    return {"0": None, "1a": sf - 0.2, "1b": (sf + nf) / 2 + 0.3, "1c": nf + 0.4, "2": nf + 3.5,
            "3": nf + 6.0}[grade]


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
    #: T2-bright signal change in the compressed cord (oedema or myelopathy), over the compressed segment.
    cord_signal: bool = False

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
            if self.escc != "0" and self.kind not in EPIDURAL:
                raise ValueError(f"escc: only metastases and an epidural abscess compress the sac in this phantom "
                                 f"(kind={self.kind!r})")
        if self.kind == "abscess" and self.escc == "0":
            raise ValueError("escc: an epidural abscess is a collection in the canal; accepted: 1a, 1b, 1c, 2, 3")
        if self.cord_signal:
            if self.escc not in ("2", "3"):
                raise ValueError(f"cord_signal: cord signal change is drawn with cord compression (escc 2 or 3); "
                                 f"got escc={self.escc!r}")
            if neural_content(self.level) == "cauda_equina":
                raise ValueError(f"cord_signal: there is no cord at {self.level} (below the conus)")
        if self.kind in ("normal", "infection", "abscess") and self.collapse:
            raise ValueError(f"collapse: not modelled for kind={self.kind!r}; accepted: 0")
        if self.kind == "osteoporotic" and not self.collapse:
            raise ValueError("collapse: an osteoporotic fracture needs collapse > 0 (e.g. 0.35)")
        if self.kind in ("infection", "abscess") and self.level == LEVELS[-1]:
            raise ValueError(f"level: infection involves the disc below the level (lesions are not placed in the sacrum); "
                             f"accepted: {list(LEVELS[:-1])}")

    def describe(self) -> str:
        """A one-line plain-language description (used in alt texts)."""
        if self.kind == "normal":
            return "a normal spine"
        if self.kind == "infection":
            below = LEVELS[LEVELS.index(self.level) + 1]
            return f"spondylodiscitis of the {self.level}–{below} disc"
        if self.kind == "osteoporotic":
            return f"an osteoporotic compression fracture of {self.level} ({round(100 * self.collapse)}% height loss)"
        if self.kind == "abscess":
            below = LEVELS[LEVELS.index(self.level) + 1]
            parts = [f"an epidural abscess behind the {self.level}–{below} disc, with spondylodiscitis "
                     f"(ESCC {self.escc})"]
            if self.cord_signal:
                parts.append("T2-bright signal change in the compressed cord")
            return ", ".join(parts)
        parts = [f"a {self.kind} metastasis in {self.level}"]
        if self.collapse:
            parts.append(f"{round(100 * self.collapse)}% collapse")
        if self.pedicle != "none":
            parts.append(f"{'both pedicles' if self.pedicle == 'both' else self.pedicle + ' pedicle'} involved")
        if self.escc != "0":
            target = {"cord": "", "conus": " at the conus", "cauda_equina": " on the cauda equina"}
            parts.append(f"epidural extension (ESCC {self.escc}{target[neural_content(self.level)]})")
        if self.cord_signal:
            parts.append("T2-bright signal change in the compressed cord")
        return ", ".join(parts)


# ----------------------------------------------------------------------------------------------
# Signed-distance helpers (negative inside; approximate distances in mm)
# ----------------------------------------------------------------------------------------------
def _ellipse(u: np.ndarray, v: np.ndarray, cu: float, cv: Any, a: Any, b: Any) -> np.ndarray:
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


def _tri_a(y: Any, cy: Any, a: Any, b: Any, tri: Any) -> Any:
    """Lateral semi-axis of a canal-like shape at ``y``: wider in front, narrower behind when ``tri`` > 0."""
    return a * (1.0 - tri * (y - cy) / b)


def _inside_shape(x: np.ndarray, y: np.ndarray, cy: Any, a: Any, b: Any, tri: Any) -> np.ndarray:
    """Inside a (possibly triangular) canal-like shape centred on the midline."""
    return (x / _tri_a(y, cy, a, b, tri)) ** 2 + ((y - cy) / b) ** 2 <= 1.0


def _canal(p: dict[str, Any], x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return _inside_shape(x, y, p["front"] + p["canal_b"], p["canal_a"], p["canal_b"], p["tri"])


def _sac_spec(p: dict[str, Any], grow: float = 0.0) -> tuple[Any, Any, Any, Any]:
    """Centre y, lateral and antero-posterior semi-axes and triangularity of the thecal sac (grown by ``grow``
    mm); below the end of the sac (in the sacrum) the semi-axes are NaN, so no point is inside."""
    cy = (p["sac_front"] + p["sac_back"]) / 2
    s = p["sac_scale"]
    b = (p["sac_back"] - p["sac_front"]) / 2 * s
    a = p["sac_a"] * s
    if np.all(s == 1.0):
        return cy, a + grow, b + grow, p["tri"]
    on = s > 0
    return cy, np.where(on, a + grow, np.nan), np.where(on, b + grow, np.nan), p["tri"]


# ----------------------------------------------------------------------------------------------
# Labelling
# ----------------------------------------------------------------------------------------------
def _body_geometry(f: Findings, level: str, x: np.ndarray, y: np.ndarray, z: np.ndarray) -> dict[str, Any]:
    """Top/bottom endplates and posterior border of one body (collapse and bulge included)."""
    g = geometry(level)
    zc = g.zc
    zbot = zc - g.h / 2
    ztop = np.full(np.broadcast(x, y, z).shape, zc + g.h / 2)
    ypost = -1.5 * np.clip(1 - (x / g.a) ** 2, 0, None) + 0 * z
    lesion_level = level == f.level
    if lesion_level and f.collapse:
        front = np.clip(-y / (2 * g.b), 0, 1)  # 0 at the posterior wall, 1 at the anterior cortex
        weight = 0.9 + 0.1 * front if f.kind in METASTATIC else 0.35 + 0.65 * front
        ztop = ztop - f.collapse * g.h * weight
        if f.kind in METASTATIC:  # tumour expands the body: convex posterior border
            zmid, half = (zbot + zc + g.h / 2 - f.collapse * g.h * 0.9) / 2, g.h * (1 - f.collapse) / 2
            bulge = (1.5 + 3.0 * f.collapse) * np.clip(1 - (x / (0.7 * g.a)) ** 2, 0, None)
            ypost = ypost + bulge * np.clip(1 - ((z - zmid) / half) ** 2, 0, None)
    return {"zc": zc, "zbot": zbot, "ztop": ztop, "ypost": ypost, "g": g}


def _body_sdf(x: np.ndarray, y: np.ndarray, z: np.ndarray, g: dict[str, Any], ellipse: np.ndarray) -> np.ndarray:
    """Vertebral body: the elliptical footprint (``ellipse``, precomputed) cut by the posterior
    border and the endplates, with rounded corners."""
    foot = np.maximum(ellipse, y - g["ypost"])
    height = np.maximum(g["zbot"] - z, z - g["ztop"])
    r = 2.5  # rounded corners where the endplates meet the walls
    a, b = foot + r, height + r
    return np.hypot(np.maximum(a, 0), np.maximum(b, 0)) + np.minimum(np.maximum(a, b), 0) - r


def _arch_parts(x: np.ndarray, y: np.ndarray, g: LevelGeometry) -> dict[str, np.ndarray]:
    """The in-plane (x, y) parts of the posterior arch of a vertebra shaped like ``g``."""
    ca, cb, cy = g.canal_a, g.canal_b, g.canal_cy
    ring = np.maximum(_ellipse(x, y, 0.0, cy + 0.5, ca + 6.5, cb + 6.0),
                      -_ellipse(x, y, 0.0, cy, _tri_a(y, cy, ca, cb, g.tri), cb))
    ring = np.maximum(ring, -1.0 - y)
    ring = np.maximum(ring, np.minimum(ca - 2.0 - np.abs(x), 4.0 - y))  # nothing bony in front of the canal
    # Pedicles: a strut each side from the body to the arch, g.pedicle_w wide beside the widest point of the
    # canal (its isthmus); behind the middle of the canal the ring carries on as the laminae.
    canal_sdf = _ellipse(x, y, 0.0, cy, _tri_a(y, cy, ca, cb, g.tri), cb)
    outer = g.canal_x_max + g.pedicle_w
    bar = np.maximum(_rounded_rect(np.abs(x), y, ca - 2.0, outer, -2.0, cy + 1.0, 1.5), -canal_sdf)
    ring = np.minimum(np.maximum(ring, cy - y), bar)
    parts = {"ring": ring, "lamina": np.maximum(ring, cy + 2.5 - y)}
    if g.region == "thoracic":  # posterolateral, to the ribs
        ends = ((14.0, 10.0), (30.0, 18.0), 3.5)
    elif g.region == "cervical":  # lateral and a little forward, pierced by the foramen transversarium
        ends = ((ca + 0.5, 1.0), (ca + 9.0, -4.0), 3.2)
    else:  # lumbar: long, straight lateral processes
        ends = ((ca + 2.5, 9.0), (ca + 24.0, 8.0), 4.0)
    (p0, p1), r = ends[:2], ends[2]
    parts["tp"] = np.minimum(_capsule(x, y, p0, p1, r), _capsule(x, y, (-p0[0], p0[1]), (-p1[0], p1[1]), r))
    parts["midline"] = np.abs(x) - {"cervical": 2.5, "thoracic": 3.0, "lumbar": 3.5}[g.region]
    if g.region == "cervical":
        fx = ca + 5.0
        parts["foramen"] = np.minimum(np.hypot(x - fx, y + 1.5), np.hypot(x + fx, y + 1.5)) - 2.2
    return parts


def _rounded_rect(u: np.ndarray, v: np.ndarray, u0: Any, u1: Any, v0: Any, v1: Any, r: float) -> np.ndarray:
    """Signed distance (mm) to the rectangle [u0, u1] × [v0, v1] with corners rounded by ``r``."""
    qu = np.abs(u - (u0 + u1) / 2) - (u1 - u0) / 2 + r
    qv = np.abs(v - (v0 + v1) / 2) - (v1 - v0) / 2 + r
    return np.hypot(np.maximum(qu, 0), np.maximum(qv, 0)) + np.minimum(np.maximum(qu, qv), 0) - r


def _arch_sdf(y: np.ndarray, z: np.ndarray, g: LevelGeometry, parts: dict[str, np.ndarray]) -> np.ndarray:
    """Pedicles, laminae, spinous and transverse processes of vertebra ``g``."""
    zc, k = g.zc, g.k
    low_slab = _slab(z, zc - 4.0 * k, zc + 8.0 * k)
    pedicles = np.maximum(parts["ring"], low_slab)
    laminae = np.maximum(parts["lamina"], _slab(z, zc - 9.0 * k, zc + 9.0 * k))
    y0 = g.canal_cy + g.canal_b + 3.5
    if g.region == "thoracic":  # long, steeply sloping down
        sp = _capsule(y, z, (y0, zc), (y0 + 22.0, zc - 14.0), 3.2)
    elif g.region == "cervical":  # short (C7, the vertebra prominens, long)
        length = 22.0 if g.level == "C7" else 14.0
        sp = _capsule(y, z, (y0, zc), (y0 + length, zc - 5.0), 2.5)
    else:  # lumbar: broad and horizontal
        sp = _capsule(y, z, (y0, zc - 1.0), (y0 + 24.0, zc - 3.0), 5.5)
    spinous = np.maximum(sp, parts["midline"])
    tp = np.maximum(parts["tp"], low_slab)
    return np.minimum(np.minimum(pedicles, laminae), np.minimum(spinous, tp))


@dataclass(frozen=True)
class FacetJoint:
    """One facet (zygapophyseal) joint between ``upper`` and ``lower``, on the left side (x > 0; the right one is
    its mirror image). ``centre`` (x, y) and ``z`` locate the middle of the joint; ``normal`` (x, y) is the
    direction across the joint space from the superior articular process of ``lower`` to the inferior process
    of ``upper``; ``z_range`` is the height over which the joint space is open (the laminae lie above and
    below it). Illustrative geometry (``facets`` in ``spine_dimensions.yaml``)."""

    upper: str
    lower: str
    region: str
    centre: tuple[float, float]
    z: float
    normal: tuple[float, float]
    z_range: tuple[float, float]
    a: float
    b: float
    half_height: float
    space: float
    radius: float
    tilt: float


@lru_cache(maxsize=1)
def facet_joints() -> tuple[FacetJoint, ...]:
    """The facet joints C3–C4 … L4–L5 (their left-hand members; :class:`FacetJoint`)."""
    spec = dimensions()["facets"]
    out = []
    for upper, lower in zip(LEVELS, LEVELS[1:]):
        gu, gl = geometry(upper), geometry(lower)
        region = gl.region
        f = spec[region]
        facing = float(spec["lumbar_facing"].get(upper, f["facing"])) if region == "lumbar" else float(f["facing"])
        phi = np.deg2rad(facing)
        zj = gu.zc - gu.h / 2 - gu.disc / 2
        hz = float(f["half_height"])
        lo = max(zj - hz + 0.5, gl.zc + 9.0 * gl.k + 0.5)  # clear of the laminae of both vertebrae
        hi = min(zj + hz - 0.5, gu.zc - 9.0 * gu.k - 0.5)
        out.append(FacetJoint(upper, lower, region, (gl.canal_x_max + float(f["lateral"]), gl.canal_cy + float(f["back"]) * gl.canal_b),
                              zj, (float(-np.sin(phi)), float(np.cos(phi))), (lo, hi), float(f["a"]), float(f["b"]), hz,
                              float(f["space"]), float(f["radius"]), float(np.deg2rad(f.get("tilt", 0.0)))))
    return tuple(out)


#: Extra height (mm) by which each articular process runs on towards its own vertebra's arch.
_FACET_EXT = 2.5


def _facet_across(j: FacetJoint, u: np.ndarray, v: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Signed distance (mm, approximate) across the joint: < 0 on the superior process's side, > 0 on the
    inferior process's. The joint surface is a circular arc of ``j.radius`` (nearly flat when large), tilted
    by ``j.tilt`` from the vertical."""
    nu, nv = j.normal
    cu, cv = j.centre[0] + j.radius * nu, j.centre[1] + j.radius * nv
    d = j.radius - np.hypot(u - cu, v - cv)
    return d * np.cos(j.tilt) + (z - j.z) * np.sin(j.tilt)


def _paint_facets(lab: np.ndarray, x: np.ndarray, y: np.ndarray, z: np.ndarray, marrow: int, zlo: float, zhi: float) -> None:
    """The articular processes (bone, cortex included) and, between them, the joint space of every facet
    joint within the heights ``zlo``–``zhi``."""
    u = np.abs(x)
    for j in facet_joints():
        z0, z1 = j.z - j.half_height - _FACET_EXT, j.z + j.half_height + _FACET_EXT
        if z1 < zlo or z0 > zhi:
            continue
        sel = _rows(z, z0, z1)
        if sel is None:
            uu, vv, zz = u, y, z
        else:
            if not sel.any():
                continue
            uu, vv, zz = u[sel], y[sel], z[sel]
        near = _ellipse(uu, vv, j.centre[0], j.centre[1], j.a + 1.0, j.b + 1.0) <= 0
        if not near.any():
            continue
        uu, vv, zz = uu[near], vv[near], zz[near]
        pillar = _ellipse(uu, vv, j.centre[0], j.centre[1], j.a, j.b)
        d = _facet_across(j, uu, vv, zz)
        sap = np.maximum(np.maximum(pillar, d + j.space / 2), _slab(zz, z0, j.z + j.half_height))
        iap = np.maximum(np.maximum(pillar, j.space / 2 - d), _slab(zz, j.z - j.half_height, z1))
        sub = lab[sel][near] if sel is not None else lab[near]
        _paint_bone(sub, sap, marrow)
        _paint_bone(sub, iap, marrow)
        sub[(pillar <= -0.3) & (np.abs(d) < j.space / 2) & (zz >= j.z_range[0]) & (zz <= j.z_range[1])] = T["facet_joint"]
        if sel is None:
            lab[near] = sub
        else:
            block = lab[sel]
            block[near] = sub
            lab[sel] = block


def _rows(z: np.ndarray, lo: float, hi: float) -> np.ndarray | None:
    """Points with ``lo <= z <= hi`` (None when that is every point)."""
    sel = (z >= lo) & (z <= hi)
    return None if sel.all() else sel


def _on(sel: np.ndarray | None, fn: Any, *arrays: np.ndarray) -> np.ndarray:
    """``fn(*arrays)`` evaluated only where ``sel`` (+inf, i.e. outside every shape, elsewhere)."""
    if sel is None:
        return fn(*arrays)
    out = np.full(arrays[0].shape, np.inf)
    if sel.any():
        out[sel] = fn(*(a[sel] for a in arrays))
    return out


def _arch_z_range(g: LevelGeometry) -> tuple[float, float]:
    """Heights (mm) the posterior arch of ``g`` can reach (laminae, processes, spinous tip)."""
    drop = {"thoracic": 14.0 + 3.2, "cervical": 5.0 + 2.5, "lumbar": 3.0 + 5.5}[g.region]
    return g.zc - max(9.0 * g.k, drop) - 1.0, g.zc + 9.0 * g.k + 1.0


def _paint_bone(lab: np.ndarray, sdf: np.ndarray, marrow: int) -> None:
    lab[sdf <= 0] = T["cortex"]
    lab[sdf <= -CORTEX] = marrow


def _paint_soft_tissue(lab: np.ndarray, x: np.ndarray, y: np.ndarray, z: np.ndarray) -> None:
    """Muscles, vessels, viscera and air around the spine, by region (nearest level at each z)."""
    arr = _arrays()
    idx = _level_index(z)
    region = _region_map(z)
    # The body outline (skin): air outside; in the chest, the aerated lungs either side of the spine.
    lab[_outline_r2(x, y, region) > 1.0] = T["air"]
    chest = region == 1
    if np.any(chest):
        _paint_chest(lab, x, y, z, chest)
    lab[_inside_ellipse(np.abs(x), y, (21.0, 36.0, 13.0, 14.0))] = T["muscle"]  # erector spinae / neck extensors
    a, b = arr["a"][idx], arr["b"][idx]
    front = 1.0 - 2.0 * b - 2.0  # anterior surface of the body
    for code in (np.unique(region) if np.ndim(region) else [region]):
        r = region == code
        if code == 0:  # neck: oesophagus, trachea, carotids and jugular veins, skin
            lab[r & _inside_ellipse(x, y - front, (0.0, -5.0, 7.0, 4.0))] = T["muscle"]
            for s in (1, -1):
                lab[r & (np.hypot(x - s * 20.0, y - front + 8.0) <= 3.5)] = T["vessel"]
                lab[r & (np.hypot(x - s * 27.0, y - front + 5.0) <= 4.5)] = T["vessel"]
            lab[r & ((np.hypot(x, y - front + 20.0) <= 8.0) | (y < front - 38.0) | (np.abs(x) > 58.0))] = T["air"]
        elif code == 1:  # thorax: the descending aorta, left anterolateral
            lab[r & (np.hypot(x - 12.0, y + 44.0) <= 11.0)] = T["vessel"]
        else:  # abdomen: psoas beside the bodies, aorta (bifurcating at L4) and inferior vena cava
            lv = len(LEVELS) - 1 - idx  # index into LEVELS
            n = lv - LEVELS.index("L1")  # 0 for L1 … 4 for L5
            lab[r & _inside_ellipse(np.abs(x) - a - 5.0 - n, y - (1.0 - b), (0.0, -2.0, 4.0 + 1.8 * n, 8.0 + n))] = T["muscle"]
            upper = r & (n <= 2)
            lab[upper & (np.hypot(x - 10.0, y - front + 10.0) <= 9.0)] = T["vessel"]
            lab[r & (n <= 3) & _inside_ellipse(x, y - front, (-14.0, -9.0, 10.0, 7.0))] = T["vessel"]
            lower = r & (n >= 3)
            for s in (1, -1):
                lab[lower & (np.hypot(x - s * 12.0, y - front + 7.0) <= 5.5)] = T["vessel"]
    lab[y > 60.0] = T["air"]


_REGION_CODES = ("cervical", "thoracic", "lumbar")


def _paint_chest(lab: np.ndarray, x: np.ndarray, y: np.ndarray, z: np.ndarray, chest: Any) -> None:
    """Lungs, heart, chest-wall muscles and rib cross-sections (which move round the wall as the slice moves)."""
    o = dimensions()["outline"]["thoracic"]
    lab[chest & _inside_ellipse(np.abs(x), y, (70.0, -42.0, 46.0, 64.0))] = T["lung"]
    heart = chest & _inside_ellipse(x, y, (8.0, -96.0, 40.0, 32.0))
    lab[heart] = T["muscle"]
    lab[heart & _inside_ellipse(x, y, (8.0, -96.0, 33.0, 25.0))] = T["vessel"]
    r2 = (x / o["a"]) ** 2 + ((y - o["cy"]) / o["b"]) ** 2
    wall = chest & (r2 > 0.6) & (r2 <= 1.0)
    if not np.any(wall):
        return
    xs, ys, zs = x[wall], y[wall], np.broadcast_to(z, np.shape(x))[wall]
    sub = lab[wall]
    sub[(r2[wall] > 0.66) & (r2[wall] < 0.84)] = T["muscle"]
    rib = np.zeros(xs.shape, dtype=bool)
    core = np.zeros(xs.shape, dtype=bool)
    phase = zs / 9.0
    for k in range(7):
        t = np.deg2rad(62.0 - 22.0 * k) + 0.12 * np.sin(phase + k)
        cx, cyr = 0.86 * o["a"] * np.cos(t), o["cy"] + 0.86 * o["b"] * np.sin(t)
        for sgn in (1, -1):
            du, dv = xs - sgn * cx, ys - cyr
            rib |= (du / 5.5) ** 2 + (dv / 4.0) ** 2 <= 1.0
            core |= (du / 4.0) ** 2 + (dv / 2.5) ** 2 <= 1.0
    sub[rib] = T["cortex"]
    sub[core] = T["marrow"]
    lab[wall] = sub


def _region_map(z: np.ndarray) -> Any:
    """Region code (0 cervical, 1 thoracic, 2 lumbar) of the nearest level at each z — a plain int when
    every point lies at one height (an axial slice), which keeps the large slices fast."""
    z = np.asarray(z, float)
    if z.size and z.min() == z.max():
        return int(_arrays()["region"][_level_index(z.flat[0])])
    return _arrays()["region"][_level_index(z)]


def _outline_r2(x: np.ndarray, y: np.ndarray, region: np.ndarray) -> np.ndarray:
    """Normalised squared radius in the body outline of each point's region (> 1 outside the skin)."""
    shape = dimensions()["outline"]
    if not np.ndim(region):
        o = shape[_REGION_CODES[int(region)]]
        return (x / o["a"]) ** 2 + ((y - o["cy"]) / o["b"]) ** 2
    a = np.choose(region, [shape[r]["a"] for r in _REGION_CODES])
    b = np.choose(region, [shape[r]["b"] for r in _REGION_CODES])
    cy = np.choose(region, [shape[r]["cy"] for r in _REGION_CODES])
    return (x / a) ** 2 + ((y - cy) / b) ** 2


def labels(f: Findings, x: Any, y: Any, z: Any) -> np.ndarray:
    """Tissue label (index into :data:`TISSUES`) at the points ``(x, y, z)`` (broadcast arrays, mm)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return _labels(f, x, y, z)


def _labels(f: Findings, x: Any, y: Any, z: Any) -> np.ndarray:
    x, y, z = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float), np.asarray(z, float))
    lab = np.full(x.shape, T["fat"], dtype=np.uint8)
    _paint_soft_tissue(lab, x, y, z)
    # The spine and its surroundings lie within this box; a wide field of view labels only its points.
    box = (np.abs(x) < SPINE_BOX[0]) & (y > SPINE_BOX[1]) & (y < SPINE_BOX[2])
    if box.all():
        _label_spine(lab, f, x, y, z)
    elif box.any():
        sub = lab[box]
        _label_spine(sub, f, x[box], y[box], z[box])
        lab[box] = sub
    return lab


#: |x| limit and y range (mm) of the region holding the spine, its canal, paraspinal muscles and lesions.
SPINE_BOX = (66.0, -68.0, 64.0)


def _label_spine(lab: np.ndarray, f: Findings, x: np.ndarray, y: np.ndarray, z: np.ndarray) -> None:
    """Paint the vertebrae, discs, canal contents and lesions over ``lab`` (in place)."""
    marrow = T["osteopenic_marrow"] if f.kind == "osteoporotic" else T["marrow"]
    zlo, zhi = float(z.min()), float(z.max())
    table = _geometry_table()
    near = [lv for lv in LEVELS if zlo - 3 <= table[lv].zc + table[lv].h / 2 and table[lv].zc - table[lv].h / 2 <= zhi + 3]
    arches = [lv for lv in LEVELS if _arch_z_range(table[lv])[0] <= zhi and _arch_z_range(table[lv])[1] >= zlo]
    needed = list(near)
    extra = [f.level] + ([LEVELS[LEVELS.index(f.level) + 1]] if f.kind in ("infection", "abscess") else [])
    needed += [lv for lv in extra if lv not in needed]
    geoms = {lv: _body_geometry(f, lv, x, y, z) for lv in needed}
    # Posterior elements, then canal contents (the arch ring leaves the canal free).
    parts_cache: dict[tuple[Any, ...], dict[str, np.ndarray]] = {}
    for lv in arches:
        g = table[lv]
        key = (g.region, g.canal_a, g.canal_b, g.tri, g.pedicle_w)
        if key not in parts_cache:
            parts_cache[key] = _arch_parts(x, y, g)
        parts = parts_cache[key]
        sel = _rows(z, *_arch_z_range(g))
        names = sorted(parts)
        sdf = _on(sel, lambda yy, zz, *pp: _arch_sdf(yy, zz, g, dict(zip(names, pp))), y, z,
                  *(np.broadcast_to(parts[n], z.shape) for n in names))
        _paint_bone(lab, sdf, marrow)
        if "foramen" in parts and lv != "C7":  # vertebral artery in the foramen transversarium (C6 upwards)
            lab[(parts["foramen"] <= 0) & (_slab(z, g.zc - 4.0 * g.k, g.zc + 8.0 * g.k) <= 0)] = T["vessel"]
    _paint_facets(lab, x, y, z, marrow, zlo, zhi)
    p = _profile(z)
    canal = _canal(p, x, y)
    scy, sa, sb, stri = _sac_spec(p)
    sac = _inside_shape(x, y, scy, sa, sb, stri)
    lab[canal] = T["epidural_fat"]
    lab[sac] = T["csf"]
    # Disc column, then the bodies painted over it (a collapsed endplate is filled by disc).
    ypost = -1.5 * np.clip(1 - (x / p["a"]) ** 2, 0, None)
    column = (_ellipse(x, y, 0.0, 1.0 - p["b"], p["a"] + 0.5, p["b"] + 0.5) <= 0) & (y <= ypost + 0.5)
    lo, hi = _column_limits()
    if z.min() < lo or z.max() > hi:  # the column ends at the C2–C3 and L5–S1 discs
        column &= (z > lo) & (z < hi)
        _paint_end_segments(lab, x, y, z, marrow, p)
        if z.min() < lo:  # the sacral canal, carved out of the fused segments
            low = z < lo
            lab[canal & low] = T["epidural_fat"]
            lab[sac & low] = T["csf"]
    lab[column] = T["disc"]
    body_sdf = {}
    for lv in needed:
        g, geo = table[lv], geoms[lv]
        sel = _rows(z, g.zc - g.h / 2 - 1.0, g.zc + g.h / 2 + 1.0)
        body_sdf[lv] = _on(sel, lambda xx, yy, zz, top, post: _body_sdf(
            xx, yy, zz, {"zbot": geo["zbot"], "ztop": top, "ypost": post},
            _ellipse(xx, yy, 0.0, g.body_cy, g.a, g.b + 2)), x, y, z, geo["ztop"], geo["ypost"])
    for lv in near:
        _paint_bone(lab, body_sdf[lv], marrow)

    g = geoms[f.level]
    if f.kind in METASTATIC:
        _paint_metastasis(lab, f, x, y, z, g, body_sdf[f.level], canal, sac, p)
    elif f.kind == "infection":
        _paint_infection(lab, f, x, y, z, geoms, body_sdf)
    elif f.kind == "abscess":
        _paint_infection(lab, f, x, y, z, geoms, body_sdf)
        _paint_epidural(lab, f, x, y, z, canal, sac, p, T["abscess"])
    elif f.kind == "osteoporotic":
        _paint_osteoporotic(lab, f, x, y, z, g, body_sdf[f.level])
    # The cord and the cauda equina last (possibly displaced and flattened by the epidural mass).
    env = _neural_shape(f, z, p)
    neural = _paint_neural(lab, x, y, z, env)
    filler = T["abscess"] if f.kind == "abscess" else T["epidural_tumour"]
    if f.escc == "3":  # no CSF left around the compressed cord or roots
        lab[sac & ~neural & env["full"] & (lab == T["csf"])] = filler
    if f.cord_signal:  # oedema / myelopathy over the compressed segment
        zc, half = _mass_span(f)
        lab[(lab == T["cord"]) & (np.abs(z - zc) < 0.8 * half)] = T["cord_oedema"]
    # The dura: a thin dark line where the thecal sac meets epidural fat.
    dura = _inside_shape(x, y, *_sac_spec(p, grow=0.7))
    lab[dura & ~sac & (lab == T["epidural_fat"])] = T["dura"]


@lru_cache(maxsize=1)
def _column_limits() -> tuple[float, float]:
    """z (mm) of the bottom of C2 and the top of S1: the disc column runs between them."""
    c3, l5 = geometry(LEVELS[0]), geometry(LEVELS[-1])
    up = dimensions()["upper_cervical"]["C2"]
    return l5.zc - l5.h / 2 - l5.disc, c3.zc + c3.h / 2 + up["disc_below"]


def _rounded_block(x, y, z, cy: float, a: float, b: float, z0: float, z1: float, r: float = 2.0):  # type: ignore[no-untyped-def]
    """Signed distance (approximate, mm) to a vertical elliptic block with rounded edges."""
    foot = _ellipse(x, y, 0.0, cy, a, b)
    height = np.maximum(z0 - z, z - z1)
    u, v = foot + r, height + r
    return np.hypot(np.maximum(u, 0), np.maximum(v, 0)) + np.minimum(np.maximum(u, v), 0) - r


def _paint_end_segments(lab: np.ndarray, x: np.ndarray, y: np.ndarray, z: np.ndarray, marrow: int,
                        p: dict[str, np.ndarray]) -> None:
    """C2 (body and dens), C1 (anterior and posterior arches) and the sacrum (S1–S5, tilting backwards, with
    the fused laminae behind the sacral canal, open at the sacral hiatus in S5), drawn for views that reach
    beyond C3–L5 (the whole-spine screening view); lesions stay in C3–L5. The caller carves the sacral canal
    out afterwards."""
    lo, hi = _column_limits()
    dims = dimensions()
    if z.max() > hi:
        c2, c1 = dims["upper_cervical"]["C2"], dims["upper_cervical"]["C1"]
        cy = 1.0 - c2["depth_half"]
        top = hi + c2["height"]
        body = _rounded_block(x, y, z, cy, c2["width_half"], c2["depth_half"], hi, top)
        dens = _rounded_block(x, y, z, cy + 2.0, c2["dens_radius"], c2["dens_radius"], top - 2.0,
                              top + c2["dens_height"], r=c2["dens_radius"] - 0.5)
        g3 = geometry(LEVELS[0])
        spinous = _capsule(y, z, (g3.canal_cy + g3.canal_b + 3.5, hi + 6.0), (g3.canal_cy + g3.canal_b + 20.0, hi + 2.0), 3.5)
        spinous = np.maximum(spinous, np.abs(x) - 3.0)
        zc1 = top + c2["dens_height"] / 2 + 2.0
        front = cy + 2.0 - c2["dens_radius"] - c1["gap_above_dens"] - c1["anterior_arch_radius"]
        arch = np.hypot(y - front, z - zc1) - c1["anterior_arch_radius"]
        back = np.hypot(y - (g3.canal_cy + g3.canal_b + 4.0), z - zc1) - 4.0
        ring = np.maximum(np.minimum(arch, back), np.abs(x) - c1["ring_a"] / 2)
        sdf = np.minimum(np.minimum(body, dens), np.minimum(spinous, ring))
        _paint_bone(lab, sdf, marrow)
    if z.min() < lo:
        sac = dims["sacrum"]
        ztop, shift = lo, 0.0
        for i, seg in enumerate(sac["segments"]):
            taper = 1.0 - 0.15 * i
            b = sac["s1_depth_half"] * taper
            shift += np.tan(np.deg2rad(sac["tilt_deg_per_segment"] * (i + 1))) * seg * 0.5
            sdf = _rounded_block(x, y, z, 1.0 - b + shift, sac["s1_width_half"] * taper, b, ztop - seg, ztop)
            _paint_bone(lab, sdf, marrow)
            if i < len(sac["segments"]) - 1:  # rudimentary discs between the fused segments
                lab[(np.abs(z - (ztop - seg)) < 0.6) & (sdf < -CORTEX - 1.0)] = T["cortex"]
            ztop -= seg
        # The fused laminae: a bony roof round the back and sides of the sacral canal, down to the hiatus.
        hiatus = sacral_segments()["S5"][0] - 2.0
        low = (z < lo) & (z > hiatus)
        if low.any():
            cy = p["front"] + p["canal_b"]
            canal_sdf = _ellipse(x, y, 0.0, cy, _tri_a(y, cy, p["canal_a"], p["canal_b"], p["tri"]), p["canal_b"])
            roof = np.maximum(_ellipse(x, y, 0.0, cy + 1.0, p["canal_a"] + 8.0, p["canal_b"] + 4.5), -canal_sdf)
            roof = np.where(low & (y > p["front"] + 1.0), roof, np.inf)
            _paint_bone(lab, roof, marrow)


def _mass_span(f: Findings) -> tuple[float, float]:
    """Centre z and half-length (mm) of the epidural mass: at the body for a metastasis; behind the disc below
    ``level`` and longer (collections spread up and down the epidural space) for an abscess."""
    g = geometry(f.level)
    if f.kind == "abscess":
        return abscess_centre(f.level), g.h + 4.0
    return g.zc - f.collapse * g.h * 0.45, g.h / 2 + 4


def abscess_centre(level: str) -> float:
    """z (mm) of the middle of the disc below ``level``, where an epidural abscess is centred."""
    g = geometry(level)
    return g.zc - g.h / 2 - g.disc / 2


def _mass_depth(f: Findings, z: np.ndarray) -> np.ndarray:
    """Depth (y, mm) reached by the epidural mass at each z; NaN where there is none."""
    zc, half = _mass_span(f)
    d = escc_depth(f.escc, f.level, zc)
    if d is None:
        return np.full(z.shape, np.nan)
    taper = 1 - ((z - zc) / half) ** 2
    depth = np.where(taper > 0, d * np.sqrt(np.clip(taper, 0, None)), np.nan)
    return np.where(depth > 0.3, depth, np.nan)


def _neural_shape(f: Findings, z: np.ndarray, p: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The neural envelope (cord, or the space of the roots) at each z, pushed back by the epidural mass."""
    cy, a, b = p["env_cy"], p["env_a"], p["env_b"]
    depth = _mass_depth(f, z)
    front = cy - b
    pushed = np.nan_to_num(depth, nan=0.0) > front + 0.5
    new_front = np.where(pushed, np.nan_to_num(depth, nan=front), front)
    new_back = np.where(pushed, np.minimum(cy + b + 0.45 * (new_front - front), p["sac_back"] - 0.4), cy + b)
    half = (new_back - new_front) / 2
    return {
        "cy": (new_front + new_back) / 2,
        "b": half,
        "a": np.where(pushed, np.minimum(a * np.sqrt(b / np.maximum(half, 0.5)), p["sac_a"] - 1.5), a),
        "full": np.nan_to_num(depth, nan=0.0) >= front + 5.0,
    }


def _paint_neural(lab: np.ndarray, x: np.ndarray, y: np.ndarray, z: np.ndarray,
                  env: dict[str, np.ndarray]) -> np.ndarray:
    """Paint the cord (tapering into the conus) and, from T12 down, the cauda-equina roots; return their mask."""
    s = cord_taper(z)
    lo = _column_limits()[0]
    cord = (s > 0.05) & ((x / np.maximum(env["a"] * s, 1e-6)) ** 2 + ((y - env["cy"]) / np.maximum(env["b"] * s, 1e-6)) ** 2 <= 1.0)
    roots = np.zeros(x.shape, dtype=bool)
    below = z < level_centre("T12")
    if below.any():
        count = _arrays()["roots"][_level_index(z)]
        if z.min() < lo:  # the sacral canal: the roots leave through the sacral foramina, fewer at each segment
            seg = sacral_segments()
            sacral = np.select([z > seg["S2"][0], z > seg["S3"][0], z > seg["S4"][0]], _SACRAL_ROOTS[:3], _SACRAL_ROOTS[3])
            count = np.where(z < lo, sacral, count)
        ra, rb = np.maximum(env["a"] - ROOT_R, 0.1), np.maximum(env["b"] - ROOT_R, 0.1)
        for i, (u, v) in enumerate(_ROOTS):
            roots |= (count > i) & (np.hypot(x - u * ra, y - env["cy"] - v * rb) <= ROOT_R)
        # High-grade compression crowds the roots into one clump.
        clump = env["full"] & ((x / env["a"]) ** 2 + ((y - env["cy"]) / env["b"]) ** 2 <= 1.0)
        roots |= clump
        if z.min() < lo:  # the filum terminale, a thin midline strand from the end of the sac to the coccyx
            roots |= (z < lo) & (z > sacral_segments()["S5"][1]) & (np.hypot(x, y - env["cy"]) <= 0.6)
        roots &= below
        lab[roots] = T["nerve_root"]
    lab[cord] = T["cord"]
    return cord | roots


def _paint_metastasis(lab, f, x, y, z, g, sdf, canal, sac, p) -> None:  # type: ignore[no-untyped-def]
    tissue = T["blastic"] if f.kind == "blastic" else T["lytic"]
    geo: LevelGeometry = g["g"]
    s = float(f.extent) ** (1 / 3)
    sx, sy, sz = geo.a / BODY_A, geo.b / BODY_B, geo.k  # relative to a mid-thoracic body
    yc = geo.body_cy + 4.0 * sy
    zmid = (g["zbot"] + g["ztop"]) / 2
    inside = ((x / (24 * s * sx)) ** 2 + ((y - yc) / (23 * s * sy)) ** 2 + ((z - zmid) / (15 * s * sz)) ** 2) <= 1.0
    bone = sdf <= 0
    lesion = inside & bone & (sdf <= -CORTEX)
    breach = np.zeros_like(lesion)
    if f.kind != "blastic" and f.escc != "0":  # the tumour escapes through the posterior wall
        breach = inside & bone & (sdf > -CORTEX) & (y > -1.5 - 4.5 * sy) & (np.abs(x) < 9 * sx)
    # Pedicles: the arch of this level, lateral to the canal, in front of the laminae.
    ped = np.zeros_like(lesion)
    for side in (["left", "right"] if f.pedicle == "both" else [f.pedicle] if f.pedicle != "none" else []):
        sgn = 1 if side == "left" else -1
        ped |= ((sgn * x > geo.canal_a - 2.0) & (y < geo.canal_cy + 1.5) & (y > -3.0)
                & (np.abs(z - g["zc"] - 2.0 * sz) < 6.5 * sz))
    ped &= (lab == T["marrow"]) | (lab == T["cortex"])
    if f.kind == "blastic":
        ped &= lab == T["marrow"]
    region = lesion | breach | (ped & ((lab == T["marrow"]) | (f.kind != "blastic")))
    lab[region] = tissue
    if f.kind == "mixed":
        rng = np.random.default_rng(f.seed)
        for _ in range(9):
            c = rng.uniform(-0.55, 0.55, 3) * np.array([24 * s * sx, 20 * s * sy, 15 * s * sz]) + np.array([0.0, yc, 0.0])
            nodule = np.sqrt((x - c[0]) ** 2 + (y - c[1]) ** 2 + (z - zmid - c[2]) ** 2) <= 3.5 * min(sx, sy, sz, 1.0) ** 0.5
            lab[nodule & region] = T["blastic"]
    _paint_epidural(lab, f, x, y, z, canal, sac, p, T["epidural_tumour"])


def _paint_epidural(lab, f, x, y, z, canal, sac, p, tissue: int) -> None:  # type: ignore[no-untyped-def]
    """The epidural mass (tumour) or collection (abscess, with an enhancing rim 1.3 mm thick)."""
    depth = _mass_depth(f, z)
    if np.isfinite(depth).any():
        has = np.isfinite(depth)
        d = np.where(has, depth, 0.0)
        mass = has & _inside_ellipse_var(x, y, -1.5, -1.0, 0.85 * p["canal_a"], d + 1.0) & canal
        allowed = lab == T["epidural_fat"]
        if f.escc != "1a":
            allowed |= lab == T["csf"]
        else:
            mass &= ~sac
        lab[mass & allowed] = tissue
        if tissue == T["abscess"]:
            inner = _inside_ellipse_var(x, y, -1.5, -1.0, 0.85 * p["canal_a"] - 1.3, np.maximum(d - 0.3, 0.0)) & (y > -0.2)
            lab[mass & allowed & ~inner] = T["abscess_rim"]


def _inside_ellipse_var(x, y, cx, cy, a, b):  # type: ignore[no-untyped-def]
    return ((x - cx) / a) ** 2 + ((y - cy) / np.maximum(b, 1e-6)) ** 2 <= 1.0


def _paint_infection(lab, f, x, y, z, geoms, body_sdf) -> None:  # type: ignore[no-untyped-def]
    upper, lower = f.level, LEVELS[LEVELS.index(f.level) + 1]
    gu: LevelGeometry = geoms[upper]["g"]
    z_disc_top, z_disc_bot = geoms[upper]["zbot"], geoms[lower]["ztop"]
    band = (4.0 + 10.0 * float(f.extent)) * min(gu.k, 1.0)
    zd = (z_disc_top + z_disc_bot) / 2
    lab[(lab == T["disc"]) & (z < z_disc_top + 1) & (z > z_disc_bot - 1)] = T["infected_disc"]
    for lv, endplate in ((upper, z_disc_top), (lower, z_disc_bot)):
        g: LevelGeometry = geoms[lv]["g"]
        bone = body_sdf[lv] <= 0
        near = np.abs(z - endplate) < band
        lab[bone & near & (body_sdf[lv] <= -CORTEX)] = T["infected_marrow"]
        eroded = bone & (np.abs(z - endplate) < CORTEX + 0.3) & (_ellipse(x, y, 0, g.body_cy, 0.7 * g.a, 0.6875 * g.b) <= 0)
        lab[eroded] = T["infected_marrow"]
    # Paravertebral phlegmon around the front and sides of the disc.
    around = ((_ellipse(x, y, 0.0, gu.body_cy, gu.a + 6, gu.b + 5) <= 0) & (y < -4) & (np.abs(z - zd) < 9 * min(gu.k, 1.0)))
    lab[around & (lab == T["fat"])] = T["phlegmon"]


def _paint_osteoporotic(lab, f, x, y, z, g, sdf) -> None:  # type: ignore[no-untyped-def]
    geo: LevelGeometry = g["g"]
    inside = sdf <= -CORTEX
    lab[inside & (z > g["ztop"] - 6.0 * geo.k)] = T["fracture_oedema"]
    # Retropulsed posterosuperior fragment: a small bone block pushed ~2 mm into the canal.
    ztop_post = geo.zc + geo.h / 2 - f.collapse * geo.h * 0.35
    frag = ((np.abs(x) < 0.35 * geo.a) & (y > -4.0) & (y < g["ypost"] + 2.0) & (z < ztop_post)
            & (z > ztop_post - 5.0 * geo.k))
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

    @property
    def level(self) -> str:
        """The vertebral level nearest to the centre of the image."""
        x, y, z = self.coordinates()
        return level_at(float(z.mean()))


def _plane_points(origin, row_dir, col_dir, spacing, shape):  # type: ignore[no-untyped-def]
    rows, cols = shape
    i = np.arange(rows)[:, None] * spacing[0]
    j = np.arange(cols)[None, :] * spacing[1]
    return tuple(origin[k] + j * row_dir[k] + i * col_dir[k] for k in range(3))  # type: ignore[return-value]


@lru_cache(maxsize=96)
def _plane_labels(f: Findings, origin, row_dir, col_dir, spacing, shape) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Labels of one plane (cached: switching sequence on the same slice does not recompute them).

    The geometry is sampled every :data:`GEOMETRY_MM` at most (about the resolution of a scanner); a finer
    pixel grid (a zoomed 512 × 512 slice) repeats each sample over a block of pixels, as a scanner's
    zoomed reconstruction interpolates, and the point-spread function then smooths the edges."""
    factor = [max(1, int(GEOMETRY_MM / s + 1e-9)) for s in spacing]
    if factor == [1, 1]:
        x, y, z = _plane_points(origin, row_dir, col_dir, spacing, shape)
        lab = labels(f, x, y, z)
    else:
        fr, fc = factor
        coarse_shape = (-(-shape[0] // fr), -(-shape[1] // fc))
        coarse_spacing = (spacing[0] * fr, spacing[1] * fc)
        shift = [((fc - 1) / 2) * spacing[1] * row_dir[k] + ((fr - 1) / 2) * spacing[0] * col_dir[k] for k in range(3)]
        coarse_origin = tuple(origin[k] + shift[k] for k in range(3))
        x, y, z = _plane_points(coarse_origin, row_dir, col_dir, coarse_spacing, coarse_shape)
        lab = np.repeat(np.repeat(labels(f, x, y, z), fr, axis=0), fc, axis=1)[: shape[0], : shape[1]].copy()
    lab.setflags(write=False)
    return lab


#: Finest spacing (mm) at which the geometry is sampled.
GEOMETRY_MM = 0.5


def _seed(*parts: Any) -> int:
    return zlib.crc32(repr(parts).encode())


#: Image formation on CT (illustrative magnitudes, mild on purpose): scanner blur as a Gaussian point-spread
#: function (sigma, mm) that mixes neighbouring tissues at every edge (partial volume), quantum noise (HU),
#: and beam-hardening "cupping" (HU lost at the centre of the body outline) (Barrett and Keat, 2004).
CT_PSF_SIGMA_MM = 0.3
CT_NOISE_HU = 10.0
CT_CUPPING_HU = 15.0
MR_PSF_SIGMA_MM = 0.3
MR_NOISE = 0.015
#: Coil shading: a posterior spine array coil is most sensitive near the back (relative gain per mm of depth
#: is small, so the signal relations hold across the spine).
MR_COIL_SHADING = 0.12

# Trabecular texture: a fixed random field in patient coordinates (so axial and sagittal slices agree); its
# near-zero level set is a connected network of thin plates, like trabecular bone.
_TEX_RNG = np.random.default_rng(20261201)
_TEX_DIRS = _TEX_RNG.normal(size=(8, 3))
_TEX_DIRS /= np.linalg.norm(_TEX_DIRS, axis=1, keepdims=True)
_TEX_PHASE = _TEX_RNG.uniform(0, 2 * np.pi, 8)
#: tissue → (wavelength mm, plate sharpness, CT amplitude HU, MR amplitude): normal marrow fine and dense,
#: osteoporotic marrow coarse and sparse, sclerosis faint.
TRABECULAR = {"marrow": (3.0, 0.9, 240.0, 0.05), "osteopenic_marrow": (4.5, 0.55, 200.0, 0.04),
              "infected_marrow": (3.0, 0.9, 120.0, 0.02), "fracture_oedema": (3.0, 0.9, 140.0, 0.02),
              "blastic": (2.5, 0.9, 90.0, 0.0)}


def trabecular(x: np.ndarray, y: np.ndarray, z: np.ndarray, wavelength: float = 3.0, sharpness: float = 0.9) -> np.ndarray:
    """Trabecular pattern at points (mm): about 0 in the marrow spaces, up to 1 on the plates (mean removed)."""
    k = 2 * np.pi / wavelength
    acc = np.zeros(np.shape(x))
    for d, ph in zip(_TEX_DIRS, _TEX_PHASE):
        acc += np.cos(k * (d[0] * x + d[1] * y + d[2] * z) + ph)
    plates = np.exp(-(acc / (sharpness * np.sqrt(2.0))) ** 2)
    return plates - 1.0 / np.sqrt(1.0 + 4.0 / sharpness ** 2)  # E[plates] for the Gaussian field (variance 4)


def _blur(img: np.ndarray, sigma_px: float) -> np.ndarray:
    """Separable Gaussian blur (edges replicated), NumPy only."""
    if sigma_px < 0.2:
        return img
    r = max(1, int(np.ceil(2.5 * sigma_px)))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma_px) ** 2)
    k /= k.sum()
    out = img
    for axis in (0, 1):
        pad = [(0, 0), (0, 0)]
        pad[axis] = (r, r)
        p = np.pad(out, pad, mode="edge")
        n = out.shape[axis]
        acc = np.zeros_like(out)
        for i, w in enumerate(k):
            acc += w * (p[i:i + n] if axis == 0 else p[:, i:i + n])
        out = acc
    return out


def render(lab: np.ndarray, modality: str, noise: bool = True, seed: int = 0,
           coords: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
           spacing: tuple[float, float] | None = None) -> np.ndarray:
    """Map a label array to CT numbers (HU) or MR signal for ``modality`` (one of :data:`MODALITIES`).

    With ``coords`` (the patient coordinates of every pixel) and ``spacing`` the image is formed as a
    scanner would: trabecular texture in the marrow, a point-spread function (partial volume at every edge),
    beam-hardening cupping on CT or coil shading on MR, then noise. Without them, the flat tissue values
    (plus noise) are returned.
    """
    if modality not in MODALITIES:
        raise ValueError(f"modality: {modality!r}; accepted: {list(MODALITIES)}")
    ct = modality == "CT"
    key = "hu" if ct else SEQUENCES[modality]
    lut = np.array([float(tissue_table()[t][key]) for t in TISSUES], dtype=np.float64)
    out = lut[lab]
    if coords is not None:
        x, y, z = coords
        x, y, z = (np.broadcast_to(c, lab.shape) for c in (x, y, z))
        for tissue, (wl, sharp, amp_ct, amp_mr) in TRABECULAR.items():
            m = lab == T[tissue]
            amp = amp_ct if ct else amp_mr
            if amp and m.any():
                out[m] += amp * trabecular(x[m], y[m], z[m], wl, sharp)
        if spacing is not None:
            d = float(np.sqrt(spacing[0] * spacing[1]))
            out = _blur(out, (CT_PSF_SIGMA_MM if ct else MR_PSF_SIGMA_MM) / d)
        r2 = _outline_r2(x, y, _region_map(z))
        if ct:
            out = out - CT_CUPPING_HU * np.clip(1.0 - r2, 0.0, 1.0)
        else:
            depth = 60.0 - y
            out = out * (1.0 + MR_COIL_SHADING * (np.exp(-np.clip(depth, 0, None) / 100.0) - np.exp(-0.6)))
    if noise:
        sigma = CT_NOISE_HU if ct else MR_NOISE
        out = out + np.random.default_rng(seed).normal(0.0, sigma, lab.shape)
    if not ct:
        out = np.clip(out, 0.0, 1.0)
    else:
        out = np.clip(out, -1024.0, 3071.0)
    return out.astype(np.float32)


@lru_cache(maxsize=192)
def _plane_pixels(f: Findings, modality: str, noise: bool, seed: int, origin, row_dir, col_dir, spacing, shape) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Rendered pixels of one plane (cached: interactives revisit the same slices)."""
    lab = _plane_labels(f, origin, row_dir, col_dir, spacing, shape)
    coords = _plane_points(origin, row_dir, col_dir, spacing, shape)
    pix = render(lab, modality, noise, seed, coords=coords, spacing=spacing)
    pix.setflags(write=False)
    return pix


class Phantom:
    """The synthetic spine with given :class:`Findings`; slices are computed on demand.

    >>> ph = Phantom(Findings(kind="lytic", escc="2"))
    >>> img = ph.axial("T2", level="T9")        # 128 × 128 px, 1 mm
    >>> sag = ph.sagittal("STIR")               # midline, 144 × 128 px
    >>> l3 = Phantom(Findings(kind="blastic", level="L3", escc="3")).escc_view()  # roots, no cord

    Levels are cached per plane (switching sequence does not recompute them), so repeated views are cheap.
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
        pix = _plane_pixels(self.findings, modality, self.noise, _seed(self.findings, modality, plane, position, spacing),
                            tuple(map(float, origin)), row_dir, col_dir, tuple(spacing), tuple(shape))
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
                z -= self.findings.collapse * geometry(lv).h * 0.45
            if lv == self.findings.level and self.findings.kind == "abscess":
                z = abscess_centre(lv)
        fov = fov or self.FOV
        d = fov / size
        origin = (centre[0] - fov / 2 + d / 2, centre[1] - fov / 2 + d / 2, float(z))
        return self._image(modality, "axial", origin, (1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (d, d), (size, size), float(z))

    def view_centre(self) -> float:
        """z (mm) the default sagittal view and axial series are centred on: T9 (z = 0, the T7–T11 window
        of the module's exercises) for a lesion in T7–T11, otherwise the lesion's level."""
        lv = self.findings.level
        return 0.0 if lv in CLASSIC_WINDOW else level_centre(lv)

    def sagittal(self, modality: str = "CT", x: float = 0.0, size: int = 128, height: int = 144,
                 centre_z: float | None = None) -> Image:
        """A sagittal slice at ``x`` mm (0 = midline; the thoracic pedicles lie near ±13 mm), ``height`` mm
        tall, centred on ``centre_z`` (default :meth:`view_centre`).

        Columns run anterior → posterior (the patient faces left), rows superior → inferior.
        """
        d = self.FOV / size
        cz = self.view_centre() if centre_z is None else float(centre_z)
        origin = (float(x), -2.0 - self.FOV / 2 + d / 2, cz + (height - 1) * d / 2)
        return self._image(modality, "sagittal", origin, (0.0, 1.0, 0.0), (0.0, 0.0, -1.0), (d, d),
                           (height, size), float(x))

    def whole_spine(self, modality: str = "T1", size: int = 128) -> Image:
        """The midline sagittal screening view of the whole spine, C1 to the sacrum (NICE asks for sagittal
        whole-spine MRI: a second deposit elsewhere changes management), 1 mm pixels by default. C1, C2 and the
        sacrum are drawn here with simple shapes; lesions are placed from C3 to L5."""
        dims = dimensions()
        c2, c1 = dims["upper_cervical"]["C2"], dims["upper_cervical"]["C1"]
        top = _column_limits()[1] + c2["height"] + c2["dens_height"] + 2 * c1["anterior_arch_radius"]
        bottom = _column_limits()[0] - sum(dims["sacrum"]["segments"]) - 6.0
        d = self.FOV / size
        height = int(round((top - bottom) / d))
        return self.sagittal(modality, size=size, height=height, centre_z=(top + bottom) / 2)

    def axial_series(self, modality: str = "CT", spacing: float = 4.0, z_range: tuple[float, float] | None = None,
                     size: int = 128) -> list[Image]:
        """A stack of axial slices from ``z_range[0]`` (inferior) upwards, every ``spacing`` mm
        (default: 42 mm either side of :meth:`view_centre`)."""
        if z_range is None:
            c = self.view_centre()
            z_range = (c - 42.0, c + 42.0)
        zs = np.arange(z_range[0], z_range[1] + 1e-9, spacing)
        return [self.axial(modality, z=float(zz), size=size) for zz in zs]

    def sagittal_series(self, modality: str = "T1", spacing: float = 4.0, x_range: tuple[float, float] = (-16.0, 16.0)) -> list[Image]:
        """A stack of sagittal slices from patient right (−x) to left (+x)."""
        xs = np.arange(x_range[0], x_range[1] + 1e-9, spacing)
        return [self.sagittal(modality, x=float(xx)) for xx in xs]

    def escc_view(self, size: int = 128, fov: float = 48.0) -> Image:
        """The axial T2 image used for Bilsky grading: zoomed on the canal at the lesion level (any level;
        below the conus it shows the cauda equina roots in the thecal sac)."""
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

    The "cord" findings are read on the neural tissue in the sac: the cord above the conus, the tapering
    conus with the first roots at T12–L1, and the cauda equina roots below it — the course applies the
    Bilsky thresholds to the thecal sac and roots there (:data:`ESCC_BELOW_CONUS`). Compression means an
    antero-posterior extent of the cord, or of the root bundle, under 85% of its normal value at that height.
    """
    if image.plane != "axial":
        raise ValueError(f"image.plane: {image.plane!r}; ESCC is graded on an axial image")
    x, y, z = image.coordinates()
    p = _profile(z)
    tumour = np.isin(image.labels, [T["epidural_tumour"], T["abscess"], T["abscess_rim"]])
    neural = np.isin(image.labels, [T["cord"], T["nerve_root"], T["cord_oedema"]])
    csf = image.labels == T["csf"]
    normal_sac = _inside_shape(x, y, *_sac_spec(p))
    neighbours = np.zeros_like(neural)
    neighbours[1:, :] |= neural[:-1, :]
    neighbours[:-1, :] |= neural[1:, :]
    neighbours[:, 1:] |= neural[:, :-1]
    neighbours[:, :-1] |= neural[:, 1:]
    if neural.any():
        ys = y[neural]
        ap = float(ys.max() - ys.min() + image.spacing[0])
    else:
        ap = 0.0
    nominal = 2 * float(np.mean(p["env_b"]))  # the cord, or the root bundle (its midline roots reach the envelope)
    epidural = bool(tumour.any())
    return {
        "epidural_disease": epidural,
        "thecal_sac_deformed": bool((tumour & normal_sac).any()),
        "cord_abutment": bool((tumour & neighbours).any()),
        "cord_compressed": bool(ap < 0.85 * nominal),
        "csf_visible_around_cord": bool(csf.any()),
    }
