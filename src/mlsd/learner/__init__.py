"""What learners use: the checks of exercises (`checks`), `mlsd check` (`selfcheck`), plots
(`plotting`), diagrams (`diagram`), headline figures (`figures`), the notebook set-up
(`notebook`), step 6's model registry (`registry`) and opening the course (`lab`).
"""

from .. import _submodules

__getattr__ = _submodules(__name__, (
    "checks", "diagram", "figures", "lab", "notebook", "plotting", "registry", "selfcheck",
))
