"""StreamField blocks for the body of a case study."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4"]


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
    paragraph = blocks.RichTextBlock(features=PARAGRAPH_FEATURES)
    image = ImageBlock()
    quote = QuoteBlock()
    document = DocumentBlock()
