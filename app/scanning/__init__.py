"""Qt-free scanning: parse scanned text into a BSN, classify keystroke bursts, decode camera frames."""
