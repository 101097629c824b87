"""The to-do inbox ("Việc cần làm"): what a signed-in person has to do, gathered from every app's
provider in `core.registry` (each registered in its AppConfig.ready), most urgent first.

Each provider answers with a bounded number of queries whatever the data's size (a count and a
few sample items), so the page's query count is constant. The header's figure reads the counts
only (`samples=0`) and is cached per user for COUNT_SECONDS: a task done shows there within that
time, on the inbox itself at once.
"""

from datetime import date

from django.core.cache import cache

from ketnoi.core.registry import TodoGroup, todo_providers

SAMPLES = 5  # items shown per group
COUNT_SECONDS = 60


def _urgency(group: TodoGroup) -> tuple:
    """Overdue before due, the soonest due first, those without a date last."""
    return (0 if group.overdue else 1, group.due or date.max, str(group.label))


def todo_groups(user, *, samples: int = SAMPLES) -> list[TodoGroup]:
    groups = [group for provider in todo_providers() for group in provider(user, samples=samples) if group.count]
    return sorted(groups, key=_urgency)


def _count_key(user) -> str:
    return f"todo-count:{user.pk}"


def todo_count(user) -> int:
    """How many tasks wait for `user`, as the header shows it (cached for COUNT_SECONDS)."""
    count = cache.get(_count_key(user))
    if count is None:
        count = sum(group.count for group in todo_groups(user, samples=0))
        cache.set(_count_key(user), count, COUNT_SECONDS)
    return count


def remember_count(user, groups: list[TodoGroup]) -> None:
    """The inbox just counted everything: the header shows the same figure."""
    cache.set(_count_key(user), sum(group.count for group in groups), COUNT_SECONDS)
