"""gunicorn's master loads matplotlib before it forks, so no new worker stalls on it."""

import subprocess
import sys


def test_the_master_warms_matplotlib_before_the_workers_fork():
    script = (
        "import sys\n"
        "import quizsite.gunicorn_conf as conf\n"
        "assert 'matplotlib' not in sys.modules\n"
        "conf.when_ready(None)\n"
        "from questions.plotting import matplotlib_kit\n"
        "assert 'matplotlib' in sys.modules and matplotlib_kit.cache_info().currsize == 1\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr
