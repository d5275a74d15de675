"""The synthetic click log: the simulator (`simulate`), the logs on disk (`data`) and the
ground truth notebooks reach only by name (`oracle`).
"""

from .. import _submodules

__getattr__ = _submodules(__name__, (
    "data", "oracle", "simulate",
))
