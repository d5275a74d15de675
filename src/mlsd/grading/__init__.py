"""Grading a class, one pipeline over one record per submission (`record`):
collect (`collect`) → screen (`screen`) → run (`job`, in a `sandbox`, by the `worker` script,
re-checked by `recheck`) → store (`store`, `gradebook`) → report (`report`); `pipeline` ties
them together and `layout` says where a submission's notebooks go.
"""

from .. import _submodules

__getattr__ = _submodules(__name__, (
    "collect", "gradebook", "job", "layout", "pipeline", "recheck", "record", "report",
    "sandbox", "screen", "store",
))
