"""Styling shared by every widget: themes, plot styles, icons, mathematical text, adaptive layout helpers."""
