"""Who writes for which provider. Moderators (and superusers) write for any provider; a
contributor writes only for the providers a moderator has added them to
(Provider.contributors, on the provider's admin form). The case study form, the admin's
hooks and the Outstanding rule endpoint all ask here."""

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
