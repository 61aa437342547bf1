"""``tomodachi.helpers``: older import paths of helper functions (``tomodachi.helpers.execution_context``)."""
