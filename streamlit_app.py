"""Observatoire: the entry point. The frame (page configuration, navigation, footer) lives in observatoire.ui.frame."""
from observatoire.ui import frame

frame.run()
