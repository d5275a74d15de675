"""For authors and maintainers: the student release (`release`) and the solutions run end to
end with papermill (`run`).
"""

from .. import _submodules

__getattr__ = _submodules(__name__, (
    "release", "run",
))
