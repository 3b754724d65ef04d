"""Offline kiosk: audio → speech recognition → intent matcher → the skill's handlers → speech."""
