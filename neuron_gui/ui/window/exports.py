"""Getting results out: the training history as CSV, each plot and the whole window as PNG or SVG.

Every export is rendered in memory first and then written with :func:`core.files.atomic_write_bytes`
(or :func:`core.files.write_history_csv`), so a failed export never leaves a half-written file behind.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView, QWidget

from ...core import files
from ...core.examples import DataError
from ...core.history import History, Records
from ...core.training import Run
from ..style.plot_style import current_style, style_plot

IMAGE_SUFFIXES = (".png", ".svg")
EMPTY_PATH = re.compile(rb'<path [^>]*\bd=""[^>]*/>\n?')
PNG_SCALE = 2  # plots exported at twice their size on screen: crisp in a document or on a slide
REPLAY_HISTORY_BYTES = 4 * 1024 * 1024


def image_format(path: str | os.PathLike) -> str:
    """``"png"`` or ``"svg"`` from the file name; raises :class:`DataError` for anything else."""
    suffix = Path(path).suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        raise DataError(f"cannot save {Path(path).name}: choose a name ending in .png or .svg")
    return suffix[1:]


# -- history -------------------------------------------------------------------------------------------

def history_records(run: Run) -> History | Iterable[Records]:
    """Every record of ``run``, exactly: its own history while it holds every iteration, otherwise a
    deterministic replay from the seed, checked to end at the run's weights.

    A replay is exact only for a run trained from iteration 0 with one learning rate; any other thinned
    run is refused with the reason (a :class:`DataError`).
    """
    history = run.history
    if history.width == 1:
        return history
    rates = {rate for _, rate in history.learning_rates}
    if history.origin != 0:
        raise DataError(
            f"the run continues a saved session from iteration {history.origin:,} and is too long to have "
            "kept every iteration, so its history cannot be exported exactly"
        )
    if len(rates) > 1:
        raise DataError(
            "the learning rate changed during this long run, so its thinned history cannot be replayed "
            "exactly; export a run trained at one learning rate"
        )
    rate = rates.pop() if rates else run.settings.learning_rate
    settings = run.settings.with_(iterations=max(1, run.iteration), learning_rate=rate)
    replay = Run(run.examples, settings, History(run.examples.n_inputs, max_bytes=REPLAY_HISTORY_BYTES))

    def chunks() -> Iterator[Records]:
        yield from replay.train_streamed()
        if replay.iteration != run.iteration or not np.array_equal(replay.weights, run.weights):
            # raised inside the atomic write: the target file is left as it was
            raise DataError("replaying the run did not reach its weights, so its history cannot be exported")

    return chunks()


def export_history_csv(path: str | os.PathLike, run: Run) -> int:
    """Write ``iteration,<inputs>,error`` with a row per iteration; return the number of rows."""
    return files.write_history_csv(path, run.examples.names, history_records(run))


# -- images --------------------------------------------------------------------------------------------

def plot_image(plot: pg.PlotWidget, fmt: str) -> bytes:
    """One plot (axes, curves and labels) as PNG or SVG bytes, on the plot's own background (white in
    the light theme; in the dark theme the axes and labels are light, so the background stays dark).

    PNG is the plot drawn as on a screen of twice the resolution, so legend, axes and title keep their
    proportions (pyqtgraph's ImageExporter enlarged the axes' text but not the legend's). SVG is the plot drawing
    itself into a QSvgGenerator (curves stay vectors): pyqtgraph's SVGExporter cannot read the path
    data this Qt writes (pyqtgraph issue #3485: a closing ``Z`` it splits as a coordinate).
    """
    if fmt == "svg":
        return _svg_bytes(plot, _background(plot))
    image = QImage(plot.size() * PNG_SCALE, QImage.Format_ARGB32)
    image.setDevicePixelRatio(PNG_SCALE)  # as on a screen of twice the resolution: text, legend, axes alike
    image.fill(_background(plot))
    painter = QPainter(image)
    style = current_style()
    # 1-px lines are device pixels: twice the pixels, twice the width, or the curves look half as thick
    style_plot(plot, replace(style, line_width=style.line_width * PNG_SCALE,
                             pixel_scale=style.pixel_scale * PNG_SCALE), style)
    try:
        painter.setRenderHint(QPainter.Antialiasing)
        with _export_mode(plot):
            QWidget.render(plot, painter, QPoint())
    finally:
        painter.end()
        style_plot(plot, style, style)
    if image.isNull():
        raise DataError("the plot could not be drawn (is it hidden?)")
    return _png_bytes(image)


def _background(plot: pg.PlotWidget) -> QColor:
    colour = QColor(plot.backgroundBrush().color())
    return colour if plot.backgroundBrush().style() != Qt.NoBrush and colour.alpha() == 255 else QColor("white")


def widget_image(widget: QWidget, fmt: str) -> bytes:
    """A widget (the whole window) as it looks now: PNG pixels, or SVG drawn by the widgets themselves."""
    if fmt == "svg":
        return _svg_bytes(widget)
    pixmap: QPixmap = widget.grab()
    if pixmap.isNull():
        raise DataError("the window could not be drawn")
    return _png_bytes(pixmap.toImage())


@contextmanager
def _export_mode(widget: QWidget) -> Iterator[None]:
    """Tell every plot item it is being exported, as pyqtgraph's exporters do: markers are then drawn as
    shapes, not cut from a cached sprite sheet (which an SVG would embed whole at each marker); and draw
    the background afresh rather than as a cached picture."""
    views = [widget] if isinstance(widget, pg.GraphicsView) else widget.findChildren(pg.GraphicsView)
    items = [i for v in views for i in v.scene().items() if hasattr(i, "setExportMode")]
    rings = [c for c in widget.findChildren(QWidget) if c.objectName().endswith("FocusRing") and c.isVisible()]
    for ring in rings:  # keyboard focus is the window's state, not part of the picture
        ring.hide()
    caching = [(v, v.cacheMode()) for v in views]
    for view, _ in caching:
        view.setCacheMode(QGraphicsView.CacheNone)
    cached_items = [(i, i.cacheMode()) for v in views for i in v.scene().items() if i.cacheMode()]
    for item, _ in cached_items:  # the axes keep a pixmap cache for speed: an SVG wants their vectors
        item.setCacheMode(QGraphicsItem.NoCache)
    for item in items:
        item.setExportMode(True, {"antialias": True})
    try:
        yield
    finally:
        for item in items:
            item.setExportMode(False)
        for item, mode in cached_items:
            item.setCacheMode(mode)
        for view, mode in caching:
            view.setCacheMode(mode)
        for ring in rings:
            ring.show()


def _svg_bytes(widget: QWidget, background: QColor | None = None) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(widget.size())
    generator.setViewBox(QRect(0, 0, widget.width(), widget.height()))
    generator.setTitle(widget.window().windowTitle().replace("[*]", ""))
    generator.setDescription("Made with neuron-gui")
    painter = QPainter(generator)
    try:
        if background is not None:
            painter.fillRect(QRect(0, 0, widget.width(), widget.height()), background)
        with _export_mode(widget):
            QWidget.render(widget, painter, QPoint())  # QWidget's: a plot (a QGraphicsView) has its own render
    finally:
        painter.end()
    buffer.close()
    # a curve with fewer than two points is written as an empty path, which SVG readers complain about
    return portable_svg(EMPTY_PATH.sub(b"", bytes(data.data())))


# -- SVG that every renderer draws alike ----------------------------------------------------------------

GROUP = re.compile(rb'(<g\b[^>]*?)transform="matrix\(([^)]*)\)"([^>]*>)(.*?)(</g>)', re.S)
NUMBER_PAIR = re.compile(rb"(-?[\d.]+(?:e[-+]?\d+)?),(-?[\d.]+(?:e[-+]?\d+)?)")
FONT_FAMILY = re.compile(rb'font-family="([^"]*)"')
NON_SCALING = b' vector-effect="non-scaling-stroke"'
GENERIC_FAMILIES = {b"sans serif": b"sans-serif", b"sans": b"sans-serif", b"serif": b"serif",
                    b"monospace": b"monospace", b"mono": b"monospace"}


def portable_svg(svg: bytes) -> bytes:
    """Qt's SVG, rewritten so librsvg (GNOME's viewer, rsvg-convert), browsers and Qt draw it alike.

    Qt writes a curve in its data coordinates under a scaling transform with
    ``vector-effect="non-scaling-stroke"``, which librsvg ignores: there each curve was a band several
    pixels thick. Here such paths are written in output coordinates, with no transform, so their stroke
    widths are real. Qt also names fontconfig's alias "Sans Serif", which browsers do not know (and draw
    in a serif font): a family list ending in the generic ``sans-serif`` is written instead.
    """
    svg = GROUP.sub(_flatten_group, svg)
    return FONT_FAMILY.sub(_generic_font, svg)


def _flatten_group(match: re.Match) -> bytes:
    head, matrix, tail, body, end = match.groups()
    try:
        a, b, c, d, e, f = (float(v) for v in matrix.split(b","))
    except ValueError:
        return match.group(0)
    if NON_SCALING not in body:
        return match.group(0)
    if (a, b, c, d) == (1.0, 0.0, 0.0, 1.0):  # a translation: the effect is a no-op
        return head + f'transform="matrix(1,0,0,1,{e:g},{f:g})"'.encode() + tail + body.replace(NON_SCALING, b"") + end
    if re.search(rb"<(?!path\b|polyline\b|polygon\b|/)", body):
        return match.group(0)  # something else (text, an image) needs the transform: left as Qt wrote it

    def point(m: re.Match) -> bytes:
        x, y = float(m.group(1)), float(m.group(2))
        return f"{a * x + c * y + e:.6g},{b * x + d * y + f:.6g}".encode()

    def coordinates(m: re.Match) -> bytes:
        return m.group(1) + NUMBER_PAIR.sub(point, m.group(2)) + m.group(3)

    body = re.sub(rb'(\b(?:d|points)=")([^"]*)(")', coordinates, body).replace(NON_SCALING, b"")
    return head + b'transform="matrix(1,0,0,1,0,0)"' + tail + body + end


def _generic_font(match: re.Match) -> bytes:
    families = [name.strip().strip(b"'") for name in match.group(1).split(b",") if name.strip()]
    generic = next((GENERIC_FAMILIES[n.lower()] for n in families if n.lower() in GENERIC_FAMILIES), b"sans-serif")
    named = [b"'" + n + b"'" for n in families if n.lower() not in GENERIC_FAMILIES]
    return b'font-family="' + b", ".join([*named, generic]) + b'"'


def _png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise DataError("the image could not be encoded as PNG")
    buffer.close()
    return bytes(data.data())


def save_image(path: str | os.PathLike, render) -> None:
    """Render (``render(fmt) -> bytes``) in the format the name asks for, then write atomically."""
    fmt = image_format(path)
    files.atomic_write_bytes(path, render(fmt))
