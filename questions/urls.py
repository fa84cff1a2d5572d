"""The candidate-facing pages under one "questions" namespace, gathered from each feature.

Accounts (/accounts/), progress (/me/), interviewers' sets (/sets/, /invite/) and the API
(/api/) have namespaces of their own, included from quizsite/urls.py.
"""

from .catalog.urls import urlpatterns as catalog_patterns
from .live_exercises.urls import urlpatterns as exercise_patterns
from .progress.urls import glossary_patterns
from .quizzes.urls import urlpatterns as quiz_patterns

app_name = "questions"

urlpatterns = [*catalog_patterns, *glossary_patterns, *exercise_patterns, *quiz_patterns]
