"""`neuron-gui --train --screenshot OUT.png`: the window trains to the end and saves a picture."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtGui import QImage


def test_train_and_screenshot_from_the_command_line(tmp_path):
    out = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-m", "neuron_gui", "--train", "--screenshot", str(out)],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    image = QImage(str(out))
    assert not image.isNull() and image.width() >= 800 and image.height() >= 500
