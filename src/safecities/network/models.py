from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safecities.core.i18n import translated

from . import validators


class Country(models.Model):
    code = models.CharField(_("code"), max_length=2, unique=True, help_text="ISO 3166-1 alpha-2")
    name = models.JSONField(_("name"), default=dict, help_text=_("One value per language."))

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return translated(self.name) or self.code


class Municipality(models.Model):
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="municipalities"
    )
    code = models.CharField(_("official code"), max_length=8)
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    names = models.JSONField(
        _("official names"),
        default=dict,
        blank=True,
        help_text=_("The official name in each national language, where there is more than one."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="municipality_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.country_id:
            try:
                validators.validate_municipality_code(self.country.code, self.code)
            except ValidationError as exc:
                raise ValidationError({"code": exc.messages}) from exc


class PredecessorCode(models.Model):
    """An official code a merged or renumbered municipality had before, kept so that
    statistics published under the old code still find the municipality of today."""

    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.PROTECT)
    code = models.CharField(_("former code"), max_length=8)
    name = models.CharField(_("former name"), max_length=160, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality today"),
        on_delete=models.CASCADE,
        related_name="predecessor_codes",
    )

    class Meta:
        ordering = ["country", "code"]
        verbose_name = _("former municipality code")
        verbose_name_plural = _("former municipality codes")
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="predecessor_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class OrganisationType(models.TextChoices):
    CSO = "cso", _("Civil-society organisation")
    FOUNDATION = "foundation", _("Foundation")
    RESEARCH = "research", _("Research")
    PUBLIC_AGENCY = "public_agency", _("Public agency")
    SECRETARIAT = "secretariat", _("Network secretariat")
    COMPANY = "company", _("Company")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=OrganisationType.choices)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="organisations"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("seat"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
    )
    org_id_scheme = models.CharField(
        _("register"),
        max_length=10,
        blank=True,
        choices=[(k, f"{k} — {v[2]}") for k, v in validators.ORG_ID_SCHEMES.items()],
    )
    org_id_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("A fictional record of the demo network.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["org_id_scheme", "org_id_number"],
                condition=~Q(org_id_number=""),
                name="organisation_org_id_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def org_id(self) -> str:
        """The org-id.guide identifier, e.g. NO-BRC-974760673."""
        if self.org_id_scheme and self.org_id_number:
            return f"{self.org_id_scheme}-{self.org_id_number}"
        return ""

    def clean(self):
        errors = {}
        if self.org_id_number and not self.org_id_scheme:
            errors["org_id_scheme"] = _("Choose the register the number belongs to.")
        elif self.org_id_number:
            try:
                self.org_id_number = validators.normalise_org_number(
                    self.org_id_scheme, self.org_id_number
                )
            except ValidationError as exc:
                errors["org_id_number"] = exc.messages
        if errors:
            raise ValidationError(errors)


class Person(models.Model):
    """A professional in the network: contact data only, listed publicly only with consent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    expertise = models.CharField(_("expertise"), max_length=300, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    listed_publicly = models.BooleanField(
        _("list me in the public directory"),
        default=False,
        help_text=_("Your name, title and workplace are shown to visitors only if you agree."),
    )
    consent_given_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["full_name"]
        # The people directory reads people in this order, a page at a time.
        indexes = [models.Index(fields=["full_name"], name="person_name_order")]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or str(_("Erased member"))  # blank once the person is erased


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    COORDINATOR = "coordinator", _("City coordinator")
    ORGANISATION_CONTACT = "organisation_contact", _("Organisation contact")
    REVIEWER = "reviewer", _("Reviewer")
    FUNDER_OFFICER = "funder_officer", _("Funder officer")
    MEMBER = "member", _("Member")


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="coordinator") | Q(municipality__isnull=False),
                name="role_coordinator_has_municipality",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["organisation_contact", "funder_officer"])
                | Q(organisation__isnull=False),
                name="role_contact_has_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "municipality", "organisation"],
                name="role_assignment_unique",
            ),
        ]

    def __str__(self) -> str:
        scope = self.municipality or self.organisation
        return f"{self.get_role_display()}{f' ({scope})' if scope else ''}"


class NationalProgramme(models.Model):
    """A national programme groups cities under a funder, e.g. Safe Cities Norway."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    local_name = models.CharField(_("local name"), max_length=200, blank=True)
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.PROTECT)
    funder = models.ForeignKey(
        Organisation, verbose_name=_("funder"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    description = models.JSONField(_("description"), default=dict, blank=True)
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("cities"), related_name="programmes", blank=True
    )
    contact = models.ForeignKey(
        "Person",
        verbose_name=_("contact person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("national programme")
        verbose_name_plural = _("national programmes")

    def __str__(self) -> str:
        return self.name


class MemberKind(models.TextChoices):
    CITY = "city", _("City")
    ORGANISATION = "organisation", _("Organisation")
    INDIVIDUAL = "individual", _("Individual")


# Which field holds the member, per kind: the one table services and selectors read.
MEMBER_FIELD = {"city": "municipality", "organisation": "organisation", "individual": "person"}

_ONE_MEMBER = (
    Q(kind="city", municipality__isnull=False, organisation__isnull=True, person__isnull=True)
    | Q(
        kind="organisation",
        municipality__isnull=True,
        organisation__isnull=False,
        person__isnull=True,
    )
    | Q(
        kind="individual",
        municipality__isnull=True,
        organisation__isnull=True,
        person__isnull=False,
    )
)


def one_per_member(status: str, prefix: str, noun: str) -> list[models.UniqueConstraint]:
    """At most one row in `status` per city, per organisation and per person."""
    return [
        models.UniqueConstraint(
            fields=[field],
            condition=Q(status=status, **{f"{field}__isnull": False}),
            name=f"{prefix}_one_{noun}_per_{name}",
        )
        for field, name in (
            ("municipality", "city"),
            ("organisation", "organisation"),
            ("person", "person"),
        )
    ]


# The member directory's rows: the active memberships it may list.
IN_DIRECTORY = Q(status="active", listed=True)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> "MembershipQuerySet":
        """The memberships in force: who is a member of the network now."""
        return self.filter(status=Membership.Status.ACTIVE)


class Membership(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    kind = models.CharField(_("kind"), max_length=20, choices=MemberKind.choices)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    started_on = models.DateField(_("member since"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason for ending"), blank=True)
    # The directory's key, copied from the member and kept true by every service that changes
    # it (services/directory.py): the directory reads a page in its order from an index on
    # these columns instead of joining every member and its country to sort them.
    member_name = models.CharField(_("member's name"), max_length=200, blank=True, editable=False)
    country_code = models.CharField(_("member's country"), max_length=2, blank=True, editable=False)
    listed = models.BooleanField(
        _("listed in the directory"),
        default=False,
        editable=False,
        help_text=_("Every city and organisation; a person only with their consent."),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(condition=_ONE_MEMBER, name="membership_one_member"),
            *one_per_member("active", "membership", "active"),
        ]
        # The directory's rows in each of its orders (selectors.DIRECTORY_SORTS).
        indexes = [
            models.Index(fields=fields, condition=IN_DIRECTORY, name=f"membership_directory_{name}")
            for name, fields in (
                ("name", ["country_code", "member_name", "id"]),
                ("newest", ["country_code", "-started_on", "member_name", "id"]),
                ("oldest", ["country_code", "started_on", "member_name", "id"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} ({self.get_status_display()})"

    @property
    def member(self):
        return self.municipality or self.organisation or self.person

    @property
    def may_end(self) -> bool:
        """Whether the membership may still be ended (asked of its workflow table)."""
        from .states import may_end

        return may_end(self)


def decision_upload_to(instance, filename: str) -> str:
    return f"membership/decisions/{instance.submitted_at:%Y}/{instance.case_slug}.pdf"


class MembershipApplication(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.CharField(_("kind"), max_length=20, choices=MemberKind.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="membership_applications",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="membership_applications",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="membership_applications",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="membership_applications",
    )
    submitted_at = models.DateTimeField(_("submitted"))
    case_number = models.CharField(_("case number"), max_length=60, blank=True)
    decision_date = models.DateField(_("date of the council decision"), null=True, blank=True)
    decision_document = models.FileField(
        _("council decision (PDF)"), upload_to=decision_upload_to, blank=True, max_length=200
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    motivation = models.TextField(_("motivation"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    membership = models.OneToOneField(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="application"
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        # The secretariat's list reads applications in this order, a page at a time.
        indexes = [models.Index(fields=["submitted_at", "id"], name="application_submitted_order")]
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        constraints = [
            models.CheckConstraint(condition=_ONE_MEMBER, name="application_one_member"),
            *one_per_member("submitted", "application", "open"),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} — {self.get_status_display()}"

    @property
    def applicant(self):
        return self.municipality or self.organisation or self.person

    @property
    def case_slug(self) -> str:
        from django.utils.text import slugify

        return slugify(f"{self.applicant}-{self.case_number or 'application'}")[:80]
