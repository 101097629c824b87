"""Respondent page benchmark: how long one answer takes to show its effects on a phone.

    .venv/bin/python bench/respond_page.py [--answers 50] [--throttle 4] [--chromium /usr/bin/chromium]

Draws the respondent page (templates and scripts as they ship) for a large form: 200 questions
with 40 calculations (some shown in labels), relevance rules, a cascading select province →
district → commune (10 → 70 → 700 choices, choice_filter) and a repeat with 3 rows. No server
and no database: the page is rendered with Django's templates and served to Chromium
(Playwright, /usr/bin/chromium) from memory, with a Pixel-5-like screen and the CPU slowed down
by CDP Emulation.setCPUThrottlingRate (default 4, a mid-range phone).

Each measured answer sets one field and dispatches its input event; the time is taken with
performance.now() around the dispatch and a forced layout, so it covers reading the answers,
the check, and every update of the page (relevance, outputs, filters, errors, the draft kept
in localStorage). The answers cycle through numbers that feed calculations, the province and
the district (which re-filter the cascade), text in a repeat row and plain radio choices.

The first --warmup answers (default 10) are given but not measured: the JavaScript engine
compiles the hot paths during them. On a shared machine the p95 also measures the neighbours:
run it on a quiet one. Prints JSON (median, p95 and max in ms, the number of answers, which checker ran); the goal is
under 100 ms per answer. It asserts nothing.
"""

import argparse
import json
import os
import statistics
import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHARE_LINK = "bench"  # the token in the URL the page is served at
PIXEL_5 = {"width": 393, "height": 851}
PIXEL_5_AGENT = (
    "Mozilla/5.0 (Linux; Android 11; Pixel 5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36"
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=50, help="answers measured (default 50)")
    parser.add_argument("--warmup", type=int, default=10, help="answers given first, not measured (default 10)")
    parser.add_argument("--throttle", type=float, default=4, help="CPU slow-down rate (default 4)")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    return parser.parse_args()


def big_form() -> dict:
    """200 questions: 60 numbers, 40 calculations over them, 40 radio questions (half of them
    shown by a rule), 52 texts, the three-level cascade, a note with outputs, a repeat."""
    provinces = [{"name": f"p{p}", "label": {"vi": f"Tỉnh {p}"}} for p in range(10)]
    districts = [
        {"name": f"d{p}_{d}", "label": {"vi": f"Huyện {p}.{d}"}, "data": {"province": f"p{p}"}}
        for p in range(10)
        for d in range(7)
    ]
    communes = [
        {"name": f"c{p}_{d}_{c}", "label": {"vi": f"Xã {p}.{d}.{c}"}, "data": {"district": f"d{p}_{d}"}}
        for p in range(10)
        for d in range(7)
        for c in range(10)
    ]
    questions = [
        {"name": "province", "type": "select_one", "label": {"vi": "Tỉnh"}, "choices": provinces},
        {
            "name": "district",
            "type": "select_one",
            "appearance": "minimal",
            "label": {"vi": "Huyện"},
            "choice_filter": "province = ${province}",
            "choices": districts,
        },
        {
            "name": "commune",
            "type": "select_one",
            "appearance": "minimal",
            "label": {"vi": "Xã"},
            "choice_filter": "district = ${district}",
            "choices": communes,
        },
    ]
    questions += [{"name": f"n{i}", "type": "integer", "label": {"vi": f"Số {i}"}} for i in range(60)]
    questions += [
        {"name": f"calc{i}", "type": "calculate", "calculation": f"${{n{i}}} * 2 + ${{n{i + 1}}}"} for i in range(40)
    ]
    yes_no = [{"name": "yes", "label": {"vi": "Có"}}, {"name": "no", "label": {"vi": "Không"}}]
    for i in range(40):
        question = {"name": f"s{i}", "type": "select_one", "label": {"vi": f"Câu chọn {i}"}, "choices": yes_no}
        if i % 2:
            question["relevant"] = f"${{s{i - 1}}} = 'yes'"
        questions.append(question)
    questions += [
        {"name": f"t{i}", "type": "text", "label": {"vi": f"Ghi chú {i} (tổng {i}: ${{calc{i % 40}}})"}}
        for i in range(52)
    ]
    questions.append({"name": "summary", "type": "note", "label": {"vi": "Tổng: ${calc0}, ${calc1}, ${calc39}"}})
    questions.append(
        {
            "name": "member",
            "type": "repeat",
            "label": {"vi": "Thành viên"},
            "children": [
                {"name": "m_name", "type": "text", "label": {"vi": "Tên"}},
                {"name": "m_age", "type": "integer", "label": {"vi": "Tuổi của ${m_name}"}},
                {"name": "m_note", "type": "note", "label": {"vi": "${m_name}: ${m_age} tuổi"}},
            ],
        }
    )
    return {"title": {"vi": "Biểu mẫu lớn"}, "questions": questions}


def render_page(definition: dict) -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketnoi.settings_test")
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.urls import reverse

    from ketnoi.surveys import views_respond

    request = RequestFactory().get("/s/bench/")
    request.user = AnonymousUser()
    collection = SimpleNamespace(token=SHARE_LINK, mode="anonymous", title="", context={})
    sw_url = reverse("respond:sw")
    context = {
        "collection": collection,
        "title": "Biểu mẫu lớn",
        "questions": views_respond._prepare(definition["questions"], "vi", token=SHARE_LINK),
        "form_languages": [],
        "definition": definition,
        "messages_js": views_respond._messages(),
        "version": 1,
        "language": "vi",
        "sw_url": "",
        "sw_scope": sw_url.rsplit("/", 1)[0] + "/",
        "identified": False,
        "context_items": [],
    }
    return render_to_string("surveys/respond.html", context, request=request)


def static_file(path: str) -> bytes | None:
    from django.contrib.staticfiles import finders

    found = finders.find(path.removeprefix("/static/"))
    return Path(found).read_bytes() if found else None


MEASURE = """async ([count, warmup]) => {
  const form = document.getElementById("survey-form");
  const rows = document.querySelector('[data-add-row="member"]');
  for (let i = 0; i < 3; i++) rows.click();
  const fire = (element) => element.dispatchEvent(new Event("input", { bubbles: true }));
  const pick = (selector) => { const e = form.querySelector(selector); e.checked = true; return e; };
  const type = (name, value) => { const e = form.elements.namedItem(name); e.value = value; return e; };
  const open = (select) => [...select.options].filter((x) => !x.disabled && x.value);
  const steps = [
    (i) => type("n" + (i % 41), String(i)),
    (i) => pick('input[name="province"][value="p' + (i % 10) + '"]'),
    (i) => { const o = open(form.elements.namedItem("district")); return type("district", o[i % o.length].value); },
    (i) => type("member[" + (i % 3) + "].m_name", "Tên " + i),
    (i) => pick('input[name="s' + (2 * (i % 20)) + '"][value="' + (i % 3 ? "yes" : "no") + '"]'),
  ];
  const times = [];
  for (let i = -warmup; i < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const start = performance.now();
    fire(steps[(i + 5 * warmup) % steps.length](i + 5 * warmup));
    document.body.offsetHeight;  // layout: the page is updated, not only the DOM
    if (i >= 0) times.push(performance.now() - start);
  }
  return {
    times,
    kinds: times.map((t, i) => ["number", "province", "district", "repeat_text", "radio"][i % steps.length]),
    checker: window.KetNoiAnswers && window.KetNoiAnswers.check ? "answers.js" : "respond.js (fallback)",
    communes_shown: [...form.elements.namedItem("commune").options].filter((x) => !x.hidden).length,
  };
}"""


def main():
    args = parse_args()
    from playwright.sync_api import sync_playwright

    html = render_page(big_form())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, headless=True, args=["--no-sandbox"])
        context = browser.new_context(
            viewport=PIXEL_5, device_scale_factor=2.75, is_mobile=True, has_touch=True, user_agent=PIXEL_5_AGENT
        )
        page = context.new_page()

        def serve(route):
            path = route.request.url.split("://", 1)[1].split("/", 1)[1]
            if path.startswith("static/"):
                body = static_file("/" + path)
                kind = "text/css" if path.endswith(".css") else "text/javascript"
                route.fulfill(status=200 if body else 404, body=body or b"", content_type=kind)
            else:
                route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8")

        page.route("http://bench.invalid/**", serve)
        page.goto("http://bench.invalid/s/bench/")
        page.wait_for_selector('#survey[data-ready="true"]')
        session = context.new_cdp_session(page)
        session.send("Emulation.setCPUThrottlingRate", {"rate": args.throttle})
        result = page.evaluate(MEASURE, [args.answers, args.warmup])
        browser.close()
    times = sorted(result["times"])
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    report = {
        "answers": len(times),
        "warmup_answers": args.warmup,
        "cpu_throttling_rate": args.throttle,
        "questions": 200,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(times[-1], 1),
        "goal_ms": 100,
        "slowest_by_kind_ms": {
            kind: round(max(t for t, k in zip(result["times"], result["kinds"], strict=True) if k == kind), 1)
            for kind in sorted(set(result["kinds"]))
        },
        "checker": result["checker"],
        "communes_shown_at_the_end": result["communes_shown"],
    }
    if os.environ.get("BENCH_TIMES"):
        report["times"] = [round(t, 1) for t in result["times"]]
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
