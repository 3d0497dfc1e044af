"""``python -m neuron_gui``: the same as the ``neuron-gui`` command."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
