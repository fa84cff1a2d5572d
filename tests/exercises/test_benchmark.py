import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "exercises_speed.py"


def test_the_speed_benchmark_runs_and_every_expected_answer_passes(capsys):
    spec = importlib.util.spec_from_file_location("exercises_speed", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    assert module.main(["--count", "9"]) == 0
    output = capsys.readouterr().out
    assert "9 exercises per kind" in output
    assert "marked wrong" not in output
