"""Light and dark themes and presentation mode (View menu), remembered between sessions.

The theme follows the system's light or dark scheme (``QStyleHints.colorScheme`` and its change signal)
unless View > Theme says Light or Dark. The platform's own palette is kept whenever it already is of the
wanted lightness (so a desktop's colour scheme still shows); otherwise a Fusion-like light or dark palette
is used. Presentation mode, for projectors, enlarges the application's text by half and widens the plots'
lines and markers. Every change restyles the plots (see :mod:`.plot_style`) and the message labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QColor, QFont, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QMenu, QStyleFactory, QToolTip, QWidget

from .plot_style import (
    PRESENTATION_FONT_SCALE,
    PlotStyle,
    current_style,
    make_style,
    message_colour,
    set_current_style,
    style_plot,
)
from .readable import STYLE_NAME, ReadableIndicatorStyle, with_readable_disabled_text

if TYPE_CHECKING:
    from ..window.main_window import MainWindow

SYSTEM, LIGHT, DARK = "system", "light", "dark"
THEME_KEY, PRESENTATION_KEY = "view/theme", "view/presentation"
FONT_SCALE_PROPERTY = "fontScale"  # a widget with its own text size, relative to the application's
MESSAGE_PROPERTY = "messageKind"  # "error" or "hint": a message label coloured for the theme


def palette_is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.Window).lightness() < 128


def light_palette() -> QPalette:
    return QStyleFactory.create("Fusion").standardPalette()


def dark_palette() -> QPalette:
    """A dark palette with the contrast of the light one (text at least 7:1 on its background)."""
    p = QPalette()
    colours = {
        QPalette.Window: "#2d2d2d", QPalette.WindowText: "#e8e8e8", QPalette.Base: "#1e1e1e",
        QPalette.AlternateBase: "#282828", QPalette.ToolTipBase: "#3a3a3a", QPalette.ToolTipText: "#f0f0f0",
        QPalette.PlaceholderText: "#9a9a9a", QPalette.Text: "#e8e8e8", QPalette.Button: "#3a3a3a",
        QPalette.ButtonText: "#e8e8e8", QPalette.BrightText: "#ffffff", QPalette.Light: "#555555",
        QPalette.Midlight: "#464646", QPalette.Mid: "#6a6a6a", QPalette.Dark: "#202020",
        QPalette.Shadow: "#000000", QPalette.Highlight: "#2a7ab8", QPalette.HighlightedText: "#ffffff",
        QPalette.Link: "#56B4E9", QPalette.LinkVisited: "#CC79A7", QPalette.Accent: "#2a7ab8",
    }
    for role, colour in colours.items():
        p.setColor(role, QColor(colour))
    for role, colour in ((QPalette.WindowText, "#8a8a8a"), (QPalette.Text, "#8a8a8a"),
                         (QPalette.ButtonText, "#8a8a8a"), (QPalette.Button, "#333333"),
                         (QPalette.Base, "#262626"), (QPalette.Highlight, "#4a4a4a")):
        p.setColor(QPalette.Disabled, role, QColor(colour))
    return p


class ThemeManager(QObject):
    """View > Theme (Follow System, Light, Dark), View > Presentation Mode and View > Full Screen."""

    style_changed = Signal(object)  # the new PlotStyle, after every view has been restyled

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        app = QApplication.instance()
        self._base_font = QFont(app.font())
        self._base_tooltip_font = QToolTip.font()
        if app.style().objectName() != STYLE_NAME:  # check box outlines that can be seen in both themes
            app.setStyle(ReadableIndicatorStyle(app.style().name()))
        self._applying = False
        self._released = False
        s = QSettings()
        mode = str(s.value(THEME_KEY, SYSTEM) or SYSTEM)
        self.mode = mode if mode in (SYSTEM, LIGHT, DARK) else SYSTEM
        self.presentation = s.value(PRESENTATION_KEY, False, type=bool)
        self._build_actions()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)
        window.installEventFilter(self)
        self.apply()

    # -- actions ----------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        w = self.window
        self.theme_menu = QMenu("&Theme", w)
        self.theme_menu.setObjectName("themeMenu")
        self.theme_menu.setToolTipsVisible(True)
        self.theme_group = QActionGroup(self)
        self.theme_group.setExclusive(True)
        self.theme_actions: dict[str, QAction] = {}
        for mode, text, tip, name in (
            (SYSTEM, "Follow &System", "Light or dark as the system is set, changing when it changes",
             "themeSystemAction"),
            (LIGHT, "&Light", "Dark text on a light background, whatever the system's setting", "themeLightAction"),
            (DARK, "&Dark", "Light text on a dark background, whatever the system's setting", "themeDarkAction"),
        ):
            action = w._action(text, None, lambda _=False, m=mode: self.set_mode(m), tip, name)
            action.setCheckable(True)
            action.setChecked(mode == self.mode)
            self.theme_group.addAction(action)
            self.theme_menu.addAction(action)
            self.theme_actions[mode] = action
        self.presentation_action = w._action(
            "&Presentation Mode", "Ctrl+Shift+P", self.set_presentation,
            "Larger text, thicker lines and bigger markers, for a projector or a large screen", "presentationAction",
        )
        self.presentation_action.setCheckable(True)
        self.presentation_action.setChecked(self.presentation)
        # the platform's full-screen key, or F11 where it has none (plain X11)
        keys = QKeySequence.keyBindings(QKeySequence.FullScreen) or [QKeySequence(Qt.Key_F11)]
        self.full_screen_action = w._action("&Full Screen", keys[0], self.set_full_screen,
                                            "Fill the whole screen with the window", "fullScreenAction")
        self.full_screen_action.setShortcuts(keys)
        self.full_screen_action.setCheckable(True)

    def actions(self) -> list[QAction | QMenu]:
        """For the View menu, in order."""
        return [self.theme_menu, self.presentation_action, self.full_screen_action]

    # -- what the actions do ------------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        if mode not in (SYSTEM, LIGHT, DARK):
            raise ValueError(f"no theme {mode!r}")
        self.mode = mode
        self.theme_actions[mode].setChecked(True)
        QSettings().setValue(THEME_KEY, mode)
        hints = QGuiApplication.styleHints()
        self._applying = True  # the platform may answer with colorSchemeChanged at once
        try:
            if mode == SYSTEM:
                hints.unsetColorScheme()
            else:  # native title bars and dialogs follow too, where the platform supports it
                hints.setColorScheme(Qt.ColorScheme.Dark if mode == DARK else Qt.ColorScheme.Light)
        finally:
            self._applying = False
        self.apply()

    @Slot(bool)
    def set_presentation(self, on: bool) -> None:
        self.presentation = bool(on)
        self.presentation_action.setChecked(self.presentation)
        QSettings().setValue(PRESENTATION_KEY, self.presentation)
        self.apply()

    @Slot(bool)
    def set_full_screen(self, on: bool) -> None:
        w = self.window
        if on and not w.isFullScreen():
            w.setWindowState(w.windowState() | Qt.WindowFullScreen)
        elif not on and w.isFullScreen():
            w.setWindowState(w.windowState() & ~Qt.WindowFullScreen)

    @Slot()
    def _system_scheme_changed(self, *_) -> None:
        if self.mode == SYSTEM and not self._applying:
            self.apply()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.window:
            kind = event.type()
            if kind == QEvent.WindowStateChange:
                self.full_screen_action.setChecked(self.window.isFullScreen())
            elif kind == QEvent.ThemeChange and self.mode == SYSTEM and not self._applying:
                self.apply()  # e.g. the desktop's colour scheme changed without a light/dark switch
            elif kind == QEvent.DevicePixelRatioChange and not self._applying:
                self.apply()  # moved to a screen of another pixel ratio: line widths follow
        return False

    # -- applying ----------------------------------------------------------------------------------
    def is_dark(self) -> bool:
        """Whether the theme in force is dark."""
        return current_style().dark

    def apply(self) -> None:
        """Palette, fonts, plots and messages for the current mode and presentation setting."""
        if self._applying or self._released:
            return
        self._applying = True
        try:
            dark = self._apply_palette()
            point_size = self._apply_fonts()
            previous = current_style()
            style = make_style(dark, self.presentation, point_size, self.window.devicePixelRatioF())
            set_current_style(style)
            self.restyle(self.window, style, previous)
        finally:
            self._applying = False
        self.style_changed.emit(style)

    def _apply_palette(self) -> bool:
        app = QApplication.instance()
        app.setPalette(QPalette())  # the platform's own first: kept if it already is what is wanted
        platform_dark = palette_is_dark(app.palette())
        if self.mode == SYSTEM:
            scheme = QGuiApplication.styleHints().colorScheme()
            dark = platform_dark if scheme == Qt.ColorScheme.Unknown else scheme == Qt.ColorScheme.Dark
        else:
            dark = self.mode == DARK
        if dark != platform_dark:
            app.setPalette(dark_palette() if dark else light_palette())
        app.setPalette(with_readable_disabled_text(app.palette()))  # greyed out, yet 4.5:1
        QToolTip.setPalette(app.palette())
        return dark

    def _apply_fonts(self) -> float:
        font = QFont(self._base_font)
        size = self._base_font.pointSizeF()
        if size <= 0:  # a font given in pixels: scale those instead
            pixels = self._base_font.pixelSize()
            size = pixels * 72 / 96
            if self.presentation:
                font.setPixelSize(round(pixels * PRESENTATION_FONT_SCALE))
        elif self.presentation:
            font.setPointSizeF(size * PRESENTATION_FONT_SCALE)
        if self.presentation:
            size *= PRESENTATION_FONT_SCALE
        app = QApplication.instance()
        if app.font() != font:
            app.setFont(font)
        app.setFont(font, "QDockWidgetTitle")  # dock titles have a font of their own
        tip = QFont(self._base_tooltip_font)
        if self.presentation and tip.pointSizeF() > 0:
            tip.setPointSizeF(tip.pointSizeF() * PRESENTATION_FONT_SCALE)
        QToolTip.setFont(tip)
        return size

    @staticmethod
    def restyle(root: QWidget, style: PlotStyle, previous: PlotStyle | None = None) -> None:
        """Restyle every plot, relatively sized text and message label under ``root``."""
        for plot in root.findChildren(pg.PlotWidget):
            style_plot(plot, style, previous)
        for widget in root.findChildren(QWidget):
            scale = widget.property(FONT_SCALE_PROPERTY)
            if scale:
                font = QFont(widget.font())
                font.setPointSizeF(style.point_size * float(scale))
                widget.setFont(font)
        for dock in root.findChildren(QDockWidget):
            # A dock draws its title in the title font it was created with while its own font equals the
            # application's; a font that differs (in a way nobody sees) makes it use its own, the new size.
            font = QFont(QApplication.font())
            font.setStyleStrategy(QFont.PreferQuality)
            dock.setFont(font)
        for label in root.findChildren(QLabel):
            kind = label.property(MESSAGE_PROPERTY)
            if kind:
                label.setStyleSheet(f"color: {message_colour(kind == 'error', style.dark)};")
        for widget in root.findChildren(QWidget):
            hook = getattr(widget, "apply_style", None)
            if callable(hook) and not isinstance(widget, pg.PlotWidget):
                hook(style)

    def release(self) -> None:
        """Give the application its own palette and fonts back (the window is closing); from now on
        this manager changes nothing."""
        if self._released:
            return
        self._released = True
        QGuiApplication.styleHints().colorSchemeChanged.disconnect(self._system_scheme_changed)
        self.window.removeEventFilter(self)
        app = QApplication.instance()
        app.setFont(self._base_font)
        app.setFont(self._base_font, "QDockWidgetTitle")
        QToolTip.setFont(self._base_tooltip_font)
        if app.style().objectName() == STYLE_NAME:
            app.setStyle(QStyleFactory.create(app.style().name()))  # the style it wraps
        app.setPalette(QPalette())
        QToolTip.setPalette(app.palette())
        if self.mode != SYSTEM:
            QGuiApplication.styleHints().unsetColorScheme()
        set_current_style(make_style(False, False, self._base_font.pointSizeF()))
