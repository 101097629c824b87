"""The shared answer cases (answer_cases.json), read by the server's tests and by the browser
test that runs static/surveys/answers.js on them: {"forms": {name: definition}, "cases": [{form,
raw, today?, files?, note?, and either cleaned (what is stored) or errors (the answer paths
refused)}]}."""

import json
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError

from ketnoi.surveys.definition import check_answers

CASES_FILE = Path(__file__).with_name("answer_cases.json")
DATA = json.loads(CASES_FILE.read_text(encoding="utf-8"))
FORMS = DATA["forms"]
CASES = DATA["cases"]
TODAY = "2024-06-15"


def case_id(case: dict) -> str:
    return f"{case['form']}:{case.get('note') or json.dumps(case['raw'], ensure_ascii=False)[:60]}"


def server_result(case: dict) -> tuple[dict, list[str]]:
    """(cleaned, sorted error paths) as the server decides them."""
    try:
        cleaned = check_answers(
            FORMS[case["form"]],
            case["raw"],
            today=date.fromisoformat(case.get("today", TODAY)),
            files=case.get("files"),
        )
    except ValidationError as error:
        return {}, sorted(error.message_dict)
    return cleaned, []


def expected(case: dict) -> tuple[dict, list[str]]:
    return case.get("cleaned", {}), case.get("errors", [])
