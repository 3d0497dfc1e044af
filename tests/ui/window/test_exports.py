"""Exported plots look like the plots: a PNG in the proportions shown on screen, an SVG that librsvg
(GNOME's viewer, rsvg-convert) and Qt draw alike, in a font every reader has."""

from __future__ import annotations

import re
import shutil
import subprocess

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from neuron_gui.ui.window import exports
from tests.ui.plot_helpers import resize_to
from tests.ui.window_helpers import train_to_end


def grey(image: QImage, size) -> np.ndarray:
    """The image scaled to ``size`` as a grey-level array (0 black ... 1 white)."""
    small = image.convertToFormat(QImage.Format_RGB32).scaled(size, Qt.IgnoreAspectRatio, Qt.SmoothTransformation)
    data = np.frombuffer(small.constBits(), np.uint8).reshape(small.height(), small.bytesPerLine() // 4, 4)
    return data[:, : small.width(), :3].mean(axis=2) / 255.0


def ink(pixels: np.ndarray) -> float:
    """The share of the picture that is drawn (darker than the background)."""
    return float(np.mean(pixels < 0.75))


@pytest.fixture
def trained(qtbot, window):
    resize_to(qtbot, window, (1280, 800))
    train_to_end(qtbot, window)
    qtbot.wait(30)
    return window


def test_an_exported_weights_png_keeps_the_proportions_on_screen(trained):
    plot = trained.weights_plot
    exported = QImage.fromData(exports.plot_image(plot, "png"))
    assert (exported.width(), exported.height()) == (2 * plot.width(), 2 * plot.height())
    screen = plot.grab().toImage()
    size = screen.size()
    a, b = grey(exported, size), grey(screen, size)
    # the same picture at twice the resolution: legend, axes and title where they are on screen
    rows_a, rows_b = (a < 0.75).mean(axis=1), (b < 0.75).mean(axis=1)
    legend = slice(25, 55)  # the legend's row, under the title
    assert abs(rows_a[legend].sum() - rows_b[legend].sum()) < 0.5 * rows_b[legend].sum(), "the legend shrank"
    assert np.mean(np.abs(a - b)) < 0.06


def svg_of(trained) -> bytes:
    return exports.plot_image(trained.weights_plot, "svg")


def test_an_exported_svg_draws_paths_in_output_coordinates_in_a_generic_font(trained):
    svg = svg_of(trained).decode()
    for group in re.finditer(r'<g\b[^>]*transform="matrix\(([^)]*)\)"[^>]*>(.*?)</g>', svg, re.S):
        a, b, c, d = (float(v) for v in group.group(1).split(",")[:4])
        if "<path" in group.group(2) or "<polyline" in group.group(2):
            assert (a, b, c, d) == (1, 0, 0, 1) or "non-scaling-stroke" not in group.group(2), \
                "a stroke that depends on vector-effect under a scaling transform"
    assert "non-scaling-stroke" not in svg
    families = set(re.findall(r'font-family="([^"]*)"', svg))
    assert families and all(f.endswith("sans-serif") for f in families), families


def render_with_qt(svg: bytes, width: int, height: int) -> QImage:
    image = QImage(width, height, QImage.Format_RGB32)
    image.fill(Qt.white)
    painter = QPainter(image)
    QSvgRenderer(svg).render(painter)
    painter.end()
    return image


@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="rsvg-convert (librsvg2-bin) is not installed")
def test_an_exported_svg_looks_the_same_in_librsvg_and_in_qt(trained, tmp_path):
    plot = trained.weights_plot
    svg = svg_of(trained)
    path = tmp_path / "weights.svg"
    path.write_bytes(svg)
    width, height = 2 * plot.width(), 2 * plot.height()
    png = tmp_path / "rsvg.png"
    subprocess.run(["rsvg-convert", "-w", str(width), "-h", str(height), "-o", str(png), str(path)], check=True,
                   timeout=60)
    by_librsvg = QImage(str(png))
    assert not by_librsvg.isNull()
    by_qt = render_with_qt(svg, width, height)
    a, b = grey(by_librsvg, by_qt.size()), grey(by_qt, by_qt.size())
    # curves drawn as bands several pixels thick (librsvg ignoring non-scaling-stroke) double the ink
    assert ink(a) < 1.5 * ink(b) and ink(b) < 1.5 * ink(a), (ink(a), ink(b))
    assert np.mean(np.abs(a - b)) < 0.05
