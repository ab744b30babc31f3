"""A run: the layer that reads and writes files."""
