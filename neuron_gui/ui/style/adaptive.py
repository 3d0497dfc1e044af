"""A panel's two parts stacked in a tall dock and side by side in a wide, short one (a dock along the
bottom of the window), so that the same view reads well wherever the user docks it."""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QWidget

WIDE_RATIO = 1.6  # wider than tall by this much: side by side
WIDE_MIN = 560  # and at least this wide (pixels)


def is_wide(widget: QWidget, wide_min: int = WIDE_MIN) -> bool:
    return widget.width() >= wide_min and widget.width() > WIDE_RATIO * widget.height()


class SideBySide(QWidget):
    """``first`` above ``second``, or left of it when :func:`is_wide` holds for ``measure`` (default:
    this widget; a panel in a scroll area passes itself). ``tall`` and ``wide`` are the two parts'
    stretch factors in each arrangement."""

    def __init__(self, first: QWidget, second: QWidget, tall: tuple[int, int] = (1, 0),
                 wide: tuple[int, int] = (1, 1), measure: QWidget | None = None, parent: QWidget | None = None,
                 changed=None):
        super().__init__(parent)
        self.measure = measure or self
        self.wide_min = WIDE_MIN  # a panel whose parts need more width side by side raises this
        self.changed = changed  # called with True (side by side) or False after a change
        self.stretch = {QBoxLayout.TopToBottom: tall, QBoxLayout.LeftToRight: wide}
        self.box = QBoxLayout(QBoxLayout.TopToBottom, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.addWidget(first, tall[0])
        self.box.addWidget(second, tall[1])

    @property
    def side_by_side(self) -> bool:
        return self.box.direction() == QBoxLayout.LeftToRight

    def adapt(self) -> None:
        direction = QBoxLayout.LeftToRight if is_wide(self.measure, self.wide_min) else QBoxLayout.TopToBottom
        if self.box.direction() != direction:
            self.box.setDirection(direction)
            for i, factor in enumerate(self.stretch[direction]):
                self.box.setStretch(i, factor)
            if self.changed is not None:
                self.changed(self.side_by_side)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self.adapt()
