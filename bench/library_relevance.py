"""Library search relevance: nDCG@10 and MRR@10 on the Vietnamese test collection, with and
without diacritics in the queries.

    DEBUG=1 .venv/bin/python bench/library_relevance.py [--worst 8]
        [--database-url postgres://user@127.0.0.1:5432/ketnoi]

Loads bench/library_data/collection.json (documents written for this benchmark on the
platform's themes, queries, graded judgements: 2 = answers the query, 1 = related) into a
throwaway database (a SQLite file in a temporary directory; with --database-url a test
database made beside the named one and dropped afterwards), through the model and
`search_index` as uploads do: the metadata passage, then the pages of a text file. Every query
is asked twice — as written and folded (`ketnoi.core.text.fold`: no diacritics, đ → d) — in
three configurations measured in the same run:

- "bm25 folded syllables": folded syllables only (build_terms exact=False, pairs=False);
- "+ syllable pairs": folded syllables and adjacent pairs (exact=False, pairs=True);
- "platform": what the search page asks (exact syllables too when the query has diacritics).

Ranking is `ketnoi.library.search.ranked_document_ids` for an anonymous reader (every document
is public). Gains are the grades (2/1), discounted by log2(rank + 1); the ideal ranking comes
from the judgements. MRR@10 counts the first document judged 1 or 2 ("mrr"), and the first
judged 2 ("mrr_answer"). The collection alone is a few hundred passages, below
`search_index.PRUNE_FROM`, so every query term is ranked. With --noise-passages N the
collection sits among N synthetic passages (the latency benchmark's generator) so that the
search plans (drops common terms) as on a large index, in all three configurations; the measures
then rank the collection's documents only, and "noise_in_top10" says how many synthetic
documents came among the first ten. It prints a table, then JSON with the figures per configuration, per
query kind, and the worst queries with what came first, to help tuning; it asserts nothing.
"""

import argparse
import json
import math
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLLECTION = ROOT / "bench" / "library_data" / "collection.json"
K = 10
CONFIGURATIONS = {
    "bm25 folded syllables": {"exact": False, "pairs": False},
    "+ syllable pairs": {"exact": False, "pairs": True},
    "platform": {"exact": True, "pairs": True},
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="e.g. postgres://user@127.0.0.1:5432/ketnoi (a test database is made)")
    parser.add_argument("--worst", type=int, default=8, help="worst queries listed per configuration (default 8)")
    parser.add_argument(
        "--noise-passages",
        type=int,
        default=0,
        help="add this many synthetic passages (bench/library_search.py's generator) around the collection, "
        "so that the index is large enough for the planner to drop common terms (default 0)",
    )
    return parser.parse_args()


def set_up_django() -> None:
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketnoi.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)


def load_collection(path: Path = COLLECTION) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# Loading ----------------------------------------------------------------------------------------


def load_documents(collection: dict, programme=None) -> dict[str, int]:
    """Create the collection's documents as an upload would leave them; {collection id: pk}."""
    from django.db import transaction

    from ketnoi.core.text import fold
    from ketnoi.library import search_index
    from ketnoi.library.models import Creator, Document, DocumentFile, Subject
    from ketnoi.programmes.models import Programme

    programme = programme or Programme.objects.create(name="Góc tri thức — đo độ phù hợp", code="bench-thu-vien")
    ids: dict[str, int] = {}
    subjects: dict[str, Subject] = {}
    for item in collection["documents"]:
        with transaction.atomic():
            document = Document.objects.create(
                programme=programme,
                title=item["title"],
                type=item["type"],
                language=item["language"],
                year=item["year"],
                abstract=item["abstract"],
                access="public",
            )
            for position, name in enumerate(item["creators"]):
                Creator.objects.create(document=document, position=position, name=name)
            for name in item["subjects"]:
                key = fold(name)
                if key not in subjects:
                    subjects[key], _ = Subject.objects.get_or_create(folded=key, defaults={"name": name})
                document.subjects.add(subjects[key])
            search_index.index_metadata(document)
            pages = item["pages"]
            file = DocumentFile.objects.create(
                document=document,
                file=f"library/bench/{item['id']}.txt",
                original_name=f"{item['id']}.txt",
                media_type="text/plain",
                size=sum(len(p.encode()) for p in pages),
                sha256="0" * 64,
                status=DocumentFile.Status.READY,
                page_count=len(pages),
            )
            search_index.store_file_text(file, pages)
        ids[item["id"]] = document.pk
    return ids


# Measures ---------------------------------------------------------------------------------------


def dcg(gains: list[int]) -> float:
    return sum(g / math.log2(rank + 1) for rank, g in enumerate(gains[:K], start=1))


def ndcg(ranked: list[str], judgements: dict[str, int]) -> float:
    ideal = dcg(sorted(judgements.values(), reverse=True))
    return dcg([judgements.get(d, 0) for d in ranked[:K]]) / ideal if ideal else 0.0


def reciprocal_rank(ranked: list[str], judgements: dict[str, int], at_least: int = 1) -> float:
    for rank, d in enumerate(ranked[:K], start=1):
        if judgements.get(d, 0) >= at_least:
            return 1 / rank
    return 0.0


def first_relevant_rank(ranked: list[str], judgements: dict[str, int], at_least: int) -> int | None:
    for rank, d in enumerate(ranked, start=1):
        if judgements.get(d, 0) >= at_least:
            return rank
    return None


def evaluate(collection: dict, ids: dict[str, int], worst: int) -> dict:
    from django.contrib.auth.models import AnonymousUser

    from ketnoi.core.text import fold
    from ketnoi.library.search import build_terms, ranked_document_ids

    by_pk = {pk: key for key, pk in ids.items()}
    titles = {d["id"]: d["title"] for d in collection["documents"]}
    user = AnonymousUser()
    report: dict = {}
    for name, options in CONFIGURATIONS.items():
        report[name] = {}
        for variant in ("diacritics", "folded"):
            rows = []
            for query in collection["queries"]:
                text = query["text"] if variant == "diacritics" else fold(query["text"])
                started = time.perf_counter()
                everything = ranked_document_ids(user=user, query=text, **options)
                elapsed = time.perf_counter() - started
                ranked = [by_pk[pk] for pk in everything if pk in by_pk]
                judgements = query["judgements"]
                rows.append(
                    {
                        "id": query["id"],
                        "query": text,
                        "kind": query["kind"],
                        "ndcg": ndcg(ranked, judgements),
                        "mrr": reciprocal_rank(ranked, judgements, 1),
                        "mrr_answer": reciprocal_rank(ranked, judgements, 2),
                        "terms": len(build_terms(text, **options)),
                        "matched": len(ranked),
                        "first_answer_rank": first_relevant_rank(ranked, judgements, 2),
                        "top3": [f"{d} ({judgements.get(d, 0)}) {titles[d][:60]}" for d in ranked[:3]],
                        "ms": elapsed * 1000,
                        "noise_in_top10": sum(1 for pk in everything[:K] if pk not in by_pk),
                    }
                )
            report[name][variant] = summarise(rows, worst)
    return report


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


def summarise(rows: list[dict], worst: int) -> dict:
    kinds = sorted({r["kind"] for r in rows})
    ordered = sorted(rows, key=lambda r: (r["ndcg"], r["mrr"], r["id"]))
    return {
        "queries": len(rows),
        "ndcg@10": _mean([r["ndcg"] for r in rows]),
        "mrr@10": _mean([r["mrr"] for r in rows]),
        "mrr@10_answer": _mean([r["mrr_answer"] for r in rows]),
        "mean_ms": round(_mean([r["ms"] for r in rows]), 1),
        "noise_in_top10": _mean([r["noise_in_top10"] for r in rows]),
        "by_kind": {
            kind: {
                "queries": sum(1 for r in rows if r["kind"] == kind),
                "ndcg@10": _mean([r["ndcg"] for r in rows if r["kind"] == kind]),
                "mrr@10": _mean([r["mrr"] for r in rows if r["kind"] == kind]),
            }
            for kind in kinds
        },
        "worst": [
            {
                "id": r["id"],
                "query": r["query"],
                "ndcg@10": round(r["ndcg"], 3),
                "rr@10": round(r["mrr"], 3),
                "first_answer_rank": r["first_answer_rank"],
                "matched_documents": r["matched"],
                "terms": r["terms"],
                "top3": r["top3"],
            }
            for r in ordered[:worst]
        ],
        "per_query_ndcg": {r["id"]: round(r["ndcg"], 3) for r in rows},
    }


def print_table(report: dict) -> None:
    header = f"{'configuration':<24} {'queries':<15} {'nDCG@10':>8} {'MRR@10':>8} {'MRR@10(2)':>10} {'noise@10':>9}"
    print(header)
    print("-" * len(header))
    for name, variants in report.items():
        for variant, figures in variants.items():
            label = "with diacritics" if variant == "diacritics" else "folded"
            print(
                f"{name:<24} {label:<15} {figures['ndcg@10']:>8.3f} {figures['mrr@10']:>8.3f}"
                f" {figures['mrr@10_answer']:>10.3f} {figures['noise_in_top10']:>9.2f}"
            )
    print()
    platform_figures = report["platform"]
    for variant in ("diacritics", "folded"):
        print(f"platform, {variant}: worst queries")
        for row in platform_figures[variant]["worst"]:
            print(
                f"  {row['id']} nDCG {row['ndcg@10']:.3f}  «{row['query']}»  first answer at {row['first_answer_rank']}"
            )
            for line in row["top3"]:
                print(f"      {line}")
    print()


def machine() -> dict:
    from django.db import connection

    info = {
        "cpu_count": os.cpu_count(),
        "machine": platform.machine(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "database": connection.vendor,
    }
    if connection.vendor == "postgresql":
        info["postgresql"] = connection.pg_version
    return info


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    var_dir = tempfile.mkdtemp(prefix="ketnoi-bench-relevance-")
    os.mkdir(os.path.join(var_dir, "static"))
    os.environ["KETNOI_VAR_DIR"] = var_dir
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{var_dir}/bench.sqlite3"
    set_up_django()
    from django.core.management import call_command
    from django.db import connection

    original_db = None
    try:
        if args.database_url:
            original_db = connection.settings_dict["NAME"]
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        else:
            call_command("migrate", verbosity=0, interactive=False)
        collection = load_collection()
        t0 = time.perf_counter()
        ids = load_documents(collection)
        if args.noise_passages:
            import random

            from bench.library_search import Prose, add_synthetic
            from ketnoi.library.models import Document

            programme = Document.objects.get(pk=next(iter(ids.values()))).programme
            add_synthetic(Prose(collection, random.Random(2026)), programme, args.noise_passages, 1)
        load_s = time.perf_counter() - t0
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        report = evaluate(collection, ids, args.worst)
        print_table(report)
        from ketnoi.library.models import Passage

        print(
            json.dumps(
                {
                    "benchmark": "library_relevance",
                    "machine": machine(),
                    "collection": {
                        "documents": len(collection["documents"]),
                        "queries": len(collection["queries"]),
                        "judgements": sum(len(q["judgements"]) for q in collection["queries"]),
                        "passages": Passage.objects.count(),
                        "noise_passages": args.noise_passages,
                        "load_s": round(load_s, 1),
                    },
                    "configurations": {name: dict(options) for name, options in CONFIGURATIONS.items()},
                    "results": report,
                    "for_scale": {"bm25 folded syllables": 0.82, "+ syllable pairs": 0.90},
                    "total_s": round(time.perf_counter() - started, 1),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    finally:
        if original_db is not None:
            connection.creation.destroy_test_db(original_db, verbosity=0)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
