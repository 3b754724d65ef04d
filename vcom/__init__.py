"""The `vcom` command line: the one place that wires backend, skill and voice_local together."""
