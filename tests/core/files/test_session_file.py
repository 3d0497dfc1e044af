"""Session files: the recipe and the final state (format 2), recomputed and checked on open; format 1
still read, as strictly as a CSV (no Qt)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from neuron_gui.core.examples import DataError, Examples
from neuron_gui.core.files import (
    Cancelled,
    FileFormatError,
    format_session,
    load_session,
    parse_session,
    save_session,
)
from neuron_gui.core.history import History
from neuron_gui.core.lesson import initial_weights, train_reference
from neuron_gui.core.training import Run, Settings, train


def bits(a) -> bytes:
    return np.ascontiguousarray(a, dtype=np.float64).tobytes()


@pytest.fixture(scope="module")
def lesson_run() -> Run:
    return train(Examples.lesson())


def changed_rate_run() -> Run:
    """3,000 iterations at 1, 1,500 at 0.25, then 500 at 2: a learner moving the slider mid-run."""
    run = Run(Examples.lesson(), Settings(iterations=5_000))
    for iterations, rate in ((3_000, 1.0), (1_500, 0.25), (500, 2.0)):
        run.learning_rate = rate
        run.step(iterations)
    return run


def test_a_session_is_small_and_reopens_to_the_same_run(tmp_path: Path, lesson_run: Run):
    path = tmp_path / "s.json"
    save_session(path, lesson_run.examples, lesson_run.settings, lesson_run.weights, 10_000, lesson_run.history,
                 query=np.array([0.0, 1.0, 1.0]))
    assert path.stat().st_size < 1_000  # format 1: 860 KB
    session = load_session(path)
    assert session.examples == lesson_run.examples and session.settings == lesson_run.settings
    assert session.query.tolist() == [0.0, 1.0, 1.0]
    run = session.to_run()
    assert run.iteration == 10_000 and bits(run.weights) == bits(lesson_run.weights)
    again, original = run.history.exact_records(), lesson_run.history.exact_records()
    assert bits(again.weights) == bits(original.weights) and bits(again.errors) == bits(original.errors)
    assert f"{run.weights[0]:.8f}" == "9.67299303"
    run.extend(500)
    run.step(run.remaining)
    lesson = Examples.lesson()
    assert bits(run.weights) == bits(train_reference(lesson.X, lesson.y, initial_weights(1, 3), 10_500))


def test_a_mid_run_learning_rate_change_survives_save_and_open(tmp_path: Path):
    run = changed_rate_run()
    assert run.history.learning_rates == [(0, 1.0), (3_000, 0.25), (4_500, 2.0)]
    save_session(tmp_path / "s.json", run.examples, Settings(5_000, 1, 2.0), run.weights, run.iteration,
                 run.history)
    doc = json.loads((tmp_path / "s.json").read_text())
    assert doc["run"]["learning_rates"] == [[0, 1.0], [3_000, 0.25], [4_500, 2.0]]
    back = load_session(tmp_path / "s.json").to_run()
    assert back.history.learning_rates == run.history.learning_rates
    assert bits(back.weights) == bits(run.weights)
    assert bits(back.history.exact_records().weights) == bits(run.history.exact_records().weights)


def test_a_session_that_lost_a_rate_change_is_refused_not_silently_wrong(tmp_path: Path):
    run = changed_rate_run()
    doc = json.loads(format_session(run.examples, run.settings, run.weights, run.iteration, run.history))
    doc["run"]["learning_rates"] = doc["run"]["learning_rates"][:1]
    session = parse_session(json.dumps(doc), "s.json")
    with pytest.raises(FileFormatError) as info:
        session.to_run()
    assert str(info.value).startswith("s.json: run.weights: the saved weights are not what its table, seed and "
                                      "learning rates give after 5,000 iterations")


def test_a_resumed_run_saves_where_it_started(tmp_path: Path, lesson_run: Run):
    start = np.array([0.5, -0.25, 2.0])
    run = Run.resume(Examples.lesson(), Settings(iterations=700), start, 200)
    run.step(500)
    text = format_session(run.examples, run.settings, run.weights, run.iteration, run.history)
    assert json.loads(text)["run"]["start"] == {"iteration": 200, "weights": [[[0.5], [-0.25], [2.0]]]}
    back = parse_session(text).to_run()
    assert back.iteration == 700 and back.history.origin == 200 and bits(back.weights) == bits(run.weights)


def test_recomputing_reports_progress_and_can_be_cancelled(lesson_run: Run):
    text = format_session(lesson_run.examples, lesson_run.settings, lesson_run.weights, 10_000, lesson_run.history)
    session = parse_session(text)
    seen: list[float] = []
    session.to_run(progress=seen.append)
    assert seen and seen == sorted(seen) and seen[-1] == 1.0

    def cancel(fraction: float) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        session.to_run(progress=cancel)


# -- format 1 -------------------------------------------------------------------------------------

def v1(run: Run, width: int = 1) -> dict:
    """A session as format 1 wrote it: the history itself, every ``width`` iterations a bucket."""
    state = run.history.state()
    doc = {
        "format_version": 1, "app": "neuron-gui",
        "examples": {"names": run.examples.names, "X": run.examples.X.tolist(), "y": run.examples.y.tolist()},
        "settings": {"iterations": run.settings.iterations, "seed": run.settings.seed,
                     "learning_rate": run.settings.learning_rate},
        "weights": run.weights.tolist(), "iteration": run.iteration,
    }
    history = {"width": width, "first_iteration": state.origin, "count": state.count,
               "learning_rates": [list(p) for p in state.learning_rates]}
    if width == 1:
        history["weights"], history["errors"] = state.w_first.tolist(), state.e_first.tolist()
    else:
        def fold(a, op):
            return [op(a[i:i + width], axis=0).tolist() for i in range(0, len(a), width)]
        history["weights"] = {"first": state.w_first[::width].tolist(), "min": fold(state.w_first, np.min),
                              "max": fold(state.w_first, np.max)}
        history["errors"] = {"first": state.e_first[::width].tolist(), "min": fold(state.e_first, np.min),
                             "max": fold(state.e_first, np.max)}
    doc["history"] = history
    return doc


def test_format_1_sessions_still_open(lesson_run: Run):
    session = parse_session(json.dumps(v1(lesson_run)), "old.json")
    assert session.format_version == 1 and session.query is None
    run = session.to_run()
    assert run.iteration == 10_000 and bits(run.weights) == bits(lesson_run.weights)
    assert bits(run.history.exact_records().weights) == bits(lesson_run.history.exact_records().weights)
    doc = v1(lesson_run)
    del doc["history"]
    assert parse_session(json.dumps(doc)).to_run().iteration == 10_000


def test_a_format_1_history_the_run_could_not_have_produced_is_refused():
    """A few KB claiming 10^8 iterations a bucket froze the window's replay for 102 s."""
    run = train(Examples.lesson(), Settings(iterations=20))
    doc = v1(run)
    doc["iteration"] = 100_000_000
    doc["history"].update(width=100_000_000, count=100_000_001, weights={"first": [[0, 0, 0]] * 2,
                          "min": [[0, 0, 0]] * 2, "max": [[0, 0, 0]] * 2},
                          errors={"first": [0.1] * 2, "min": [0.1] * 2, "max": [0.1] * 2})
    with pytest.raises(FileFormatError) as info:
        parse_session(json.dumps(doc), "s.json")
    assert str(info.value).startswith("s.json: history.width: 100,000,000 iterations a record cannot come from "
                                      "a run of 100,000,001 records (expected a power of two up to 2,048)")


def v1_change(change) -> dict:
    run = train(Examples.lesson(), Settings(iterations=40))
    doc = v1(run, width=1)
    change(doc["history"])
    return doc


@pytest.mark.parametrize(("change", "message"), [
    (lambda h: h.update(learning_rates=[]), "history.learning_rates: is empty"),
    (lambda h: h.update(learning_rates=[[0, 1.0], [10, 0.5], [5, 1.0]]),
     "history.learning_rates[2]: iteration 5 does not come after 10"),
    (lambda h: h.update(learning_rates=[[3, 1.0]]), "history.learning_rates[0]: the first rate must start at"),
    (lambda h: h["errors"].__setitem__(3, -0.5), "history.errors: a negative error (-0.5)"),
])
def test_format_1_histories_are_checked_strictly(change, message: str):
    with pytest.raises(FileFormatError) as info:
        parse_session(json.dumps(v1_change(change)), "s.json")
    assert str(info.value).startswith(f"s.json: {message}"), str(info.value)


def test_a_format_1_bucket_with_its_minimum_above_its_maximum_is_refused():
    run = train(Examples.lesson(), Settings(iterations=40))
    doc = v1(run, width=1)
    doc["history"].update(width=2, count=41)  # not what format 1 wrote for 41 records, but check buckets too
    with pytest.raises(FileFormatError, match="history.width"):
        parse_session(json.dumps(doc), "s.json")
    run = Run(Examples.lesson(), Settings(iterations=200_000))
    run.step(140_000)  # 140,001 records: format 1 saved them 4 to a bucket
    doc = v1(run, width=4)
    doc["history"]["weights"]["min"][5] = [99.0, 99.0, 99.0]
    with pytest.raises(FileFormatError) as info:
        parse_session(json.dumps(doc), "s.json")
    assert str(info.value).startswith("s.json: history.weights: bucket 5 has its minimum above its first value")


# -- refusals --------------------------------------------------------------------------------------

def good_session() -> dict:
    run = train(Examples.lesson(), Settings(iterations=20))
    return json.loads(format_session(run.examples, run.settings, run.weights, 20, run.history, np.array([1, 0, 0])))


def mutate(path: str, value):
    def apply(doc: dict) -> None:
        *parents, last = path.split(".")
        for key in parents:
            doc = doc[key]
        if value is KeyError:
            del doc[last]
        else:
            doc[last] = value(doc[last]) if callable(value) else value
    return apply


BAD_SESSIONS = [
    (mutate("format_version", 3), "s.json: made by a newer neuron-gui (format 3); this version reads format 2"),
    (mutate("format_version", "2"), 's.json: format_version: expected 1 or 2, found "2"'),
    (mutate("format_version", KeyError), "s.json: is not a neuron-gui session (it has no format_version)"),
    (mutate("examples", KeyError), "s.json: examples: missing"),
    (mutate("examples", [1, 2]), "s.json: examples: expected an object, found [1, 2]"),
    (mutate("examples.X", lambda X: X[:3]), "s.json: examples.y: 4 values, expected 3"),
    (mutate("examples.X", lambda X: [X[0], ["a", 0, 1], *X[2:]]),
     's.json: examples.X[1][0]: expected a number, found "a"'),
    (mutate("examples.X", lambda X: [X[0], [0, 1], *X[2:]]), "s.json: examples.X[1]: 2 values, expected 3"),
    (mutate("examples.y", [0, 1, 2, 0]), "s.json: examples: row 3, y: target 2 is outside [0, 1]"),
    (mutate("examples.y", [0, 1, 1.0000000000000002, 0]),
     "s.json: examples: row 3, y: target 1.0000000000000002 is outside [0, 1]"),
    (mutate("examples.names", ["a", "b"]), "s.json: examples: 2 column names for 3 inputs"),
    (mutate("examples.names", ["a", "a", "b"]), "s.json: examples.names: column name 'a' appears twice"),
    (mutate("examples.names", ["a", "", "b"]), "s.json: examples.names: column 2 has no name"),
    (mutate("examples.names", ["a", " b", "c"]), "s.json: examples.names: column name ' b' starts or ends"),
    (mutate("examples.names", ["a", "b\udc80", "c"]), "s.json: examples.names: column 2's name 'b\\udc80' holds a "
                                                     "lone surrogate"),
    (mutate("settings.iterations", 0), "s.json: settings.iterations: iterations must be between 1 and"),
    (mutate("settings.iterations", 20.0), "s.json: settings.iterations: iterations must be a whole number"),
    (mutate("settings.seed", KeyError), "s.json: settings.seed: missing"),
    (mutate("settings.learning_rate", "fast"), "s.json: settings.learning_rate: the learning rate must be a number"),
    (mutate("query", [1, 0]), "s.json: query: 2 values, expected 3"),
    (mutate("query", [1, 0, 2e6]), "s.json: query[2]: input 2000000 is too large"),
    (mutate("run", KeyError), "s.json: run: missing"),
    (mutate("run.weights", [[1, 2, 3]]), "s.json: run.weights[0][0]: expected a list, found 1"),
    (mutate("run.weights", [[[1], [2]]]), "s.json: run.weights[0]: 2 rows, expected 3"),
    (mutate("run.weights", [[[1], [True], [2]]]), "s.json: run.weights[0][1][0]: expected a number, found true"),
    (mutate("run.weights", [[[1], [2], [3]], [[1]]]), "s.json: run.weights: expected a list of 1 layer"),
    (mutate("run.iteration", -1), "s.json: run.iteration: expected a whole number from 0 to 100,000,000, found -1"),
    (mutate("run.learning_rates", []), "s.json: run.learning_rates: is empty"),
    (mutate("run.learning_rates", [[0, -1]]), "s.json: run.learning_rates[0]: the learning rate must"),
    (mutate("run.learning_rates", [[0, 1], [30, 2]]), "s.json: run.learning_rates[1]: iteration 30 is after the "
                                                       "run's last, 20"),
]


@pytest.mark.parametrize(("change", "message"), BAD_SESSIONS)
def test_bad_sessions_are_refused_naming_the_field(tmp_path: Path, change, message: str):
    doc = good_session()
    change(doc)
    (tmp_path / "s.json").write_text(json.dumps(doc))
    with pytest.raises(FileFormatError) as info:
        load_session(tmp_path / "s.json")
    assert str(info.value).startswith(message), str(info.value)
    assert "\n" not in str(info.value)
    str(info.value).encode("utf-8")


def test_changed_weights_are_found_when_the_run_is_recomputed(tmp_path: Path):
    doc = good_session()
    doc["run"]["weights"][0][1][0] += 1e-15
    with pytest.raises(FileFormatError, match="run.weights: the saved weights are not what"):
        parse_session(json.dumps(doc), "s.json").to_run()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "s.json: line 1, column 1: is not valid JSON (Expecting value)"),
        ('{\n  "format_version": 1,\n  "examples": {,\n}', "s.json: line 3, column 16: is not valid JSON"),
        ("[1, 2]", "s.json: is not a neuron-gui session (expected a JSON object)"),
        ('{"format_version": 1, "weights": [NaN]}', "s.json: NaN is not a number a session can hold"),
        ('{"format_version": 1, "weights": [-Infinity]}', "s.json: -Infinity is not a number"),
        ("[" * 100_000, "s.json: is not valid JSON"),
        ('{"format_version": ' + "1" * 5_000 + "}", "s.json: holds a whole number of 5,000 digits"),
    ],
)
def test_files_that_are_not_sessions_are_refused(tmp_path: Path, text: str, message: str):
    (tmp_path / "s.json").write_text(text)
    with pytest.raises(FileFormatError) as info:
        load_session(tmp_path / "s.json")
    assert str(info.value).startswith(message), str(info.value)


@pytest.mark.parametrize("field", ["run.iteration", "run.weights", "settings.seed"])
def test_a_whole_number_past_pythons_digit_limit_is_refused_in_any_field(field: str):
    doc = good_session()
    text = json.dumps(doc)
    huge = "1" * 5_000
    if field == "run.weights":
        text = text.replace('"weights": [[[', f'"weights": [[[{huge}, ', 1)
    else:
        key = field.split(".")[1]
        text = text.replace(f'"{key}": {doc[field.split(".")[0]][key]}', f'"{key}": {huge}', 1)
    with pytest.raises(FileFormatError, match="holds a whole number of 5,000 digits"):
        parse_session(text, "s.json")


def test_saving_refuses_an_inconsistent_session(tmp_path: Path, lesson_run: Run):
    with pytest.raises(DataError, match="the history ends at iteration 10000, not 5"):
        save_session(tmp_path / "s.json", lesson_run.examples, lesson_run.settings, lesson_run.weights, 5,
                     lesson_run.history)
    with pytest.raises(DataError, match="2 weights for 3 inputs"):
        save_session(tmp_path / "s.json", lesson_run.examples, lesson_run.settings, [1.0, 2.0], 5)
    assert list(tmp_path.iterdir()) == []


def test_a_session_without_history_resumes_at_its_iteration(lesson_run: Run):
    text = format_session(lesson_run.examples, lesson_run.settings, lesson_run.weights, 10_000)
    run = parse_session(text).to_run()
    assert run.iteration == 10_000 and run.history.origin == 10_000 and bits(run.weights) == bits(lesson_run.weights)


def test_a_session_holds_only_what_its_recipe_needs(lesson_run: Run):
    doc = json.loads(format_session(lesson_run.examples, lesson_run.settings, lesson_run.weights, 10_000,
                                    History.from_state(lesson_run.history.state())))
    assert list(doc) == ["format_version", "app", "examples", "settings", "run"]
    assert doc["run"] == {"iteration": 10_000, "learning_rates": [[0, 1.0]],
                          "weights": [[[w] for w in lesson_run.weights.tolist()]]}


def test_a_format_1_session_saved_again_is_format_2_and_reopens_to_the_same_run(lesson_run: Run):
    for doc in (v1(lesson_run), {k: v for k, v in v1(lesson_run).items() if k != "history"}):
        run = parse_session(json.dumps(doc), "old.json").to_run()
        text = format_session(run.examples, run.settings, run.weights, run.iteration, run.history)
        assert json.loads(text)["format_version"] == 2
        again = parse_session(text, "new.json").to_run()
        assert again.iteration == 10_000 and bits(again.weights) == bits(lesson_run.weights)
