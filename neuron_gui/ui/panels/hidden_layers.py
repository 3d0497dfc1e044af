"""The "Hidden layers" field: the network's shape, typed as comma-separated sizes.

Empty or ``0`` is the lesson's single neuron (the default); ``4`` is the sequel's 3-4-1 network, ``4,3``
two hidden layers. A change is committed on Return or when the field loses focus: bad sizes are refused
with the reason (shown through ``show``) and the field goes back to the shape in use, so nothing changes.
A good change is pushed on the table's undo stack, like an edit of the table: Undo brings the previous
shape (and its run) back, and the document counts it as an unsaved change.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QLineEdit

from ...core.examples import DataError
from ...core.network import MAX_HIDDEN_LAYERS, MAX_HIDDEN_SIZE, format_hidden, parse_hidden


def shown_sizes(sizes: tuple[int, ...]) -> str:
    """What the field shows for ``sizes``: ``"4, 3"``, or empty for the single neuron."""
    return ", ".join(str(s) for s in sizes)


class HiddenLayersField(QLineEdit):
    """A line edit holding the hidden layers' sizes in use (``sizes``); ``sizes_changed`` after a change."""

    sizes_changed = Signal()

    def __init__(self, show: Callable[[str], None], parent=None):
        super().__init__(parent)
        self.setObjectName("hiddenLayersInput")
        self.setPlaceholderText("none: one neuron")
        self.setClearButtonEnabled(True)
        self.setAccessibleName("Hidden layers")
        self.setToolTip(
            "Hidden layers of the network, comma-separated sizes (e.g. 4 or 4, 3); empty or 0 for the "
            f"lesson's single neuron. Up to {MAX_HIDDEN_LAYERS} layers of 1 to {MAX_HIDDEN_SIZE} neurons.")
        self._show = show
        self._sizes: tuple[int, ...] = ()
        self.undo_stack: QUndoStack | None = None  # where a change is pushed (the table's, set by the window)
        self.editingFinished.connect(self.commit)

    @property
    def sizes(self) -> tuple[int, ...]:
        return self._sizes

    def set_sizes(self, sizes: tuple[int, ...]) -> None:
        """Show and use ``sizes`` (already valid), without an undo step (a preset, a file, an undo)."""
        sizes = tuple(sizes)
        self.setText(shown_sizes(sizes))
        if sizes != self._sizes:
            self._sizes = sizes
            self.sizes_changed.emit()

    def commit(self) -> bool:
        """Take the text typed: True if it is now in use (or unchanged), False if refused (reason shown)."""
        text = self.text()
        try:
            sizes = parse_hidden(text)
        except DataError as e:
            self.setText(shown_sizes(self._sizes))
            self._show(f"Hidden layers: {e}; kept {self._describe(self._sizes)}")
            return False
        self._show("")
        if sizes == self._sizes:
            self.setText(shown_sizes(sizes))  # "0" or " 4 " shown as it is used
            return True
        self.change_to(sizes)
        return True

    def change_to(self, sizes: tuple[int, ...]) -> None:
        """Use ``sizes`` (already valid) as an undoable step (a preset; the text typed, committed)."""
        sizes = tuple(sizes)
        if sizes == self._sizes:
            self.setText(shown_sizes(sizes))
        elif self.undo_stack is None:
            self.set_sizes(sizes)
        else:
            self.undo_stack.push(_SetHidden(self, self._sizes, sizes))

    @staticmethod
    def _describe(sizes: tuple[int, ...]) -> str:
        return "the single neuron" if not sizes else f"hidden layers {format_hidden(sizes)}"


class _SetHidden(QUndoCommand):
    def __init__(self, field: HiddenLayersField, before: tuple[int, ...], after: tuple[int, ...]):
        super().__init__(f"hidden layers {format_hidden(after)}" if after else "single neuron")
        self.field, self.before, self.after = field, before, after

    def redo(self) -> None:
        self.field.set_sizes(self.after)

    def undo(self) -> None:
        self.field.set_sizes(self.before)
