"""Run summaries: cadence analytics over a run's records, and the summary a Run stores."""
