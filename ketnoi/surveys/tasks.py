"""Background work of the surveys: keeping each collection's tally (results_tally) close to its
responses, so the results page counts at most a few hundred new responses when it opens —
never 100,000 at the first visit after a busy week of data collection.

A submission asks for a refresh once every TALLY_EVERY responses (by its id, which costs the
write nothing); the task brings the collection's tally up to date the way the results page
would (results_tally.tallies), and a failure to save is harmless: the page counts what is left.
"""

from django.db import OperationalError

from ketnoi.core.tasks import retrying_task

TALLY_EVERY = 500


@retrying_task(attempts=3, retry_on=(OperationalError,), base_delay=20)
def collection_tally_refresh(collection_id: int) -> str:
    from . import results_tally

    found = results_tally.tallies([collection_id])
    return f"{found[0].responses} responses counted" if found else "no responses"


def tally_refresh_due(response_id: int) -> bool:
    return response_id % TALLY_EVERY == 0
