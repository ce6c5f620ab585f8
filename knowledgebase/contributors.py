"""Who writes for which provider. Moderators (and superusers) write for any provider; a
contributor writes only for the providers a moderator has added them to
(Provider.contributors, on the provider's admin form). The case study form, the admin's
hooks and the Outstanding rule endpoint all ask here."""

from wagtail.models import PagePermissionTester

from .providers import Provider

# Moderators and administrators hold it (migration 0004); contributors and curators do not.
WRITES_FOR_ANY_PROVIDER = "knowledgebase.change_provider"

NO_PROVIDER_MESSAGE = (
    "You are not yet a contributor of any provider, so you cannot write a case study. "
    "Ask a moderator to add you to your provider (Practice Exchange > Providers > "
    "your provider > Contributors)."
)


def writes_for_any_provider(user):
    return user.is_active and user.has_perm(WRITES_FOR_ANY_PROVIDER)


def providers_for(user):
    """The providers this user may write case studies for."""
    if writes_for_any_provider(user):
        return Provider.objects.all()
    if not user.is_authenticated:
        return Provider.objects.none()
    return Provider.objects.filter(contributors=user)


def provider_ids_for(user):
    """The ids of the providers a contributor writes for, read once per request's user
    (a page listing asks for every page it lists)."""
    if not hasattr(user, "_writes_for_provider_ids"):
        user._writes_for_provider_ids = set(providers_for(user).values_list("pk", flat=True))
    return user._writes_for_provider_ids


def may_write_for(user, provider):
    """May this user create or edit a case study of this provider? A page with no provider
    yet (a draft saved before one was chosen) is anyone's to finish: the form then offers
    only the user's own providers."""
    if provider is None or writes_for_any_provider(user):
        return True
    return user.is_authenticated and provider.contributors.filter(pk=user.pk).exists()


def outstanding_rule_answer(provider, key_question_slugs):
    """The Outstanding rule's answer for this choice, in words, before the case study is
    saved: (meets_the_rule, message). The rule itself is Provider.outstanding_for and
    outstanding_rule_error; this only words their answer."""
    error = provider.outstanding_rule_error(key_question_slugs)
    if error:
        return False, error
    if provider.outstanding_for(key_question_slugs) == ["overall"]:
        return True, f"{provider.name} is Outstanding overall: any key question is fine."
    basis = provider.outstanding_basis(key_question_slugs)
    return True, f"{provider.name} meets the Outstanding rule. {basis}."


class CaseStudyPermissionTester(PagePermissionTester):
    """What a user may do with a case study (CaseStudyPage.permissions_for_user): Wagtail's
    answer, less editing, copying, moving, deleting, locking and submitting another
    provider's case study for a contributor. Wagtail asks it for every button and link it
    shows, so a contributor's listings offer no action on another provider's practice, and
    its views refuse them. The provider is checked first: Wagtail's own checks cost queries
    (a page's descendants, its workflow) for every page of a listing."""

    def _writes_for_it(self):
        provider_id = self.page.provider_id
        return (
            provider_id is None
            or writes_for_any_provider(self.user)
            or provider_id in provider_ids_for(self.user)
        )

    def can_edit(self):
        return self._writes_for_it() and super().can_edit()

    def can_delete(self, ignore_bulk=False):
        return self._writes_for_it() and super().can_delete(ignore_bulk)

    def can_copy(self):
        return self._writes_for_it() and super().can_copy()

    def can_move(self):
        return self._writes_for_it() and super().can_move()

    def can_lock(self):
        return self._writes_for_it() and super().can_lock()

    def can_submit_for_moderation(self):
        return self._writes_for_it() and super().can_submit_for_moderation()
