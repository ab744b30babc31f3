"""Where the Sora calls are in a module, and what their arguments resolve to."""
