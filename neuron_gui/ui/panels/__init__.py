"""Panels the learner edits: the examples table and its model, training settings and controls, the query,
copy/paste and the input guards."""
