from django import template

from knowledgebase.curated_collections import collections_including

register = template.Library()

# {% collections_including page as collections %}: where a curator has placed this case study.
register.simple_tag(collections_including, name="collections_including")
