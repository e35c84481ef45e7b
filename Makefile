# Benchmarks of the reader pages: see README, "Benchmarks".
.PHONY: bench
bench:
	bench/run
