"""What a run does to each file: the runner's modes, readable before the runner is imported.

The CLI decides the mode before its walk; the runner (dataclasses, typing: ~5 ms) is imported after it,
while a second process already reads the files (run/screen.py).
"""
CHECK, FIX, DIFF = "check", "fix", "diff"
