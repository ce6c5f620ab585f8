from django import template

from search.related import related_case_studies

register = template.Library()

# {% related_case_studies page as related %}: practice like this case study, from search.
register.simple_tag(related_case_studies, name="related_case_studies")
