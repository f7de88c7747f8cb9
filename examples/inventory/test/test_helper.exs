# The application tree is started by mix before the tests run; tests that need
# a clean stock state clear the memory store in their setup.
ExUnit.start(capture_log: true)
