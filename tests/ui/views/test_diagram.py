"""The network diagram: what it draws for each weight, hovering, and every table shape."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLineEdit, QWidget

from neuron_gui.core.lesson import LESSON_X, LESSON_Y, initial_weights, sigmoid, train_reference
from neuron_gui.ui.views.diagram import NEGATIVE, POSITIVE, Hit, synapse_pen, synapse_width


def test_sign_is_shown_by_colour_and_by_dash_and_size_by_thickness():
    positive, negative = synapse_pen(0.7), synapse_pen(-0.7)
    assert positive.color() == POSITIVE and negative.color() == NEGATIVE
    assert positive.style() == Qt.SolidLine and negative.style() == Qt.CustomDashLine, "not colour alone"
    assert positive.widthF() == negative.widthF(), "|w| alone sets the thickness"
    widths = [synapse_width(w) for w in (0.0, 0.2, 1.0, 5.0, 50.0, 1e300)]
    assert widths == sorted(widths) and len(set(widths[:5])) == 5
    assert widths[-1] <= 16, "a huge weight is still drawable"


def test_the_diagram_is_a_dock_showing_the_current_weights(qtbot, window):
    diagram = window.findChild(QWidget, "networkDiagram")
    assert diagram is window.diagram
    assert window.docks["diagramDock"].widget() is diagram and diagram.isVisible()
    assert np.array_equal(diagram.synapse_values(), initial_weights(1, 3))
    window.findChild(QWidget, "trainButton").click()
    qtbot.waitUntil(lambda: not window.is_training, timeout=20000)
    assert np.array_equal(diagram.synapse_values(), window.run.weights)
    w = window.run.weights
    assert diagram.z() == float(np.array([1.0, 0, 0]) @ w), "the diagram answers the query"


def test_hovering_nodes_reads_inputs_sum_and_output_and_leaving_clears(qtbot, window):
    diagram = window.diagram
    window.findChild(QLineEdit, "queryInput").setText("1, 1, 0")
    w = initial_weights(1, 3)
    z = float(np.array([1.0, 1.0, 0.0]) @ w)
    assert diagram.value_text(Hit("neuron")) == f"z = x·w = {z!r}"
    assert diagram.value_text(Hit("output")) == f"output = sigmoid(z) = {float(sigmoid(z))!r}"
    assert diagram.value_text(Hit("input", 1)).startswith("x2 = 1.0")
    xs, r_in, neuron, *_ = diagram._geometry()
    qtbot.mouseMove(diagram, neuron.toPoint())
    qtbot.waitUntil(lambda: diagram.hovered == Hit("neuron"))
    assert diagram.hover_text() == f"z = x·w = {z!r}"
    qtbot.mouseMove(diagram, xs[0].toPoint())
    qtbot.waitUntil(lambda: diagram.hovered == Hit("input", 0))
    diagram.leaveEvent(None)
    assert diagram.hovered is None and diagram.hover_text() == ""


def test_hovering_a_synapse_follows_stepping(qtbot, window):
    diagram = window.diagram
    qtbot.mouseMove(diagram, diagram.synapse_midpoint(0))
    qtbot.waitUntil(lambda: diagram.hovered == Hit("synapse", 0))
    assert f"= {float(initial_weights(1, 3)[0])!r}" in diagram.hover_text()
    window.steering.step()
    qtbot.waitUntil(lambda: window.controller.is_paused and window.controller.latest.iteration == 1
                    and window.controller.latest.paused, timeout=5000)
    qtbot.wait(20)
    w1 = train_reference(LESSON_X, LESSON_Y, initial_weights(1, 3), 1)
    assert f"= {float(w1[0])!r}" in diagram.hover_text()
    window.stop()
    qtbot.waitUntil(lambda: not window.is_training, timeout=5000)


def test_many_inputs_and_no_valid_table_still_draw(qtbot, window):
    for _ in range(13):
        window.model.insert_input_column()
    assert len(window.diagram.synapse_values()) == 16
    assert not window.diagram.grab().isNull()
    hit = window.diagram.hit_at(window.diagram.synapse_midpoint(15))
    assert hit == Hit("synapse", 15), "every synapse can be hovered"
    window.model.remove_rows(list(range(window.model.n_examples)))  # an empty table cannot be trained on
    assert len(window.diagram.synapse_values()) == 0
    assert window.diagram.hit_at(QPoint(10, 10)) is None
    assert not window.diagram.grab().isNull()


def _diagram(qtbot, m: int, size: tuple[int, int], font_scale: float = 1.0):
    from PySide6.QtGui import QFont

    from neuron_gui.ui.views.diagram import NetworkDiagram

    d = NetworkDiagram()
    qtbot.addWidget(d)
    if font_scale != 1.0:  # presentation mode's text
        font = QFont(d.font())
        font.setPointSizeF(font.pointSizeF() * font_scale)
        d.setFont(font)
    weights = np.array([9.673, -0.208, -4.630]) if m == 3 else np.random.default_rng(1).normal(0, 3, m)
    d.set_state([f"x{j + 1}" for j in range(m)], weights, np.ones(m), 10_000)
    d.resize(*size)
    d.show()
    qtbot.waitExposed(d)
    return d


def _apart(boxes) -> None:
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.intersects(b), f"{a} and {b} overlap"


def test_weight_labels_never_overlap_each_other_or_the_nodes(qtbot):
    from PySide6.QtCore import QRectF

    for m, size, scale in ((3, (500, 110), 1.5), (3, (660, 165), 1.0), (16, (660, 165), 1.0)):
        d = _diagram(qtbot, m, size, scale)
        xs, r_in, *_ = d._geometry()
        nodes = [QRectF(c.x() - r_in, c.y() - r_in, 2 * r_in, 2 * r_in) for c in xs]
        values = [box for _, box, _ in d.value_labels()]
        names = [box for _, box, _ in d.input_labels() if not any(box == n for n in nodes)]
        _apart(values + names + nodes)
        inside = QRectF(d.rect())
        assert all(inside.contains(box) for box in values + names)
        if size == (660, 165) and m == 3:
            assert len(values) == 3, "room for every weight's value"


def test_sixteen_inputs_are_labelled_and_not_squashed(qtbot):
    for size, at_least in (((660, 165), 8), ((500, 330), 16)):
        d = _diagram(qtbot, 16, size)
        xs, r_in, *_ = d._geometry()
        assert xs[1].y() - xs[0].y() >= 2 * r_in, "input nodes overlap"
        named = {j for j, _, text in d.input_labels() if text.startswith(f"x{j + 1}")}
        assert len(named) >= at_least, f"only {sorted(named)} of 16 inputs are named at {size}"
