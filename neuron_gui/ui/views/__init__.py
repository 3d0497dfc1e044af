"""Views of the state on display: plots, cursors, the network diagram, the update, contributions, the error
surface, kept runs and the replay timeline."""
