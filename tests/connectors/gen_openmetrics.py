#!/usr/bin/env python3
"""Writes OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`.

gen_openmetrics.py OUT --end UNIX_S --hours H --step S --series N [--metric NAME]
                   [--anomaly-series K --anomaly-at UNIX_S --anomaly-minutes M --anomaly-factor F]

Each series is a gauge with a slow sine (period 1 h, phase per series) around 100 plus seeded noise, so
the history looks like a busy service. With --anomaly-* series K gets multiplied by F for M minutes
from the given time: the injected anomaly the detection tests must find through the connector.
"""
import argparse
import math
import random

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("--end", type=int, required=True)
p.add_argument("--hours", type=float, default=6)
p.add_argument("--step", type=int, default=60)
p.add_argument("--series", type=int, default=3)
p.add_argument("--metric", default="cairn_test_latency_ms")
p.add_argument("--anomaly-series", type=int, default=-1)
p.add_argument("--anomaly-at", type=int, default=0)
p.add_argument("--anomaly-minutes", type=int, default=10)
p.add_argument("--anomaly-factor", type=float, default=6.0)
a = p.parse_args()

rng = random.Random(42)
points = int(a.hours * 3600 / a.step)
start = a.end - points * a.step
with open(a.out, "w") as f:
    f.write("# HELP %s Synthetic latency of a test service.\n# TYPE %s gauge\n" % (a.metric, a.metric))
    for s in range(a.series):
        labels = 'service="svc-%d",instance="host-%d:8080"' % (s, s % 7)
        phase = s * 0.7
        lines = []
        for i in range(points):
            t = start + i * a.step
            v = 100 + 20 * math.sin(2 * math.pi * t / 3600.0 + phase) + rng.gauss(0, 2)
            if s == a.anomaly_series and a.anomaly_at <= t < a.anomaly_at + a.anomaly_minutes * 60:
                v *= a.anomaly_factor
            lines.append("%s{%s} %.3f %d\n" % (a.metric, labels, v, t))
        f.writelines(lines)
    f.write("# EOF\n")
