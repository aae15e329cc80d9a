"""Helpers every layer may use: the clock and text folding.

The bottom layer: nothing here imports a feature package (or Flask), so any module can
import it without a cycle.
"""
