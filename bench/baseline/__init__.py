"""The SDK-sample baseline the benchmarks compare the skill with (see lambda_function.py)."""
