"""The search index: one Document per (kind, object_id, language), with its facet values.

The full-text part lives outside Django's models, created by migration 0002 for the engine in
use: an FTS5 table `search_fts` on SQLite, a `tsv` tsvector column with a GIN index on
PostgreSQL. Both hold the same analysed words (see `analysis.py`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    kind = models.CharField(_("kind"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("object id"))
    language = models.CharField(_("language"), max_length=10)
    # "kind:object_id": counts facets per object rather than per language.
    key = models.CharField(max_length=64, db_index=True, editable=False)
    title = models.TextField(_("title"))
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("address"), max_length=500)
    public = models.BooleanField(_("public"), default=False)
    members = models.BooleanField(_("visible to members"), default=True)
    date = models.DateField(_("date"), null=True, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "language"], name="search_document_unique"
            )
        ]
        indexes = [
            models.Index(fields=["kind", "object_id"], name="search_doc_object"),
            # An object's document in one language, from the index alone (bounded search).
            models.Index(fields=["key", "language"], name="search_doc_key_language"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.language}): {self.title[:60]}"


class DocumentFacet(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="facet_values")
    name = models.CharField(max_length=40)
    value = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "name", "value"], name="search_facet_unique"
            )
        ]
        indexes = [models.Index(fields=["name", "value"], name="search_facet_value")]

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
