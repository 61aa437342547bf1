from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_publishing_example_runs_against_moto_as_written(moto_url: str, tmp_path: Path) -> None:
    block = re.search(r"## Publish from a script\n\n```python\n(.*?)```", README.read_text(), re.S)
    assert block is not None
    script = tmp_path / "example.py"
    script.write_text(block.group(1))
    env = {**os.environ, "AWS_ENDPOINT_URL": moto_url}
    result = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("published ")


def test_readme_in_memory_aws_example_runs_as_written(tmp_path: Path) -> None:
    block = re.search(r"## Testing with the in-memory AWS\n.*?```python\n(.*?)```", README.read_text(), re.S)
    assert block is not None
    script = tmp_path / "memory_example.py"
    script.write_text(block.group(1))
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "in-memory AWS: Notification\n"
