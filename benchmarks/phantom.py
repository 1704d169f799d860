"""Time to compute one 512 × 512 slice of the synthetic spine (labels + image formation).

    python benchmarks/phantom.py              # 7 repetitions of each case
    python benchmarks/phantom.py --repeat 15

Every repetition samples a new slice position (1 mm apart), so no cache is hit: what is timed is the
geometry (tissue labels) and the image formation (trabecular texture, point-spread function, beam
hardening or coil shading, noise). "Formation only" re-renders labels already computed, as switching
sequence or window on the same slice does. Target: median < 200 ms for a 512 × 512 slice.
"""

from __future__ import annotations

import argparse
import sys
import time

from _common import median, percentile, print_header, table

TARGET_MS = 200.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)

    from course.imaging import phantom as P

    tumour = P.Findings(kind="lytic", extent=0.8, pedicle="right", escc="2")
    joint_z = next(j.z for j in P.facet_joints() if j.upper == "L4")
    cases = {
        "Axial CT, whole chest (360 mm field)": lambda i: P.Phantom(tumour).axial(
            "CT", z=float(i), size=512, fov=360.0, centre=(0.0, -40.0)),
        "Axial T2, spine (128 mm field)": lambda i: P.Phantom(tumour).axial("T2", z=float(i), size=512),
        "Axial CT, lumbar abdomen (360 mm field)": lambda i: P.Phantom(P.Findings(level="L3")).axial(
            "CT", z=P.level_centre("L3") + i, size=512, fov=360.0, centre=(0.0, -40.0)),
        "Sagittal STIR, 512 × 512 (256 mm tall)": lambda i: P.Phantom(tumour).sagittal(
            "STIR", x=0.25 * i, size=512, height=512),
        "Axial CT, L4–L5 facet joints (128 mm field)": lambda i: P.Phantom(P.Findings(level="L4")).axial(
            "CT", z=joint_z + 0.25 * i, size=512),
        "Sagittal CT through the facet pillars, 512 × 512": lambda i: P.Phantom(tumour).sagittal(
            "CT", x=12.0 + 0.25 * i, size=512, height=512),
        "Sagittal T2, lumbosacral (S1–S5 canal, sac end)": lambda i: P.Phantom(P.Findings(level="L5")).sagittal(
            "T2", x=0.25 * i, size=512, height=512, centre_z=P.thecal_sac_end()),
    }
    lab = P.Phantom(tumour).axial("CT", size=512).labels
    coords = P._plane_points((-63.875, -65.875, 0.0), (1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.25, 0.25), (512, 512))
    cases["Formation only: CT from cached labels"] = lambda i: P.render(lab, "CT", seed=i, coords=coords,
                                                                        spacing=(0.25, 0.25))
    print_header("Synthetic spine: one 512 × 512 slice")
    rows = []
    for name, make in cases.items():
        make(1000)  # warm-up (imports, data files)
        samples = []
        for i in range(args.repeat):
            t0 = time.perf_counter()
            make(i)
            samples.append((time.perf_counter() - t0) * 1000)
        med = median(samples)
        rows.append([name, f"{med:.0f}", f"{percentile(samples, 90):.0f}", f"{max(samples):.0f}",
                     "yes" if med < TARGET_MS else "NO"])
    print(table(["Slice", "median (ms)", "p90 (ms)", "max (ms)", f"< {TARGET_MS:.0f} ms"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
