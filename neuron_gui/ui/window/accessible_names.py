"""Names and roles a screen reader needs and Qt does not give on its own.

- A combo box is named by what it chooses ("Steps per click"), its current item being its value. Qt on
  Linux names a non-editable combo box by its current text over AT-SPI and ignores ``setAccessibleName``
  (its own interface does so on purpose, expecting a label's "labelled by" relation); an accessibility
  factory gives such combo boxes an interface of ours. Qt caches an object's interface once made, so the
  factory is installed before the window's widgets exist (:func:`install_accessible_factory`, from
  ``MainWindow``) and any interface made earlier is dropped (:func:`name_controls`).
- Plots and diagrams are charts and a graphic, not "filler"; their drawing areas (viewports, focusable
  on behalf of their view) are named for their view.
- The dock buttons say which panel they close or float; the table's in-place editor says which cell it
  edits; after an edit the focus is announced on the cell again (Qt announces only the table).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAccessibleWidget,
    QApplication,
    QComboBox,
    QDockWidget,
    QMainWindow,
    QTableView,
    QWidget,
)

ROLE_PROPERTY = "accessibleRole"  # "chart" or "graphic": the role the factory gives the widget
ROLES = {"chart": QAccessible.Chart, "graphic": QAccessible.Graphic}


class NamedComboBox(QAccessibleWidget):
    """A combo box named by what it chooses; its current item is its value (and said in its description)."""

    def __init__(self, combo: QComboBox):
        super().__init__(combo, QAccessible.ComboBox)

    def text(self, kind: QAccessible.Text) -> str:
        combo = self.widget()
        if kind == QAccessible.Name:
            return combo.accessibleName()
        if kind == QAccessible.Value:
            return combo.currentText()
        if kind == QAccessible.Description:
            about = combo.accessibleDescription() or combo.toolTip()
            return f"{about}. Now: {combo.currentText()}." if about else f"Now: {combo.currentText()}."
        return super().text(kind)


class RoleWidget(QAccessibleWidget):
    """A widget with the role its ``accessibleRole`` property names."""

    def __init__(self, widget: QWidget, role: QAccessible.Role):
        super().__init__(widget, role)


_made: dict[int, QAccessibleWidget] = {}  # our interfaces, kept alive while their widget lives


def _factory(_class_name: str, obj: QObject):
    if isinstance(obj, QComboBox) and not obj.isEditable() and obj.accessibleName():
        iface = NamedComboBox(obj)
    elif isinstance(obj, QWidget) and obj.property(ROLE_PROPERTY) in ROLES:
        iface = RoleWidget(obj, ROLES[obj.property(ROLE_PROPERTY)])
    else:
        return None
    key = id(obj)
    _made[key] = iface
    obj.destroyed.connect(lambda *_: _made.pop(key, None))
    return iface


_installed_for: set[int] = set()


def install_accessible_factory() -> None:
    """Once per application (QAccessible keeps factories for the process)."""
    app = QApplication.instance()
    if app is None or id(app) in _installed_for:
        return
    _installed_for.add(id(app))
    QAccessible.installFactory(_factory)


def _renew_interface(widget: QWidget) -> None:
    """Drop the interface Qt may have made for ``widget`` before our factory could, so that the next
    query makes ours (nothing outside has seen the window yet when this runs)."""
    iface = QAccessible.queryAccessibleInterface(widget)
    if iface is not None and not isinstance(iface, (NamedComboBox, RoleWidget)):
        QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(iface))


def set_role(widget: QWidget, role: str) -> None:
    widget.setProperty(ROLE_PROPERTY, role)
    _renew_interface(widget)


def name_controls(window: QMainWindow) -> None:
    """Names for what Qt leaves unnamed or names by its value; call once the window is built."""
    for combo in window.findChildren(QComboBox):
        if combo.accessibleName():
            _renew_interface(combo)
    name_dock_buttons(window)
    for view in window.findChildren(QAbstractScrollArea):
        role = view.property(ROLE_PROPERTY)
        if role in ROLES:
            # (its focus goes to the view, its focus proxy; taking its focus policy away would take the
            # view out of the Tab chain too)
            view.viewport().setAccessibleName(f"{view.accessibleName()}, drawing area")


def name_dock_buttons(window: QMainWindow) -> None:
    """Each dock's Close and Float buttons say which panel (Qt names them all "Close" and "Float", and
    names them again whenever a dock is docked or floated: call this after every such change)."""
    for dock in window.findChildren(QDockWidget):
        title = dock.windowTitle().replace("&", "").removeprefix("The ")
        for button in dock.findChildren(QAbstractButton):
            name = {"qt_dockwidget_closebutton": f"Close the {title} panel",
                    "qt_dockwidget_floatbutton": f"Float the {title} panel"}.get(button.objectName())
            if name and button.accessibleName() != name:
                button.setAccessibleName(name)


class CellEditing(QObject):
    """Names the table's in-place editor after its cell, and puts a screen reader back on the cell
    when the edit ends (Qt gives the focus back to the table, and announces only the table)."""

    def __init__(self, table: QTableView):
        super().__init__(table)
        self.table = table
        table.viewport().installEventFilter(self)
        # after the view's own handling (connected first), which gives the focus back to the table
        table.itemDelegate().closeEditor.connect(lambda *_: QTimer.singleShot(0, self.focus_cell))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.ChildAdded and isinstance(event.child(), QWidget):
            self._name_editor(event.child())
        return False

    def _name_editor(self, editor: QWidget) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        model = self.table.model()
        column = model.headerData(index.column(), Qt.Horizontal, Qt.DisplayRole)
        editor.setAccessibleName(f"Edit {column}, example {index.row() + 1}")
        editor.setAccessibleDescription("Type a number; Enter keeps it, Escape takes it back")

    def focus_cell(self) -> None:
        """Tell a screen reader the focus is on the current cell (as moving the cursor there does)."""
        table = self.table
        if not shiboken6.isValid(table) or not table.hasFocus() or not QAccessible.isActive():
            return
        index = table.currentIndex()
        iface = QAccessible.queryAccessibleInterface(table)
        if not index.isValid() or iface is None:
            return
        # Qt's table lists its children row by row, a row of column headers first and a row header at the
        # start of each row, when shown (PySide does not expose the table interface's cellAt)
        columns = table.model().columnCount() + (1 if table.verticalHeader().isVisible() else 0)
        child = ((index.row() + (1 if table.horizontalHeader().isVisible() else 0)) * columns + index.column()
                 + (1 if table.verticalHeader().isVisible() else 0))
        cell = iface.child(child) if child < iface.childCount() else None
        if cell is None or cell.role() != QAccessible.Cell:
            return
        event = QAccessibleEvent(table, QAccessible.Focus)
        event.setChild(child)
        QAccessible.updateAccessibility(event)
