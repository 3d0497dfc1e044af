"""The session file (JSON): the recipe of a run and its final state, so that it stays small and exact.

A run is deterministic given its table, its seed (or the state it was resumed from), its learning-rate
schedule and its number of iterations. Format 2 saves exactly that, the query, and the final weights;
opening recomputes the history (:meth:`Session.to_run`, with progress for a background job) and refuses
the file unless the recomputed weights equal the saved ones bit for bit. A 10,000-iteration session is
under 1 KB instead of 860 KB, and replay is bounded because the history is the app's own.

Format 1 files (which saved the history itself) still open: their history is checked as strictly as
anything else (a shape the run could not have produced is refused, so replay stays bounded).

Format 2, one top-level field a line::

    {"format_version": 2, "app": "neuron-gui",
     "examples": {"names": [...], "X": [[...], ...], "y": [...]},
     "settings": {"iterations": 10000, "seed": 1, "learning_rate": 1.0},
     "query": [1, 0, 0],
     "run": {"iteration": 10000, "learning_rates": [[0, 1.0], [5000, 0.5]],
             "weights": [[[w1], [w2], [w3]]],
             "start": {"iteration": k, "weights": [...layers...]}}}   # only for a resumed run

``weights`` is a list of layers, each a matrix (inputs of the layer, neurons of the layer): the single
neuron is one (m, 1) layer. A network adds its hidden sizes to ``settings`` (``"hidden": [4]``; left
out for the single neuron, so its files are unchanged) and one matrix per layer to the lists; the
learning-rate schedule is ``[first iteration, rate]``, strictly increasing, from the start.
Validation goes through the same rules as a CSV (:meth:`Examples.create`, :func:`parse_cell`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..examples import DataError, Examples, check_column_names, parse_cell
from ..history import History
from ..lesson import MAX_ITERATIONS
from ..network import Shape, check_hidden
from ..training import Run, Settings, check_iterations, check_learning_rate, check_seed
from .atomic import atomic_write_text
from .fields import describe
from .reading import MB, Cancelled, FileFormatError, PathLike, Progress, read_text
from .session_v1 import MAX_SAVED_BUCKETS, HistoryReader

MAX_SESSION_BYTES = 256 * MB
SESSION_FORMAT = 2
READABLE_FORMATS = (1, 2)
# JSON integers longer than this are refused before Python converts them (it refuses past 4,300 digits
# with a bare ValueError); no field of a session needs more than 20.
MAX_INT_DIGITS = 40

__all__ = ["MAX_SAVED_BUCKETS", "Cancelled", "Session", "format_session", "load_session", "parse_session",
           "save_session"]


@dataclass(frozen=True, eq=False)  # arrays inside: compare fields, not sessions
class Session:
    """A session as read: the recipe of its run and the final state (see the module)."""

    examples: Examples
    settings: Settings
    weights: np.ndarray  # the final weights, flat: (m,) for the single neuron, all layers for a network
    iteration: int
    history: History | None = None  # format 1 only: the history as saved
    query: np.ndarray | None = None
    learning_rates: tuple[tuple[int, float], ...] = ()  # the schedule from the start
    start: tuple[int, np.ndarray] | None = None  # resumed from (iteration, weights); None: the seed, at 0
    format_version: int = SESSION_FORMAT
    source: str = field(default="<text>")

    def to_run(self, progress: Progress | None = None) -> Run:
        """The run, ready to continue where the saved one stopped.

        Format 2: trained again from its recipe (as long as the original run took; ``progress`` is
        called with the fraction done and may raise :class:`Cancelled`), then checked against the saved
        weights. Raises :class:`FileFormatError` if they differ."""
        if self.format_version == 1 or not self.learning_rates:
            return Run.resume(self.examples, self.settings, self.weights, self.iteration, self.history)
        if self.start is None:
            run = Run(self.examples, self.settings)
        else:
            run = Run.resume(self.examples, self.settings, self.start[1], self.start[0])
        first = run.iteration
        per_call = max(64, 4_000_000 // (self.examples.n_examples * run.shape.n_params))
        schedule = [*self.learning_rates, (self.iteration, None)]
        for (_, rate), (end, _) in zip(schedule, schedule[1:], strict=False):
            run.learning_rate = rate
            while run.iteration < end and not run.diverged:
                run.step(min(per_call, end - run.iteration))
                if progress is not None:
                    progress((run.iteration - first) / max(1, self.iteration - first))
            if run.diverged or run.iteration != end:
                break
        run.learning_rate = self.settings.learning_rate
        if run.iteration != self.iteration or run.weights.tobytes() != self.weights.tobytes():
            raise FileFormatError(
                self.source, "the saved weights are not what its table, seed and learning rates give "
                f"after {self.iteration:,} iterations (the file was changed, or the run diverged first)",
                field="run.weights")
        run.diverged = False
        return run


def save_session(
    path: PathLike, examples: Examples, settings: Settings, weights: np.ndarray, iteration: int,
    history: History | None = None, query: np.ndarray | None = None,
) -> None:
    atomic_write_text(path, format_session(examples, settings, weights, iteration, history, query))


def format_session(
    examples: Examples, settings: Settings, weights: np.ndarray, iteration: int,
    history: History | None = None, query: np.ndarray | None = None,
) -> str:
    """The session as JSON text (format 2): one top-level field a line (numbers exact, never NaN).

    The recipe comes from ``history`` (where it starts and its learning-rate schedule); without one,
    the session is a run resumed at ``iteration`` from ``weights``."""
    settings.validated()
    check_column_names(examples.names)
    weights = np.asarray(weights, dtype=np.float64)
    m = examples.n_inputs
    shape = Shape(m, settings.validated().hidden)
    if weights.shape != (shape.n_params,):
        if shape.is_single_neuron:
            raise DataError(f"{weights.size} weights for {m} inputs")
        raise DataError(f"{weights.size} weights for a {shape} network (it has {shape.n_params})")
    if history is not None and history.iteration != iteration:
        raise DataError(f"the history ends at iteration {history.iteration}, not {iteration}")
    start, rates = _recipe(examples, settings, weights, iteration, history)
    run: dict[str, Any] = {
        "iteration": int(iteration),
        "learning_rates": [[int(i), float(lr)] for i, lr in rates],
        "weights": _layers(shape, weights),
    }
    if start is not None:
        run["start"] = {"iteration": int(start[0]), "weights": _layers(shape, start[1])}
    session: dict[str, Any] = {
        "format_version": SESSION_FORMAT,
        "app": "neuron-gui",
        "examples": {"names": list(examples.names), "X": examples.X.tolist(), "y": examples.y.tolist()},
        "settings": {
            "iterations": settings.iterations, "seed": settings.seed, "learning_rate": settings.learning_rate,
            **({"hidden": list(shape.hidden)} if shape.hidden else {}),
        },
    }
    if query is not None:
        query = np.asarray(query, dtype=np.float64)
        if query.shape != (m,):
            raise DataError(f"a query of {query.size} values for {m} inputs")
        session["query"] = query.tolist()
    session["run"] = run
    try:
        fields = [f"{json.dumps(k)}: {json.dumps(v, allow_nan=False)}" for k, v in session.items()]
    except ValueError:
        raise DataError("cannot save: a value is not a finite number") from None
    return "{\n  " + ",\n  ".join(fields) + "\n}\n"


def _recipe(
    examples: Examples, settings: Settings, weights: np.ndarray, iteration: int, history: History | None
) -> tuple[tuple[int, np.ndarray] | None, list[tuple[int, float]]]:
    """(where the run starts, if not at the seed's weights at 0; its learning-rate schedule)."""
    if history is None:
        return (iteration, weights), [(iteration, settings.learning_rate)]
    with history.lock:
        origin = history.origin
        first = history.w_first[0].copy()  # the first record is exact whatever the width
        rates = list(history.learning_rates)
    if not rates or rates[0][0] > origin:
        rates.insert(0, (origin, rates[0][1] if rates else settings.learning_rate))
    initial = Shape(examples.n_inputs, settings.validated().hidden).initial_weights(settings.seed)
    seeded = origin == 0 and first.tobytes() == initial.tobytes()
    return (None if seeded else (origin, first)), rates


def _layers(shape: Shape, weights: np.ndarray) -> list[list[list[float]]]:
    """Flat weights as the list of the network's layer matrices (the single neuron: [(m, 1) matrix])."""
    return [w.tolist() for w in shape.split(np.asarray(weights, dtype=np.float64))]


def load_session(path: PathLike) -> Session:
    """Read and check a session (without recomputing its run: see :meth:`Session.to_run`)."""
    return parse_session(read_text(path, MAX_SESSION_BYTES), source=str(path))


def parse_session(text: str, source: str = "<text>") -> Session:
    return _SessionReader(source).session(parse_json(text, source))


def parse_json(text: str, source: str) -> Any:
    def refuse_constant(name: str) -> None:
        raise FileFormatError(source, f"{name} is not a number a session can hold")

    def whole(digits: str) -> int:
        if len(digits.lstrip("-")) > MAX_INT_DIGITS:
            raise FileFormatError(
                source, f"holds a whole number of {len(digits.lstrip('-')):,} digits, far too large for any field")
        return int(digits)

    try:
        return json.loads(text, parse_constant=refuse_constant, parse_int=whole)
    except json.JSONDecodeError as e:
        raise FileFormatError(source, f"is not valid JSON ({e.msg})", line=e.lineno, column=e.colno) from None
    except RecursionError:
        raise FileFormatError(source, "is not valid JSON (nested too deeply)") from None


def looks_like_session(text: str) -> bool:
    """Whether a file is JSON (an object) rather than a CSV: its first character is ``{``."""
    return text.lstrip("\ufeff \t\r\n")[:1] == "{"


class _SessionReader(HistoryReader):
    """Checks a parsed session field by field; every refusal names the field."""

    def session(self, doc: Any) -> Session:
        if not isinstance(doc, dict):
            raise FileFormatError(self.source, "is not a neuron-gui session (expected a JSON object)")
        version = self._check_version(doc)
        examples = self._examples(self.get(doc, "examples", kind=dict))
        settings = self._settings(self.get(doc, "settings", kind=dict))
        query = None
        if doc.get("query") is not None:
            query = self._query(doc["query"], examples.n_inputs)
        if version == 1:
            weights = self.array(self.get(doc, "weights"), "weights", (examples.n_inputs,))
            iteration = self.whole(self.get(doc, "iteration"), "iteration", 0, MAX_ITERATIONS)
            history = None
            if doc.get("history") is not None:
                history = self.history(self.get(doc, "history", kind=dict), examples, weights, iteration)
            return Session(examples, settings, weights, iteration, history, query, format_version=1,
                           source=self.source)
        run = self.get(doc, "run", kind=dict)
        iteration = self.whole(self.get(run, "iteration", "run."), "run.iteration", 0, MAX_ITERATIONS)
        shape = Shape(examples.n_inputs, settings.hidden)
        weights = self._layer_weights(self.get(run, "weights", "run."), "run.weights", shape)
        start = None
        if run.get("start") is not None:
            s = self.get(run, "start", "run.", dict)
            at = self.whole(self.get(s, "iteration", "run.start."), "run.start.iteration", 0, iteration)
            start = (at, self._layer_weights(self.get(s, "weights", "run.start."), "run.start.weights", shape))
        rates = self.learning_rates(self.get(run, "learning_rates", "run.", list), "run.learning_rates",
                                    start[0] if start else 0, iteration)
        return Session(examples, settings, weights, iteration, None, query, rates, start, source=self.source)

    def _check_version(self, doc: dict) -> int:
        if "format_version" not in doc:
            raise FileFormatError(self.source, "is not a neuron-gui session (it has no format_version)")
        version = doc["format_version"]
        if type(version) is int and version > SESSION_FORMAT:
            raise FileFormatError(
                self.source,
                f"made by a newer neuron-gui (format {version}); this version reads format {SESSION_FORMAT}",
            )
        if type(version) is not int or version not in READABLE_FORMATS:
            raise self.fail("format_version", f"expected 1 or {SESSION_FORMAT}, found {describe(version)}")
        return version

    def _examples(self, obj: dict) -> Examples:
        names = self.get(obj, "names", "examples.", list)
        try:
            check_column_names(names)
        except DataError as e:
            raise self.fail("examples.names", str(e)) from None
        X = self.array(self.get(obj, "X", "examples."), "examples.X", (None, None))
        y = self.array(self.get(obj, "y", "examples."), "examples.y", (len(X),))
        try:
            return Examples.create(X, y, names)
        except DataError as e:
            raise self.fail("examples", str(e)) from None

    def _settings(self, obj: dict) -> Settings:
        values = {}
        checks = {"iterations": check_iterations, "seed": check_seed, "learning_rate": check_learning_rate}
        for key, check in checks.items():
            value = self.get(obj, key, "settings.")
            try:
                values[key] = check(value)
            except DataError as e:
                raise self.fail(f"settings.{key}", str(e)) from None
        hidden = obj.get("hidden", [])
        if not isinstance(hidden, list):
            raise self.fail("settings.hidden", f"expected a list of sizes, found {describe(hidden)}")
        try:
            values["hidden"] = check_hidden(hidden)
        except DataError as e:
            raise self.fail("settings.hidden", str(e)) from None
        return Settings(**values)

    def _query(self, value: Any, m: int) -> np.ndarray:
        query = self.array(value, "query", (m,))
        for j, v in enumerate(query):
            try:
                parse_cell(float(v), is_target=False)
            except DataError as e:
                raise self.fail(f"query[{j}]", str(e)) from None
        return query

    def _layer_weights(self, value: Any, name: str, shape: Shape) -> np.ndarray:
        """Flat weights from a list of layer matrices of the network's shape (the single neuron: one
        (m, 1) matrix)."""
        n = shape.n_layers
        if not isinstance(value, list) or len(value) != n:
            found = f"{len(value)} layers" if isinstance(value, list) else describe(value)
            what = "1 layer (the neuron's weights)" if n == 1 else f"{n} layers (a {shape} network)"
            raise self.fail(name, f"expected a list of {what}, found {found}")
        return shape.join([self.array(w, f"{name}[{k}]", rows_cols)
                           for k, (w, rows_cols) in enumerate(zip(value, shape.layer_shapes, strict=True))])
