"""QtCore only, no widgets: the run's owner, the training worker thread, background jobs, the open document."""
