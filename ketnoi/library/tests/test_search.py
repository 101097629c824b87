"""Search ranking, folding, access and snippets, checked by hand on small Vietnamese cases.
Runs on SQLite (FTS5) and PostgreSQL (BM25 over postings) alike; both must give the same answers."""

import math
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from ketnoi.library import search_index
from ketnoi.library.search import SearchFilters, build_terms, ranked_document_ids, search_documents
from ketnoi.library.search_index import COLUMNS, FOLDED, PAIRS, WEIGHTS, Term

ANON = AnonymousUser()


def ids(query, user=ANON, **kwargs):
    return ranked_document_ids(user=user, query=query, **kwargs)


@pytest.mark.django_db
class TestFolding:
    def test_query_without_diacritics_finds_text_with_them(self, make_document):
        society = make_document("Báo cáo thường niên", pages=["Vai trò của tổ chức xã hội ở địa phương."])
        make_document("Sổ tay kế toán", pages=["Hướng dẫn lập báo cáo tài chính năm."])
        assert ids("to chuc xa hoi") == [society.pk]
        assert ids("Tổ chức xã hội") == [society.pk]
        assert ids("TO CHUC XA HOI") == [society.pk]

    def test_d_with_stroke_is_folded_on_both_sides(self, make_document):
        training = make_document("Chương trình đào tạo cán bộ", pages=["Đăng ký lớp học trước ngày 15."])
        assert ids("dao tao") == [training.pk]
        assert ids("dang ky") == [training.pk]
        assert ids("ĐÀO TẠO") == [training.pk]

    def test_decomposed_unicode_query_matches_composed_text(self, make_document):
        doc = make_document("Quyền tiếp cận thông tin")
        decomposed = "quye\u0302\u0300n tie\u0302\u0301p ca\u0323\u0302n"
        assert ids(decomposed) == [doc.pk]

    def test_stop_words_alone_still_search(self, make_document):
        doc = make_document("Cái này và cái kia", pages=["và của các"])
        assert doc.pk in ids("và")


@pytest.mark.django_db
class TestRanking:
    def test_adjacent_syllables_beat_scattered_ones(self, make_document):
        scattered = make_document(
            "Tài liệu A", pages=["Hội nghị tổ dân phố bàn việc xã. Chức năng của hội được nêu rõ trong tổ."]
        )
        phrase = make_document("Tài liệu B", pages=["Bàn về tổ chức xã hội trong đời sống địa phương hôm nay."])
        assert ids("to chuc xa hoi")[:2] == [phrase.pk, scattered.pk]

    def test_exact_diacritics_rank_above_folded_twins(self, make_document):
        knife = make_document("Ghi chép A", pages=["Con dao và cái kéo của người thợ may trong làng."])
        training = make_document("Ghi chép B", pages=["Con đào và cái kéo của người thợ may trong làng."])
        assert ids("đào")[0] == training.pk
        assert set(ids("dao")) == {knife.pk, training.pk}

    def test_title_counts_more_than_body(self, make_document):
        in_body = make_document("Báo cáo khảo sát", pages=["Phần ba bàn về vận động chính sách một lần."])
        in_title = make_document("Vận động chính sách", pages=["Nội dung tổng quát của tài liệu hướng dẫn."])
        assert ids("van dong chinh sach")[:2] == [in_title.pk, in_body.pk]

    def test_subjects_and_creators_are_searchable(self, make_document):
        doc = make_document("Tuyển tập", subjects=["Bình đẳng giới"])
        doc.creators.create(name="Trung tâm Hỗ trợ Phát triển", is_organisation=True, position=0)
        search_index.index_metadata(doc)
        assert ids("binh dang gioi") == [doc.pk]
        assert ids("trung tam ho tro") == [doc.pk]

    def test_more_query_syllables_matched_ranks_higher(self, make_document):
        one = make_document("Một", pages=["Ngân sách công khai hằng năm."])
        both = make_document("Hai", pages=["Minh bạch ngân sách công khai hằng năm ở xã."])
        assert ids("minh bach ngan sach")[:2] == [both.pk, one.pk]


@pytest.mark.django_db
class TestBm25Arithmetic:
    def test_score_is_fts5_bm25_on_both_databases(self, make_document):
        """The PostgreSQL SQL reproduces FTS5's bm25(); computed here by hand from the columns."""
        texts = ["tổ chức xã hội", "xã hội học đại cương và xã hội", "hội thảo tổ chức tại Hà Nội"]
        docs = [make_document(f"T{i}", pages=[t]) for i, t in enumerate(texts)]
        terms = [Term("xa", FOLDED), Term("hoi", FOLDED), Term("xa_hoi", PAIRS)]
        passages = [
            search_index.passage_columns(p.heading, p.text) for d in docs for p in d.passages.order_by("number")
        ]
        n_rows = len(passages)
        avgdl = sum(sum(len(cols[c]) for c in COLUMNS) for cols in passages) / n_rows

        def bm25(cols):
            total = 0.0
            length = sum(len(cols[c]) for c in COLUMNS)
            for term in terms:
                n_hit = sum(1 for other in passages if any(term.text in other[c] for c in term.columns))
                freq = sum(WEIGHTS[c] * cols[c].count(term.text) for c in term.columns)
                idf = search_index.idf(n_rows, n_hit)
                total += idf * freq * 2.2 / (freq + 1.2 * (1 - 0.75 + 0.75 * length / avgdl))
            return total

        expected = {}
        for d in docs:
            for p in d.passages.all():
                expected[d.pk] = max(expected.get(d.pk, 0.0), bm25(search_index.passage_columns(p.heading, p.text)))
        hits = {h.document_id: h.score for h in search_index.search(terms)}
        assert set(hits) == {d.pk for d in docs}
        for pk, score in hits.items():
            assert math.isclose(score, expected[pk], rel_tol=1e-9), (pk, score, expected[pk])


@pytest.mark.django_db
class TestAccess:
    def test_reader_never_sees_staff_or_partner_documents(
        self, make_document, viewer, curator, outsider, other_prog, make_user
    ):
        from ketnoi.programmes.models import ProgrammeRole

        public = make_document("Hội thảo công khai", pages=["chính sách công"], access="public")
        partners = make_document("Hội thảo đối tác", pages=["chính sách công"], access="partners")
        staff = make_document("Hội thảo nội bộ", pages=["chính sách công"], access="staff")
        other_coordinator = make_user("other")
        ProgrammeRole.objects.create(user=other_coordinator, programme=other_prog, role="coordinator")
        assert set(ids("chinh sach")) == {public.pk}
        assert set(ids("chinh sach", user=outsider)) == {public.pk}
        assert set(ids("chinh sach", user=other_coordinator)) == {public.pk}
        assert set(ids("chinh sach", user=viewer)) == {public.pk, partners.pk}
        assert set(ids("chinh sach", user=curator)) == {public.pk, partners.pk, staff.pk}
        page = search_documents(user=viewer, query="noi bo")
        assert staff.pk not in page.document_ids
        assert all("nội bộ" not in r.title_html for r in page.results)

    def test_embargo_hides_full_text_but_not_the_description(self, make_document, viewer, curator):
        future = timezone.localdate() + timedelta(days=30)
        doc = make_document("Dự thảo Luật về hội", pages=["Điều khoản bí mật về quỹ từ thiện."], embargo_until=future)
        assert ids("luat ve hoi", user=viewer) == [doc.pk]
        assert ids("quy tu thien", user=viewer) == []
        assert ids("quy tu thien") == []
        assert ids("quy tu thien", user=curator) == [doc.pk]
        page = search_documents(user=viewer, query="luat ve hoi")
        assert "bí mật" not in page.results[0].snippet_html
        doc.embargo_until = timezone.localdate()
        doc.save()
        assert ids("quy tu thien", user=viewer) == [doc.pk]


@pytest.mark.django_db
class TestSnippetsAndFacets:
    def test_snippet_shows_original_diacritics_marked_for_a_folded_query(self, make_document):
        make_document("Sổ tay", pages=["Mở đầu. " * 30 + "Các tổ chức xã hội <b>đóng góp</b> ý kiến. " + "Kết. " * 30])
        result = search_documents(user=ANON, query="to chuc xa hoi").results[0]
        assert "<mark>tổ chức xã hội</mark>" in result.snippet_html
        assert "&lt;b&gt;đóng góp&lt;/b&gt;" in result.snippet_html
        assert result.snippet_html.startswith("…")
        assert result.page == 1

    def test_facets_count_and_filters_combine_with_the_query(self, make_document):
        a = make_document("Luật về hội", type="legal", year=2016, subjects=["Pháp luật"])
        make_document("Hội và pháp luật", type="research", year=2020, subjects=["Pháp luật"])
        make_document("Đào tạo kỹ năng", type="training", year=2020)
        page = search_documents(user=ANON, query="hoi")
        assert page.total == 2
        assert {f.value: f.count for f in page.facets["type"]} == {"legal": 1, "research": 1}
        assert {f.value: f.count for f in page.facets["year"]} == {"2016": 1, "2020": 1}
        assert [f.count for f in page.facets["subject"]] == [2]
        filtered = search_documents(user=ANON, query="hoi", filters=SearchFilters(type="legal"))
        assert filtered.document_ids == [a.pk]
        assert [f.selected for f in filtered.facets["type"]] == [True]
        browse = search_documents(user=ANON, query="", filters=SearchFilters(year=2020))
        assert browse.total == 2

    def test_filters_from_bad_query_strings_are_ignored(self):
        filters = SearchFilters.from_query({"type": "virus", "year": "20x6", "subject": "1" * 30, "language": "xx"})
        assert not filters.active


@pytest.mark.django_db
class TestIndexConsistency:
    def test_index_rolls_back_with_the_transaction(self, prog):
        from ketnoi.library.models import Document

        with pytest.raises(RuntimeError), transaction.atomic():
            doc = Document.objects.create(programme=prog, title="Tạm thời", type="book", access="public")
            search_index.index_metadata(doc)
            raise RuntimeError
        assert ids("tam thoi") == []
        assert search_index.indexed_count() == 0

    def test_rebuild_gives_the_same_results(self, make_document):
        doc = make_document("Phát triển cộng đồng", pages=["Sinh kế bền vững cho người khuyết tật."])
        before = search_index.indexed_count()
        assert search_index.rebuild() == before
        assert ids("sinh ke ben vung") == [doc.pk]

    def test_dropping_a_document_removes_it_from_the_index(self, make_document):
        doc = make_document("Môi trường", pages=["Bảo vệ rừng đầu nguồn."])
        search_index.drop_document(doc)
        assert ids("bao ve rung") == []
        assert search_index.indexed_count() == 0


@pytest.mark.django_db
def test_queries_that_look_like_fts_syntax_are_plain_words(make_document):
    doc = make_document("Tiếp cận NEAR thông tin", pages=["AND OR NOT dấu * và ngoặc"])
    for query in ['"', "*", "NEAR(", "{he}: x", "a:b", "'; DROP TABLE x; --", "\x00", "AND", "(", "_"]:
        ranked_document_ids(user=ANON, query=query)
    assert ids("near") == [doc.pk]
    assert build_terms("   ") == []
    assert len(build_terms("từ " * 500)) <= 40


@pytest.mark.django_db
def test_reindex_command_rebuilds_and_checks(make_document, capsys):
    from django.core.management import call_command

    doc = make_document("Quỹ cộng đồng", pages=["Gây quỹ từ thiện minh bạch."])
    call_command("library_reindex")
    assert "indexed 2 passages (was 2)" in capsys.readouterr().out
    call_command("library_reindex", "--check")
    assert capsys.readouterr().out.startswith("ok: 2 passages")
    search_index._unindex([doc.passages.get(file__isnull=True)])
    with pytest.raises(SystemExit):
        call_command("library_reindex", "--check")
    assert ids("cong dong") == []
    call_command("library_reindex")
    assert ids("cong dong") == [doc.pk]


@pytest.mark.django_db
class TestPlanning:
    """Once the index is large, terms found in most passages are left out of the ranking."""

    @pytest.fixture
    def large(self, monkeypatch, make_document):
        monkeypatch.setattr(search_index, "PRUNE_FROM", 0)
        monkeypatch.setattr(search_index, "BUDGET_SHARE", 0.4)
        monkeypatch.setattr(search_index, "PAIR_SHARE", 0.4)
        common = [make_document(f"Báo cáo {i}", pages=[f"Hội nghị xã {i} về hội viên."]) for i in range(6)]
        phrase = make_document("Ghi chép", pages=["Bàn về tổ chức xã hội ở địa phương."])
        titled = make_document("Hội và luật", pages=["Nội dung chung."])
        return common, phrase, titled

    def test_common_syllables_are_left_out_and_the_pair_decides(self, large):
        _common, phrase, _titled = large
        terms = build_terms("xã hội")
        chosen = search_index.plan(terms).terms
        assert Term("xa_hoi", PAIRS) in chosen
        assert Term("hoi", FOLDED) not in chosen
        assert ids("xã hội") == [phrase.pk]

    def test_a_lone_common_syllable_is_looked_for_in_titles_first(self, large):
        common, _phrase, titled = large
        chosen = search_index.plan(build_terms("hoi"))
        assert chosen.terms == [Term("hoi", ("hf",))]
        assert ids("hoi") == [titled.pk]
        assert set(ids("nghi")) == {d.pk for d in common}

    def test_a_pair_that_straddles_two_words_does_not_decide_alone(self, large, monkeypatch, make_document):
        """Every pair under its share is kept, not only the rarest one."""
        doc = make_document("Đào tạo cán bộ", pages=["Lớp đào tạo cán bộ xã."])
        chosen = search_index.plan(build_terms("đào tạo cán bộ")).terms
        assert {Term("dao_tao", PAIRS), Term("tao_can", PAIRS), Term("can_bo", PAIRS)} <= set(chosen)
        assert ids("dao tao can bo")[0] == doc.pk

    def test_small_indexes_rank_every_term_found(self, make_document):
        make_document("Hội", pages=["hội hội hội"])
        chosen = search_index.plan(build_terms("hội thảo"))
        assert chosen.terms == [Term("hoi", FOLDED), Term("hội", search_index.EXACT)]
        assert chosen.fallback is None
