"""Question quality: candidates' flags on questions, and item statistics over attempts."""
