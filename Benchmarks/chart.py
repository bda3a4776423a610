#!/usr/bin/env python3
"""Draws the repository's charts as SVG from measured data (python3, no extra packages).

    Benchmarks/chart.py bars DATA.tsv OUT.svg
        DATA.tsv is what `Benchmarks/run.sh --chart` writes: '#' lines (date, command, machine),
        a header line `program<TAB>lua5.4 s<TAB><interpreter> s...`, one line per program with
        median seconds. Draws, per program, one bar per interpreter: its time divided by
        lua5.4's (lua5.4 itself is the 1.0 bar), plus the geometric mean.

    Benchmarks/chart.py histogram DATA.txt OUT.svg
        DATA.txt is what `Benchmarks/gc-pauses.sh` writes: '#' lines, then `<series> <ns>` per
        pause. Draws a histogram of pause times in power-of-two buckets, one bar per series.

Never edit the SVG files by hand: rerun the measurement and this script.
"""
import math, sys
from html import escape

COLORS = ["#9aa5b1", "#2f6fdf", "#e07b2a", "#3a9d5d", "#b84a9c"]
FONT = 'font-family="Helvetica, Arial, sans-serif"'


def read_comments_and_rows(path):
    comments, rows = [], []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip():
            continue
        if line.startswith("#"):
            comments.append(line[1:].strip())
        else:
            rows.append(line)
    return comments, rows


def text(x, y, s, size=12, anchor="start", weight="normal", fill="#222"):
    return (f'<text x="{x:.1f}" y="{y:.1f}" {FONT} font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}" fill="{fill}">{escape(s)}</text>')


def svg(width, height, body):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">\n<rect width="100%" height="100%" fill="white"/>\n'
            + "\n".join(body) + "\n</svg>\n")


def bars(data, out):
    comments, rows = read_comments_and_rows(data)
    header = rows[0].split("\t")
    names = [h[:-2] for h in header[1:] if h.endswith(" s")]
    programs, ratios = [], []
    for row in rows[1:]:
        cells = row.split("\t")
        times = [float(c) for c in cells[1:1 + len(names)]]
        programs.append(cells[0])
        ratios.append([t / times[0] if times[0] > 0 else float("nan") for t in times])
    geo = [math.exp(sum(math.log(r[i]) for r in ratios) / len(ratios)) for i in range(len(names))]
    programs.append("geometric mean")
    ratios.append(geo)

    bar_h, gap, label_w, plot_w = 11, 9, 150, 520
    group_h = bar_h * len(names) + gap
    top = 58
    height = top + group_h * len(programs) + 40 + 16 * len(comments)
    width = max(label_w + plot_w + 80, 20 + int(6.2 * max((len(c) for c in comments), default=0)))
    vmax = max(2.0, math.ceil(max(max(r) for r in ratios) * 2) / 2)
    scale = plot_w / vmax
    body = [text(10, 22, "Wall time relative to lua5.4 (lower is better)", 15, weight="bold")]
    for i, name in enumerate(names):
        x = 10 + i * 170
        body.append(f'<rect x="{x}" y="32" width="12" height="12" fill="{COLORS[i % len(COLORS)]}"/>')
        body.append(text(x + 17, 42, name, 12))
    # grid
    step = 0.5
    v = 0.0
    while v <= vmax + 1e-9:
        x = label_w + v * scale
        color = "#444" if abs(v - 1.0) < 1e-9 else "#ddd"
        body.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{top + group_h * len(programs)}" stroke="{color}" stroke-width="1"/>')
        body.append(text(x, top + group_h * len(programs) + 14, f"{v:g}×", 11, "middle", fill="#555"))
        v += step
    for g, (program, rs) in enumerate(zip(programs, ratios)):
        y0 = top + g * group_h
        weight = "bold" if program == "geometric mean" else "normal"
        body.append(text(label_w - 8, y0 + group_h / 2 + 1, program, 12, "end", weight))
        for i, r in enumerate(rs):
            y = y0 + i * bar_h
            w = max(0.0, r * scale)
            body.append(f'<rect x="{label_w}" y="{y:.1f}" width="{w:.1f}" height="{bar_h - 2}" fill="{COLORS[i % len(COLORS)]}">'
                        f'<title>{escape(program)}: {escape(names[i])} {r:.2f}× lua5.4</title></rect>')
            if i > 0:
                body.append(text(label_w + w + 4, y + bar_h - 3, f"{r:.2f}", 10, fill="#333"))
    y = top + group_h * len(programs) + 34
    for c in comments:
        body.append(text(10, y, c, 11, fill="#555"))
        y += 16
    open(out, "w", encoding="utf-8").write(svg(width, height, body))


def histogram(data, out):
    comments, rows = read_comments_and_rows(data)
    series = {}
    for row in rows:
        name, ns = row.split()
        series.setdefault(name, []).append(int(ns))
    names = list(series)
    # 1-2-5 buckets: [0, 1 µs), [1, 2 µs), [2, 5 µs), [5, 10 µs), [10, 20 µs), ...
    edges = [0]
    while edges[-1] <= max(ns for v in series.values() for ns in v):
        e = len(edges) - 1
        edges.append(1000 * [1, 2, 5][e % 3] * 10 ** (e // 3))
    def bucket(ns):
        return max(i for i, e in enumerate(edges[:-1]) if ns >= e)
    counts = {n: [0] * (len(edges) - 1) for n in names}
    for n, v in series.items():
        for ns in v:
            counts[n][bucket(ns)] += 1
    used = [b for b in range(len(edges) - 1) if any(counts[n][b] for n in names)]
    keep = range(used[0], used[-1] + 1)
    labels = [("<" + fmt_us(edges[1] / 1000)) if b == 0 else fmt_us(edges[b] / 1000) + "–" + fmt_us(edges[b + 1] / 1000)
              for b in keep]
    counts = {n: [counts[n][b] for b in keep] for n in names}
    totals = {n: len(v) for n, v in series.items()}

    left, plot_h, col_w = 60, 260, 26 * len(names) + 10
    top = 64
    width = max(560, left + col_w * len(labels) + 70, 20 + int(6.2 * max((len(c) for c in comments), default=0)))
    height = top + plot_h + 70 + 16 * (len(comments) + len(names))
    # share of each series' pauses, so series of different sizes compare
    shares = {n: [c / totals[n] for c in counts[n]] for n in names}
    vmax = 1.0
    body = [text(10, 22, "Collector pause times (share of each kind's pauses per bucket)", 15, weight="bold")]
    for i, n in enumerate(names):
        x = 10 + i * 210
        body.append(f'<rect x="{x}" y="34" width="12" height="12" fill="{COLORS[(i + 1) % len(COLORS)]}"/>')
        body.append(text(x + 17, 44, f"{n} ({totals[n]} pauses)", 12))
    for k in range(0, 5):
        v = vmax * k / 4
        y = top + plot_h - plot_h * k / 4
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 20}" y2="{y:.1f}" stroke="#ddd"/>')
        body.append(text(left - 6, y + 4, f"{v * 100:.0f}%", 11, "end", fill="#555"))
    for b, label in enumerate(labels):
        x0 = left + b * col_w + 5
        for i, n in enumerate(names):
            s = shares[n][b]
            h = plot_h * s / vmax if vmax > 0 else 0
            x = x0 + i * 26
            body.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="22" height="{h:.1f}" fill="{COLORS[(i + 1) % len(COLORS)]}">'
                        f'<title>{escape(n)} {escape(label)}: {counts[n][b]} pauses</title></rect>')
            if counts[n][b]:
                body.append(text(x + 11, top + plot_h - h - 3, str(counts[n][b]), 9, "middle", fill="#333"))
        body.append(f'<text transform="translate({x0 + col_w / 2 - 2:.1f},{top + plot_h + 10}) rotate(35)" {FONT} font-size="10" fill="#555">{escape(label)}</text>')
    y = top + plot_h + 62
    for n in names:
        v = sorted(series[n])
        body.append(text(10, y, f"{n}: median {fmt_us(v[len(v) // 2] / 1000)}, 99th percentile "
                             f"{fmt_us(v[min(len(v) - 1, int(len(v) * 0.99))] / 1000)}, max {fmt_us(v[-1] / 1000)}", 11))
        y += 16
    for c in comments:
        body.append(text(10, y, c, 11, fill="#555"))
        y += 16
    open(out, "w", encoding="utf-8").write(svg(width, height, body))


def fmt_us(us):
    if us >= 1_000_000:
        return f"{us / 1_000_000:.3g} s"
    if us >= 1000:
        return f"{us / 1000:.3g} ms"
    if us >= 1:
        return f"{us:.3g} µs"
    return f"{us * 1000:.0f} ns"


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("bars", "histogram"):
        sys.exit(__doc__)
    {"bars": bars, "histogram": histogram}[sys.argv[1]](sys.argv[2], sys.argv[3])
