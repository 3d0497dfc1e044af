"""The main window and what it assembles: actions, menus, layout, preferences, files, exports, help, accessibility,
desktop integration and the application's start. Only this package imports the main window."""
