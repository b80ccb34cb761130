"""Background work of the data portal, as the worker (`manage.py db_worker`) finds it:
validating and loading uploaded files, protecting the release after a load or a policy change,
comparing a proposed policy with the current one. Each task is defined beside the action that
queues it (`data.uploads`, `data.policy_changes`): this module imports them, never the reverse."""

from data.policy_changes import preview_policy_change, protect_release
from data.uploads import load_upload

__all__ = ["load_upload", "preview_policy_change", "protect_release"]
