"""Requests from readers: a question, or one of the offers a case study lists (a visit,
mentoring, materials), asked of the provider through the form under the case study page.

One module for the concept: the stored request, its form, who receives it and the e-mails,
the rate limit, retention, and the two views CaseStudyPage routes to (ask/ and ask/sent/).
A request is stored first and e-mailed after its transaction commits; a failed send is
logged and the request stays in the admin ("Requests from readers"), where moderators and
the provider's contributors see it. The provider's address is never shown to the reader.
"""

import datetime
import logging
import math
from functools import partial

from axes.helpers import get_client_ip_address
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models, transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from wagtail.models import ModelLogEntry

from .providers import cqc_location_id_validator
from .public_urls import public_url

logger = logging.getLogger(__name__)

MESSAGE_MAX_LENGTH = 5_000
RATE_WINDOW = datetime.timedelta(hours=1)
# The admin's "Requests from readers" (wagtail_hooks.RequestViewSet): its URL prefix and
# namespace, for the link in the provider's e-mail.
ADMIN_URL_NAMESPACE = "requests"
# Moderators hold it (migration 0009); a contributor sees only their providers' requests.
SEE_EVERY_REQUEST = "knowledgebase.view_all_practiceenquiry"
# The honeypot: a field people never see or fill. Bots that fill every field do.
HONEYPOT_FIELD = "website"
QUESTION = "question"  # what the reader asks for when it is none of the offers


def rate_limit():
    """Stored requests an hour from one client address, or from one e-mail address."""
    return settings.ENQUIRY_RATE_LIMIT


def retention_days():
    """Requests older than this are deleted by `manage.py delete_old_enquiries` (daily)."""
    return settings.ENQUIRY_RETENTION_DAYS


# Name, role and organisation go into e-mail headers and subjects: one line each.
single_line_validator = RegexValidator(
    r"[\x00-\x1f\x7f]", inverse_match=True, message="Write this on one line."
)


class Status(models.TextChoices):
    NEW = "new", "New"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed"


class EnquiryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every request for moderators (and superusers); for anyone else, the requests
        about case studies of the providers they are a contributor of."""
        if user.has_perm(SEE_EVERY_REQUEST):
            return self.all()
        return self.filter(case_study__provider__contributors=user)

    def recent(self, now=None):
        return self.filter(created_at__gt=(now or timezone.now()) - RATE_WINDOW)

    def older_than(self, cutoff):
        return self.filter(created_at__lt=cutoff)


class PracticeEnquiry(models.Model):
    """A reader's request to the provider of a case study. Nothing about the reader is kept
    beyond what they typed into the form, and a keyed hash of their address for the rate
    limit (never the address itself)."""

    case_study = models.ForeignKey(
        "knowledgebase.CaseStudyPage", on_delete=models.CASCADE, related_name="enquiries"
    )
    name = models.CharField("name", max_length=200, validators=[single_line_validator])
    role = models.CharField("role", max_length=200, validators=[single_line_validator])
    organisation = models.CharField(
        "organisation", max_length=200, validators=[single_line_validator]
    )
    cqc_location_id = models.CharField(
        "CQC location id", max_length=20, blank=True, validators=[cqc_location_id_validator]
    )
    email = models.EmailField("e-mail address")
    # A validator, not max_length: a textarea's maxlength cuts a paste short without a word.
    message = models.TextField(validators=[MaxLengthValidator(MESSAGE_MAX_LENGTH)])
    offer = models.ForeignKey(
        "knowledgebase.Offer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enquiries",
        verbose_name="asks for",
        help_text="Empty when the reader asks a question.",
    )
    consent = models.BooleanField(
        "agreed that these details are passed to the provider", default=False
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField("received", default=timezone.now, editable=False)
    client_hash = models.CharField("client address (keyed hash)", max_length=64, editable=False)

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        verbose_name = "request"
        verbose_name_plural = "requests from readers"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["created_at"], name="enquiry_created_at"),
            models.Index(fields=["client_hash", "created_at"], name="enquiry_client_recent"),
        ]
        permissions = [("view_all_practiceenquiry", "Can see requests for every provider")]

    def __str__(self):
        # No personal data: Wagtail's history and site history reports show this label to
        # anyone who may view requests at all, whichever provider's they are.
        return f"Request {self.pk} about “{self.case_study.title}”"

    @property
    def asking_for_label(self):
        return self.offer.label if self.offer_id else "Question"


# The form --------------------------------------------------------------------------------


class EnquiryForm(forms.ModelForm):
    """What a reader fills in. Errors are said in the reader's terms; each field's hint and
    error are tied to it (Django's aria-describedby: <id>_helptext, <id>_error)."""

    # Errors are shown by the page, not by the browser's own bubbles: no required attribute.
    use_required_attribute = False

    asking_for = forms.ChoiceField(
        label="What would you like?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a question or what you would like to ask for."},
    )
    website = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    field_order = [
        "name",
        "role",
        "organisation",
        "cqc_location_id",
        "email",
        "asking_for",
        "message",
        "consent",
        HONEYPOT_FIELD,
    ]
    ABOUT_YOU = ["name", "role", "organisation", "cqc_location_id", "email"]

    class Meta:
        model = PracticeEnquiry
        fields = ["name", "role", "organisation", "cqc_location_id", "email", "message", "consent"]
        labels = {
            "name": "Your name",
            "role": "Your role",
            "organisation": "Your organisation",
            "cqc_location_id": "Your CQC location id (optional)",
            "email": "Your e-mail address",
            "message": "Your question or request",
        }
        help_texts = {
            "role": "For example: registered manager, deputy manager, senior carer.",
            "organisation": "The service or provider you work for.",
            "cqc_location_id": "On your CQC report, for example 1-1234567890. It tells the "
            "provider what kind of service you run.",
            "email": "The provider replies to this address.",
            "message": f"Up to {MESSAGE_MAX_LENGTH:,} characters. Say what you would like to "
            "know, or when you would like to visit.",
        }
        error_messages = {
            "name": {"required": "Enter your name."},
            "role": {"required": "Enter your role, for example registered manager."},
            "organisation": {"required": "Enter the name of your organisation."},
            "email": {
                "required": "Enter your e-mail address, so the provider can reply.",
                "invalid": "Enter an e-mail address like name@example.org.",
            },
            "message": {"required": "Write your question or what you would like."},
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "role": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
            "cqc_location_id": forms.TextInput(
                attrs={"autocomplete": "off", "spellcheck": "false"}
            ),
            "email": forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
            "message": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, case_study, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.case_study = case_study
        self.offers = {offer.slug: offer for offer in offers}
        provider = case_study.provider.name if case_study.provider else "the provider"
        asking_for = self.fields["asking_for"]
        asking_for.choices = [(QUESTION, "A question"), *((o.slug, o.label) for o in offers)]
        if offers:
            asking_for.help_text = (
                f"{provider} offers these to services that want to adopt the practice."
            )
        consent = self.fields["consent"]
        consent.required = True
        consent.label = (
            f"I agree that Practice Exchange passes my name, role, organisation, CQC location "
            f"id (if I gave it), e-mail address and message to {provider}, the provider of "
            "this case study, so that they can reply to me."
        )
        consent.help_text = (
            f"Only {provider} and Practice Exchange's moderators see your request. We delete "
            f"it {retention_days()} days after you send it."
        )
        consent.error_messages["required"] = (
            f"Tick the box to agree that we pass your details to {provider}: we cannot send "
            "your request without it."
        )
        for field in self.fields.values():
            # Too long is an error the reader reads, not a paste the browser cuts short.
            field.widget.attrs.pop("maxlength", None)

    def about_you(self):
        """The fields under "About you", bound."""
        return [self[name] for name in self.ABOUT_YOU]

    def initial_asking_for(self, slug):
        """?offer=<slug> preselects that offer, when the case study lists it."""
        self.initial["asking_for"] = slug if slug in self.offers else QUESTION

    def clean_message(self):
        # Before the model's MaxLengthValidator, to say it in the reader's words.
        message = self.cleaned_data["message"]
        if len(message) > MESSAGE_MAX_LENGTH:
            raise forms.ValidationError(
                f"Shorten your message to {MESSAGE_MAX_LENGTH:,} characters or fewer "
                f"(it has {len(message):,})."
            )
        return message

    def is_from_a_bot(self):
        """The honeypot is filled: answer as if sent, keep and send nothing."""
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def error_links(self):
        """(field id, message) for the error summary, in the order of the form."""
        links = []
        for field in self:
            for error in field.errors:
                target = f"{field.auto_id}_0" if field.name == "asking_for" else field.auto_id
                links.append((target, error))
        return links

    def save(self, client_hash):
        enquiry = super().save(commit=False)
        enquiry.case_study = self.case_study
        enquiry.offer = self.offers.get(self.cleaned_data["asking_for"])
        enquiry.client_hash = client_hash
        enquiry.save()
        return enquiry


# Abuse: the rate limit -------------------------------------------------------------------


def client_hash(request):
    """A keyed hash (HMAC with SECRET_KEY) of the client's address, read as django-axes reads
    it (django-ipware, with the AXES_IPWARE_* proxy settings): the raw address is never kept."""
    address = get_client_ip_address(request) or "unknown"
    return salted_hmac(
        "knowledgebase.enquiries.client_hash", address, algorithm="sha256"
    ).hexdigest()


def may_send_again_at(*, client=None, email=None, now=None):
    """When the sender may send again, or None when they may now.

    Counted from stored requests in the last hour: from this client address, or from this
    e-mail address. At the limit, the sender may send again when the oldest of the newest
    `limit` leaves the hour.
    """
    now = now or timezone.now()
    recent = PracticeEnquiry.objects.recent(now)
    recent = recent.filter(client_hash=client) if client else recent.filter(email__iexact=email)
    limit = rate_limit()
    times = list(recent.order_by("-created_at").values_list("created_at", flat=True)[:limit])
    return times[-1] + RATE_WINDOW if len(times) >= limit else None


# Who receives a request, and the e-mails --------------------------------------------------


def recipients_for(case_study):
    """The case study's contact; else the provider's contributors; else the moderators."""
    if case_study.contact_email:
        return [case_study.contact_email]
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if case_study.provider_id:
        contributors = users.filter(providers=case_study.provider_id)
        if addresses := sorted(set(contributors.values_list("email", flat=True))):
            return addresses
    return sorted(set(users.filter(groups__name="Moderators").values_list("email", flat=True)))


def email_context(enquiry):
    case_study = enquiry.case_study
    return {
        "enquiry": enquiry,
        "case_study": case_study,
        "provider_name": case_study.provider.name if case_study.provider else "the provider",
        "case_study_url": public_url(case_study.get_url() or ""),
        "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + reverse(f"{ADMIN_URL_NAMESPACE}:edit", args=[enquiry.pk]),
        "retention_days": retention_days(),
    }


def send_enquiry_emails(enquiry):
    """To the provider (Reply-To: the reader), then the reader's copy. Each failure is
    logged and the next is still tried: the request itself is already stored."""
    context = email_context(enquiry)
    provider_name = context["provider_name"]
    title = enquiry.case_study.title
    recipients = recipients_for(enquiry.case_study)
    if not recipients:
        logger.warning(
            "Request %s: nobody to send it to (no contact, contributor or "
            "moderator has an e-mail address); it waits in the admin.",
            enquiry.pk,
        )
    else:
        send_quietly(
            enquiry,
            "to the provider",
            EmailMessage(
                subject=f"{enquiry.asking_for_label} from {enquiry.organisation}: “{title}”",
                body=render_to_string("knowledgebase/emails/enquiry_to_provider.txt", context),
                to=recipients,
                reply_to=[enquiry.email],
            ),
        )
    send_quietly(
        enquiry,
        "to the reader",
        EmailMessage(
            subject=f"Your request to {provider_name} about “{title}”",
            body=render_to_string("knowledgebase/emails/enquiry_confirmation.txt", context),
            to=[enquiry.email],
        ),
    )


def send_quietly(enquiry, which, message):
    try:
        message.send()
    except Exception as exc:  # any transport error: SMTP, DNS, timeouts; the request is kept
        # The error's kind only: its text (an SMTP refusal) names the addresses, and logs
        # must not hold them.
        logger.error(
            "Request %s: the e-mail %s could not be sent (%s).",
            enquiry.pk,
            which,
            type(exc).__name__,
        )


# Retention --------------------------------------------------------------------------------


def retention_cutoff(now=None):
    return (now or timezone.now()) - datetime.timedelta(days=retention_days())


def delete_old_enquiries(cutoff):
    """Delete requests received before cutoff, and the admin's history of them (its log
    entries are labelled with who asked). Returns how many requests went."""
    old = PracticeEnquiry.objects.older_than(cutoff)
    with transaction.atomic():
        ids = [str(pk) for pk in old.values_list("pk", flat=True)]
        old.delete()
        history = ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(PracticeEnquiry)
        )
        history.filter(models.Q(object_id__in=ids) | models.Q(timestamp__lt=cutoff)).delete()
    return len(ids)


def forget_client_addresses(now=None):
    """Blank the keyed hash of the client's address on requests older than the rate limit's
    window: it is kept only to count recent requests. Returns how many were blanked."""
    older = PracticeEnquiry.objects.filter(created_at__lte=(now or timezone.now()) - RATE_WINDOW)
    return older.exclude(client_hash="").update(client_hash="")


# The views CaseStudyPage routes to --------------------------------------------------------


def ask_the_provider(request, case_study):
    """ask/: GET the form (?offer=<slug> preselects an offer); POST it. A good request is
    stored, e-mailed once committed, and answered by a redirect to ask/sent/. Bad input
    gets the form again with everything typed, 400; a flood gets 429, with nothing stored."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    offers = list(case_study.offers.all())
    sent_url = case_study.get_url(request) + case_study.reverse_subpage("ask-sent")
    if request.method != "POST":
        form = EnquiryForm(case_study=case_study, offers=offers)
        form.initial_asking_for(request.GET.get("offer", ""))
        return render_form(request, case_study, form)

    form = EnquiryForm(request.POST, case_study=case_study, offers=offers)
    if form.is_from_a_bot():
        return HttpResponseRedirect(sent_url)
    client = client_hash(request)
    if retry_at := may_send_again_at(client=client):
        return rate_limited(request, case_study, form, retry_at)
    if not form.is_valid():
        return render_form(request, case_study, form, status=400)
    if retry_at := may_send_again_at(email=form.cleaned_data["email"]):
        return rate_limited(request, case_study, form, retry_at)
    with transaction.atomic():
        enquiry = form.save(client)
        transaction.on_commit(partial(send_enquiry_emails, enquiry))
    return HttpResponseRedirect(sent_url)


def request_sent(request, case_study):
    """ask/sent/: the thank-you page. The same for everyone, the honeypot's bots included."""
    return case_study.render(request, template="knowledgebase/ask_the_provider_sent.html")


def render_form(request, case_study, form, status=200):
    response = case_study.render(
        request,
        template="knowledgebase/ask_the_provider.html",
        context_overrides={"form": form, "honeypot": form[HONEYPOT_FIELD]},
    )
    response.status_code = status
    return response


def rate_limited(request, case_study, form, retry_at):
    """429: what happened, when to try again (also as Retry-After), and the reader's message
    shown back to them so that it is not lost."""
    seconds = max(1, math.ceil((retry_at - timezone.now()).total_seconds()))
    response = case_study.render(
        request,
        template="knowledgebase/enquiry_rate_limited.html",
        context_overrides={
            "limit": rate_limit(),
            "retry_at": timezone.localtime(retry_at),
            "minutes": math.ceil(seconds / 60),
            "message": form.data.get("message", ""),
        },
    )
    response.status_code = 429
    response["Retry-After"] = str(seconds)
    return response
