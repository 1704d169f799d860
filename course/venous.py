"""A teaching model of venous spread to the spine: the Batson plexus as a resistance network.

**A teaching model, not physiology data.** Every pressure, resistance and flow below is an
illustrative number chosen so that the network behaves sensibly at rest; none is a measurement.
The model is steady (no pulsatility, no breathing cycle), its vessels are rigid tubes without
compliance (no volume is squeezed out of a vein; a cough is treated as if it were held), veins
collapse only where the inferior vena cava leaves the abdomen, and tumour cells are passive
particles that follow the blood (no adhesion, no "seed and soil", no arterial route).

The network
-----------
*Interior nodes* are veins or venous plexuses whose pressure (mmHg) is unknown. *Boundary nodes*
have a fixed pressure: the right atrium (the only outlet, 3 mmHg at rest) and the capillary beds
that feed the veins through a resistance (pelvic organs, legs, kidneys, gut after the liver, breast
and chest wall, head and arms, and the marrow of each vertebral region; 25 mmHg at rest). Each *edge* is a vein segment with a resistance
R (mmHg·min/L); the flow along it is the pressure difference divided by R (Ohm's law for blood,
or Poiseuille flow in its simplest form).

Edge kinds:

``vein``      two-way, valveless (the whole vertebral plexus is made of these);
``valve``     one-way: a venous valve (the femoral valve of the leg veins, the valve at the lower end
              of the internal jugular vein);
``inflow``    one-way: a capillary bed feeding a vein; the arterial pressure behind it means blood
              never flows back into it;
``caval``     one-way: a vena cava entering the right atrium (the heart is the outlet; it does not
              push blood back into the network);
``waterfall`` one-way, like ``caval``, and the vein is squeezed shut where it leaves the abdomen when
              the abdominal pressure exceeds the atrial pressure (a Starling resistor): the pressure
              that matters downstream is then the abdominal pressure, not the atrial one.

Compartment pressures
---------------------
A rise in intra-abdominal pressure (straining, coughing, Valsalva) squeezes everything in the
abdomen. The model adds the compartment's pressure to every boundary node inside it: the capillary
beds of the abdominal organs for the abdominal pressure; the right atrium and the chest-wall
(intercostal/breast) beds for the thoracic pressure. And where the inferior vena cava leaves the
abdomen it is pinched shut unless its pressure exceeds the abdominal pressure (the ``waterfall``
edge), so the abdominal veins must rise above the abdominal pressure to empty into the heart. The
vertebral plexus lies in the bony canal and is not squeezed; nor are the legs, head and arms. The
result: when the abdomen is pressurised, blood takes the valveless route through the vertebral
plexus towards the chest — the mechanism Batson proposed in 1940 — and when the chest is
pressurised more than the abdomen, chest-wall blood enters the thoracic part of the plexus.

Solving
-------
Conservation of flow at every interior node (Kirchhoff's current law) gives the linear system
``L p = b`` with the conductance Laplacian ``L``. One-way edges make it piecewise linear; the
solution minimises the convex "content" function

    F(p) = Σ_two-way ½ g (Δp)²  +  Σ_one-way ½ g max(Δp, 0)²,

whose gradient is the net outflow at each node. :func:`solve` finds it by an active-set
(semi-smooth Newton) iteration: close every one-way edge whose gradient points backwards, solve,
re-open edges whose gradient turned forwards, repeat — with a backtracking line search on F,
which makes every step decrease F and rules out cycling. At the answer every interior node
conserves flow, no one-way edge carries backward flow, and every closed one is closed because its
pressure gradient points backwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Mapping

import numpy as np

#: Compartments a node can sit in. ``canal`` is the bony spinal canal (protected);
#: ``outside`` is the neck and limbs.
COMPARTMENTS = ("abdomen", "thorax", "canal", "outside")
EDGE_KINDS = ("vein", "valve", "inflow", "caval", "waterfall")
ONE_WAY = frozenset({"valve", "inflow", "caval", "waterfall"})

#: The vertebral plexus segments, cranial to caudal, and their node names.
SEGMENTS = ("cervical", "thoracic", "lumbar", "sacral")
PLEXUS = {s: f"vvp_{s}" for s in SEGMENTS}
HEART = "heart"
#: Pressure at the start of every capillary bed that feeds the network (mmHg, illustrative).
CAPILLARY = 25.0


@dataclass(frozen=True)
class Node:
    """A vein (interior, pressure unknown) or a boundary node (pressure fixed at rest)."""

    name: str
    label: str
    compartment: str
    boundary_pressure: float | None = None  # mmHg at rest; None → interior node

    @property
    def is_boundary(self) -> bool:
        return self.boundary_pressure is not None


@dataclass(frozen=True)
class Edge:
    """A vessel from ``a`` to ``b`` (one-way kinds allow flow a → b only)."""

    a: str
    b: str
    resistance: float  # mmHg·min/L
    kind: str = "vein"
    label: str = ""

    @property
    def one_way(self) -> bool:
        return self.kind in ONE_WAY

    @property
    def conductance(self) -> float:
        return 1.0 / self.resistance


@dataclass(frozen=True)
class Network:
    """Nodes and edges of a venous network (validated on construction)."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    def __post_init__(self) -> None:
        names = [n.name for n in self.nodes]
        if len(set(names)) != len(names):
            raise ValueError("nodes: names must be unique")
        byname = {n.name: n for n in self.nodes}
        for n in self.nodes:
            if n.compartment not in COMPARTMENTS:
                raise ValueError(f"{n.name}.compartment: {n.compartment!r}; accepted: {list(COMPARTMENTS)}")
        for e in self.edges:
            for end in (e.a, e.b):
                if end not in byname:
                    raise ValueError(f"edge {e.a}->{e.b}: unknown node {end!r}; accepted: {names}")
            if e.kind not in EDGE_KINDS:
                raise ValueError(f"edge {e.a}->{e.b}.kind: {e.kind!r}; accepted: {list(EDGE_KINDS)}")
            if not (e.resistance > 0 and np.isfinite(e.resistance)):
                raise ValueError(f"edge {e.a}->{e.b}.resistance: must be a positive number, got {e.resistance!r}")
            if byname[e.a].is_boundary and byname[e.b].is_boundary:
                raise ValueError(f"edge {e.a}->{e.b}: joins two boundary nodes")
            if (byname[e.a].is_boundary or byname[e.b].is_boundary) and not e.one_way:
                raise ValueError(f"edge {e.a}->{e.b}: an edge to a boundary node must be one-way")
            if e.kind == "waterfall" and (byname[e.a].compartment != "abdomen" or not byname[e.b].is_boundary):
                raise ValueError(f"edge {e.a}->{e.b}: a waterfall runs from an abdominal vein to a boundary node")

    @property
    def node(self) -> dict[str, Node]:
        return {n.name: n for n in self.nodes}

    @property
    def interior(self) -> tuple[str, ...]:
        return tuple(n.name for n in self.nodes if not n.is_boundary)

    @property
    def boundary(self) -> tuple[str, ...]:
        return tuple(n.name for n in self.nodes if n.is_boundary)

    def edge_index(self, a: str, b: str) -> int:
        """Index of the edge joining ``a`` and ``b`` (either orientation)."""
        for i, e in enumerate(self.edges):
            if {e.a, e.b} == {a, b}:
                return i
        raise ValueError(f"edge: no vessel joins {a!r} and {b!r}")

    def with_resistance(self, a: str, b: str, resistance: float) -> "Network":
        """A copy with the resistance of one edge changed (for "what if" experiments)."""
        i = self.edge_index(a, b)
        edges = list(self.edges)
        old = edges[i]
        edges[i] = Edge(old.a, old.b, resistance, old.kind, old.label)
        return Network(self.nodes, tuple(edges))


# ----------------------------------------------------------------------------------------------
# The default network (illustrative numbers)
# ----------------------------------------------------------------------------------------------
def _default_nodes() -> tuple[Node, ...]:
    return (
        # interior veins
        Node("pelvic_plexus", "pelvic (prostatic) venous plexus", "abdomen"),
        Node("iliac", "iliac veins", "abdomen"),
        Node("ivc_low", "inferior vena cava (below the kidneys)", "abdomen"),
        Node("renal", "renal veins", "abdomen"),
        Node("ivc_high", "inferior vena cava (above the kidneys)", "abdomen"),
        Node("lumbar", "lumbar and ascending lumbar veins", "abdomen"),
        Node("azygos", "azygos system", "thorax"),
        Node("svc", "superior vena cava", "thorax"),
        Node("intercostal", "intercostal and breast veins", "thorax"),
        Node("neck", "jugular and vertebral veins of the neck", "outside"),
        Node("vvp_cervical", "vertebral plexus, cervical", "canal"),
        Node("vvp_thoracic", "vertebral plexus, thoracic", "canal"),
        Node("vvp_lumbar", "vertebral plexus, lumbar", "canal"),
        Node("vvp_sacral", "vertebral plexus, sacral", "canal"),
        # boundary nodes: the outlet and the capillary beds (pressures at rest, mmHg)
        Node(HEART, "right atrium (to the lungs)", "thorax", 3.0),
        Node("src_pelvis", "pelvic organs (prostate, bladder, rectum)", "abdomen", CAPILLARY),
        Node("src_legs", "legs", "outside", CAPILLARY),
        Node("src_kidney", "kidneys", "abdomen", CAPILLARY),
        Node("src_gut", "gut, after the liver (hepatic veins)", "abdomen", CAPILLARY),
        Node("src_chest", "breast and chest wall", "thorax", CAPILLARY),
        Node("src_head", "head and arms", "outside", CAPILLARY),
        *(Node(f"src_marrow_{s}", f"{s} vertebrae (marrow)", "canal", CAPILLARY) for s in SEGMENTS),
    )


def _default_edges() -> tuple[Edge, ...]:
    return (
        # capillary beds feeding the veins
        Edge("src_pelvis", "pelvic_plexus", 80.0, "inflow", "pelvic organs"),
        Edge("src_legs", "iliac", 20.0, "valve", "femoral vein (valved)"),
        Edge("src_kidney", "renal", 20.0, "inflow", "kidneys"),
        Edge("src_gut", "ivc_high", 15.0, "inflow", "hepatic veins"),
        Edge("src_chest", "intercostal", 80.0, "inflow", "breast and chest wall"),
        Edge("src_head", "neck", 15.0, "inflow", "head and arms"),
        *(Edge(f"src_marrow_{s}", PLEXUS[s], 80.0, "inflow", f"{s} vertebral marrow") for s in SEGMENTS),
        # abdominal veins
        Edge("pelvic_plexus", "iliac", 2.0, "vein", "internal iliac veins"),
        Edge("pelvic_plexus", "vvp_sacral", 8.0, "vein", "sacral veins (valveless)"),
        Edge("iliac", "ivc_low", 1.0, "vein", "common iliac veins"),
        Edge("ivc_low", "ivc_high", 0.5, "vein", "inferior vena cava"),
        Edge("renal", "ivc_high", 1.0, "vein", "renal veins"),
        Edge("ivc_high", HEART, 1.0, "waterfall", "IVC through the diaphragm"),
        Edge("ivc_low", "lumbar", 3.0, "vein", "lumbar veins"),
        Edge("renal", "lumbar", 8.0, "vein", "left renal–ascending lumbar connection"),
        Edge("lumbar", "vvp_lumbar", 6.0, "vein", "lumbar segmental veins (valveless)"),
        Edge("lumbar", "azygos", 8.0, "vein", "ascending lumbar → azygos (caval bypass)"),
        # thoracic veins
        Edge("azygos", "svc", 1.5, "vein", "arch of the azygos"),
        Edge("svc", HEART, 0.5, "caval", "superior vena cava"),
        Edge("intercostal", "azygos", 3.0, "vein", "posterior intercostal veins"),
        Edge("intercostal", "svc", 6.0, "vein", "internal thoracic veins"),
        Edge("intercostal", "vvp_thoracic", 4.0, "vein", "dorsal intercostal branches (valveless)"),
        Edge("neck", "svc", 1.0, "valve", "internal jugular vein (valved)"),
        Edge("neck", "vvp_cervical", 3.0, "vein", "vertebral veins (valveless)"),
        # the vertebral plexus: a valveless longitudinal chain
        Edge("vvp_sacral", "vvp_lumbar", 4.0, "vein", "vertebral plexus"),
        Edge("vvp_lumbar", "vvp_thoracic", 4.0, "vein", "vertebral plexus"),
        Edge("vvp_thoracic", "vvp_cervical", 4.0, "vein", "vertebral plexus"),
    )


@lru_cache(maxsize=1)
def default_network() -> Network:
    """The course's illustrative network: 10 veins, 4 plexus segments and 11 boundary nodes."""
    return Network(_default_nodes(), _default_edges())


#: Manoeuvres as (abdominal, thoracic) pressure rises in mmHg above rest. Illustrative settings
#: chosen to show the model's behaviour, not measurements.
MANOEUVRES: dict[str, tuple[float, float]] = {
    "rest": (0.0, 0.0),
    "cough": (60.0, 50.0),
    "Valsalva": (40.0, 40.0),
    "straining": (50.0, 15.0),
}


@dataclass(frozen=True)
class Primary:
    """A primary tumour and the node its venous blood drains to (None: not modelled)."""

    key: str
    label: str
    node: str | None
    note: str


PRIMARIES: dict[str, Primary] = {
    p.key: p
    for p in (
        Primary("prostate", "Prostate", "pelvic_plexus",
                "The prostate drains into the pelvic venous plexus, which has valveless connections to the "
                "sacral part of the vertebral plexus (Batson's injection route)."),
        Primary("breast", "Breast", "intercostal",
                "The breast drains through intercostal and internal thoracic veins; the posterior intercostal "
                "veins send branches into the thoracic vertebral plexus."),
        Primary("kidney", "Kidney", "renal",
                "The kidney drains through the renal vein into the inferior vena cava; the left renal vein also "
                "connects with the ascending lumbar veins."),
        Primary("lung", "Lung", None,
                "Lung cancer cells enter the pulmonary veins, the left heart and the arteries: the arterial "
                "route, which this venous model does not contain."),
    )
}


# ----------------------------------------------------------------------------------------------
# Solving
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Solution:
    """Pressures and flows of one steady state."""

    network: Network
    abdominal: float
    thoracic: float
    pressure: Mapping[str, float]  # every node, mmHg (boundary nodes: their fixed value)
    flow: np.ndarray  # one value per edge, L/min, positive in the a → b direction
    open: np.ndarray  # bool per edge (two-way edges are always open)
    iterations: int
    effective: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0))  # downstream pressure used

    def flow_between(self, a: str, b: str) -> float:
        """Flow from ``a`` to ``b`` (negative when it runs from ``b`` to ``a``)."""
        i = self.network.edge_index(a, b)
        e = self.network.edges[i]
        return float(self.flow[i] if e.a == a else -self.flow[i])

    def net_inflow(self, node: str) -> float:
        """Inflow minus outflow at ``node`` (0 at interior nodes: conservation)."""
        total = 0.0
        for e, q in zip(self.network.edges, self.flow):
            if e.b == node:
                total += q
            if e.a == node:
                total -= q
        return total

    @property
    def closed(self) -> list[Edge]:
        """One-way edges that are shut."""
        return [e for e, o in zip(self.network.edges, self.open) if e.one_way and not o]

    def plexus_exchange(self) -> dict[str, float]:
        """Net flow *into* each plexus segment from veins outside the plexus (L/min; negative = draining)."""
        out = {}
        plexus = set(PLEXUS.values())
        for seg, node in PLEXUS.items():
            total = 0.0
            for e, q in zip(self.network.edges, self.flow):
                other = e.a if e.b == node else e.b if e.a == node else None
                if other is None or other in plexus or other.startswith("src_"):
                    continue
                total += q if e.b == node else -q
            out[seg] = total
        return out

    def plexus_inflow(self) -> float:
        """Total flow entering the vertebral plexus from the body's veins (0 if it only drains outwards)."""
        return sum(max(v, 0.0) for v in self.plexus_exchange().values())

    def heart_return(self) -> float:
        """Total flow into the right atrium."""
        return float(sum(q for e, q in zip(self.network.edges, self.flow) if e.b == HEART))


def boundary_pressures(network: Network, abdominal: float = 0.0, thoracic: float = 0.0) -> dict[str, float]:
    """Fixed pressures of the boundary nodes, with each compartment's pressure added to the nodes in it."""
    extra = {"abdomen": abdominal, "thorax": thoracic, "canal": 0.0, "outside": 0.0}
    return {n.name: float(n.boundary_pressure) + extra[n.compartment] for n in network.nodes if n.is_boundary}


def _check_pressure(name: str, value: float) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a number of mmHg, got {value!r}") from None
    if not np.isfinite(v) or v < 0 or v > 200:
        raise ValueError(f"{name}: {value!r} mmHg is outside the accepted range 0–200")
    return v


class _System:
    """The network's matrices for one pair of compartment pressures."""

    def __init__(self, network: Network, abdominal: float, thoracic: float) -> None:
        self.network = network
        interior = network.interior
        self.index = {name: i for i, name in enumerate(interior)}
        self.n = len(interior)
        bp = boundary_pressures(network, abdominal, thoracic)
        m = len(network.edges)
        # incidence of interior nodes: Δp_e = (A p)_e + c_e
        self.A = np.zeros((m, self.n))
        self.c = np.zeros(m)
        self.g = np.array([e.conductance for e in network.edges])
        self.one_way = np.array([e.one_way for e in network.edges])
        self.effective = np.zeros(m)
        for k, e in enumerate(network.edges):
            if e.a in self.index:
                self.A[k, self.index[e.a]] += 1.0
            else:
                self.c[k] += bp[e.a]
            if e.b in self.index:
                self.A[k, self.index[e.b]] -= 1.0
                self.effective[k] = np.nan
            else:
                downstream = bp[e.b]
                if e.kind == "waterfall":  # squeezed shut at the diaphragm when the abdomen is at higher pressure
                    downstream = max(downstream, abdominal)
                self.c[k] -= downstream
                self.effective[k] = downstream
        self.bp = bp

    def gradient(self, p: np.ndarray) -> np.ndarray:
        d = self.A @ p + self.c
        return np.where(self.one_way, np.maximum(d, 0.0), d)

    def content(self, p: np.ndarray) -> float:
        d = self.gradient(p)
        return float(0.5 * np.sum(self.g * d * d))

    def flows(self, p: np.ndarray) -> np.ndarray:
        return self.g * self.gradient(p)

    def solve_with(self, active: np.ndarray, p: np.ndarray) -> np.ndarray:
        """Solve Kirchhoff's equations with the ``active`` edges conducting (linear)."""
        ga = self.g * active
        L = self.A.T @ (ga[:, None] * self.A)
        rhs = -self.A.T @ (ga * self.c)
        # A node cut off from every boundary by shut edges has no defined pressure: hold it where it is.
        mu = 1e-12 * max(1.0, float(np.max(np.diag(L))) if self.n else 1.0)
        return np.linalg.solve(L + mu * np.eye(self.n), rhs + mu * p)


def solve(network: Network | None = None, abdominal: float = 0.0, thoracic: float = 0.0,
          max_iterations: int = 100) -> Solution:
    """Steady pressures and flows with ``abdominal`` and ``thoracic`` pressure rises (mmHg above rest).

    Raises:
        ValueError: for a pressure outside 0–200 mmHg or a non-number.
        RuntimeError: if the active-set iteration does not settle (never observed; tested).
    """
    network = network or default_network()
    abdominal = _check_pressure("abdominal", abdominal)
    thoracic = _check_pressure("thoracic", thoracic)
    sys_ = _System(network, abdominal, thoracic)
    p = sys_.solve_with(np.ones(len(network.edges), dtype=bool), np.zeros(sys_.n))  # every valve open
    solved_for: np.ndarray | None = None  # the edge set whose linear system p solves exactly
    tol = 1e-12
    for iteration in range(1, max_iterations + 1):
        d = sys_.A @ p + sys_.c
        wanted = ~sys_.one_way | (d > tol)  # open where the gradient points forwards
        if solved_for is not None and np.array_equal(wanted, solved_for):
            break  # p conserves flow with exactly the edges its own gradients open: done
        candidate = sys_.solve_with(wanted, p)
        # backtracking line search on the convex content function: each step goes downhill
        f0, step, t = sys_.content(p), candidate - p, 1.0
        while t > 1e-9 and sys_.content(p + t * step) > f0 + 1e-13 * max(1.0, f0):
            t *= 0.5
        p = p + t * step
        solved_for = wanted if t == 1.0 else None
    else:
        raise RuntimeError(f"solve: valves did not settle in {max_iterations} iterations "
                           f"(abdominal={abdominal}, thoracic={thoracic})")
    d = sys_.A @ p + sys_.c
    is_open = ~sys_.one_way | (d > 0)
    flows = sys_.flows(p)
    pressure = dict(sys_.bp)
    pressure.update({name: float(p[i]) for name, i in sys_.index.items()})
    return Solution(network, abdominal, thoracic, pressure, flows, is_open, iteration, sys_.effective)


def consistency_errors(sol: Solution, tol: float = 1e-9) -> list[str]:
    """Every violated physical condition of ``sol`` (empty when it is a valid steady state).

    Conditions: conservation at every interior node; no backward flow on a one-way edge; a shut
    one-way edge has a backward (or zero) pressure gradient; two-way edges obey Ohm's law.
    """
    errors = []
    net = sol.network
    for name in net.interior:
        r = sol.net_inflow(name)
        if abs(r) > tol:
            errors.append(f"{name}: flow not conserved (net {r:.3g})")
    for k, e in enumerate(net.edges):
        q = sol.flow[k]
        downstream = sol.pressure[e.b] if np.isnan(sol.effective[k]) else sol.effective[k]
        grad = sol.pressure[e.a] - downstream
        if e.one_way:
            if q < -tol:
                errors.append(f"{e.a}->{e.b}: backward flow {q:.3g} through a one-way vessel")
            if not sol.open[k] and (grad > tol or abs(q) > tol):
                errors.append(f"{e.a}->{e.b}: shut although its gradient points forwards ({grad:.3g})")
            if sol.open[k] and abs(q - grad / e.resistance) > tol:
                errors.append(f"{e.a}->{e.b}: open but flow ≠ ΔP/R")
        elif abs(q - grad / e.resistance) > tol:
            errors.append(f"{e.a}->{e.b}: flow ≠ ΔP/R")
    return errors


# ----------------------------------------------------------------------------------------------
# Thresholds
# ----------------------------------------------------------------------------------------------
def reversal_threshold(a: str = "pelvic_plexus", b: str = "vvp_sacral", thoracic: float = 0.0,
                       network: Network | None = None, hi: float = 200.0, tol: float = 1e-6) -> float | None:
    """The abdominal pressure above which blood flows from ``a`` into ``b`` (bisection).

    Returns ``None`` if the flow already runs ``a → b`` at rest or never does up to ``hi`` mmHg.
    """
    network = network or default_network()

    def q(abd: float) -> float:
        return solve(network, abd, thoracic).flow_between(a, b)

    lo = 0.0
    if q(lo) > 0 or q(hi) <= 0:
        return None
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        if q(mid) > 0:
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


def sweep(abdominal: Iterable[float], thoracic: float = 0.0, network: Network | None = None) -> list[Solution]:
    """Solutions over a range of abdominal pressures (for plots)."""
    return [solve(network, a, thoracic) for a in abdominal]


# ----------------------------------------------------------------------------------------------
# Tracer: where do tumour cells released at a primary go?
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TracerResult:
    """Fate of cells released at ``start``: fractions lodging in each plexus segment or reaching the heart.

    ``fractions`` has one entry per segment, ``heart`` (cells carried back to the heart and lungs)
    and ``stagnant`` (1 when no blood leaves the start node, so no cells travel); they sum to 1.
    ``entered`` is the fraction that passes through the vertebral plexus at all.
    """

    start: str
    retention: float
    fractions: dict[str, float]
    entered: float

    @property
    def spine(self) -> float:
        """Fraction lodging anywhere in the vertebral plexus."""
        return sum(self.fractions[s] for s in SEGMENTS)


def _transition(sol: Solution) -> tuple[list[str], np.ndarray]:
    """Row-stochastic movement between interior nodes along positive flows, plus outflow to the heart."""
    nodes = list(sol.network.interior)
    idx = {n: i for i, n in enumerate(nodes)}
    P = np.zeros((len(nodes), len(nodes) + 1))  # last column: to the heart
    for e, q in zip(sol.network.edges, sol.flow):
        if abs(q) < 1e-12:
            continue
        src, dst = (e.a, e.b) if q > 0 else (e.b, e.a)
        if src not in idx:
            continue  # inflow from a capillary bed
        col = idx[dst] if dst in idx else len(nodes)
        P[idx[src], col] += abs(q)
    return nodes, P


def tracer(sol: Solution, start: str, retention: float = 0.5) -> TracerResult:
    """Fractions of cells released at node ``start`` that lodge in each plexus segment or reach the heart.

    Cells follow the blood: at each vein they leave along each outgoing vessel in proportion to its
    flow (a Markov chain on the directed flow graph). A cell arriving in a vertebral plexus segment
    settles there with probability ``retention`` (slow, valveless flow), otherwise moves on.
    ``retention=1`` counts where cells *first* enter the plexus.

    Raises:
        ValueError: for an unknown start node or a retention outside 0–1.
    """
    if start not in sol.network.interior:
        raise ValueError(f"start: {start!r} is not a vein of the network; accepted: {list(sol.network.interior)}")
    if not 0.0 <= retention <= 1.0:
        raise ValueError(f"retention: {retention!r} must lie between 0 and 1")
    nodes, P = _transition(sol)
    n = len(nodes)
    totals = P.sum(axis=1)
    zero = {s: 0.0 for s in SEGMENTS}
    s0 = nodes.index(start)
    if totals[s0] <= 1e-12:
        return TracerResult(start, retention, {**zero, "heart": 0.0, "stagnant": 1.0}, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        move = np.where(totals[:, None] > 0, P / totals[:, None], 0.0)
    seg_of = {PLEXUS[s]: s for s in SEGMENTS}

    def absorb(r: float) -> np.ndarray:
        # States: n transient "arrived at node" states. Absorbing: heart, lodge in each segment.
        stay = np.array([r if nodes[i] in seg_of else 0.0 for i in range(n)])
        T = (1 - stay)[:, None] * move[:, :n]
        R = np.zeros((n, 1 + len(SEGMENTS)))
        R[:, 0] = (1 - stay) * move[:, n]
        for k, s in enumerate(SEGMENTS):
            R[nodes.index(PLEXUS[s]), 1 + k] = stay[nodes.index(PLEXUS[s])]
        # a released cell starts as if it had just arrived in the start vein
        x = np.linalg.solve(np.eye(n) - T.T, np.eye(n)[s0])  # expected visits
        return x @ R

    b = absorb(retention)
    fractions = {"heart": float(b[0]), **{s: float(b[1 + k]) for k, s in enumerate(SEGMENTS)}, "stagnant": 0.0}
    entered = float(absorb(1.0)[1:].sum())
    return TracerResult(start, retention, fractions, entered)


def tracer_for(primary: str, abdominal: float = 0.0, thoracic: float = 0.0, retention: float = 0.5,
               network: Network | None = None) -> TracerResult | None:
    """:func:`tracer` from a primary tumour's drainage vein; ``None`` for a primary not on the venous model.

    Raises:
        ValueError: for an unknown primary, listing the accepted keys.
    """
    if primary not in PRIMARIES:
        raise ValueError(f"primary: {primary!r}; accepted: {list(PRIMARIES)}")
    node = PRIMARIES[primary].node
    if node is None:
        return None
    return tracer(solve(network, abdominal, thoracic), node, retention)
