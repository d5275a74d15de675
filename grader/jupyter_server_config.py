# Jupyter server configuration of the course, found when `mlsd lab` (`make lab`) starts
# JupyterLab: it puts this folder on JUPYTER_CONFIG_PATH, beside nbgrader_config.py.
c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

# Opening a notebook must not change it: JupyterLab adds the running kernel's details to
# `language_info`, which this hook drops again before every save.
c.FileContentsManager.pre_save_hook = "mlsd.learner.lab.normalise_on_save"
