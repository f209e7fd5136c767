import pytest

# Helpers whose asserts say what they compared when they fail, as a test module's do.
pytest.register_assert_rewrite("tests.index_damage", "tests.served_faults")
