"""The central views and the panels' read-only parts, fed from the session's state on display.

Each view follows the session at its own pace (:mod:`..views.pacing`): the plots every frame; the table's
live columns, the network diagram, the prediction, the progress bar and the status line a few times a second
and only when what they show changes; nothing while a view cannot be seen. To add a view: give it a method
that shows a :class:`~neuron_gui.core.display_state.DisplayState` (``None``: no run) and subscribe it here
(or in its own feature) with a :class:`~..views.pacing.Pace` and a key of what it shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from ..panels.panels import show_message
from ..views.layer_diagram import LayeredState
from ..views.neuron_choice import NeuronChoice, neuron_view
from ..views.pacing import FEW_HZ, Pace

if TYPE_CHECKING:
    from ...core.display_state import DisplayState
    from ...session.session import Session
    from ..panels.examples_model import ExamplesModel
    from ..panels.panels import QueryPanel
    from ..panels.run_texts import RunTexts
    from ..views.diagram import NetworkDiagram
    from ..views.plots import ErrorPlot, SigmoidPlot, WeightsPlot


@dataclass(frozen=True)
class FedViews:
    weights_plot: WeightsPlot
    error_plot: ErrorPlot
    sigmoid_plot: SigmoidPlot
    model: ExamplesModel
    table: QWidget  # the view of ``model``: the live columns idle while it cannot be seen
    diagram: NetworkDiagram
    query_panel: QueryPanel
    run_texts: RunTexts  # the progress bar and the status line, which pace themselves together


class ViewFeeds(QObject):
    def __init__(self, session: Session, views: FedViews):
        super().__init__(session)
        self.session = session
        v = self.views = views
        self.neuron_choice = NeuronChoice(v.sigmoid_plot)  # a network's: which neuron the sigmoid shows
        self.paces = [
            Pace(session, v.weights_plot, self._show_history, key=_history_key),
            Pace(session, v.error_plot, self._show_error_history, key=_history_key),
            Pace(session, v.sigmoid_plot, self._show_sigmoid,
                 key=lambda st: (st.query_key, self.neuron_choice.current())),
            Pace(session, v.table, self._show_live_columns, hz=FEW_HZ, key=lambda st: st.weights_key),
            Pace(session, v.diagram, self._show_diagram, hz=FEW_HZ, key=lambda st: (st.query_key, tuple(st.names))),
            Pace(session, v.query_panel, self._show_prediction, hz=FEW_HZ, key=_prediction_key),
            Pace(session, v.run_texts.label, self._show_run_texts, always=True),
        ]

        self.neuron_choice.chosen.connect(lambda: self.paces[2].update(force=True))

    def refresh(self) -> None:
        """Every view that can be seen shows the current state now, whatever its pace."""
        for pace in self.paces:
            pace.update(force=True)

    def _show_history(self, state: DisplayState | None) -> None:
        if state is not None and state.series is not None:
            self.views.weights_plot.set_target(state.progress.target)
            self.views.weights_plot.set_series(state.series[0], state.weight_names)

    def _show_error_history(self, state: DisplayState | None) -> None:
        if state is not None and state.series is not None:
            self.views.error_plot.set_target(state.progress.target)
            self.views.error_plot.set_series(state.series[1], ["error"])

    def _show_sigmoid(self, state: DisplayState | None) -> None:
        if state is not None:
            plot = self.views.sigmoid_plot
            if state.is_network:  # the neuron picked: its inputs are the layer below's outputs
                self.neuron_choice.show_network(state.neuron_names)
                layer, neuron = self.neuron_choice.current()
                view = neuron_view(state, layer, neuron)
                plot.set_state(view.inputs, state.run.y, view.weights, view.query)
                plot.setTitle(f"Sigmoid of {'the output neuron' if view.name == 'out' else view.name}: "
                              f"each example at its z")
            else:
                self.neuron_choice.show_network(None)
                plot.set_state(state.run.X, state.run.y, state.weights, state.query_inputs)

    def _show_live_columns(self, state: DisplayState | None) -> None:
        live = None if state is None else np.column_stack([state.outputs, state.errors])
        self.views.model.set_live(live, paced=self.session.is_running and not self.session.is_paused)

    def _show_diagram(self, state: DisplayState | None) -> None:
        if state is None:
            self.views.diagram.set_state([], np.zeros(0), None, 0)
        elif state.is_network:
            self.views.diagram.set_network(LayeredState(state.neuron_names, list(state.layers),
                                                        state.query_activations, state.iteration))
        else:
            self.views.diagram.set_state(state.names, state.weights, state.query_inputs, state.iteration)

    def _show_prediction(self, state: DisplayState | None) -> None:
        qp = self.views.query_panel
        query = None if state is None else state.query
        show_message(qp.message, "" if query is None else query.problem)
        if state is None or state.prediction is None:
            qp.prediction.setText("—")
            qp.caption.setText("")
            return
        qp.prediction.setText(f"{state.prediction:.8f}")
        qp.caption.setText(state.caption())

    def _show_run_texts(self, state: DisplayState | None) -> None:
        """Every frame: RunTexts writes the bar and the status line a few times a second, on change only."""
        s = self.session
        moving = s.is_running and not s.is_paused
        if state is None:
            self.views.run_texts.show(None, 0, math.nan, None, False, False)
            return
        p = state.progress
        self.views.run_texts.show(state.run, p.iteration, p.error, s.latest, s.is_paused, moving)


def _history_key(state: DisplayState) -> tuple:
    h = state.run.history
    return (id(state.run), h.epoch, h.count, h.generation, state.progress.target)


def _prediction_key(state: DisplayState) -> tuple:
    p = state.prediction
    return (None if p is None else f"{p:.8f}", state.caption(), None if state.query is None else state.query.problem)
