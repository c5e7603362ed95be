"""Write export files atomically next to their target, so no copy with BSNs is left anywhere else."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TEMP_PREFIX = ".prikpost-"


def write_atomically(target: Path | str, data: bytes) -> Path:
    """Write data to target via a temporary file in the same folder; remove that file on any error."""
    target = Path(target)
    handle, temp_name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, target)
    except BaseException:
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        raise
    return target
