"""The trust core: vault, journal, checkpoints, verification. Never imports Qt."""
