"""qa-tui's benchmarks: every figure beside a floor measured in the same run (``python -m bench``).

Not part of the test suite, and never a pass/fail: a smoke test runs each benchmark once on tiny
inputs so the code keeps working, and the figures are read by people (README, Performance).
"""
