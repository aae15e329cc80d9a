"""The web layer every feature builds on: forms, 404 loaders, private downloads, external
addresses and the back office's parent blueprint. It belongs to no feature."""
