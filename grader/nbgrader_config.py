# nbgrader configuration of the course. It is found by the `mlsd` commands (which pass it
# explicitly) and by JupyterLab's Validate button and formgrader when the Makefile starts
# JupyterLab (JUPYTER_CONFIG_PATH points here). Paths are absolute, so the working folder
# does not matter.
import os

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

here = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.root = os.path.dirname(here)
c.CourseDirectory.course_id = "mlsd"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.submitted_directory = os.path.join("grader", "submitted")
c.CourseDirectory.autograded_directory = os.path.join("grader", "autograded")
c.CourseDirectory.feedback_directory = os.path.join("grader", "feedback")
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(here, "gradebook.db")
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", ".*"]

# Release: the stub a learner sees in every solution cell.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Per-cell limit, on purpose: the slowest solution cell takes a few seconds at the grading
# preset; two minutes leaves room for a slow laptop and still stops an endless loop.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# A library warning on stderr must not zero a test cell (nbgrader scores any stderr as a
# failure). Test cells already silence warnings inside `mlsd.exercise`; this is the backstop.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"(Warning|warnings\.warn)"

# The exchange (nbgrader's release/fetch/submit over a shared folder) stays inside the course,
# so nothing needs a system-wide folder; a multi-user server sets its own.
c.Exchange.root = os.path.join(here, "exchange")
# Formgrader warns that release and collect are unavailable while the exchange folder is
# missing, and a fresh clone has none (git keeps no empty folder): make it on first use.
os.makedirs(c.Exchange.root, exist_ok=True)
