"""The desktop app's widgets and controllers (PySide6); the core never imports this."""
