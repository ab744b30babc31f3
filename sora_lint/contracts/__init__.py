"""The Sora contracts as data and plain Python: models, durations, sizes, types, lifecycle dates,
and which profile applies to a file. Nothing here imports LibCST or reads user code."""
