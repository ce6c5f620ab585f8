"""StreamField blocks for the body of a case study."""

import html
import re

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4"]


BLOCK_END = re.compile(r"</(?:p|h\d|li|blockquote)>|<(?:br|hr)\s*/?>", re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
TEXT_BLOCK = re.compile(r"<(p|li|h3|h4)\b[^>]*>(.*?)</\1>", re.DOTALL | re.IGNORECASE)
LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


class ParagraphBlock(blocks.RichTextBlock):
    """Rich text whose search text is cut out with regular expressions, not an HTML parser.

    Wagtail's get_text_for_indexing() strips tags with Django's strip_tags(), which re-parses
    the HTML until nothing changes. The admin search reads each page's body three times, so
    that parsing was a third of the import's indexing time. Rich text that Wagtail stores is
    well formed, so dropping the tags (a space after block ends) gives the same words.
    """

    def get_searchable_content(self, value):
        if not self.search_index:
            return []
        return [html.unescape(TAG.sub("", BLOCK_END.sub(" ", value.source))).strip()]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        help_text="Describe the image for people who cannot see it. Required.",
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "knowledgebase/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(
        required=False, help_text="For example: Amira, a senior care worker"
    )
    voice = blocks.ChoiceBlock(
        choices=[
            ("staff", "Staff member"),
            ("person", "Person who draws on care"),
            ("family", "Family member or unpaid carer"),
            ("partner", "Partner organisation"),
        ],
        required=False,
    )

    class Meta:
        icon = "openquote"
        template = "knowledgebase/blocks/quote.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    description = blocks.CharBlock(
        required=False, help_text="What the document is, e.g. 'Our oral health care plan template'"
    )

    class Meta:
        icon = "doc-full"
        template = "knowledgebase/blocks/document.html"


class OutcomeMeasureBlock(blocks.StructBlock):
    measure = blocks.CharBlock(help_text="What was measured, e.g. 'Falls per month'")
    before = blocks.CharBlock(required=False)
    after = blocks.CharBlock(required=False)
    period = blocks.CharBlock(required=False, help_text="e.g. 'Over 9 months, 2024'")

    class Meta:
        icon = "table"
        template = "knowledgebase/blocks/outcome_measure.html"


class ApproachBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock(features=PARAGRAPH_FEATURES)
    image = ImageBlock()
    quote = QuoteBlock()
    document = DocumentBlock()


# The approach as plain text (the interchange form, and what search reads) and back.


def approach_from_text(text):
    """Plain text paragraphs to approach blocks, one paragraph block each."""
    paragraphs = [p.strip() for p in PARAGRAPH_BREAK.split(text or "") if p.strip()]
    return [
        ("paragraph", RichText("<p>" + html.escape(p).replace("\n", "<br/>") + "</p>"))
        for p in paragraphs
    ]


def _html_to_text(markup):
    """Rich text back to plain text: a paragraph per block, <br> as a line break.

    Regular expressions, not an HTML parser: Wagtail stores well-formed rich text with
    these few block tags, and a re-import compares every record this way.
    """
    blocks = [inner for _, inner in TEXT_BLOCK.findall(markup)] or [markup]
    texts = (html.unescape(TAG.sub("", LINE_BREAK.sub("\n", b))).strip() for b in blocks)
    return "\n\n".join(t for t in texts if t)


def approach_text(stream):
    """Approach blocks back to plain text; quotes keep their words, images their captions."""
    parts = []
    for block in stream:
        if block.block_type == "paragraph":
            parts.append(_html_to_text(block.value.source))
        elif block.block_type == "quote":
            attribution = block.value.get("attribution")
            quote = f"“{block.value['text'].strip()}”"
            parts.append(f"{quote} ({attribution})" if attribution else quote)
        elif block.block_type == "image" and block.value.get("caption"):
            parts.append(block.value["caption"])
        elif block.block_type == "document" and block.value.get("description"):
            parts.append(block.value["description"])
    return "\n\n".join(p for p in parts if p)
