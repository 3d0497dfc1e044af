"""File > Export > Python Script: the run as a standalone numpy script in the lesson's style.

The core writes the script (:func:`neuron_gui.core.script_export.script_for_run`); this asks where, says
why it cannot (no finished run, no valid query to end the script with), and writes it atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ...core import files
from ...core.examples import DataError
from ...core.script_export import script_for_run

if TYPE_CHECKING:
    from ...session.session import Session


def export_script(session: Session, source: str, ask_save_path: Callable[..., str | None],
                  report_error: Callable[[str, str], None], remember_folder: Callable[[str], None],
                  show_status: Callable[[str, int], None]) -> bool:
    """Ask for a file and write ``session``'s run there; ``source`` names the table in the script's header."""
    run = session.run
    if run is None or session.is_running:
        report_error("Cannot export the script", "There is no finished run to export: fix the table or stop "
                     "the run first.")
        return False
    query = session.query
    if query is None or query.inputs is None:
        report_error("Cannot export the script", "Enter a valid query first: the script ends by printing its "
                     "prediction." + (f" ({query.problem})" if query is not None and query.problem else ""))
        return False
    stem = Path(source).stem if source and source != "Untitled" else "neuron-gui-run"
    path = ask_save_path("Export Python script", f"{stem}.py", "Python script (*.py)")
    if not path:
        return False
    try:
        files.atomic_write_text(path, script_for_run(run, query.inputs, source))
    except (DataError, OSError) as e:
        report_error(f"Cannot export {Path(path).name}", str(e))
        return False
    remember_folder(path)
    show_status(f"Wrote {path}: run it with python {Path(path).name}", 8000)
    return True
