# The interviewer fixtures (Alice, Charlie, Alice's set) serve the site-wide checks too.
from tests.interviews.conftest import alice, alice_client, charlie, screening  # noqa: F401
