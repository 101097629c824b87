"""The knowledge corner: documents described after Dublin Core, their files and the passages
extracted from them, physical copies, and collections curated for a partner.

A document belongs to a programme, whose roles decide who curates it; its access level decides
who reads it (see `access.py`). Passages are what search ranks: one passage holds a document's
metadata, the others the text of its files, page by page. The full-text index over passages is
not a Django model: it lives in engine-specific tables kept by `search_index.py`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ketnoi.core.imports import ImportJob
from ketnoi.core.models import TimeStampedModel
from ketnoi.core.text import keep_folded
from ketnoi.directory.models import Organisation, Person
from ketnoi.programmes.models import Programme

TITLE_MAX = 500


class DocumentType(models.TextChoices):
    RESEARCH = "research", _("Báo cáo nghiên cứu")
    LEGAL = "legal", _("Văn bản pháp luật")
    TRAINING = "training", _("Tài liệu đào tạo")
    CASE_STUDY = "case_study", _("Nghiên cứu điển hình")
    BOOK = "book", _("Sách")
    ARTICLE = "article", _("Bài viết")


class Language(models.TextChoices):
    """ISO 639-1 codes, as Dublin Core recommends."""

    VIETNAMESE = "vi", _("Tiếng Việt")
    ENGLISH = "en", _("Tiếng Anh")
    FRENCH = "fr", _("Tiếng Pháp")
    OTHER = "mul", _("Ngôn ngữ khác")


class Access(models.TextChoices):
    PUBLIC = "public", _("Công khai")
    PARTNERS = "partners", _("Đối tác của chương trình")
    STAFF = "staff", _("Chỉ cán bộ thư viện")


class Subject(models.Model):
    """A subject or keyword. Shared by all programmes so that facets and OAI records agree."""

    name = models.CharField(pgettext_lazy("library", "chủ đề"), max_length=120)
    folded = models.CharField(max_length=120, unique=True, editable=False)

    class Meta:
        verbose_name = pgettext_lazy("library", "chủ đề")
        verbose_name_plural = pgettext_lazy("library", "chủ đề")
        ordering = ["folded"]

    def __str__(self) -> str:
        return self.name


class Document(TimeStampedModel):
    programme = models.ForeignKey(
        Programme, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(_("nhan đề"), max_length=TITLE_MAX)
    title_folded = models.CharField(max_length=TITLE_MAX, editable=False, default="")  # for the header search
    type = models.CharField(_("loại tài liệu"), max_length=20, choices=DocumentType.choices)
    language = models.CharField(_("ngôn ngữ"), max_length=3, choices=Language.choices, default=Language.VIETNAMESE)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    issued = models.DateField(_("ngày ban hành/xuất bản"), null=True, blank=True)
    publisher = models.CharField(_("nhà xuất bản / cơ quan ban hành"), max_length=255, blank=True)
    abstract = models.TextField(_("tóm tắt"), blank=True)
    subjects = models.ManyToManyField(
        Subject, verbose_name=pgettext_lazy("library", "chủ đề"), blank=True, related_name="documents"
    )
    rights = models.CharField(_("quyền / giấy phép"), max_length=255, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True)
    doi = models.CharField(_("DOI"), max_length=255, blank=True)
    url = models.URLField(_("địa chỉ web"), max_length=500, blank=True)
    source = models.CharField(_("nguồn"), max_length=255, blank=True)
    access = models.CharField(_("quyền xem"), max_length=10, choices=Access.choices, default=Access.PARTNERS)
    embargo_until = models.DateField(
        _("hạn chế đến ngày"),
        null=True,
        blank=True,
        help_text=_("Trước ngày này chỉ cán bộ thư viện đọc được toàn văn; thông tin mô tả vẫn hiện."),
    )

    class Meta:
        verbose_name = _("tài liệu")
        verbose_name_plural = _("tài liệu")
        ordering = ["-year", "title", "id"]
        indexes = [models.Index(fields=["programme", "access"]), models.Index(fields=["updated_at", "id"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        keep_folded(self, kwargs, title_folded="title")
        super().save(*args, **kwargs)

    def is_embargoed(self, today=None) -> bool:
        return bool(self.embargo_until and self.embargo_until > (today or timezone.localdate()))


class Creator(models.Model):
    """An author: a person or an organisation, from the directory or just a name."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="creators")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("tên"), max_length=255)
    is_organisation = models.BooleanField(_("là tổ chức"), default=False)
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("tác giả")
        verbose_name_plural = _("tác giả")
        ordering = ["document", "position", "id"]

    def __str__(self) -> str:
        return self.name


class DocumentFile(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ trích văn bản")
        READY = "ready", _("Đã trích văn bản")
        FAILED = "failed", _("Không trích được văn bản")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("tệp"), upload_to="library/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    media_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    failure = models.CharField(_("lý do"), max_length=500, blank=True)
    page_count = models.PositiveIntegerField(_("số trang"), null=True, blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tệp tài liệu")
        verbose_name_plural = _("tệp tài liệu")
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return self.original_name


class Passage(models.Model):
    """A piece of text that search ranks: the metadata (file empty, page empty) or part of a page."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="passages")
    file = models.ForeignKey(DocumentFile, on_delete=models.CASCADE, null=True, blank=True, related_name="passages")
    page = models.PositiveIntegerField(null=True, blank=True)
    number = models.PositiveIntegerField(default=0)
    heading = models.TextField(blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["document", "number"]
        indexes = [
            models.Index(fields=["document", "number"]),
            # Covers the join from a search hit (a passage id) to its document: the search reads
            # only this narrow index, never the wide rows with the text.
            models.Index(fields=["id", "document", "file"], name="library_passage_hit"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}#{self.number}"

    @property
    def is_metadata(self) -> bool:
        return self.file_id is None


class PhysicalCopy(TimeStampedModel):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="copies")
    location = models.CharField(_("nơi để"), max_length=255)
    shelf = models.CharField(_("giá / kệ"), max_length=100, blank=True)
    call_number = models.CharField(_("ký hiệu xếp giá"), max_length=100, blank=True)
    count = models.PositiveSmallIntegerField(_("số bản"), default=1)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("bản giấy")
        verbose_name_plural = _("bản giấy")
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return f"{self.location} {self.shelf}".strip()


class Collection(TimeStampedModel):
    """A curated set, such as the knowledge corner the centre builds for a partner."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="collections"
    )
    name = models.CharField(_("tên bộ sưu tập"), max_length=255)
    partner = models.ForeignKey(
        Organisation,
        verbose_name=_("đối tác nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="library_collections",
    )
    description = models.TextField(_("mô tả"), blank=True)
    documents = models.ManyToManyField(Document, through="CollectionItem", related_name="collections")

    class Meta:
        verbose_name = _("bộ sưu tập")
        verbose_name_plural = _("bộ sưu tập")
        ordering = ["programme", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def set_spec(self) -> str:
        """The OAI-PMH set name: stable and made of the protocol's allowed characters."""
        return f"collection-{self.pk}"


class CollectionItem(TimeStampedModel):
    """One document's way into a collection: proposed, selected by a curator, delivered."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Đề xuất")
        SELECTED = "selected", _("Đã chọn")
        DECLINED = "declined", _("Không chọn")
        DELIVERED = "delivered", _("Đã bàn giao")

    # The statuses that make a document part of the collection (its facet, its OAI-PMH set).
    IN_SET = (Status.SELECTED, Status.DELIVERED)

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="collection_items")
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposal_note = models.CharField(_("lý do đề xuất"), max_length=500, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.CharField(_("ghi chú tuyển chọn"), max_length=500, blank=True)
    delivered_on = models.DateField(_("ngày bàn giao"), null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    delivery_note = models.CharField(_("ghi chú bàn giao"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("tài liệu trong bộ sưu tập")
        verbose_name_plural = _("tài liệu trong bộ sưu tập")
        ordering = ["collection", "status", "-updated_at", "id"]
        constraints = [models.UniqueConstraint(fields=["collection", "document"], name="library_item_once")]
        indexes = [models.Index(fields=["status", "delivered_on"])]

    def __str__(self) -> str:
        return f"{self.collection} · {self.document}"


class TermStat(models.Model):
    """How many passages hold each search term in its column group ("f:hoi", "e:hội",
    "p:xa_hoi"); the empty term holds the number of passages. Written with the index in the same
    transaction; read to leave out terms too common to rank by (see search_index.plan)."""

    term = models.CharField(max_length=130, primary_key=True)
    rows = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.term}: {self.rows}"


class WithdrawnRecord(models.Model):
    """A document OAI-PMH harvesters must be told to delete: it was public and no longer is (its
    access was narrowed or it was deleted). Without it a harvester would keep serving a copy of
    a record the centre took back. Kept for good — the provider declares deletedRecord
    "persistent" — and removed when the document becomes public again."""

    # No foreign key: the document may be gone.
    document_id = models.BigIntegerField(primary_key=True)
    withdrawn_at = models.DateTimeField(default=timezone.now)
    # The sets it belonged to, space-separated and padded (" collection-3 collection-7 "), so that
    # a harvester of one set also learns of the withdrawal with a portable `contains` filter.
    set_specs = models.TextField(blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["withdrawn_at", "document_id"])]

    def __str__(self) -> str:
        return f"withdrawn {self.document_id}"

    @property
    def set_spec_list(self) -> list[str]:
        return self.set_specs.split()


class DocumentImport(ImportJob, TimeStampedModel):
    """A spreadsheet of catalogue records uploaded to a programme's library: read by a background
    task (`tasks_import.py`), previewed page by page, then confirmed (each new row made a document
    through `document_create`, by a task too) or cancelled."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="document_imports")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lượt nhập danh mục tài liệu")
        verbose_name_plural = _("lượt nhập danh mục tài liệu")

    def __str__(self) -> str:
        return self.filename


class DocumentImportRow(models.Model):
    """One line of an uploaded catalogue: what was read, its status, the document it became."""

    class Status(models.TextChoices):
        NEW = "new", _("Mới")
        DUPLICATE = "duplicate", _("Trùng")
        ERROR = "error", _("Lỗi")
        CREATED = "created", _("Đã thêm")

    PROBLEMS = (Status.ERROR, Status.DUPLICATE)

    document_import = models.ForeignKey(DocumentImport, on_delete=models.CASCADE, related_name="import_rows")
    line = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices)
    cells = models.JSONField(default=list)
    data = models.JSONField(default=dict)  # what document_create takes
    errors = models.JSONField(default=list)
    duplicate_of = models.JSONField(null=True, blank=True)  # {"document_id", "title"} or {"line"}
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["document_import", "line"]
        indexes = [models.Index(fields=["document_import", "status", "line"], name="documentimportrow_status_line")]
        constraints = [
            models.UniqueConstraint(fields=["document_import", "line"], name="documentimportrow_one_per_line"),
        ]

    def __str__(self) -> str:
        return f"{self.document_import_id}:{self.line}"
