"""Physics of the teaching model of the vertebral venous (Batson) plexus: course.venous."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course import venous as V

NET = V.default_network()
PRESSURES = st.floats(min_value=0.0, max_value=120.0, allow_nan=False, allow_infinity=False)
CASES = [(0.0, 0.0), *V.MANOEUVRES.values(), (20.0, 0.0), (0.0, 30.0), (120.0, 0.0), (0.0, 120.0), (5.0, 80.0)]


def q_pelvis_to_sacrum(abd: float, thor: float = 0.0) -> float:
    return V.solve(NET, abd, thor).flow_between("pelvic_plexus", "vvp_sacral")


# ---------------------------------------------------------------------------------------------
# The network itself
# ---------------------------------------------------------------------------------------------
def test_vertebral_plexus_is_valveless_and_protected():
    plexus = set(V.PLEXUS.values())
    for e in NET.edges:
        if plexus & {e.a, e.b} and not (e.a.startswith("src_") or e.b.startswith("src_")):
            assert e.kind == "vein", f"{e.a}->{e.b} touches the plexus and must be two-way"
    for name in plexus:
        assert NET.node[name].compartment == "canal"
    # the plexus is a connected chain from sacrum to neck
    for lower, upper in zip(V.SEGMENTS[::-1], V.SEGMENTS[::-1][1:]):
        NET.edge_index(V.PLEXUS[lower], V.PLEXUS[upper])


def test_valves_exist_where_the_model_says():
    kinds = {(e.a, e.b): e.kind for e in NET.edges}
    assert kinds[("src_legs", "iliac")] == "valve"
    assert kinds[("neck", "svc")] == "valve"
    assert kinds[("ivc_high", V.HEART)] == "waterfall"


@pytest.mark.parametrize(
    "nodes, edges, message",
    [
        ([V.Node("x", "x", "abdomen"), V.Node("h", "h", "thorax", 3.0)], [V.Edge("x", "h", 1.0, "vein")], "one-way"),
        ([V.Node("x", "x", "abdomen"), V.Node("h", "h", "thorax", 3.0)], [V.Edge("x", "y", 1.0, "caval")], "unknown"),
        ([V.Node("x", "x", "abdomen"), V.Node("h", "h", "thorax", 3.0)], [V.Edge("x", "h", 0.0, "caval")], "resistance"),
        ([V.Node("x", "x", "abdomen"), V.Node("h", "h", "thorax", 3.0)], [V.Edge("x", "h", 1.0, "pump")], "kind"),
        ([V.Node("x", "x", "belly")], [], "compartment"),
        ([V.Node("x", "x", "abdomen"), V.Node("x", "x", "abdomen")], [], "unique"),
    ],
)
def test_invalid_networks_are_refused(nodes, edges, message):
    with pytest.raises(ValueError, match=message):
        V.Network(tuple(nodes), tuple(edges))


@pytest.mark.parametrize("bad", [-1, 201, float("nan"), "high", None])
def test_invalid_pressures_are_refused(bad):
    with pytest.raises(ValueError, match="abdominal"):
        V.solve(NET, abdominal=bad)
    with pytest.raises(ValueError, match="thoracic"):
        V.solve(NET, thoracic=bad)


# ---------------------------------------------------------------------------------------------
# Kirchhoff, Ohm and the valves
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("abd, thor", CASES)
def test_conservation_at_every_interior_node(abd, thor):
    sol = V.solve(NET, abd, thor)
    for name in NET.interior:
        assert abs(sol.net_inflow(name)) < 1e-9, name
    inflow = sum(q for e, q in zip(NET.edges, sol.flow) if e.a.startswith("src_"))
    assert sol.heart_return() == pytest.approx(inflow, abs=1e-9)  # what comes in goes to the heart
    assert sol.heart_return() > 0


@pytest.mark.parametrize("abd, thor", CASES)
def test_solution_is_physically_consistent(abd, thor):
    sol = V.solve(NET, abd, thor)
    assert V.consistency_errors(sol) == []
    for k, e in enumerate(NET.edges):
        if e.one_way:
            assert sol.flow[k] >= 0.0, f"backward flow through {e.a}->{e.b}"


@settings(max_examples=60, deadline=None)
@given(abd=PRESSURES, thor=PRESSURES)
def test_any_pressures_give_a_consistent_state_quickly(abd, thor):
    sol = V.solve(NET, abd, thor)
    assert V.consistency_errors(sol) == []
    assert sol.iterations <= 10
    assert all(q >= 0 for e, q in zip(NET.edges, sol.flow) if e.one_way)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scales=st.lists(st.floats(min_value=0.2, max_value=5.0), min_size=len(NET.edges), max_size=len(NET.edges)),
       abd=PRESSURES, thor=PRESSURES)
def test_active_set_settles_for_random_resistances(scales, abd, thor):
    net = V.Network(NET.nodes, tuple(V.Edge(e.a, e.b, e.resistance * s, e.kind, e.label)
                                     for e, s in zip(NET.edges, scales)))
    sol = V.solve(net, abd, thor)
    assert V.consistency_errors(sol) == []
    assert sol.iterations <= 20


def _brute_force(abd: float, thor: float) -> list[np.ndarray]:
    """Flows of every open/shut combination of the one-way edges that is physically consistent."""
    system = V._System(NET, abd, thor)
    one_way = np.flatnonzero(system.one_way)
    found = []
    for states in itertools.product([False, True], repeat=len(one_way)):
        active = np.ones(len(NET.edges), dtype=bool)
        active[one_way] = states
        p = system.solve_with(active, np.zeros(system.n))
        d = system.A @ p + system.c
        if np.any(d[active & system.one_way] < -1e-9) or np.any(d[~active] > 1e-9):
            continue
        found.append(system.g * np.where(active, d, 0.0))
    return found


@pytest.mark.parametrize("abd, thor", [(0.0, 0.0), V.MANOEUVRES["straining"], (10.0, 60.0)])
def test_active_set_finds_the_unique_consistent_state(abd, thor):
    """Enumerating all 2^13 valve states: every consistent one has the flows solve() returns."""
    states = _brute_force(abd, thor)
    assert states
    sol = V.solve(NET, abd, thor)
    for flows in states:
        np.testing.assert_allclose(flows, sol.flow, atol=1e-8)


def test_femoral_valve_shuts_when_the_abdomen_is_pressurised():
    legs = NET.edge_index("src_legs", "iliac")
    assert V.solve(NET).open[legs]
    sol = V.solve(NET, *V.MANOEUVRES["Valsalva"])
    assert not sol.open[legs] and sol.flow[legs] == 0.0


def test_rest_state():
    sol = V.solve(NET)
    assert sol.closed == []
    assert all(v < 0 for v in sol.plexus_exchange().values()), "at rest the plexus drains outwards"
    assert sol.plexus_inflow() == 0.0
    assert sol.pressure[V.HEART] == 3.0


# ---------------------------------------------------------------------------------------------
# Flow reversal into the vertebral plexus
# ---------------------------------------------------------------------------------------------
def test_reversal_threshold_by_bisection_both_sides():
    thr = V.reversal_threshold("pelvic_plexus", "vvp_sacral", thoracic=0.0)
    assert thr is not None and 0.0 < thr < 20.0
    assert q_pelvis_to_sacrum(0.0) < 0  # rest: the plexus drains into the pelvic veins
    for below in (0.0, thr / 2, thr - 1e-3):
        assert q_pelvis_to_sacrum(below) <= 0, below
    for above in (thr + 1e-3, thr + 5, 100.0):
        assert q_pelvis_to_sacrum(above) > 0, above
    assert V.tracer_for("prostate", thr - 0.01, 0.0).entered == 0.0
    assert V.tracer_for("prostate", thr + 0.5, 0.0).entered > 0.0


def test_reversal_into_lumbar_plexus_has_a_threshold_too():
    thr = V.reversal_threshold("lumbar", "vvp_lumbar")
    assert thr is not None
    assert V.solve(NET, thr - 0.01).flow_between("lumbar", "vvp_lumbar") <= 0
    assert V.solve(NET, thr + 0.01).flow_between("lumbar", "vvp_lumbar") > 0


def test_threshold_none_when_there_is_no_reversal():
    assert V.reversal_threshold("vvp_sacral", "pelvic_plexus") is None  # already flows that way at rest


def test_threshold_exists_for_every_chest_pressure():
    for t in range(0, 81, 5):
        thr = V.reversal_threshold(thoracic=float(t), tol=1e-4)
        assert thr is not None and 0.0 < thr < t + 10.0, t


def test_high_chest_pressure_shifts_the_threshold_one_for_one():
    """Once the heart pressure exceeds every capillary bed outside the thorax and abdomen (which then stop
    feeding the network), only pressure differences matter: the threshold rises mmHg for mmHg with the chest."""
    offsets = [V.reversal_threshold(thoracic=t, tol=1e-7) - t for t in (30.0, 40.0, 50.0, 60.0)]
    assert max(offsets) - min(offsets) < 1e-5
    assert V.reversal_threshold(thoracic=40.0) > V.reversal_threshold(thoracic=0.0) + 10


def test_uniform_pressure_changes_no_flow():
    """Squeezing a network that lies entirely in one compartment adds the same pressure everywhere: no flow changes."""
    nodes = (V.Node("x", "x", "abdomen"), V.Node("y", "y", "abdomen"), V.Node("s1", "s1", "abdomen", 20.0),
             V.Node("s2", "s2", "abdomen", 12.0), V.Node("out", "o", "abdomen", 2.0))
    edges = (V.Edge("s1", "x", 5.0, "inflow"), V.Edge("s2", "y", 3.0, "inflow"), V.Edge("x", "y", 1.0),
             V.Edge("y", "out", 2.0, "caval"), V.Edge("x", "out", 7.0, "caval"))
    net = V.Network(nodes, edges)
    base = V.solve(net)
    for abd in (10.0, 55.0):
        squeezed = V.solve(net, abd)
        np.testing.assert_allclose(squeezed.flow, base.flow, atol=1e-12)
        assert squeezed.pressure["x"] == pytest.approx(base.pressure["x"] + abd)


@pytest.mark.parametrize("thor", [0.0, 15.0, 40.0, 80.0])
def test_monotone_in_abdominal_pressure(thor):
    """More abdominal pressure: more abdominal blood into the plexus, less chest-wall blood into it."""
    sols = V.sweep(np.linspace(0, 120, 121), thor)
    pelvis = np.array([s.flow_between("pelvic_plexus", "vvp_sacral") for s in sols])
    abdominal_side = np.array([s.plexus_exchange()["sacral"] + s.plexus_exchange()["lumbar"] for s in sols])
    chest_side = np.array([s.flow_between("intercostal", "vvp_thoracic") for s in sols])
    assert np.all(np.diff(pelvis) >= -1e-9)
    assert np.all(np.diff(abdominal_side) >= -1e-9)
    assert np.all(np.diff(chest_side) <= 1e-9)
    assert pelvis[-1] > 0


@pytest.mark.parametrize("abd", [0.0, 15.0, 40.0, 80.0])
def test_monotone_in_thoracic_pressure(abd):
    """More thoracic pressure: more chest-wall blood into the thoracic plexus."""
    chest_side = [V.solve(NET, abd, t).flow_between("intercostal", "vvp_thoracic") for t in np.linspace(0, 120, 61)]
    assert np.all(np.diff(chest_side) >= -1e-9)
    assert V.solve(NET, 0.0, 120.0).flow_between("intercostal", "vvp_thoracic") > 0


def test_chest_pressure_sends_chest_wall_blood_into_the_thoracic_plexus():
    rest = V.solve(NET).flow_between("intercostal", "vvp_thoracic")
    chest = V.solve(NET, 0.0, 30.0).flow_between("intercostal", "vvp_thoracic")
    assert rest < 0 < chest


# ---------------------------------------------------------------------------------------------
# Tracer
# ---------------------------------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(abd=PRESSURES, thor=PRESSURES, retention=st.floats(min_value=0.0, max_value=1.0),
       primary=st.sampled_from([k for k, p in V.PRIMARIES.items() if p.node]))
def test_tracer_fractions_are_a_distribution(abd, thor, retention, primary):
    r = V.tracer_for(primary, abd, thor, retention)
    assert r is not None
    values = np.array(list(r.fractions.values()))
    assert np.all(values >= -1e-12)
    assert values.sum() == pytest.approx(1.0, abs=1e-9)
    assert 0.0 <= r.spine <= r.entered + 1e-12 <= 1.0 + 1e-12


def test_tracer_with_full_retention_counts_first_entry():
    sol = V.solve(NET, *V.MANOEUVRES["straining"])
    r = V.tracer(sol, "pelvic_plexus", retention=1.0)
    assert r.spine == pytest.approx(r.entered)
    assert r.fractions["sacral"] == pytest.approx(1.0)  # everything enters at the sacrum first
    none = V.tracer(sol, "pelvic_plexus", retention=0.0)
    assert none.spine == 0.0 and none.fractions["heart"] == pytest.approx(1.0)


def test_tracer_prostate_needs_pressure_and_lung_is_not_modelled():
    assert V.tracer_for("prostate").spine == 0.0
    assert V.tracer_for("prostate", *V.MANOEUVRES["straining"]).spine > 0.5
    assert V.tracer_for("lung") is None
    with pytest.raises(ValueError, match="primary"):
        V.tracer_for("spleen")


def test_tracer_follows_flow_fractions_by_hand():
    """One step of the chain equals the split of outflow at the start vein."""
    sol = V.solve(NET, 60.0, 0.0)
    out = {}
    for e, q in zip(NET.edges, sol.flow):
        if e.a == "pelvic_plexus" and q > 0:
            out[e.b] = q
        if e.b == "pelvic_plexus" and q < 0:
            out[e.a] = -q
    share = out.get("vvp_sacral", 0.0) / sum(out.values())
    r = V.tracer(sol, "pelvic_plexus", retention=1.0)
    # cells that go to the iliac veins may still reach the plexus later through the lumbar veins
    assert r.fractions["sacral"] == pytest.approx(share)
    assert r.entered >= share


def test_tracer_stagnant_when_no_blood_leaves():
    nodes = (V.Node("x", "x", "abdomen"), V.Node("src", "s", "outside", 2.0), V.Node(V.HEART, "h", "thorax", 3.0))
    edges = (V.Edge("src", "x", 1.0, "inflow"), V.Edge("x", V.HEART, 1.0, "caval"))
    net = V.Network(nodes, edges)
    sol = V.solve(net)
    assert V.consistency_errors(sol) == []
    r = V.tracer(sol, "x")
    assert r.fractions["stagnant"] == 1.0 and sum(r.fractions.values()) == 1.0


def test_tracer_input_validation():
    sol = V.solve(NET)
    with pytest.raises(ValueError, match="start"):
        V.tracer(sol, "src_legs")
    with pytest.raises(ValueError, match="retention"):
        V.tracer(sol, "renal", retention=1.5)


def test_with_resistance_changes_one_edge():
    net = NET.with_resistance("pelvic_plexus", "vvp_sacral", 1e6)
    assert abs(V.solve(net, 60.0).flow_between("pelvic_plexus", "vvp_sacral")) < 1e-3
    with pytest.raises(ValueError, match="no vessel"):
        NET.edge_index("neck", "renal")
