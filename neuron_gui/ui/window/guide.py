"""The built-in guide's text: what a neuron, a weight, the sigmoid and the delta rule are, worked through
on the lesson's own example with its real numbers (computed here by the reference loop, never typed in),
how to read the window, and every keyboard shortcut (read from the menus, so it is never out of date).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cache

import numpy as np

from ...core.lesson import (
    DEFAULT_ITERATIONS,
    DEFAULT_SEED,
    LESSON_QUERY,
    LESSON_X,
    LESSON_Y,
    initial_weights,
    mean_squared_error,
    sigmoid,
    train_reference,
)


@dataclass(frozen=True)
class LessonNumbers:
    """The lesson's run, start to end, and its first iteration taken apart."""

    initial: np.ndarray
    untrained: float
    initial_error: float
    z: np.ndarray  # first iteration, per example
    output: np.ndarray
    error: np.ndarray
    slope: np.ndarray
    delta: np.ndarray
    adjustment: np.ndarray
    after_one: np.ndarray
    trained: np.ndarray
    prediction: float
    final_error: float


@cache
def lesson_numbers() -> LessonNumbers:
    X, y = LESSON_X, LESSON_Y
    w0 = initial_weights(DEFAULT_SEED, X.shape[1])
    z = X @ w0
    out = sigmoid(z)
    error = y - out
    slope = out * (1 - out)
    delta = error * slope
    adjustment = X.T @ delta
    trained = train_reference(X, y, w0, DEFAULT_ITERATIONS)
    return LessonNumbers(
        initial=w0, untrained=float(sigmoid(LESSON_QUERY @ w0)), initial_error=mean_squared_error(X, y, w0),
        z=z, output=out, error=error, slope=slope, delta=delta, adjustment=adjustment,
        after_one=train_reference(X, y, w0, 1), trained=trained,
        prediction=float(sigmoid(LESSON_QUERY @ trained)), final_error=mean_squared_error(X, y, trained),
    )


def _n(v: float, decimals: int = 8) -> str:
    """A number as the window shows it, with a real minus sign."""
    return f"{v:.{decimals}f}".replace("-", "−")


def _weights(w: np.ndarray, decimals: int = 8) -> str:
    return ", ".join(_n(v, decimals) for v in w)


def _row(*cells: str, header: bool = False) -> str:
    tag = "th" if header else "td"
    return "<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>"


SECTIONS = (
    ("start", "What you are looking at"),
    ("neuron", "A neuron"),
    ("weight", "A weight"),
    ("sigmoid", "The sigmoid"),
    ("delta", "The delta rule: how it learns"),
    ("lesson", "The lesson's example, in numbers"),
    ("plots", "Reading the window"),
    ("inside", "Looking back, and inside"),
    ("try", "Things to try"),
    ("classroom", "In the classroom"),
    ("keyboard", "Keyboard shortcuts"),
)


def guide_html(shortcuts: list[tuple[str, str, str]], more_panels: list[str] = ()) -> str:
    """The whole guide; ``shortcuts`` is (menu item, keys, what it does) for the keyboard section and
    ``more_panels`` the titles of the panels beyond the examples, training, query and network."""
    n = lesson_numbers()
    contents = "".join(f'<li><a href="#{key}">{title}</a></li>' for key, title in SECTIONS)
    examples = "".join(_row(str(r + 1), *(f"{v:g}" for v in LESSON_X[r]), f"{LESSON_Y[r]:g}") for r in range(4))
    first = "".join(
        _row(str(r + 1), _n(n.z[r], 4), _n(n.output[r], 4), _n(n.error[r], 4), _n(n.slope[r], 4), _n(n.delta[r], 4))
        for r in range(4)
    )
    sig = "".join(_row(_n(z, 0) if z == int(z) else _n(z, 2), _n(float(sigmoid(z)), 5),
                       _n(float(sigmoid(z) * (1 - sigmoid(z))), 5))
                  for z in (-6.0, -2.0, 0.0, 2.0, 6.0, float(LESSON_QUERY @ n.trained)))
    keys = "".join(_row(html.escape(text), f"<b>{html.escape(k)}</b>", html.escape(tip))
                   for text, k, tip in shortcuts)
    w1, w2, w3 = n.trained
    more = ""
    if more_panels:
        names = ", ".join(f"<b>{html.escape(t)}</b>" for t in more_panels)
        more = (f"<p>More panels explain the run further: {names}. Each can be shown or hidden in the "
                "<b>View</b> menu.</p>")
    return f"""
<h1>neuron-gui guide</h1>
<p>This window shows one artificial neuron learning from examples, live. Everything on screen is the
real arithmetic, done in the background while you watch.</p>
<ol>{contents}</ol>

<h2 id="start"><a name="start"></a>What you are looking at</h2>
<p>On the left: the <b>Examples</b> table (what the neuron should learn), the <b>Training</b> settings and
controls and the <b>Query</b> (a question you ask the neuron). In the middle: the <b>Weights</b> and the
<b>Error</b> as training goes on, and the <b>Sigmoid</b> with every example placed on it. The
<b>Network</b> diagram (the neuron itself) is under the plots, or under the controls on a wide screen.
Press <b>Train</b> (Ctrl+Return) and watch them move: a run plays out in about four seconds, whatever
its length, the first iterations slowest, because that is where the weights move most (<b>]</b> for
full speed).</p>{more}

<h2 id="neuron"><a name="neuron"></a>A neuron</h2>
<p>A neuron takes some inputs <i>x</i><sub>1</sub>, <i>x</i><sub>2</sub>, <i>x</i><sub>3</sub> (numbers),
multiplies each by its <b>weight</b>, adds the results up, and squashes the sum into an output between 0
and 1:</p>
<p align="center"><b>z = x<sub>1</sub>w<sub>1</sub> + x<sub>2</sub>w<sub>2</sub> + x<sub>3</sub>w<sub>3</sub>
&nbsp;&nbsp;&nbsp; output = sigmoid(z)</b></p>
<p>That is all a neuron does. Learning means finding weights that make the output right for the
examples; then it can answer inputs it has never seen.</p>

<h2 id="weight"><a name="weight"></a>A weight</h2>
<p>A weight says how much its input counts, and which way. A large positive weight pulls the output
towards 1 whenever its input is on; a negative one pulls it towards 0; a weight near 0 means the input
hardly matters. In the <b>Network</b> diagram each weight is a line from its input to the neuron:
thicker for a larger weight, <b>solid</b> when positive and <b>dashed</b> when negative (and blue or
orange). Hover a line to read its exact value.</p>

<h2 id="sigmoid"><a name="sigmoid"></a>The sigmoid</h2>
<p><b>sigmoid(z) = 1 / (1 + e<sup>−z</sup>)</b> turns any number into one between 0 and 1: large negative
sums give almost 0, large positive ones almost 1, and 0 gives exactly 0.5, "no idea". Its
<b>slope</b>, sigmoid(z)·(1 − sigmoid(z)), is steepest at z = 0 and almost flat far out, so an example
the neuron is already sure about changes the weights very little.</p>
<table border="1" cellspacing="0" cellpadding="4">
{_row("z", "sigmoid(z)", "slope", header=True)}{sig}
</table>
<p>The last row is the lesson's query after training: z = {_n(float(LESSON_QUERY @ n.trained), 2)}.</p>

<h2 id="delta"><a name="delta"></a>The delta rule: how it learns</h2>
<p>One <b>iteration</b> looks at every example at once:</p>
<ol>
<li><b>error</b> = target − output: how far off, and in which direction;</li>
<li><b>delta</b> = error × slope: the error, made small where the neuron is already sure;</li>
<li>each weight changes by the sum, over the examples, of <b>its input × delta</b>
(times the <b>learning rate</b>; the lesson's is 1).</li>
</ol>
<p>In one line, as the lesson writes it: <code>w += X.T @ ((y − out) * out * (1 − out))</code>.
An input that was 0 in an example leaves its weight alone for that example: it took no part in the
mistake. Repeat, and the error shrinks.</p>

<h2 id="lesson"><a name="lesson"></a>The lesson's example, in numbers</h2>
<p>Four examples, three inputs. Look closely: the target is always the same as <i>x</i><sub>1</sub>;
<i>x</i><sub>2</sub> is noise, and <i>x</i><sub>3</sub> is always 1.</p>
<table border="1" cellspacing="0" cellpadding="4">
{_row("example", "x<sub>1</sub>", "x<sub>2</sub>", "x<sub>3</sub>", "target y", header=True)}{examples}
</table>
<p><b>Before training</b> the weights are random (seed {DEFAULT_SEED}): <b>{_weights(n.initial)}</b>.
Asked about the new input <b>[1, 0, 0]</b>, the untrained neuron says <b>{_n(n.untrained)}</b>: a coin
toss. The mean squared error over the examples is {_n(n.initial_error, 4)}.</p>
<p><b>Iteration 1</b>, example by example:</p>
<table border="1" cellspacing="0" cellpadding="4">
{_row("example", "z", "output", "error", "slope", "delta", header=True)}{first}
</table>
<p>Adjustment = X<sup>T</sup> · delta = <b>{_weights(n.adjustment, 4)}</b>, so the weights become
<b>{_weights(n.after_one)}</b>.</p>
<p><b>After {DEFAULT_ITERATIONS:,} iterations</b> the weights are <b>{_weights(n.trained)}</b> and the
neuron answers [1, 0, 0] with <b>{_n(n.prediction)}</b>: almost certainly 1, which is right. The error is
down to {n.final_error:.3g}. It found the pattern: <i>x</i><sub>1</sub>'s weight is large and positive
({_n(w1, 2)}), <i>x</i><sub>2</sub>'s is near zero ({_n(w2, 2)}: it does not matter), and
<i>x</i><sub>3</sub>'s is negative ({_n(w3, 2)}): since <i>x</i><sub>3</sub> is always 1, it works as a
bias that pulls the output down when <i>x</i><sub>1</sub> is 0.</p>

<h2 id="plots"><a name="plots"></a>Reading the window</h2>
<ul>
<li><b>Weights</b>: each weight against the iteration; each input has its own colour and dash.</li>
<li><b>Error</b>: the mean squared error, (target − output)² averaged over the examples. On the log
scale every gridline down is ten times smaller.</li>
<li><b>Sigmoid</b>: the curve, and each example at its own z: <b>circles</b> should end near 0,
<b>triangles</b> near 1. The dotted line from each to its target is its error. The <b>star</b> is the
query.</li>
<li>Hover a plot to read exact values. Drag or scroll to zoom; the small <b>A</b> button follows the run
again. From the keyboard: Tab to a plot, then + and − zoom and Home follows the run again.</li>
<li>The table's grey columns show each example's output and error as training goes.</li>
</ul>

<h2 id="inside"><a name="inside"></a>Looking back, and inside</h2>
<p>Every view shows one iteration, the latest while the run is followed. The <b>timeline</b> along the
bottom goes back to any iteration of the run (so does a click on the Weights or Error plot, or dragging
its dashed line): then every view shows that moment, exactly as it was, while training carries on.
<b>Play</b> replays the run; <b>Live</b> follows it again.</p>
<ul>
<li><b>The Update, Written Out</b>: the delta rule for the iteration shown, with its numbers: each
example's z, output, error, slope and error × slope, then each weight's old value + its change = its new
value, which is the next iteration's. Step (Right) and watch it move one update at a time.</li>
<li><b>Why This Prediction</b>: the query's answer taken apart: each input times its weight, their sum
z, and sigmoid(z).</li>
<li><b>Error Surface</b>: how large the error would be for every value of two weights (darker is
smaller), the other weights held where they are, with the path the training took across it: gradient
descent walking downhill.</li>
<li><b>Kept Runs</b>: keep a finished run (Ctrl+K), change the seed or the learning rate and train again:
the kept run stays on the Weights and Error plots, faint and dashed, to compare.</li>
</ul>

<h2 id="try"><a name="try"></a>Things to try</h2>
<ul>
<li>Slow it down: drag <b>Speed</b> to 1 it/s, press <b>Step</b> (Right), and follow one iteration at a
time in the table and the diagram.</li>
<li>Change the <b>seed</b>: other starting weights (the □ on the <b>Error Surface</b> moves), the same
answer in the end: the path still finds the valley. Keep each run (Ctrl+K) to compare their curves.</li>
<li>Drag the timeline back to the start (iteration 0): <b>The Update, Written Out</b> shows the lesson's
iteration 1, the numbers above.</li>
<li>Set the <b>learning rate</b> to 10, or to 0.1, and compare the error curves.</li>
<li>Change the targets so y = <i>x</i><sub>2</sub>, and watch the weights swap roles.</li>
<li>Open the AND and OR tables from File &gt; Open (in the app's <code>examples</code> folder), or make the
targets 0, 1, 1, 0 for XOR-like data: one neuron cannot draw that line, and the error stops falling.</li>
</ul>

<h2 id="classroom"><a name="classroom"></a>In the classroom</h2>
<p><b>View &gt; Presentation Mode</b> (Ctrl+Shift+P) makes all text half as large again and the plots'
lines and markers thicker, for the back of the room. <b>View &gt; Full Screen</b> hides the rest of the
desktop. <b>View &gt; Theme</b> chooses light or dark whatever the computer is set to. Panels can be
dragged, stacked as tabs or closed; <b>View &gt; Reset Layout</b> puts them back.</p>

<h2 id="keyboard"><a name="keyboard"></a>Keyboard shortcuts</h2>
<p>Tab moves between the controls; in the table, the arrow keys move between cells and typing edits one.
Space and Right never take a key from where you are typing.</p>
<table border="1" cellspacing="0" cellpadding="4">
{_row("command", "keys", "what it does", header=True)}{keys}
</table>
"""
