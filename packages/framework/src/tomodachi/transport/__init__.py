"""tomodachi 0.29's ``tomodachi.transport`` modules, re-exporting the transport libraries."""
