#!/usr/bin/env python3
"""Renders collapsed stacks as a flame graph SVG (Python 3 standard library only).

    google-pprof --collapsed --no-auto-signal-frm BINARY PROFILE > stacks.txt
    scripts/flamegraph.py --title "backtest, sma-cross" stacks.txt > flame.svg

Input: one stack per line, frames from the root to the leaf separated by ';', then a space and
a sample count ("main;Run;ProcessBar 42"), as Brendan Gregg's stackcollapse scripts and
`google-pprof --collapsed` print them. Identical stacks are summed; C++ parameter lists are
dropped from frame names unless --keep-arguments is given.

Output: the classic flame graph. The x axis is the share of samples (not time order): each
frame is as wide as the samples in which it was on the stack, its callees stacked above it,
siblings sorted by name so that equal stacks merge. Hovering a frame shows its name, samples
and share (an SVG <title>); clicking a frame zooms to it, clicking the bottom bar resets.
Colours are warm for the project's own code (wyckoff::), green for the standard library,
blue for Boost, grey for the rest; the shade is a hash of the name, so a function keeps its
colour from one graph to the next.
"""

import argparse
import hashlib
import html
import sys

FRAME_HEIGHT = 16
FONT_SIZE = 11
CHAR_WIDTH = FONT_SIZE * 0.59  # average width of a monospace-ish glyph at FONT_SIZE
PAD_TOP = 40
PAD_BOTTOM = 24
PAD_SIDE = 10


class Node:
    """One frame in the merged call tree."""

    def __init__(self, name):
        self.name = name
        self.samples = 0
        self.children = {}

    def child(self, name):
        node = self.children.get(name)
        if node is None:
            node = self.children[name] = Node(name)
        return node


def parse(lines, keep_arguments=False):
    """Builds the merged call tree from collapsed-stack lines; returns (root, bad line count)."""
    root = Node("all")
    bad = 0
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            continue
        stack, _, count = line.rpartition(" ")
        try:
            samples = int(float(count))
        except ValueError:
            bad += 1
            continue
        if not stack or samples <= 0:
            continue
        root.samples += samples
        node = root
        for frame in stack.split(";"):
            node = node.child(frame if keep_arguments else strip_arguments(frame))
            node.samples += samples
    return root, bad


def strip_arguments(name):
    """The frame name without its parameter lists: "ns::F(int, X const&) const" -> "ns::F".
    Keeps "(anonymous namespace)" and "operator()"."""
    protected = {"(anonymous namespace)": "\x00", "operator()": "\x01"}
    for text, mark in protected.items():
        name = name.replace(text, mark)
    out, depth = [], 0
    for ch in name:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            out.append(ch)
    name = "".join(out)
    if name.endswith(" const"):
        name = name[: -len(" const")]
    for text, mark in protected.items():
        name = name.replace(mark, text)
    return name


def depth_of(node):
    return 1 + max((depth_of(c) for c in node.children.values()), default=0)


def colour(name):
    """A stable warm/green/blue/grey shade for a frame name."""
    digest = hashlib.md5(name.encode("utf-8")).digest()
    v1, v2 = digest[0] / 255.0, digest[1] / 255.0
    if "wyckoff::" in name:
        return "rgb({},{},{})".format(205 + int(50 * v1), 80 + int(120 * v2), 40 + int(30 * v1))
    if name.startswith("std::") or name.startswith("__gnu_cxx::"):
        return "rgb({},{},{})".format(70 + int(60 * v1), 170 + int(60 * v2), 70 + int(40 * v1))
    if name.startswith("boost::"):
        return "rgb({},{},{})".format(80 + int(50 * v1), 130 + int(60 * v2), 200 + int(50 * v1))
    return "rgb({0},{0},{1})".format(170 + int(50 * v1), 180 + int(40 * v2))


def fit(text, width):
    """The label that fits in `width` pixels: the name; else without its namespaces
    ("Class::Method"); else that cut to ".."; else nothing."""
    chars = int((width - 6) / CHAR_WIDTH)
    if chars < 3:
        return ""
    if len(text) <= chars:
        return text
    parts = text.split("<")[0].split("::")
    if len(parts) > 2:
        text = "::".join(parts[-2:]) + text[len(text.split("<")[0]) :]
    if len(text) <= chars:
        return text
    return text[: chars - 2] + ".."


def render(root, title, width, min_width, subtitle):
    """Returns the SVG text for the tree."""
    depth = depth_of(root)
    height = PAD_TOP + depth * FRAME_HEIGHT + PAD_BOTTOM
    scale = (width - 2 * PAD_SIDE) / max(root.samples, 1)
    out = []
    out.append('<?xml version="1.0" encoding="UTF-8" standalone="no"?>')
    out.append(
        '<svg version="1.1" xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        'viewBox="0 0 {w} {h}" onload="init(evt)">'.format(w=width, h=height)
    )
    out.append(STYLE_AND_SCRIPT)
    out.append('<rect x="0" y="0" width="{}" height="{}" fill="#f8f8f4"/>'.format(width, height))
    out.append(
        '<text x="{}" y="20" text-anchor="middle" class="title">{}</text>'.format(
            width / 2, html.escape(title)
        )
    )
    out.append(
        '<text x="{}" y="34" text-anchor="middle" class="sub">{}</text>'.format(
            width / 2, html.escape(subtitle)
        )
    )

    def emit(node, x, level):
        w = node.samples * scale
        if w < min_width:
            return
        y = height - PAD_BOTTOM - (level + 1) * FRAME_HEIGHT
        share = 100.0 * node.samples / max(root.samples, 1)
        tip = "{} ({:,} samples, {:.2f}%)".format(node.name, node.samples, share)
        out.append(
            '<g class="f" data-x="{:.2f}" data-w="{:.2f}"><title>{}</title>'
            '<rect x="{:.2f}" y="{}" width="{:.2f}" height="{}" fill="{}" rx="2"/>'
            '<text x="{:.2f}" y="{}">{}</text></g>'.format(
                x,
                w,
                html.escape(tip),
                x,
                y,
                max(w - 0.5, 0.1),
                FRAME_HEIGHT - 1,
                "#e0e0e0" if level == 0 else colour(node.name),
                x + 3,
                y + FRAME_HEIGHT - 4,
                html.escape(fit(node.name, w)),
            )
        )
        child_x = x
        for name in sorted(node.children):
            child = node.children[name]
            emit(child, child_x, level + 1)
            child_x += child.samples * scale

    emit(root, PAD_SIDE, 0)
    out.append(
        '<text x="{}" y="{}" class="sub">Width: share of {:,} samples. Hover for details; click '
        "to zoom, click the bottom bar to reset.</text>".format(
            PAD_SIDE, height - 6, root.samples
        )
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


# Zoom: a click scales the clicked frame's x range to the full width, hides what falls outside
# it and re-fits the labels; a click on the root resets.
STYLE_AND_SCRIPT = """<style>
text { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: %dpx; fill: #000; }
.title { font-size: 16px; font-weight: bold; }
.sub { font-size: 11px; fill: #555; }
.f:hover rect { stroke: #000; stroke-width: 0.5; cursor: pointer; }
</style>
<script type="text/ecmascript"><![CDATA[
var frames, svgWidth, pad = %d, charWidth = %f;
function init(evt) {
  frames = Array.prototype.slice.call(document.querySelectorAll("g.f"));
  svgWidth = parseFloat(document.documentElement.getAttribute("width"));
  frames.forEach(function (g) {
    g.querySelector("text").setAttribute("data-full", g.querySelector("title").textContent
                                         .replace(/ \\([0-9,]+ samples.*$/, ""));
    g.addEventListener("click", function () { zoom(g); });
  });
}
function label(text, width) {
  var chars = Math.floor((width - 6) / charWidth);
  if (chars < 3) return "";
  if (text.length <= chars) return text;
  var head = text.split("<")[0], parts = head.split("::");
  if (parts.length > 2) text = parts.slice(-2).join("::") + text.substring(head.length);
  return text.length <= chars ? text : text.substring(0, chars - 2) + "..";
}
function zoom(target) {
  var x0 = parseFloat(target.getAttribute("data-x")), w0 = parseFloat(target.getAttribute("data-w"));
  var k = (svgWidth - 2 * pad) / w0, y0 = parseFloat(target.querySelector("rect").getAttribute("y"));
  frames.forEach(function (g) {
    var x = parseFloat(g.getAttribute("data-x")), w = parseFloat(g.getAttribute("data-w"));
    var r = g.querySelector("rect"), t = g.querySelector("text");
    var inside = x + w > x0 + 1e-6 && x < x0 + w0 - 1e-6;
    var below = parseFloat(r.getAttribute("y")) > y0;
    if (!inside) { g.style.display = "none"; return; }
    g.style.display = "";
    var nx = below ? pad : pad + (x - x0) * k, nw = below ? svgWidth - 2 * pad : w * k;
    r.setAttribute("x", nx); r.setAttribute("width", Math.max(nw - 0.5, 0.1));
    t.setAttribute("x", nx + 3); t.textContent = label(t.getAttribute("data-full"), nw);
  });
}
]]></script>""" % (FONT_SIZE, PAD_SIDE, CHAR_WIDTH)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("input", nargs="?", help="collapsed stacks (default: standard input)")
    parser.add_argument("--title", default="Flame graph")
    parser.add_argument("--subtitle", default="", help="a second line under the title")
    parser.add_argument("--width", type=int, default=1200, help="image width in pixels")
    parser.add_argument(
        "--min-width", type=float, default=0.1, help="omit frames narrower than this (pixels)"
    )
    parser.add_argument(
        "--keep-arguments",
        action="store_true",
        help="keep C++ parameter lists in frame names (by default they are dropped)",
    )
    args = parser.parse_args()
    if args.input:
        with open(args.input, encoding="utf-8", errors="replace") as f:
            root, bad = parse(f, args.keep_arguments)
    else:
        root, bad = parse(sys.stdin, args.keep_arguments)
    if bad:
        print("flamegraph.py: ignored {} malformed lines".format(bad), file=sys.stderr)
    if root.samples == 0:
        print("flamegraph.py: no samples in the input", file=sys.stderr)
        return 1
    sys.stdout.write(render(root, args.title, args.width, args.min_width, args.subtitle))
    return 0


if __name__ == "__main__":
    sys.exit(main())
